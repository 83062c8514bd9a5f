"""Mini golf: pull back, release, and putt the ball into the hole within the level's shots.

The course is a grid of COLS x ROWS cells (`rows`: '.' grass, '#' wall, 'o' bumper, '~' water,
'S' the ball's tee, 'H' the hole) with moving walls (`movers`) that slide to and fro. The ball rolls
with Matter.js physics in the browser (scene.js) and the same damping in Flame (flame.dart): it
bounces off walls and, harder, off bumpers; water costs a stroke and puts it back where it was hit;
a ball that rolls slowly over the hole drops in.

Solvable: `course.plan_putts` finds the fewest straight putts, each clear of every wall, bumper,
water cell and moving wall's whole sweep, that hole the ball (course.py says exactly what that
proves); a level needs such a plan within its `shots`. Nothing is drawn at random while the game is
played (the moving walls follow the physics clock), so no PRNG is needed on either side.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import Field, field_validator

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
    first_valid_level,
    grid_rows_checked,
    lerp,
    lerp_int,
)

from .course import COLS, ROWS, find, mover_sweep, plan_putts

TILES = set(".#o~SH")
MAX_SHOTS = 12
MAX_MOVERS = 3
ATTEMPTS = 60


class GolfParams(MechanicParams):
    max_putt: float = Field(
        default=10.0, ge=6.0, le=14.0, description="How many cells a full-power putt rolls on open grass."
    )
    bumper_bounce: float = Field(
        default=1.15, ge=0.8, le=1.5, description="Speed a bumper gives back (1 = as much as it got)."
    )
    aim_guide: bool = Field(default=True, description="Show where the putt would stop while aiming.")


class Mover(StrictModel):
    """A wall of width x height cells, its top-left corner at (x, y) at rest, sliding `travel` cells
    along `axis` and back every `period_s` seconds of the physics clock."""

    x: int = Field(ge=0, lt=COLS)
    y: int = Field(ge=0, lt=ROWS)
    width: int = Field(default=2, ge=1, le=3)
    height: int = Field(default=1, ge=1, le=3)
    axis: Literal["x", "y"] = "x"
    travel: int = Field(ge=1, le=COLS - 1)
    period_s: float = Field(default=3.0, ge=1.5, le=10.0)


class GolfLevel(MechanicLevel):
    rows: list[str] = Field(
        min_length=ROWS, max_length=ROWS, description=f"{ROWS} rows of {COLS} cells: . # o ~ S H."
    )
    movers: list[Mover] = Field(default_factory=list, max_length=MAX_MOVERS)
    shots: int = Field(ge=1, le=MAX_SHOTS, description="Strokes before the level is lost (water adds one).")
    par: int = Field(ge=1, le=MAX_SHOTS, description="The strokes the generator's plan takes.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("rows")
    @classmethod
    def _rows(cls, rows: list[str]) -> list[str]:
        return grid_rows_checked(
            rows,
            min_width=COLS,
            max_width=COLS,
            chars=TILES,
            chars_text="cells are . (grass) # (wall) o (bumper) ~ (water) S (ball) or H (hole)",
        )


def validate_level(level: GolfLevel, params: GolfParams) -> list[str]:
    """One tee and one hole; moving walls on open grass; the ball holed in `shots` straight putts."""
    problems = []
    for char, name in (("S", "ball"), ("H", "hole")):
        if len(find(level.rows, char)) != 1:
            problems.append(f"rows: the course needs exactly one {name} ({char})")
    for index, mover in enumerate(level.movers):
        sweep = mover_sweep(mover)
        if sweep.x1 > COLS or sweep.y1 > ROWS:
            problems.append(f"movers.{index}: slides off the course")
            continue
        cells = {
            level.rows[y][x]
            for y in range(int(sweep.y0), int(sweep.y1))
            for x in range(int(sweep.x0), int(sweep.x1))
        }
        if cells != {"."}:
            problems.append(f"movers.{index}: slides over something other than grass")
    if level.par > level.shots:
        problems.append("par: more than the shots the level allows")
    if problems:
        return problems
    if plan_putts(level, params.max_putt, limit=level.shots) is None:
        problems.append(f"rows: the ball cannot be holed in {level.shots} clear putts")
    return problems


# --- the generator --------------------------------------------------------------------------------


def _free(grid: list[list[str]], cells: Sequence[tuple[int, int]]) -> bool:
    return all(0 <= x < COLS and 0 <= y < ROWS and grid[y][x] == "." for x, y in cells)


def _near(cell: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    return any(abs(cell[0] - ox) <= 1 and abs(cell[1] - oy) <= 1 for ox, oy in others)


def _candidate(rng: random.Random, d: float, params: GolfParams) -> GolfLevel | None:
    grid = [["."] * COLS for _ in range(ROWS)]
    tee = (rng.randint(1, COLS - 2), ROWS - 2)
    hole = (rng.randint(1, COLS - 2), 1 + (rng.random() < d))
    grid[tee[1]][tee[0]] = "S"
    grid[hole[1]][hole[0]] = "H"
    keep_clear = [tee, hole]
    # Barriers across the course, each with one gap: more of them, and narrower gaps, as it gets harder.
    count = lerp_int(1, 3, d)
    top, bottom = hole[1] + 2, tee[1] - 2
    span = (bottom - top + 1) / count
    barrier_rows = sorted({int(top + span * (i + 0.5)) for i in range(count)})
    reserved: list[tuple[int, int]] = []  # the way into and out of each gap stays open
    for y in barrier_rows:
        gap = max(1, lerp_int(4, 1, d) + rng.choice((0, 0, 1)))
        start = rng.randint(0, COLS - gap)
        for x in range(COLS):
            if not start <= x < start + gap:
                grid[y][x] = "#"
            else:
                reserved += [(x, y - 1), (x, y + 1)]
    open_rows = [y for y in range(1, ROWS - 1) if y not in barrier_rows]

    def place(cells_of, tries: int = 30) -> list[tuple[int, int]]:
        for _ in range(tries):
            x, y = rng.randint(0, COLS - 1), rng.choice(open_rows)
            cells = cells_of(x, y)
            if _free(grid, cells) and not any(_near(c, keep_clear) or c in reserved for c in cells):
                return cells
        return []

    movers: list[Mover] = []
    # Moving walls first, while whole rows are still open; a course without its share is drawn again.
    wanted = 0 if d < 0.45 else 1 if d < 0.8 else 2
    for _ in range(wanted):
        travel = rng.randint(2, 4)
        cells = place(lambda x, y, t=travel: [(x + i, y) for i in range(2 + t)])
        if cells:
            x, y = cells[0]
            movers.append(Mover(x=x, y=y, width=2, travel=travel, period_s=round(lerp(4.0, 2.2, d), 1)))
            for cx, cy in cells:
                grid[cy][cx] = "m"  # kept free of the next one; grass again below
    if len(movers) < wanted:
        return None
    for _ in range(lerp_int(0, 4, d) + (rng.random() < d)):
        for x, y in place(lambda x, y: [(x, y)]):
            grid[y][x] = "o"
    water = 0 if d < 0.3 else lerp_int(1, 3, d)
    for _ in range(water):
        wide = rng.random() < 0.5
        for x, y in place(lambda x, y, wide=wide: [(x, y), (x + 1, y) if wide else (x, y + 1)]):
            grid[y][x] = "~"
    rows = ["".join(row).replace("m", ".") for row in grid]
    slack = lerp_int(3, 1, d)
    draft = GolfLevel(rows=rows, movers=movers, shots=MAX_SHOTS, par=1)
    plan = plan_putts(draft, params.max_putt)
    if plan is None or len(plan) > lerp_int(3, 6, d) or len(plan) + slack > MAX_SHOTS:
        return None
    return draft.model_copy(update={"shots": len(plan) + slack, "par": len(plan)})


def _candidates(rng: random.Random, d: float, params: GolfParams) -> Iterator[GolfLevel]:
    for _ in range(ATTEMPTS):
        level = _candidate(rng, d, params)
        if level is not None:
            yield level


def _fallback(params: GolfParams) -> GolfLevel:
    """An open course with one wide gap: always holed in a few putts."""
    rows = ["." * COLS for _ in range(ROWS)]
    rows[1] = "....H...."
    rows[7] = "###...###"
    rows[ROWS - 2] = "....S...."
    draft = GolfLevel(rows=rows, shots=MAX_SHOTS, par=1)
    plan = plan_putts(draft, params.max_putt)
    assert plan is not None  # noqa: S101 - a straight line up the middle
    return draft.model_copy(update={"shots": min(MAX_SHOTS, len(plan) + 3), "par": len(plan)})


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: GolfParams
) -> list[GolfLevel]:
    """More barriers with narrower gaps, then bumpers, water and moving walls, and fewer spare shots."""
    levels = []
    for index in range(count):
        # Level 1 is the tutorial whatever the curve: one wide gap, three spare shots.
        d = min(difficulty[index], 0.1) if index == 0 else difficulty[index]
        found = first_valid_level(_candidates(rng, d, params), validate=validate_level, params=params)
        levels.append(found or _fallback(params))
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"long", "power", "powerful", "strong", "mighty", "far"}:
        params["max_putt"] = 13.0
    if words & {"bouncy", "bounce", "bouncing", "pinball", "crazy", "wild"}:
        params["bumper_bounce"] = 1.4
    if words & {"hard", "expert", "precise", "pro", "blind"}:
        params["aim_guide"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    level = spec.levels[min(1, len(spec.levels) - 1)]
    names = {"#": "wall", "o": "bumper", "~": "water", "S": "ball", "H": "hole"}
    cell = 0.9 / ROWS
    x0 = (1 - cell * COLS) / 2
    return [
        (names[ch], x0 + (x + 0.5) * cell, 0.05 + (y + 0.5) * cell, cell)
        for y, row in enumerate(level.rows)
        for x, ch in enumerate(row)
        if ch in names
    ]


MECHANIC = MechanicDefinition(
    slug="golf",
    name="Mini golf",
    description="Pull back and release to putt the ball around walls, bumpers, water and moving "
    "walls into the hole, within the level's shots.",
    genre="sports",
    category="casual",
    keywords=(
        "golf",
        "minigolf",
        "mini-golf",
        "mini golf",
        "putt",
        "putting",
        "putter",
        "hole in one",
        "slingshot",
        "catapult",
        "fling",
        "flick",
        "angry birds",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={
            "launch": 1.5,
            "ball": 1,
            "hole": 1,
            "aim": 0.5,
            "sink": 1,
            "billiard": 2.5,
            "billiards": 2.5,
            "snooker": 2.5,
            "pool": 1,
        },  # fmt: skip
        foreign_words=(
            "golfe",
            "minigolfe",
            "golfspiel",
            "гольф",
            "мини-гольф",
            "ゴルフ",
            "高尔夫",
            "골프",
            "גולף",
            "جولف",
            "गोल्फ",
            "γκολφ",
            "tirachinas",
            "fionda",
            "lance-pierre",
            "schleuder",
            "рогатка",
            "estilingue",
        ),  # fmt: skip
        emoji=("⛳", "🏌"),
    ),
    example_prompts=(
        "a mini golf course on the moon",
        "putt the ball into the hole around candy walls",
        "a golf game where you launch a ball into the hole",
    ),
    Params=GolfParams,
    Level=GolfLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("drag", "back"),
        probe_watch="power",
        expected_events=(*OPENING_EVENTS, "putt", "ball_sunk"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("ball", "circle", "text", role="hero"),
        SpriteSpec("hole", "flag", "accent", role="goal"),
        SpriteSpec("bumper", "circle", "secondary", role="prop"),
        SpriteSpec("water", "ring", "danger", role="hazard"),
        SpriteSpec("wall", "wall", "primary"),
        SpriteSpec("mover", "capsule", "accent", 96, 48),
    ),
    cast_defaults={"hero": ("ball",), "goal": ("hole",), "prop": ("tree",), "hazard": ("wave",)},
    audio_cues={"putt": "jump", "bounce": "pickup", "splash": "hit", "sink": "win"},
    events=(
        EventSpec("putt", "The ball was hit.", ("level", "shot", "power")),
        EventSpec("ball_sunk", "The ball dropped into the hole.", ("level", "shots", "par")),
        EventSpec("ball_splashed", "The ball rolled into water: a stroke lost.", ("level", "shots")),
    ),
    touch_layouts=("drag",),
    tutorial=(
        "Drag back from anywhere and release to putt: the further you pull, the harder the hit.",
        "Or tap where the ball should stop, then tap the ball to putt.",
        "Keys: Left/Right aim, Up/Down power, Space putts.",
        "Water costs a stroke; sink the ball before the shots run out.",
    ),
    win_text="Sink the ball in the hole within the level's shots.",
    lose_text="Run out of shots before the ball drops.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Golf", "Putt", "Fairway", "Hole in One"),
    preview=preview,
)
