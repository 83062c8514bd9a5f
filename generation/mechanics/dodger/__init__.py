"""Dodger: steer a ship left and right to dodge falling asteroids until the level's clock runs out;
stars add points, a hit costs a life.

The stream of asteroids is not stored rock by rock: each level carries a seed and the stream's
settings, and both scene.js and this module draw the same rocks from the same seeded generator
(`mulberry32`, the runtime's `GF.rng`). So the validator sees exactly the rocks the player will
see, and proves the level survivable by a search over the ship's positions through time
(`survival_search`): where the ship can be at each instant, given its speed and the rocks.

Geometry (shared with scene.js): a FIELD_W x FIELD_H field, y down from its top; the ship's
middle is at SHIP_Y, its hit box SHIP_HW x SHIP_HH half-sizes; rocks are circles.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import Field, model_validator

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
from generation.rng import mulberry32

FIELD_W, FIELD_H = 516, 600
SHIP_Y = 540
SHIP_HW, SHIP_HH = 18, 16
MARGIN = 4  # clearance the validator keeps around every rock
SEARCH_DT = 0.05  # seconds per step of the search
CELL = 4  # pixels per position of the search
MAX_SPAWNS = 600
CELLS = (FIELD_W - 2 * SHIP_HW) // CELL + 1  # positions of the ship's middle the search tells apart


class DodgerParams(MechanicParams):
    ship_speed: float = Field(default=380.0, ge=200.0, le=700.0, description="Pixels per second.")
    stars: bool = Field(default=True, description="Every fifth falling thing is a star worth points.")


class DodgerLevel(MechanicLevel):
    time_limit_s: int = Field(ge=10, le=300, description="Seconds to survive.")
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of the stream of falling things.")
    spawn_ms: int = Field(ge=120, le=3000, description="A new falling thing every this many ms.")
    start_ms: int = Field(default=1500, ge=0, le=10_000, description="Quiet time before the first one.")
    speed_min: float = Field(ge=60.0, le=900.0)
    speed_max: float = Field(ge=60.0, le=900.0)
    size_min: int = Field(ge=8, le=80, description="Smallest rock radius.")
    size_max: int = Field(ge=8, le=80, description="Largest rock radius.")
    drift: float = Field(default=0.0, ge=0.0, le=300.0, description="Largest sideways speed.")

    @model_validator(mode="after")
    def _ranges(self):
        if self.speed_max < self.speed_min:
            raise ValueError("speed_max must not be below speed_min")
        if self.size_max < self.size_min:
            raise ValueError("size_max must not be below size_min")
        if self.spawns_count() > MAX_SPAWNS:
            raise ValueError(f"at most {MAX_SPAWNS} falling things per level: raise spawn_ms")
        return self

    def spawns_count(self) -> int:
        window = self.time_limit_s * 1000 - self.start_ms
        return max(0, math.ceil(window / self.spawn_ms))


# --- the shared stream -------------------------------------------------------------------------


@dataclass(frozen=True)
class Faller:
    """One falling thing: spawned at `t0` seconds, at (x, -radius), moving (vx, vy) px/s."""

    index: int
    t0: float
    x: float
    radius: float
    vx: float
    vy: float
    star: bool

    def at(self, t: float) -> tuple[float, float]:
        dt = t - self.t0
        return self.x + self.vx * dt, -self.radius + self.vy * dt


def fallers(level: DodgerLevel, params: DodgerParams) -> Iterator[Faller]:
    """The level's stream, in spawn order (scene.js draws the same four numbers per spawn)."""
    draw = mulberry32(level.seed)
    for k in range(level.spawns_count()):
        r1, r2, r3, r4 = draw(), draw(), draw(), draw()
        radius = level.size_min + r1 * (level.size_max - level.size_min)
        x = r2 * FIELD_W  # the edges are no refuge: a rock may hang half over either side
        vy = level.speed_min + r3 * (level.speed_max - level.speed_min)
        vx = (r4 * 2 - 1) * level.drift
        star = params.stars and (k + 1) % 5 == 0
        yield Faller(k, (level.start_ms + k * level.spawn_ms) / 1000, x, radius, vx, vy, star)


# --- the search ------------------------------------------------------------------------------------


@dataclass
class Survival:
    survives: bool
    failed_at: float | None  # seconds: when every position was hit
    path: list[float]  # when it survives: the ship's middle at every step, a witness


