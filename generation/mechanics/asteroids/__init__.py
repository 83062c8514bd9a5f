"""Asteroids: rotate-and-shoot. The ship sits in the middle of a field whose edges wrap around; it
turns (arrow keys, or towards where you point) and fires. Big rocks split in two smaller ones when
shot, the smallest ones burst. Clear the field; a rock that hits the ship costs a life.

The rocks' starting places, headings and sizes are level data; the headings of the two halves of
a split rock are drawn from the level's seed with the shared PRNG (`mulberry32` = `GF.rng` =
`gfRng`), two draws per split.

Geometry (shared with scene.js and flame.dart): a FIELD_W x FIELD_H field; the ship starts at its
middle; a rock of size s (3 big, 2 middle, 1 small) has radius RADIUS[s] and moves at
`level.speed * SPEED_UP[s]` px/s.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from pydantic import Field

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    SpriteSpec,
    StrictModel,
    Vocabulary,
    lerp,
    lerp_int,
)

FIELD_W, FIELD_H = 516, 600
RADIUS = {1: 16, 2: 28, 3: 44}
SPEED_UP = {1: 1.8, 2: 1.4, 3: 1.0}
SAFE_R = 170  # no rock starts this close to the ship's middle (plus its radius)
MAX_ROCKS = 8


class AsteroidsParams(MechanicParams):
    turn_speed: float = Field(default=240.0, ge=90.0, le=540.0, description="Degrees per second.")
    fire_ms: int = Field(default=260, ge=100, le=800, description="The least time between two shots.")
    shot_speed: float = Field(default=620.0, ge=300.0, le=1000.0, description="Pixels per second.")
    thrust: float = Field(
        default=260.0, ge=0.0, le=600.0, description="Pixels per second squared (0: no thrust)."
    )


class Rock(StrictModel):
    x: float = Field(ge=0, le=FIELD_W)
    y: float = Field(ge=0, le=FIELD_H)
    heading: float = Field(ge=0, lt=360, description="Degrees, 0 = right, clockwise (y grows down).")
    size: int = Field(ge=1, le=3)


class AsteroidsLevel(MechanicLevel):
    rocks: list[Rock] = Field(min_length=1, max_length=MAX_ROCKS)
    speed: float = Field(ge=20.0, le=200.0, description="Pixels per second of the big rocks.")
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of the split rocks' headings.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)


def pieces(level: AsteroidsLevel) -> int:
    """Rocks to shoot in all: a rock of size s is itself and two of size s - 1."""
    return sum(2**r.size - 1 for r in level.rocks)


def validate_level(level: AsteroidsLevel, params: AsteroidsParams) -> list[str]:
    """No rock starts on top of the ship; when the level has a clock, a perfect gunner can shoot
    every piece (one shot each, at the fastest rate) in half of it."""
    cx, cy = FIELD_W / 2, FIELD_H / 2
    for i, rock in enumerate(level.rocks):
        if math.hypot(rock.x - cx, rock.y - cy) < SAFE_R + RADIUS[rock.size]:
            return [f"rocks.{i}: starts too close to the ship"]
    if level.time_limit_s is not None and pieces(level) * params.fire_ms / 1000 > level.time_limit_s / 2:
        return [f"time_limit_s: {pieces(level)} pieces cannot be shot in half of {level.time_limit_s} s"]
    return []


# --- the generator ------------------------------------------------------------------------------------


def _rock(rng: random.Random, size: int) -> Rock:
    """A rock on the field's rim band, far from the ship, heading anywhere."""
    cx, cy = FIELD_W / 2, FIELD_H / 2
    while True:
        x, y = rng.uniform(0, FIELD_W), rng.uniform(0, FIELD_H)
        if math.hypot(x - cx, y - cy) >= SAFE_R + RADIUS[size] + 10:
            return Rock(x=round(x, 1), y=round(y, 1), heading=round(rng.uniform(0, 359.9), 1), size=size)


