"""Pong: return the ball past the computer's paddle; first to the level's points wins it, and
every point the computer scores costs a life.

Geometry (shared with scene.js and flame.dart): a FIELD_W x FIELD_H field, y down; the computer's
paddle rides at CPU_Y, the player's at PLAYER_Y. A ball that hits a paddle at `offset` (-1 at its
left end, 1 at its right) leaves at `offset * MAX_BOUNCE` from the vertical, as in breakout.

The paddles are two `sides` (0: the player at the bottom, 1: the computer at the top), each with
its own controller, so a second player can take side 1 later without another field.

The computer (the same rules on web and mobile): while the ball goes away from it, it drifts back
to the middle; once the ball has crossed `cpu_reaction` of the way towards it, it heads for where
the ball will arrive (plus an aiming error drawn from the shared PRNG) at `cpu_speed`. The
validator proves a level winnable: at the ball's top speed (rallies speed it up to
`max_speed_scale`), some return from the player's paddle lands where the computer, starting in
the middle, cannot reach in time (`winning_return`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    SpriteSpec,
    Vocabulary,
    first_valid_level,
    lerp,
    lerp_int,
)

FIELD_W, FIELD_H = 516, 820
PADDLE_H = 20
BALL_R = 9
CPU_Y = 50
PLAYER_Y = FIELD_H - 50
MAX_BOUNCE = math.radians(60)
# Where a ball touches each paddle: the distance it travels from one to the other.
PLAYER_HIT_Y = PLAYER_Y - PADDLE_H / 2 - BALL_R
CPU_HIT_Y = CPU_Y + PADDLE_H / 2 + BALL_R
TRAVEL = PLAYER_HIT_Y - CPU_HIT_Y
MARGIN = 6  # pixels the computer must miss by for the validator to count a shot as winning
SHOT_OFFSET = 0.8  # the sharpest offset the validator (and the bot) relies on hitting


class PongParams(MechanicParams):
    paddle_width: int = Field(default=110, ge=60, le=200, description="The player's paddle in game pixels.")
    ball_speed: float = Field(
        default=420.0, ge=250.0, le=700.0, description="Serve speed, pixels per second."
    )
    speed_up_per_hit: float = Field(default=0.05, ge=0.0, le=0.1, description="Speed gained per paddle hit.")
    max_speed_scale: float = Field(
        default=1.8, ge=1.0, le=2.5, description="Top speed as a share of the serve's."
    )


class PongLevel(MechanicLevel):
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of the serves and the computer's aim.")
    points_to_win: int = Field(ge=1, le=15, description="Points the player needs to win the level.")
    cpu_speed: float = Field(ge=60.0, le=900.0, description="The computer's paddle speed, px/s.")
    cpu_reaction: float = Field(
        ge=0.0, le=0.9, description="Share of the way the ball travels before it reacts."
    )
    cpu_error: float = Field(ge=0.0, le=1.0, description="Aiming error, as a share of its half paddle.")
    cpu_paddle_scale: float = Field(default=1.0, ge=0.5, le=1.6)
    ball_speed_scale: float = Field(default=1.0, ge=0.6, le=1.6)
    time_limit_s: int | None = Field(default=None, ge=10, le=900)


# --- geometry shared with the scenes ----------------------------------------------------------


def reflect(x: float, lo: float, hi: float) -> float:
    """Where a ball moving freely to `x` ends up between walls at `lo` and `hi` (mirrored)."""
    width = hi - lo
    x = (x - lo) % (2 * width)
    return lo + (x if x <= width else 2 * width - x)


@dataclass(frozen=True)
class Shot:
    """A return from the player's paddle: the ball at `x`, hit at `offset`, lands at `landing`."""

    x: float
    offset: float
    landing: float
    margin: float  # how far beyond the computer's reach it lands


def cpu_reach(level: PongLevel, params: PongParams, flight_s: float) -> tuple[float, float]:
    """The interval of paddle centres the computer can reach from the middle in one flight."""
    half = params.paddle_width * level.cpu_paddle_scale / 2
    reach = level.cpu_speed * flight_s * (1 - level.cpu_reaction)
    return max(half, FIELD_W / 2 - reach), min(FIELD_W - half, FIELD_W / 2 + reach)