def _cell_x(cell: int) -> float:
    return SHIP_HW + cell * CELL


def _cell_range(lo: float, hi: float) -> tuple[int, int]:
    """Cells whose ship middle lies in [lo, hi]."""
    return max(0, math.ceil((lo - SHIP_HW) / CELL)), min(CELLS - 1, math.floor((hi - SHIP_HW) / CELL))


def _blocked(level: DodgerLevel, params: DodgerParams, steps: int) -> dict[int, int]:
    """Step -> bit set of the cells where the ship would touch a rock during that step (with MARGIN)."""
    blocked: dict[int, int] = {}
    band_top, band_bottom = SHIP_Y - SHIP_HH - MARGIN, SHIP_Y + SHIP_HH + MARGIN
    for rock in fallers(level, params):
        if rock.star:
            continue
        # The steps during which the rock's circle may overlap the ship's row.
        t_in = rock.t0 + band_top / rock.vy
        t_out = rock.t0 + (band_bottom + 2 * rock.radius) / rock.vy
        first, last = max(0, math.floor(t_in / SEARCH_DT) - 1), min(steps, math.ceil(t_out / SEARCH_DT) + 1)
        reach = rock.radius + SHIP_HW + MARGIN
        for n in range(first, last + 1):
            t0, t1 = n * SEARCH_DT, (n + 1) * SEARCH_DT
            (x0, y0), (x1, y1) = rock.at(max(t0, rock.t0)), rock.at(max(t1, rock.t0))
            if y1 + rock.radius < band_top or y0 - rock.radius > band_bottom:
                continue
            lo, hi = _cell_range(min(x0, x1) - reach, max(x0, x1) + reach)
            if lo <= hi:
                blocked[n] = blocked.get(n, 0) | (((1 << (hi - lo + 1)) - 1) << lo)
    return blocked


