"""Whack: whack-a-mole. Moles pop up out of a grid of holes for a moment; tap them (or move the
hammer with the arrows and press Space) before they hide. Some holes hold a bomb instead: whacking
one costs a life. Whack the level's target before its clock runs out.

Which hole pops, when, and whether it holds a bomb are drawn from the level's seed with the
shared PRNG (`mulberry32` = `GF.rng` = `gfRng`): two draws per pop. A hole stays taken until its
pop's time is over, whacked or not, so the schedule (`pops`) is the same in the validator, in the
browser and on a phone, whatever the player does.
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

MAX_POPS = 600
SLACK_MS = 150  # a mole stays up at least this long past the player's reaction time


class WhackParams(MechanicParams):
    reaction_ms: int = Field(
        default=450, ge=250, le=1500, description="The slowest reaction every mole must allow (ms)."
    )


class WhackLevel(MechanicLevel):
    cols: int = Field(ge=2, le=5)
    rows: int = Field(ge=2, le=5)
    time_limit_s: int = Field(ge=10, le=300, description="Seconds to whack the target.")
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of which hole pops.")
    pop_ms: int = Field(ge=150, le=3000, description="Something pops up every this many ms.")
    up_ms: int = Field(ge=300, le=5000, description="How long it stays up.")
    start_ms: int = Field(default=800, ge=0, le=10_000, description="Quiet time before the first pop.")
    bad_share: float = Field(ge=0.0, le=0.6, description="Share of the pops that are bombs.")
    target: int = Field(ge=1, le=300, description="Moles to whack to win the level.")

    @model_validator(mode="after")
    def _count(self):
        if self.pops_count() > MAX_POPS:
            raise ValueError(f"at most {MAX_POPS} pops per level: raise pop_ms")
        return self

    def pops_count(self) -> int:
        window = self.time_limit_s * 1000 - self.start_ms
        return max(0, math.ceil(window / self.pop_ms))


@dataclass(frozen=True)
class Pop:
    """Something up in `hole` from `t0` to `t1` seconds: a mole, or a bomb when `bad`."""

    index: int
    t0: float
    t1: float
    hole: int
    bad: bool


def pops(level: WhackLevel) -> Iterator[Pop]:
    """The level's schedule (scene.js and flame.dart draw the same two numbers per pop, in order).

    The drawn hole, or the next one along that is free at that moment; none free: nothing pops
    (the draws are spent all the same).
    """
    draw = mulberry32(level.seed)
    holes = level.cols * level.rows
    taken_until = [0.0] * holes
    for k in range(level.pops_count()):
        r1, r2 = draw(), draw()
        t0 = (level.start_ms + k * level.pop_ms) / 1000
        first = math.floor(r1 * holes)
        for step in range(holes):
            hole = (first + step) % holes
            if taken_until[hole] <= t0:
                t1 = t0 + level.up_ms / 1000
                taken_until[hole] = t1
                yield Pop(k, t0, t1, hole, r2 < level.bad_share)
                break


def whackable(level: WhackLevel, params: WhackParams) -> int:
    """Moles a player with `reaction_ms` can whack: those that pop early enough to react before the clock ends."""
    return len(_whackable_pops(level, params))


def _whackable_pops(level: WhackLevel, params: WhackParams) -> list[float]:
    """When each mole that `whackable` counts pops, in order."""
    limit = level.time_limit_s - params.reaction_ms / 1000
    return [p.t0 for p in pops(level) if not p.bad and p.t0 <= limit]


def validate_level(level: WhackLevel, params: WhackParams) -> list[str]:
    """Every mole stays up past the player's reaction time, and enough of them pop to reach the target."""
    if level.up_ms < params.reaction_ms + SLACK_MS:
        return [f"up_ms: moles hide after {level.up_ms} ms, quicker than a {params.reaction_ms} ms reaction"]
    count = whackable(level, params)
    if count < level.target:
        return [f"target: only {count} moles can be whacked, the target is {level.target}"]
    return []


# --- the generator ------------------------------------------------------------------------------------


