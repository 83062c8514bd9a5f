"""Breakout: bounce a ball off your paddle to smash every brick; a ball past the paddle costs a life."""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import Field, field_validator

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    SpriteSpec,
    Vocabulary,
    grid_rows_checked,
    lerp,
    lerp_int,
)

MAX_ROWS, MIN_COLS, MAX_COLS = 10, 4, 12
BRICK_CHARS = set("0123")  # 0 = empty, 1..3 = hits needed


class BreakoutParams(MechanicParams):
    paddle_width: int = Field(default=120, ge=60, le=220, description="Paddle width in game pixels.")
    ball_speed: float = Field(
        default=460.0, ge=250.0, le=800.0, description="Ball speed in pixels per second."
    )
    speed_up_per_hit: float = Field(default=0.01, ge=0.0, le=0.05, description="Speed gained per brick hit.")


class BreakoutLevel(MechanicLevel):
    bricks: list[str] = Field(min_length=1, max_length=MAX_ROWS, description="Rows; '0' empty, '1'-'3' hits.")
    ball_speed_scale: float = Field(default=1.0, ge=0.7, le=2.0)
    paddle_scale: float = Field(default=1.0, ge=0.5, le=1.5)
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("bricks")
    @classmethod
    def _rows(cls, rows: list[str]) -> list[str]:
        return grid_rows_checked(
            rows,
            min_width=MIN_COLS,
            max_width=MAX_COLS,
            chars=BRICK_CHARS,
            unit="bricks",
            chars_text="bricks use only the characters 0, 1, 2 and 3",
        )


def validate_level(level: BreakoutLevel, params: BreakoutParams) -> list[str]:
    """A level must have at least one brick to break (every brick is breakable)."""
    if not any(ch != "0" for row in level.bricks for ch in row):
        return ["bricks: the level has no brick to break"]
    return []


PATTERNS = ("full", "checker", "pyramid", "stripes", "frame", "zigzag")


def _pattern(kind: str, rows: int, cols: int, rng: random.Random, d: float) -> list[str]:
    out = []
    for r in range(rows):
        row = []
        for c in range(cols):
            if kind == "checker":
                present = (r + c) % 2 == 0
            elif kind == "pyramid":
                present = abs(c - (cols - 1) / 2) <= (r + 1) * cols / (2 * rows)
            elif kind == "stripes":
                present = r % 2 == 0 or c % 3 != 1
            elif kind == "frame":
                present = r in (0, rows - 1) or c in (0, cols - 1)
            elif kind == "zigzag":
                present = (c + r) % 4 != 3
            else:
                present = True
            if not present:
                row.append("0")
                continue
            roll = rng.random()
            hits = 3 if roll < d * 0.25 else 2 if roll < d * 0.6 else 1
            row.append(str(hits))
        out.append("".join(row))
    return out


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: BreakoutParams
) -> list[BreakoutLevel]:
    """More rows, tougher bricks, a faster ball and a smaller paddle as difficulty climbs."""
    levels = []
    for index in range(count):
        # Level 1 is the tutorial whatever the curve: one short row of one-hit bricks.
        d = min(difficulty[index], 0.1) if index == 0 else difficulty[index]
        cols = lerp_int(5, 10, d)
        rows = lerp_int(1, 7, d) if d >= 0.2 else 1
        kind = "full" if index == 0 else rng.choice(PATTERNS)
        bricks = _pattern(kind, rows, cols, rng, d)
        if not any(ch != "0" for row in bricks for ch in row):
            bricks = ["1" * cols]
        levels.append(
            BreakoutLevel(
                bricks=bricks,
                ball_speed_scale=round(lerp(1.0, 1.45, d), 2),
                paddle_scale=round(lerp(1.1, 0.75, d), 2),
            )
        )
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speed", "speedy", "frantic", "insane"}:
        params["ball_speed"] = 560.0
        params["speed_up_per_hit"] = 0.02
    if words & {"slow", "calm", "relaxing", "kids", "easy", "zen"}:
        params["ball_speed"] = 380.0
        params["paddle_width"] = 150
    if words & {"tiny", "small", "precise"}:
        params["paddle_width"] = 90
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    rows = spec.levels[min(1, len(spec.levels) - 1)].bricks[:4]
    cols = len(rows[0])
    items = []
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            if ch != "0":
                items.append((f"brick{ch}", 0.1 + 0.8 * (c + 0.5) / cols, 0.15 + r * 0.09, 0.8 / cols))
    items += [("ball", 0.6, 0.62, 0.07), ("paddle", 0.5, 0.88, 0.3)]
    return items


MECHANIC = MechanicDefinition(
    slug="breakout",
    name="Breakout",
    description="Keep the ball in play with your paddle and smash every brick. Tough bricks need "
    "several hits; a ball past the paddle costs a life.",
    genre="arcade",
    category="arcade",
    keywords=(
        "breakout",
        "brick",
        "bricks",
        "paddle",
        "ball",
        "arkanoid",
        "smash",
        "bounce",
        "wall",
        "blocks",
        "break",
        "breaker",
        "ladrillos",
        "casse-briques",
        "briques",
        "ziegel",
        "kirby",
        "bouncing",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={
            "smash": 2,
            "break": 2,
            "bounce": 1.5,
            "bouncing": 1.5,
            "destroy": 1,
            "blast": 0.5,
            "clear": 1,
        },
        foreign_words=("ladrillos", "briques", "mattoncini", "tijolos", "арканоид", "ブロック崩し", "打砖块"),
        emoji=("🧱",),
    ),  # fmt: skip
    example_prompts=(
        "smash colourful bricks with a bouncing ball",
        "an arkanoid clone in outer space",
        "breakout with candy blocks for kids",
    ),
    Params=BreakoutParams,
    Level=BreakoutLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("drag", "left"),
        probe_watch="paddle",
        expected_events=(*OPENING_EVENTS, "brick_broken"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("paddle", "capsule", "primary", 96, 24),
        SpriteSpec("ball", "circle", "accent", 24, 24, role="projectile"),
        SpriteSpec("brick1", "brick", "secondary", 64, 28, role="tile"),
        SpriteSpec("brick2", "brick", "extra0", 64, 28, role="tile"),
        SpriteSpec("brick3", "brick", "danger", 64, 28, role="tile"),
    ),
    cast_defaults={"projectile": ("ball",), "tile": ("brick", "brick", "brick")},
    audio_cues={"paddle": "jump", "brick": "pickup", "wall": "jump", "miss": "hit"},
    events=(
        EventSpec("brick_broken", "A brick was destroyed.", ("remaining", "level")),
        EventSpec("ball_lost", "The ball went past the paddle.", ("level", "lives")),
    ),
    touch_layouts=("drag", "buttons"),
    tutorial=(
        "Move the paddle with the mouse, a finger, or the arrow keys.",
        "Tap or press Space to launch the ball.",
        "Break every brick; do not let the ball fall.",
    ),
    win_text="Break every brick on the level.",
    lose_text="Lose all lives by letting the ball fall past the paddle.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Breaker", "Bricks", "Smash", "Bounce"),
    preview=preview,
)
