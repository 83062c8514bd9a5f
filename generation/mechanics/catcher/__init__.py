"""Catcher: slide a basket left and right to catch the good things that fall, and stay away from the
bad ones. Catch the level's target before its clock runs out; a bad catch costs a life.

The stream is drawn, as dodger's, from the level's seed with the shared PRNG (`mulberry32` =
`GF.rng` = `gfRng`): three draws per spawn (where, how fast, good or bad). So the validator sees the
very things the player will see and computes the most good things a perfect player can catch
without catching a bad one (`best_catch`, a search over the basket's positions from landing to
landing); the level's target must not exceed it.

Geometry (shared with scene.js): a FIELD_W x FIELD_H field, y down from its top; things are
circles of ITEM_R, spawned at y = -ITEM_R, falling straight down; a thing lands when its middle
crosses CATCH_Y, and is caught when it lands within `basket_width / 2 + ITEM_R / 2` of the basket's
middle.
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
    lerp,
    lerp_int,
)
from generation.rng import mulberry32

FIELD_W, FIELD_H = 516, 600
CATCH_Y = 530
ITEM_R = 20
BASKET_H = 40
CELL = 6  # pixels per position of the search
MARGIN = 8  # the search catches only with this much to spare, and keeps this far from bad things
MAX_SPAWNS = 400


class CatcherParams(MechanicParams):
    basket_speed: float = Field(default=460.0, ge=200.0, le=800.0, description="Pixels per second.")
    basket_width: int = Field(default=96, ge=60, le=180, description="Basket width in game pixels.")


class CatcherLevel(MechanicLevel):
    time_limit_s: int = Field(ge=10, le=300, description="Seconds to catch the target.")
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of the stream of falling things.")
    spawn_ms: int = Field(ge=200, le=3000, description="A new falling thing every this many ms.")
    start_ms: int = Field(default=1000, ge=0, le=10_000, description="Quiet time before the first one.")
    speed_min: float = Field(ge=60.0, le=900.0)
    speed_max: float = Field(ge=60.0, le=900.0)
    bad_share: float = Field(ge=0.0, le=0.7, description="Share of the falling things that are bad.")
    target: int = Field(ge=1, le=300, description="Good things to catch to win the level.")

    @model_validator(mode="after")
    def _ranges(self):
        if self.speed_max < self.speed_min:
            raise ValueError("speed_max must not be below speed_min")
        if self.spawns_count() > MAX_SPAWNS:
            raise ValueError(f"at most {MAX_SPAWNS} falling things per level: raise spawn_ms")
        return self

    def spawns_count(self) -> int:
        window = self.time_limit_s * 1000 - self.start_ms
        return max(0, math.ceil(window / self.spawn_ms))


@dataclass(frozen=True)
class Faller:
    """One falling thing: spawned at `t0` seconds at (x, -ITEM_R), falling at `vy` px/s."""

    index: int
    t0: float
    x: float
    vy: float
    bad: bool

    @property
    def lands(self) -> float:
        """Seconds from the level's start until its middle crosses CATCH_Y."""
        return self.t0 + (CATCH_Y + ITEM_R) / self.vy


def fallers(level: CatcherLevel) -> Iterator[Faller]:
    """The level's stream, in spawn order (scene.js and flame.dart draw the same three numbers per spawn)."""
    draw = mulberry32(level.seed)
    for k in range(level.spawns_count()):
        r1, r2, r3 = draw(), draw(), draw()
        x = ITEM_R + r1 * (FIELD_W - 2 * ITEM_R)
        vy = level.speed_min + r2 * (level.speed_max - level.speed_min)
        yield Faller(k, (level.start_ms + k * level.spawn_ms) / 1000, x, vy, r3 < level.bad_share)


def catch_reach(params: CatcherParams) -> float:
    """How far from the basket's middle a landing thing is caught."""
    return params.basket_width / 2 + ITEM_R / 2


def best_catch(level: CatcherLevel, params: CatcherParams) -> int:
    """The most good things a perfect player catches without a bad one, landings inside the clock.

    The basket's middle is one of `cells` positions CELL pixels apart. Going through the landings in
    time order, `best[c]` is the most good things caught with the basket at cell c at that moment
    (-1: unreachable). Between two landings the basket moves at most `basket_speed * dt` either way
    (a sliding maximum); a good landing adds one to the cells that catch it with MARGIN to spare; a
    bad landing wipes the cells that come within MARGIN of catching it.
    """
    best = 0
    for _, caught in _catch_progress(level, params):
        best = caught
    return best


def earliest_win(level: CatcherLevel, params: CatcherParams) -> float | None:
    """The seconds into the level at which a perfect player can have caught the target, or None."""
    for lands, caught in _catch_progress(level, params):
        if caught >= level.target:
            return lands
    return None


