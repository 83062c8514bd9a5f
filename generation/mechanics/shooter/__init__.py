"""Shooter: a vertical shooter. The hero's ship at the bottom slides left and right and fires on
its own; a formation of invaders marches from side to side, stepping down at each edge and
dropping bombs. Clear the formation before it lands; a bomb costs a life.

Geometry (shared with scene.js and flame.dart): a FIELD_W x FIELD_H field, y down from its top.
The formation starts with its top row at FORMATION_Y, its cells CELL_W x CELL_H; the ship's middle is
at SHIP_Y; the invaders have landed when the bottom of the formation's box reaches LAND_Y.
The formation's box keeps its size as invaders fall, so the time it takes to land is fixed by the
level alone: `landing_seconds`. Which invader drops each bomb is drawn from the shared PRNG
(`mulberry32(level.seed)` = `GF.rng` = `gfRng`).
"""

from __future__ import annotations

import math
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

FIELD_W, FIELD_H = 516, 600
CELL_W, CELL_H = 56, 46
FORMATION_Y = 40
SHIP_Y = 550
SHIP_HW, SHIP_HH = 22, 18
LAND_Y = SHIP_Y - 60
MAX_ROWS, MIN_COLS, MAX_COLS = 6, 3, 8
HP_CHARS = set("012")  # 0 = empty cell, 1 = an invader, 2 = an armoured one (two hits)
AIM_SLACK = 2.5  # the formation must take this many times the fastest clearing to land


class ShooterParams(MechanicParams):
    ship_speed: float = Field(default=420.0, ge=200.0, le=800.0, description="Pixels per second.")
    fire_ms: int = Field(default=280, ge=120, le=800, description="The ship fires a shot every this many ms.")
    shot_speed: float = Field(default=760.0, ge=400.0, le=1200.0, description="Pixels per second, upwards.")


class ShooterLevel(MechanicLevel):
    formation: list[str] = Field(
        min_length=1,
        max_length=MAX_ROWS,
        description="Rows of the formation: '0' empty, '1' an invader, '2' armoured.",
    )
    march_speed: float = Field(ge=20.0, le=260.0, description="Sideways pixels per second of the formation.")
    drop: int = Field(ge=6, le=60, description="Pixels the formation steps down at each edge.")
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of who drops the bombs.")
    bomb_ms: int = Field(ge=300, le=6000, description="A bomb falls every this many ms.")
    bomb_speed: float = Field(ge=100.0, le=600.0, description="Pixels per second, downwards.")

    @field_validator("formation")
    @classmethod
    def _rows(cls, rows: list[str]) -> list[str]:
        return grid_rows_checked(
            rows,
            min_width=MIN_COLS,
            max_width=MAX_COLS,
            chars=HP_CHARS,
            unit="invaders",
            chars_text="formation uses only the characters 0, 1 and 2",
        )


def formation_width(level: ShooterLevel) -> int:
    return len(level.formation[0]) * CELL_W


def landing_seconds(level: ShooterLevel) -> float:
    """Seconds until the formation's box reaches LAND_Y: it crosses the field, steps down, and again.

    It starts at the left edge moving right; each crossing takes `(FIELD_W - width) / march_speed`.
    """
    bottom = FORMATION_Y + len(level.formation) * CELL_H
    steps = max(0, math.ceil((LAND_Y - bottom) / level.drop))
    crossing = (FIELD_W - formation_width(level)) / level.march_speed
    return steps * crossing


def clearing_seconds(level: ShooterLevel, params: ShooterParams) -> float:
    """The fastest clearing: one shot per hit point, fired without a miss, plus the first shot's flight."""
    hits = sum(int(ch) for row in level.formation for ch in row)
    return hits * params.fire_ms / 1000 + (SHIP_Y - FORMATION_Y) / params.shot_speed


def validate_level(level: ShooterLevel, params: ShooterParams) -> list[str]:
    """There is an invader, and the formation lands only well after a perfect gunner could have shot
    every invader (AIM_SLACK times the fastest clearing). The schema keeps the formation narrower than
    the field by a cell at least (MAX_COLS) and well above LAND_Y (MAX_ROWS, drop)."""
    if not any(ch != "0" for row in level.formation for ch in row):
        return ["formation: the level has no invader to shoot"]
    land, clear = landing_seconds(level), clearing_seconds(level, params)
    if land < AIM_SLACK * clear:
        return [
            f"march_speed: the formation lands after {land:.1f} s; shooting it all takes at least {clear:.1f} s"
        ]
    return []


# --- the generator ------------------------------------------------------------------------------------


def _formation(rng: random.Random, rows: int, cols: int, armour: float) -> list[str]:
    kind = rng.choice(("block", "checker", "wedge", "gaps"))
    out = []
    for r in range(rows):
        row = ""
        for c in range(cols):
            if kind == "checker":
                present = (r + c) % 2 == 0 or r == rows - 1
            elif kind == "wedge":
                present = abs(c - (cols - 1) / 2) <= (r + 1) * cols / (2 * rows)
            elif kind == "gaps":
                present = c % 3 != 1 or r == 0
            else:
                present = True
            row += ("2" if rng.random() < armour and r < rows - 1 else "1") if present else "0"
        out.append(row)
    return out


