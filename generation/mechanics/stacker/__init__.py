"""Stacker: a row of blocks slides from side to side; tap to drop it on the stack. Blocks that
overhang the row below fall off, so the row narrows; a row that misses entirely costs a life.
Reach the level's height to win it.

The board is `cols` cells wide and `rows` high. Row 0 is dropped on the floor (nothing is cut);
each row after starts as wide as the row below, capped by `caps` (at row r, at most w cells: the
arcade's narrowing), and its slider moves one cell every `step_ms` (less `speedup_ms` per row,
never under `min_step_ms`). Where each row's slider starts and which way it goes are drawn from
the shared PRNG (`mulberry32(seed)`, two draws per row, the same in scene.js and flame.dart).

Solvable when every row has at least one cell to stack, every slider can move (narrower than the
board), and the fastest step leaves a human a fair window (`MIN_STEP_MS`): a perfect drop then
keeps every cell, and `perfect_run` replays it, row by row, on the level's own rules.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field, field_validator, model_validator

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

MIN_COLS, MAX_COLS = 4, 11
MIN_ROWS, MAX_ROWS = 4, 16
MIN_STEP_MS = 70  # the narrowest timing window a level may ask for at its fastest


class StackerParams(MechanicParams):
    bonus_perfect: bool = Field(default=True, description="A drop that loses nothing scores double.")


class StackerLevel(MechanicLevel):
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of where each row's slider starts.")
    cols: int = Field(ge=MIN_COLS, le=MAX_COLS)
    rows: int = Field(ge=MIN_ROWS, le=MAX_ROWS, description="Rows to stack to win.")
    width: int = Field(ge=1, le=MAX_COLS - 1, description="Cells of the first row.")
    step_ms: int = Field(ge=MIN_STEP_MS, le=1000, description="Milliseconds per cell on row 0.")
    speedup_ms: int = Field(default=0, ge=0, le=100, description="Each row is this much quicker.")
    min_step_ms: int = Field(default=MIN_STEP_MS, ge=MIN_STEP_MS, le=1000)
    caps: list[list[int]] = Field(
        default_factory=list, max_length=MAX_ROWS, description="[row, max width] pairs."
    )
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("caps")
    @classmethod
    def _caps(cls, caps: list[list[int]]) -> list[list[int]]:
        for pair in caps:
            if len(pair) != 2:
                raise ValueError("each cap is [row, max width]")
        return caps

    @model_validator(mode="after")
    def _fits(self):
        if self.width >= self.cols:
            raise ValueError("width must be narrower than the board (cols), or the row cannot slide")
        return self

    def step_for(self, row: int) -> int:
        """Milliseconds per cell of the row's slider."""
        return max(self.min_step_ms, self.step_ms - self.speedup_ms * row)

    def cap_for(self, row: int) -> int:
        """The widest the row may be (the arcade's narrowing)."""
        cap = self.cols
        for at, most in self.caps:
            if row >= at:
                cap = min(cap, most)
        return cap


@dataclass(frozen=True)
class Slider:
    """Where a row's slider starts (leftmost cell) and its direction (1 right, -1 left)."""

    start: int
    direction: int


def slider_for(draw, cols: int, width: int) -> Slider:
    """The two draws a row's slider takes, as scene.js's `startRow` and flame.dart's `startRow`."""
    start = int(draw() * (cols - width + 1))
    direction = 1 if draw() < 0.5 else -1
    return Slider(start, direction)


def slide(start: int, direction: int, steps: int, cols: int, width: int) -> tuple[int, int]:
    """The slider's leftmost cell and direction after `steps` moves, bouncing off the sides."""
    x, d = start, direction
    for _ in range(steps):
        if not 0 <= x + d <= cols - width:
            d = -d
        x += d
    return x, d


def perfect_run(level: StackerLevel) -> list[tuple[int, int, int]]:
    """A perfect player's stack: per row (left cell, width, steps it waited); stops at a row it cannot place."""
    draw = mulberry32(level.seed)
    stack: list[tuple[int, int, int]] = []
    below: tuple[int, int] | None = None
    width = level.width
    for row in range(level.rows):
        width = min(width, level.cap_for(row))
        if width < 1:
            break
        slider = slider_for(draw, level.cols, width)
        for steps in range(2 * level.cols + 1):  # a full sweep there and back visits every position
            x, _ = slide(slider.start, slider.direction, steps, level.cols, width)
            if below is None or (x >= below[0] and x + width <= below[0] + below[1]):
                break
        else:
            break
        stack.append((x, width, steps))
        below = (x, width)
    return stack