def _catch_progress(level: CatcherLevel, params: CatcherParams) -> Iterator[tuple[float, int]]:
    """`best_catch`'s search, yielding after each landing its time and the most caught so far."""
    half = params.basket_width / 2
    cells = int((FIELD_W - 2 * half) // CELL) + 1
    reach = catch_reach(params)
    best = [-1] * cells
    best[cells // 2] = 0  # the basket starts in the middle
    now = 0.0
    landings = sorted((f for f in fallers(level) if f.lands < level.time_limit_s), key=lambda f: f.lands)
    for f in landings:
        move = int(params.basket_speed * (f.lands - now) // CELL)
        now = f.lands
        if move > 0:
            best = _dilate(best, move)
        for c in range(cells):
            if best[c] < 0:
                continue
            distance = abs(half + c * CELL - f.x)
            if f.bad and distance < reach + MARGIN:
                best[c] = -1
            elif not f.bad and distance <= reach - MARGIN:
                best[c] += 1
        yield f.lands, max(best)


def _dilate(values: list[int], radius: int) -> list[int]:
    """out[i] = max(values[i - radius .. i + radius]): where the basket can be after moving `radius` cells."""
    n = len(values)
    if radius >= n:
        return [max(values)] * n
    return [max(values[max(0, i - radius) : i + radius + 1]) for i in range(n)]


def validate_level(level: CatcherLevel, params: CatcherParams) -> list[str]:
    """The target can be caught by a perfect player, without touching a bad thing, before the clock ends."""
    if level.start_ms >= level.time_limit_s * 1000:
        return ["start_ms: nothing falls before the level ends"]
    best = best_catch(level, params)
    if best < level.target:
        return [f"target: at most {best} good things can be caught safely, the target is {level.target}"]
    return []


# --- the generator ------------------------------------------------------------------------------------


def _level(rng: random.Random, d: float) -> CatcherLevel:
    speed_min = round(lerp(150.0, 300.0, d), 1)
    return CatcherLevel(
        time_limit_s=lerp_int(30, 60, d),
        seed=rng.randrange(1, 2**31 - 1),
        spawn_ms=lerp_int(900, 380, d),
        start_ms=1000,
        speed_min=speed_min,
        speed_max=round(speed_min + lerp(60.0, 240.0, d), 1),
        bad_share=round(lerp(0.15, 0.45, d), 2),
        target=1,
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: CatcherParams
) -> list[CatcherLevel]:
    """Longer, denser, faster streams with more bad things as difficulty climbs; the target is a share
    of what a perfect player can catch (half of it on the easiest level, four in five on the hardest)."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        level = _level(rng, d)
        best = best_catch(level, params)
        target = max(1, math.floor(best * lerp(0.5, 0.8, d)))
        levels.append(level.model_copy(update={"target": target}))
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "agile", "nimble", "quick", "speedy"}:
        params["basket_speed"] = 600.0
    if words & {"big", "wide", "huge", "giant"}:
        params["basket_width"] = 130
    if words & {"small", "tiny", "narrow"}:
        params["basket_width"] = 72
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("good", 0.2, 0.2, 0.12), ("bad", 0.65, 0.15, 0.12), ("good", 0.8, 0.4, 0.12),
        ("good", 0.4, 0.45, 0.12), ("bad", 0.25, 0.6, 0.12), ("basket", 0.5, 0.84, 0.22),
    ]  # fmt: skip


def paced_seconds(level: CatcherLevel, params: CatcherParams) -> float | None:
    """Level 1's pace (MechanicDefinition.paced_seconds): the landing that can complete the target."""
    return earliest_win(level, params)


MECHANIC = MechanicDefinition(
    slug="catcher",
    name="Catcher",
    description="Slide left and right to catch the good things falling from the sky and stay away "
    "from the bad ones. Catch enough before the clock runs out; a bad catch costs a life.",
    genre="arcade",
    category="arcade",
    keywords=(
        "catcher",
        "catch",
        "catching",
        "basket",
        "bucket",
        "net",
        "falling fruit",
        "raining",
        "drops",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"catch": 5, "grab": 1.5, "gather": 1, "harvest": 1, "scoop": 1.5, "avoid": 1},
        foreign_words=(
            "atrapar",
            "atrapa",
            "attraper",
            "attrape",
            "fangen",
            "fang",
            "prendere",
            "acchiappa",
            "pegar",
            "łapać",
            "yakala",
            "yakalamak",
            "ловить",
            "лови",
            "接住",
            "接水果",
            "キャッチ",
        ),
        emoji=("🧺", "🪣"),
    ),  # fmt: skip
    example_prompts=(
        "catch the falling apples in a basket",
        "a cat catching fish that rain from the sky, avoid the bones",
        "catch raindrops but not the lightning",
    ),
    Params=CatcherParams,
    Level=CatcherLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("drag", "left"),
        probe_watch="basket",
        expected_events=(*OPENING_EVENTS, "item_caught", "level_end"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("basket", "rounded", "primary", 96, 40, role="hero"),
        SpriteSpec("good", "star", "accent", 40, 40, role="collectible"),
        SpriteSpec("bad", "diamond", "danger", 40, 40, role="hazard"),
    ),
    audio_cues={"catch": "pickup", "bad": "hit"},
    events=(
        EventSpec("item_caught", "A good thing was caught.", ("level", "caught")),
        EventSpec("hazard_caught", "A bad thing was caught: a life less.", ("level", "lives")),
    ),
    touch_layouts=("drag", "buttons"),
    tutorial=(
        "Move with the arrow keys, A/D, or drag your finger.",
        "Catch the good things that fall; stay away from the bad ones.",
        "Catch enough before the clock runs out. A bad catch costs a life.",
    ),
    win_text="Catch the target on every level.",
    lose_text="Lose all lives to bad catches, or run out of time.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Catch", "Harvest", "Rain", "Drop"),
    preview=preview,
    cast_defaults={"hero": ("basket",), "collectible": ("apple",), "hazard": ("bomb",)},
)