def _level(rng: random.Random, d: float) -> ShooterLevel:
    return ShooterLevel(
        formation=_formation(rng, lerp_int(2, 5, d), lerp_int(5, 8, d), lerp(0.0, 0.4, d)),
        march_speed=round(lerp(40.0, 110.0, d), 1),
        drop=lerp_int(14, 26, d),
        seed=rng.randrange(1, 2**31 - 1),
        bomb_ms=lerp_int(2200, 700, d),
        bomb_speed=round(lerp(170.0, 330.0, d), 1),
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: ShooterParams
) -> list[ShooterLevel]:
    """Bigger, armoured, faster formations that bomb more as difficulty climbs; a formation that
    would land too soon for the ship's guns marches slower."""
    levels = []
    for index in range(count):
        level = _level(rng, difficulty[index])
        while validate_level(level, params) and level.march_speed > 20.0:
            level = level.model_copy(update={"march_speed": max(20.0, round(level.march_speed * 0.8, 1))})
        if validate_level(level, params):  # a slow gun and a huge formation: a smaller one
            level = level.model_copy(update={"formation": level.formation[:2], "march_speed": 20.0})
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"rapid", "laser", "lasers", "machine", "minigun", "turbo"}:
        params["fire_ms"] = 180
    if words & {"fast", "agile", "nimble", "quick", "speedy"}:
        params["ship_speed"] = 540.0
    if words & {"heavy", "slow", "tank", "clumsy"}:
        params["ship_speed"] = 300.0
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("alien", 0.2, 0.18, 0.14), ("alien", 0.4, 0.18, 0.14), ("alien", 0.6, 0.18, 0.14),
        ("alien", 0.8, 0.18, 0.14), ("alien", 0.3, 0.36, 0.14), ("alien", 0.5, 0.36, 0.14),
        ("alien", 0.7, 0.36, 0.14), ("shot", 0.5, 0.62, 0.07), ("ship", 0.5, 0.84, 0.18),
    ]  # fmt: skip


MECHANIC = MechanicDefinition(
    slug="shooter",
    name="Space shooter",
    description="Slide your ship left and right; it fires on its own. Shoot every invader of the "
    "formation before it marches down to you, and dodge its bombs. Each level brings a bigger, "
    "tougher, faster formation.",
    genre="shooter",
    category="arcade",
    keywords=(
        "shooter",
        "shoot",
        "shooting",
        "shoot-em-up",
        "shmup",
        "invaders",
        "invader",
        "galaga",
        "galaxian",
        "blaster",
        "blast",
        "gun",
        "guns",
        "laser",
        "lasers",
        "fire",
        "firing",
        "alien",
        "aliens",
        "ufo",
        "ufos",
        "spaceship",
        "starfighter",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"shoot": 3, "fire": 1.5, "blast": 2, "zap": 2, "invade": 2, "defend": 1, "destroy": 1},
        foreign_words=(
            "disparar",
            "disparos",
            "tirer",
            "tir",
            "schießen",
            "schiessen",
            "sparare",
            "atirar",
            "strzelać",
            "strzelanka",
            "ateş",
            "nişancı",
            "стрелялка",
            "стрелять",
            "射击",
            "射擊",
            "シューティング",
            "marcianos",
            "extraterrestres",
            "invasores",
            "envahisseurs",
        ),
        emoji=("👾", "🛸", "🔫"),
    ),  # fmt: skip
    example_prompts=(
        "shoot the alien invaders",
        "a space shooter where a rocket blasts UFOs",
        "a chicken firing eggs at invading foxes",
    ),
    Params=ShooterParams,
    Level=ShooterLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("drag", "left"),
        probe_watch="ship",
        expected_events=(*OPENING_EVENTS, "enemy_destroyed", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("ship", "triangle", "primary", 48, 44, role="hero"),
        SpriteSpec("alien", "ghost", "secondary", 48, 48, role="enemy"),
        SpriteSpec("shot", "capsule", "accent", 16, 32, role="projectile"),
        SpriteSpec("bomb", "diamond", "danger", 24, 24, role="hazard"),
    ),
    audio_cues={"shot": "jump", "kill": "pickup", "hit": "hit"},
    events=(
        EventSpec("enemy_destroyed", "An invader was shot down.", ("level", "remaining")),
        EventSpec("ship_hit", "A bomb hit the ship.", ("level", "lives")),
    ),
    touch_layouts=("drag", "buttons"),
    tutorial=(
        "Move with the arrow keys, A/D, or drag your finger: your ship fires on its own.",
        "Shoot every invader before the formation marches down to you.",
        "Dodge the bombs: each hit costs a life. Armoured invaders take two shots.",
    ),
    win_text="Shoot down every formation.",
    lose_text="Lose all lives to bombs, or let a formation land.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Invaders", "Blaster", "Defender", "Attack"),
    preview=preview,
    cast_defaults={"hero": ("rocket",), "enemy": ("alien",), "projectile": ("fire",), "hazard": ("bomb",)},
)