def survival_search(level: DodgerLevel, params: DodgerParams) -> Survival:
    """Where can the ship be at each step, starting in the middle? Empty at some step = not survivable.

    Positions are CELL-pixel cells of the ship's middle, kept in one integer as a bit set. A step
    of SEARCH_DT seconds lets the ship move `ship_speed * SEARCH_DT` either way (a dilation of the
    set); a cell stays only if no rock sweeps over it during that step or the one before (the ship
    travels during the step before; every rock blocks a stretch wider than one move, so a move
    between two free cells never crosses a rock). Backtracking through the sets gives a path.
    """
    steps = math.ceil(level.time_limit_s / SEARCH_DT)
    blocked = _blocked(level, params, steps)
    full = (1 << CELLS) - 1
    move = max(1, int(params.ship_speed * SEARCH_DT // CELL))
    here = (1 << (CELLS // 2)) & ~blocked.get(0, 0)
    sets = [here]
    for n in range(1, steps + 1):
        spread = here
        for i in range(1, move + 1):
            spread |= (here << i) | (here >> i)
        here = spread & full & ~blocked.get(n - 1, 0) & ~blocked.get(n, 0)
        if not here:
            return Survival(False, round(n * SEARCH_DT, 2), [])
        sets.append(here)
    # A witness: walk back from any cell of the last set through cells within one move.
    cell = (sets[-1] & -sets[-1]).bit_length() - 1
    path = [cell]
    for before in reversed(sets[:-1]):
        lo, hi = max(0, cell - move), min(CELLS - 1, cell + move)
        window = before & (((1 << (hi - lo + 1)) - 1) << lo)
        cell = (window & -window).bit_length() - 1
        path.append(cell)
    return Survival(True, None, [_cell_x(c) for c in reversed(path)])


def validate_level(level: DodgerLevel, params: DodgerParams) -> list[str]:
    """Something falls, and a perfect player can dodge every rock for the whole level (search)."""
    if level.start_ms >= level.time_limit_s * 1000:
        return ["start_ms: nothing falls before the level ends"]
    result = survival_search(level, params)
    if not result.survives:
        return [f"seed: the stream cannot be dodged; at {result.failed_at} s every position is hit"]
    return []


# --- the generator ------------------------------------------------------------------------------------


def _level(rng: random.Random, d: float) -> DodgerLevel:
    speed_min = round(lerp(170.0, 330.0, d), 1)
    return DodgerLevel(
        time_limit_s=lerp_int(20, 60, d),
        seed=rng.randrange(1, 2**31 - 1),
        spawn_ms=lerp_int(850, 230, d),
        start_ms=1500,
        speed_min=speed_min,
        speed_max=round(speed_min + lerp(60.0, 280.0, d), 1),
        size_min=lerp_int(14, 18, d),
        size_max=lerp_int(26, 46, d),
        drift=round(lerp(0.0, 90.0, d), 1),
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: DodgerParams
) -> list[DodgerLevel]:
    """Longer levels, denser, faster, bigger and drifting rocks as difficulty climbs; every stream searched."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        # A refused stream is re-seeded; after a few refusals the level also eases a little.
        candidates = (_level(rng, max(0.0, d - (attempt // 4) * 0.1)) for attempt in range(24))
        level = first_valid_level(candidates, validate=validate_level, params=params)
        if level is None:
            level = _level(random.Random(index), 0.0)
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "agile", "nimble", "quick", "speedy"}:
        params["ship_speed"] = 460.0
    if words & {"heavy", "slow", "tank", "clumsy"}:
        params["ship_speed"] = 300.0
    if words & {"hardcore", "pure", "no-stars"}:
        params["stars"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("rock", 0.2, 0.2, 0.16), ("rock", 0.62, 0.12, 0.11), ("rock", 0.8, 0.45, 0.2),
        ("rock", 0.38, 0.5, 0.12), ("star", 0.55, 0.32, 0.1), ("ship", 0.5, 0.84, 0.18),
    ]  # fmt: skip


def paced_seconds(level: DodgerLevel, params: DodgerParams) -> float:
    """Level 1's pace (MechanicDefinition.paced_seconds): the level is won by lasting its clock."""
    return float(level.time_limit_s)


MECHANIC = MechanicDefinition(
    slug="dodger",
    name="Dodger",
    description="Steer left and right to dodge the falling asteroids until the clock runs out. "
    "Stars add points; a hit costs a life. Each level lasts longer and rains harder.",
    genre="arcade",
    category="arcade",
    keywords=(
        "dodger",
        "dodge",
        "dodging",
        "avoid",
        "asteroid",
        "asteroids",
        "meteor",
        "meteors",
        "meteorite",
        "falling",
        "fall",
        "rain",
        "raining",
        "debris",
        "rocks",
        "comet",
        "comets",
        "survive",
        "survival",
        "bullet",
        "bullets",
        "hell",
        "incoming",
        "esquivar",
        "esquiver",
        "ausweichen",
        "уклоняйся",
        "астероиды",
        "躲避",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"dodge": 3, "avoid": 2},
        foreign_words=(
            "esquivar",
            "desviar",
            "esquiver",
            "ausweichen",
            "schivare",
            "kaçma",
            "kaçmak",
            "asteroides",
            "asteroitlerden",
            "asteroiden",
            "躲避",
            "астероид",
            "避け",
        ),
        emoji=("☄", "🚀"),
    ),  # fmt: skip
    example_prompts=(
        "a space game where you dodge asteroids",
        "survive the meteor shower for a minute",
        "dodge the falling candy bombs",
    ),
    Params=DodgerParams,
    Level=DodgerLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("drag", "left"),
        probe_watch="ship",
        expected_events=(*OPENING_EVENTS, "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("ship", "triangle", "primary", 48, 44, role="hero"),
        SpriteSpec("rock", "circle", "danger", 48, 48, role="hazard"),
        SpriteSpec("star", "star", "accent", 36, 36, role="collectible"),
    ),
    cast_defaults={"hero": ("rocket",), "hazard": ("rock",), "collectible": ("star",)},
    audio_cues={"star": "pickup", "hit": "hit", "dodge": "jump"},
    events=(
        EventSpec("star_collected", "The ship caught a star.", ("level", "stars")),
        EventSpec("ship_hit", "An asteroid hit the ship.", ("level", "lives")),
    ),
    touch_layouts=("drag", "buttons"),
    tutorial=(
        "Move with the arrow keys, A/D, or drag your finger.",
        "Dodge the falling rocks until the clock runs out; catch stars for points.",
        "Each hit costs a life.",
    ),
    win_text="Survive every level until its clock runs out.",
    lose_text="Lose all lives to falling rocks.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Dodge", "Storm", "Shower", "Rush"),
    preview=preview,
)