def _level(rng: random.Random, d: float, params: WhackParams) -> WhackLevel:
    side = lerp_int(3, 4, d)
    return WhackLevel(
        cols=side,
        rows=side,
        time_limit_s=lerp_int(30, 50, d),
        seed=rng.randrange(1, 2**31 - 1),
        pop_ms=lerp_int(950, 380, d),
        up_ms=max(params.reaction_ms + SLACK_MS, lerp_int(1500, 750, d)),
        start_ms=800,
        bad_share=round(lerp(0.1, 0.35, d), 2),
        target=1,
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: WhackParams
) -> list[WhackLevel]:
    """Bigger grids, quicker and shorter pops, more bombs as difficulty climbs; the target is a share
    of the whackable moles (half on the easiest level, four in five on the hardest)."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        level = _level(rng, d, params)
        target = max(1, math.floor(whackable(level, params) * lerp(0.5, 0.8, d)))
        levels.append(level.model_copy(update={"target": target}))
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"kids", "kid", "child", "children", "toddler", "toddlers", "slow", "gentle"}:
        params["reaction_ms"] = 700
    if words & {"reflex", "reflexes", "lightning", "frantic"}:
        params["reaction_ms"] = 320
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    items = []
    for r in range(3):
        for c in range(3):
            items.append(("hole", 0.2 + c * 0.3, 0.25 + r * 0.27, 0.2))
    return [*items, ("mole", 0.5, 0.22, 0.18), ("mole", 0.2, 0.76, 0.18), ("bomb", 0.8, 0.49, 0.16),
            ("hammer", 0.62, 0.12, 0.16)]  # fmt: skip


def paced_seconds(level: WhackLevel, params: WhackParams) -> float | None:
    """Level 1's pace (MechanicDefinition.paced_seconds): the mole that can complete the target, whacked."""
    moles = _whackable_pops(level, params)
    if len(moles) < level.target:
        return None
    return moles[level.target - 1] + params.reaction_ms / 1000


MECHANIC = MechanicDefinition(
    slug="whack",
    name="Whack-a-mole",
    description="Moles pop up out of their holes for a moment: whack them before they hide, but "
    "leave the bombs alone. Whack enough before the clock runs out.",
    genre="arcade",
    category="casual",
    keywords=(
        "whack",
        "whack-a-mole",
        "mole",
        "moles",
        "bonk",
        "bop",
        "pop up",
        "popping",
        "smack",
        "hammer",
        "mallet",
        "holes",
        "reflex",
        "reflexes",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"whack": 4, "bonk": 3, "bop": 3, "smack": 2.5, "hit": 1, "pop": 3, "tap": 1.5, "squash": 2},
        foreign_words=(
            "topo",
            "topos",
            "taupe",
            "taupes",
            "maulwurf",
            "talpa",
            "talpe",
            "toupeira",
            "kret",
            "köstebek",
            "крот",
            "кроты",
            "打地鼠",
            "もぐらたたき",
            "モグラ",
        ),
        emoji=("🔨",),
    ),  # fmt: skip
    example_prompts=(
        "whack-a-mole in a garden",
        "bonk the rats popping out of the sewer",
        "tap the aliens as they pop out of craters, not the bombs",
    ),
    Params=WhackParams,
    Level=WhackLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("key", "ArrowRight"),
        probe_watch="cursor",
        expected_events=(*OPENING_EVENTS, "mole_whacked", "level_end"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("hole", "circle", "background", 96, 40),
        SpriteSpec("mole", "head", "secondary", 72, 72, role="enemy"),
        SpriteSpec("bomb", "diamond", "danger", 64, 64, role="hazard"),
        SpriteSpec("hammer", "square", "accent", 56, 56, role="hero"),
    ),
    audio_cues={"whack": "pickup", "bomb": "hit", "pop": "jump"},
    events=(
        EventSpec("mole_whacked", "A mole was whacked.", ("level", "whacked")),
        EventSpec("bomb_whacked", "A bomb was whacked: a life less.", ("level", "lives")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap the moles as they pop up, or move the hammer with the arrow keys and press Space.",
        "Leave the bombs alone: whacking one costs a life.",
        "Whack enough moles before the clock runs out.",
    ),
    win_text="Whack the target on every level.",
    lose_text="Lose all lives to bombs, or run out of time.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Whack", "Bonk", "Pop", "Smash"),
    preview=preview,
    cast_defaults={"hero": ("hammer",), "enemy": ("mole",), "hazard": ("bomb",)},
)