def validate_level(level: StackerLevel, params: StackerParams) -> list[str]:
    problems = []
    if any(not 0 < at < level.rows or most < 1 for at, most in level.caps):
        problems.append("caps: each cap's row must be inside the level and leave at least one cell")
    if level.step_for(level.rows - 1) < MIN_STEP_MS:
        problems.append(f"step_ms: the top row moves faster than one cell per {MIN_STEP_MS} ms")
    if not problems and len(perfect_run(level)) < level.rows:
        problems.append("rows: even perfect drops cannot reach the top")
    return problems


def _level(rng: random.Random, d: float) -> StackerLevel:
    cols = lerp_int(7, 9, d)
    rows = lerp_int(6, 14, d)
    width = 3 if d < 0.5 else 4
    caps = [[max(1, rows // 2), 2]] if d >= 0.3 else []
    if d >= 0.75:
        caps.append([rows - 2, 1])
    step = lerp_int(240, 130, d)
    return StackerLevel(
        seed=rng.randrange(1, 2**31 - 1),
        cols=cols,
        rows=rows,
        width=width,
        step_ms=step,
        speedup_ms=round(lerp(0, 6, d)),
        min_step_ms=lerp_int(200, 80, d),
        caps=caps,
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: StackerParams
) -> list[StackerLevel]:
    """Taller stacks, narrowing rows and quicker sliders as difficulty climbs."""
    levels = []
    for index in range(count):
        d = min(difficulty[index], 0.05) if index == 0 else difficulty[index]
        levels.append(_level(rng, d))
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    if words & {"hardcore", "pure", "strict"}:
        return {"bonus_perfect": False}
    return {}


def preview(spec) -> list[tuple[str, float, float, float]]:
    items = []
    for row, (left, width) in enumerate(((2, 3), (2, 3), (3, 2), (3, 2), (3, 1))):
        for c in range(left, left + width):
            items.append(("block", 0.12 + c * 0.11, 0.86 - row * 0.12, 0.11))
    items += [("slider", 0.23 + k * 0.11, 0.22, 0.11) for k in range(2)]
    return items


MECHANIC = MechanicDefinition(
    slug="stacker",
    name="Stacker",
    description="A row of blocks slides from side to side: tap to drop it on the stack. What overhangs "
    "falls off and the rows narrow; reach the top to win the level.",
    genre="arcade",
    category="arcade",
    keywords=("stacker", "stack", "stacking", "pile", "skyscraper", "build up", "tower builder"),
    vocabulary=Vocabulary(
        verbs={"stack": 3, "pile": 1.5, "balance": 1, "build": 1, "tower": 1},
        foreign_words=(
            "apilar",
            "torre",
            "empiler",
            "stapeln",
            "turm",
            "impilare",
            "empilhar",
            "стопка",
            "башня",
            "積み",
            "タワー",
            "叠",
            "堆叠",
        ),
        emoji=("🏗", "🗼", "🏢"),
    ),  # fmt: skip
    example_prompts=(
        "stack the blocks as high as you can",
        "build a tower of pancakes to the sky",
        "a skyscraper stacking game",
    ),
    Params=StackerParams,
    Level=StackerLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "Space"),
        probe_watch="row",
        expected_events=(*OPENING_EVENTS, "row_placed"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("block", "rounded", "primary", 48, 48, role="tile"),
        SpriteSpec("slider", "rounded", "accent", 48, 48),
        SpriteSpec("cell", "floor", "surface", 48, 48),
    ),
    audio_cues={"drop": "jump", "perfect": "pickup", "cut": "hit"},
    events=(
        EventSpec("row_placed", "A row landed on the stack.", ("level", "row", "width", "cut")),
        EventSpec("stack_missed", "A row missed the stack entirely.", ("level", "row", "lives")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap, click or press Space to drop the sliding row.",
        "Blocks that hang over the row below fall off.",
        "Stack up to the top line to win the level.",
    ),
    win_text="Stack every level up to its top line.",
    lose_text="Lose all lives by dropping rows that miss the stack.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Stacker", "Tower", "Stack", "Heights"),
    preview=preview,
    cast_defaults={"tile": ("brick",)},
)