def _level(rng: random.Random, d: float) -> AsteroidsLevel:
    count = lerp_int(2, 6, d)
    big = lerp_int(1, count, d)
    sizes = [3] * big + [2] * (count - big)
    return AsteroidsLevel(
        rocks=[_rock(rng, s) for s in sizes],
        speed=round(lerp(35.0, 90.0, d), 1),
        seed=rng.randrange(1, 2**31 - 1),
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: AsteroidsParams
) -> list[AsteroidsLevel]:
    """More, bigger and faster rocks as difficulty climbs."""
    return [_level(rng, difficulty[index]) for index in range(count)]


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"rapid", "laser", "lasers", "machine", "minigun", "turbo"}:
        params["fire_ms"] = 160
    if words & {"drift", "drifting", "floaty", "zero-g", "weightless"}:
        params["thrust"] = 140.0
    if words & {"turret", "fixed", "stationary"}:
        params["thrust"] = 0.0
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("rock", 0.2, 0.2, 0.22), ("rock", 0.78, 0.3, 0.16), ("rock", 0.3, 0.78, 0.12),
        ("rock", 0.8, 0.75, 0.2), ("shot", 0.62, 0.42, 0.06), ("ship", 0.5, 0.5, 0.16),
    ]  # fmt: skip


MECHANIC = MechanicDefinition(
    slug="asteroids",
    name="Asteroids",
    description="Turn your ship and shoot the drifting rocks: big ones split in two, small ones "
    "burst. Clear the field; a rock that hits you costs a life.",
    genre="shooter",
    category="arcade",
    keywords=(
        "asteroids",
        "rotate",
        "rotating",
        "turret",
        "blast",
        "split",
        "spin",
        "aim",
        "360",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={
            "rotate": 3,
            "aim": 2.5,
            "turn": 1.5,
            "blast": 1.5,
            "shoot": 2,
            "split": 1.5,
            "drift": 1,
            "float": 1,
        },
        foreign_words=(
            "asteroides",
            "astéroïdes",
            "asteroidi",
            "apuntar",
            "girar",
            "gira",
            "viser",
            "pivoter",
            "zielen",
            "drehen",
            "mirare",
            "ruotare",
            "прицел",
            "вращ",
            "瞄准",
            "旋转",
        ),
        emoji=("🪨",),
    ),  # fmt: skip
    example_prompts=(
        "rotate your ship and blast the asteroids",
        "a turret in space that aims and shoots space junk",
        "a space cat floating between asteroids shooting fish",
    ),
    Params=AsteroidsParams,
    Level=AsteroidsLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("click", "center"),
        probe_watch="angle",
        expected_events=(*OPENING_EVENTS, "rock_destroyed", "level_end"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("ship", "triangle", "primary", 48, 48, role="hero"),
        SpriteSpec("rock", "circle", "secondary", 64, 64, role="enemy"),
        SpriteSpec("shot", "circle", "accent", 16, 16, role="projectile"),
    ),
    audio_cues={"shot": "jump", "burst": "pickup", "hit": "hit"},
    events=(
        EventSpec("rock_destroyed", "A rock was shot: split or burst.", ("level", "size", "remaining")),
        EventSpec("ship_hit", "A rock hit the ship.", ("level", "lives")),
    ),
    touch_layouts=("tap", "buttons"),
    tutorial=(
        "Tap or click where to shoot: the ship turns and fires.",
        "Or turn with the arrow keys, thrust with Up and fire with Space.",
        "Big rocks split in two. Clear the field; a rock that hits you costs a life.",
    ),
    win_text="Clear every field of rocks.",
    lose_text="Lose all lives to the rocks.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Asteroids", "Blaster", "Belt", "Field"),
    preview=preview,
    cast_defaults={"hero": ("rocket",), "enemy": ("rock",), "projectile": ("star",)},
)