def shots(level: PongLevel, params: PongParams, speed: float) -> list[Shot]:
    """Every return (ball position every 6 px, offsets up to SHOT_OFFSET) and its margin over the computer."""
    half_cpu = params.paddle_width * level.cpu_paddle_scale / 2
    out = []
    steps = 8
    for i in range(int((FIELD_W - 2 * BALL_R) // 6) + 1):
        x = BALL_R + i * 6
        for k in range(-steps, steps + 1):
            offset = SHOT_OFFSET * k / steps
            angle = offset * MAX_BOUNCE
            flight = TRAVEL / (speed * math.cos(angle))
            landing = reflect(x + speed * math.sin(angle) * flight, BALL_R, FIELD_W - BALL_R)
            lo, hi = cpu_reach(level, params, flight)
            gap = max(lo - landing, landing - hi, 0.0)
            out.append(Shot(x, offset, landing, gap - half_cpu - BALL_R))
    return out


def winning_return(level: PongLevel, params: PongParams) -> Shot | None:
    """The return at top speed the computer misses by the most, or None when it reaches them all."""
    top = params.ball_speed * level.ball_speed_scale * params.max_speed_scale
    best = max(shots(level, params, top), key=lambda s: s.margin)
    return best if best.margin >= MARGIN else None


def validate_level(level: PongLevel, params: PongParams) -> list[str]:
    """Winnable: some return at the ball's top speed lands beyond the computer's reach."""
    if winning_return(level, params) is None:
        return ["cpu_speed: the computer reaches every return at top speed, so no point can be won"]
    return []


# --- the generator ------------------------------------------------------------------------------


def _level(rng: random.Random, d: float) -> PongLevel:
    return PongLevel(
        seed=rng.randrange(1, 2**31 - 1),
        points_to_win=lerp_int(3, 7, d),
        cpu_speed=round(lerp(170.0, 330.0, d) + rng.uniform(-10, 10), 1),
        cpu_reaction=round(lerp(0.5, 0.25, d), 2),
        cpu_error=round(lerp(0.9, 0.2, d), 2),
        cpu_paddle_scale=round(lerp(0.9, 1.1, d), 2),
        ball_speed_scale=round(lerp(0.85, 1.2, d), 2),
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: PongParams
) -> list[PongLevel]:
    """A quicker, sharper, steadier computer and a faster ball as difficulty climbs; each level winnable."""
    levels = []
    for index in range(count):
        d = min(difficulty[index], 0.05) if index == 0 else difficulty[index]
        candidates = (_level(rng, max(0.0, d - attempt * 0.1)) for attempt in range(12))
        if index == 0:  # the first level is a warm-up whatever the curve: a slow, late computer
            candidates = (c.model_copy(update={"cpu_speed": 140.0, "cpu_reaction": 0.55}) for c in candidates)
        level = first_valid_level(candidates, validate=validate_level, params=params)
        if level is None:  # a slow computer is beaten at any parameters the schema allows
            level = _level(rng, 0.0).model_copy(update={"cpu_speed": 60.0, "cpu_reaction": 0.9})
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speed", "speedy", "frantic", "insane", "turbo"}:
        params["ball_speed"] = 520.0
        params["speed_up_per_hit"] = 0.07
    if words & {"slow", "calm", "relaxing", "kids", "easy", "zen"}:
        params["ball_speed"] = 340.0
        params["paddle_width"] = 140
    if words & {"tiny", "small", "precise"}:
        params["paddle_width"] = 80
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [("cpu", 0.62, 0.1, 0.3), ("rival", 0.62, 0.2, 0.12), ("ball", 0.4, 0.5, 0.07),
            ("paddle", 0.35, 0.9, 0.3), ("player", 0.35, 0.8, 0.12)]  # fmt: skip


MECHANIC = MechanicDefinition(
    slug="pong",
    name="Pong",
    description="Table tennis against the computer: return the ball past its paddle to score. Every "
    "return speeds the ball up; every point the computer wins costs a life.",
    genre="arcade",
    category="arcade",
    keywords=(
        "pong",
        "ping-pong",
        "ping pong",
        "pingpong",
        "table tennis",
        "tennis",
        "air hockey",
        "rally",
        "racket",
        "racquet",
        "volley",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"return": 1.5, "serve": 1.5, "rally": 1, "volley": 1, "opponent": 0.5},
        foreign_words=(
            "tenis de mesa",
            "tennis de table",
            "tischtennis",
            "ping-pong",
            "pingue-pongue",
            "ping pong",
            "настольный теннис",
            "пинг-понг",
            "卓球",
            "乒乓",
            "탁구",
        ),
        emoji=("🏓",),
    ),  # fmt: skip
    example_prompts=(
        "pong against the computer",
        "table tennis with a robot opponent",
        "a ping pong rally on the beach",
    ),
    Params=PongParams,
    Level=PongLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("drag", "left"),
        probe_watch="player",
        expected_events=(*OPENING_EVENTS, "ball_returned", "point_won"),
        completes_level=True,
        max_seconds=60.0,
    ),
    sprites=(
        SpriteSpec("paddle", "capsule", "primary", 110, 20),
        SpriteSpec("cpu", "capsule", "danger", 110, 20),
        SpriteSpec("ball", "circle", "accent", 24, 24, role="projectile"),
        SpriteSpec("player", "head", "primary", 44, 44, role="hero"),
        SpriteSpec("rival", "ghost", "danger", 44, 44, role="enemy"),
    ),
    audio_cues={"paddle": "jump", "wall": "jump", "point": "pickup", "miss": "hit"},
    events=(
        EventSpec("ball_returned", "The player's paddle returned the ball.", ("level", "rally")),
        EventSpec("point_won", "The ball got past the computer.", ("level", "player", "cpu")),
        EventSpec("point_lost", "The ball got past the player.", ("level", "player", "cpu", "lives")),
    ),
    touch_layouts=("drag",),
    tutorial=(
        "Move your paddle with the mouse, a finger, or the arrow keys.",
        "Tap or press Space to serve.",
        "Hit the ball with your paddle's ends to send it at an angle past the computer.",
    ),
    win_text="Win the points each level asks for.",
    lose_text="Lose all lives: the computer scores one point per life.",
    default_lives=5,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Pong", "Rally", "Paddles", "Volley"),
    preview=preview,
    cast_defaults={"hero": ("person",), "enemy": ("robot",), "projectile": ("ball",)},
)
