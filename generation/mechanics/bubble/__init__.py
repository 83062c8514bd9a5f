"""Bubble shooter: aim and fire coloured bubbles at the board; three or more of a colour touching
pop, and whatever hangs from nothing falls. Clear the board within the level's shots.

The board is a grid of COLS columns hanging from the top (`rows`: strings of '.' and colour digits),
CELL pixels a side, four neighbours a cell. A fired bubble flies straight, bounces off the side
walls, and sticks in the empty cell where it touches the board or the ceiling; one that sticks at
row LOSE_ROW or below has reached the line and fails the level. The colour of each next bubble is
drawn with the shared PRNG (`mulberry32(seed)`) from the colours still on the board, in the same
order on web and mobile (`next_colour`).

Solvable: `greedy_clear` plays the level with the same colour draws, each shot placed where it pops
the most (else beside its own colour) among the cells a shot can reach from below (a path of empty
cells), and must clear the board within `shots`.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Sequence

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
    lerp,
    lerp_int,
)
from generation.rng import mulberry32

COLS = 9
CELL = 54
RADIUS = 25
LOSE_ROW = 12  # a bubble stuck in this row (from 0 at the top) or below has reached the line
MAX_ROWS = 8
MAX_COLOURS = 5
FIELD_W, FIELD_H = 516, 820
X0 = (FIELD_W - COLS * CELL) // 2
SHOOTER = (FIELD_W / 2, FIELD_H - 60)

Grid = list[list[int]]  # -1 empty, else a colour


class BubbleParams(MechanicParams):
    shot_speed: float = Field(default=1100.0, ge=500.0, le=2000.0, description="Pixels per second.")
    aim_guide: bool = Field(default=True, description="Draw the first stretch of the aim line.")


class BubbleLevel(MechanicLevel):
    seed: int = Field(ge=1, le=2**31 - 1, description="Seed of the colours of the bubbles to fire.")
    rows: list[str] = Field(min_length=1, max_length=MAX_ROWS, description=f"{COLS} cells: '.' or 0-4.")
    shots: int = Field(ge=1, le=200, description="Bubbles to fire before the level is lost.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("rows")
    @classmethod
    def _rows(cls, rows: list[str]) -> list[str]:
        for row in rows:
            if len(row) != COLS:
                raise ValueError(f"every row is {COLS} cells wide")
            if set(row) - set(".01234"):
                raise ValueError("cells are '.' (empty) or a colour from 0 to 4")
        return rows

    def grid(self) -> Grid:
        grid = [[-1 if ch == "." else int(ch) for ch in row] for row in self.rows]
        return grid + [[-1] * COLS for _ in range(LOSE_ROW + 1 - len(grid))]


# --- the rules, shared with scene.js and flame.dart -----------------------------------------------


def neighbours(row: int, col: int) -> list[tuple[int, int]]:
    out = []
    for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        r, c = row + dr, col + dc
        if 0 <= r <= LOSE_ROW and 0 <= c < COLS:
            out.append((r, c))
    return out


def colours_left(grid: Grid) -> list[int]:
    return sorted({v for row in grid for v in row if v >= 0})


def next_colour(draw: Callable[[], float], grid: Grid) -> int:
    """One draw: a colour still on the board (any colour of the five on an empty board)."""
    left = colours_left(grid) or [0]
    return left[int(draw() * len(left))]


def group(grid: Grid, row: int, col: int) -> set[tuple[int, int]]:
    colour = grid[row][col]
    seen = {(row, col)}
    queue = deque([(row, col)])
    while queue:
        r, c = queue.popleft()
        for n in neighbours(r, c):
            if n not in seen and grid[n[0]][n[1]] == colour:
                seen.add(n)
                queue.append(n)
    return seen


def hanging(grid: Grid) -> set[tuple[int, int]]:
    """Bubbles connected to the ceiling (row 0) through other bubbles."""
    seen = {(0, c) for c in range(COLS) if grid[0][c] >= 0}
    queue = deque(seen)
    while queue:
        r, c = queue.popleft()
        for n in neighbours(r, c):
            if n not in seen and grid[n[0]][n[1]] >= 0:
                seen.add(n)
                queue.append(n)
    return seen


def place(grid: Grid, row: int, col: int, colour: int) -> tuple[int, int]:
    """Stick a bubble; pop its group of 3+, drop what hangs from nothing. Returns (popped, dropped)."""
    grid[row][col] = colour
    same = group(grid, row, col)
    if len(same) < 3:
        return 0, 0
    for r, c in same:
        grid[r][c] = -1
    held = hanging(grid)
    dropped = 0
    for r in range(len(grid)):
        for c in range(COLS):
            if grid[r][c] >= 0 and (r, c) not in held:
                grid[r][c] = -1
                dropped += 1
    return len(same), dropped


def reachable_cells(grid: Grid) -> list[tuple[int, int]]:
    """Empty cells a shot can stick in: touching a bubble or the ceiling, reached from below through empty cells."""
    start = [(LOSE_ROW, c) for c in range(COLS) if grid[LOSE_ROW][c] < 0]
    seen = set(start)
    queue = deque(start)
    while queue:
        r, c = queue.popleft()
        for n in neighbours(r, c):
            if n not in seen and grid[n[0]][n[1]] < 0:
                seen.add(n)
                queue.append(n)
    return sorted((r, c) for r, c in seen if r == 0 or any(grid[nr][nc] >= 0 for nr, nc in neighbours(r, c)))


STEP = 8.0  # pixels per collision step of a flying bubble
TOUCH = 2 * RADIUS * 0.85  # centres closer than this touch
MIN_AIM = 0.15  # radians above the horizontal, either side


def cell_at(grid: Grid, x: float, y: float, vx: float, vy: float) -> tuple[int, int]:
    """The empty cell a bubble touching the board at (x, y), coming along (vx, vy), sticks in."""
    norm = max(1e-9, (vx * vx + vy * vy) ** 0.5)
    for _ in range(40):
        col = min(COLS - 1, max(0, int((x - X0) // CELL)))
        row = min(LOSE_ROW, max(0, int(y // CELL)))
        if grid[row][col] < 0:
            return row, col
        x, y = x - vx / norm * 4, y - vy / norm * 4  # overshot into a bubble: back along the path
    return row, col


def fly(grid: Grid, angle: float) -> tuple[int, int]:
    """Where a bubble fired at `angle` (radians, pi/2 straight up) sticks, stepping as the scenes do."""
    x, y = SHOOTER
    vx, vy = math.cos(angle), -math.sin(angle)
    left, right = X0 + RADIUS, X0 + COLS * CELL - RADIUS
    for _ in range(4000):
        x, y = x + vx * STEP, y + vy * STEP
        if x < left:
            x, vx = left, abs(vx)
        elif x > right:
            x, vx = right, -abs(vx)
        if y - RADIUS <= 0:
            return cell_at(grid, x, y, vx, vy)
        for r, line in enumerate(grid):
            for c, v in enumerate(line):
                if v >= 0:
                    cx, cy = X0 + (c + 0.5) * CELL, (r + 0.5) * CELL
                    if (cx - x) ** 2 + (cy - y) ** 2 < TOUCH * TOUCH:
                        return cell_at(grid, x, y, vx, vy)
    return LOSE_ROW, 0


def shot_value(grid: Grid, row: int, col: int, colour: int) -> tuple[int, int, int]:
    """How good sticking `colour` at (row, col) is: (bubbles removed, same-colour neighbours, height)."""
    trial = [line[:] for line in grid]
    popped, dropped = place(trial, row, col, colour)
    touching = sum(1 for r, c in neighbours(row, col) if grid[r][c] == colour)
    return popped + dropped, touching, -row


def greedy_clear(level: BubbleLevel, limit: int = 400) -> int | None:
    """Shots a greedy player needs to clear the board with the level's colour draws, or None."""
    grid = level.grid()
    draw = mulberry32(level.seed)
    current, upcoming = next_colour(draw, grid), next_colour(draw, grid)
    for shot in range(1, limit + 1):
        cells = reachable_cells(grid)
        if not cells:
            return None
        row, col = max(cells, key=lambda cell: shot_value(grid, cell[0], cell[1], current))
        if row >= LOSE_ROW:
            return None
        place(grid, row, col, current)
        if not colours_left(grid):
            return shot
        current, upcoming = upcoming, next_colour(draw, grid)
        if current not in colours_left(grid):
            current = next_colour(draw, grid)
    return None


def validate_level(level: BubbleLevel, params: BubbleParams) -> list[str]:
    grid = level.grid()
    if not colours_left(grid):
        return ["rows: the board has no bubble"]
    floating = {(r, c) for r in range(len(grid)) for c in range(COLS) if grid[r][c] >= 0} - hanging(grid)
    if floating:
        return [f"rows: {len(floating)} bubbles hang from nothing"]
    needed = greedy_clear(level)
    if needed is None or needed > level.shots:
        return [f"shots: the board cannot be cleared in {level.shots} shots"]
    return []


# --- the generator ------------------------------------------------------------------------------


def _board(rng: random.Random, rows: int, colours: int, clumping: float) -> list[str]:
    out: list[list[int]] = []
    for r in range(rows):
        line = []
        for c in range(COLS):
            if c > 0 and rng.random() < clumping:
                colour = line[c - 1]
            elif r > 0 and rng.random() < clumping:
                colour = out[r - 1][c]
            else:
                colour = rng.randrange(colours)
            line.append(colour)
        out.append(line)
    return ["".join(str(v) for v in line) for line in out]


def _level(rng: random.Random, d: float) -> BubbleLevel | None:
    level = BubbleLevel(
        seed=rng.randrange(1, 2**31 - 1),
        rows=_board(rng, lerp_int(3, 7, d), lerp_int(3, 5, d), lerp(0.6, 0.3, d)),
        shots=200,
    )
    needed = greedy_clear(level)
    if needed is None:
        return None
    return level.model_copy(update={"shots": needed + lerp_int(12, 3, d)})


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: BubbleParams
) -> list[BubbleLevel]:
    """More rows, more colours, less clumping and fewer spare shots as difficulty climbs."""
    levels = []
    for index in range(count):
        d = min(difficulty[index], 0.05) if index == 0 else difficulty[index]
        level = None
        for attempt in range(20):
            level = _level(rng, max(0.0, d - (attempt // 5) * 0.1))
            if level is not None and not validate_level(level, params):
                break
        if level is None or validate_level(level, params):
            level = BubbleLevel(seed=index + 1, rows=["001122001"], shots=30)
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speedy", "frantic"}:
        params["shot_speed"] = 1500.0
    if words & {"hardcore", "expert", "blind"}:
        params["aim_guide"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    items = []
    for r, row in enumerate(spec.levels[0].rows[:4]):
        for c, ch in enumerate(row):
            if ch != ".":
                items.append((f"bubble{ch}", 0.08 + c * 0.105, 0.1 + r * 0.105, 0.1))
    items.append(("bubble0", 0.5, 0.88, 0.12))
    return items


MECHANIC = MechanicDefinition(
    slug="bubble",
    name="Bubble shooter",
    description="Aim and fire coloured bubbles: three of a colour touching pop, and what hangs from "
    "nothing falls. Clear the board before the shots run out.",
    genre="puzzle",
    category="puzzle",
    keywords=(
        "bubble shooter",
        "bubbles",
        "bubble",
        "puzzle bobble",
        "bust-a-move",
        "shooter bubbles",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"pop": 2, "aim": 1.5, "fire": 0.5, "burst": 1.5},
        foreign_words=(
            "burbujas",
            "burbuja",
            "bulles",
            "bulle",
            "blasen",
            "bolle",
            "bolhas",
            "пузыри",
            "шарики",
            "バブル",
            "泡泡",
            "泡",
        ),
        emoji=("🫧",),
    ),  # fmt: skip
    example_prompts=(
        "a bubble shooter with candy colours",
        "pop the bubbles under the sea",
        "aim and burst coloured bubbles in space",
    ),
    Params=BubbleParams,
    Level=BubbleLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("drag", "left"),
        probe_watch="aim",
        expected_events=(*OPENING_EVENTS, "bubbles_popped"),
        completes_level=True,
        max_seconds=60.0,
    ),
    sprites=(
        SpriteSpec("bubble0", "circle", "primary", 48, 48, role="tile"),
        SpriteSpec("bubble1", "circle", "secondary", 48, 48, role="tile"),
        SpriteSpec("bubble2", "circle", "accent", 48, 48, role="tile"),
        SpriteSpec("bubble3", "circle", "danger", 48, 48, role="tile"),
        SpriteSpec("bubble4", "circle", "extra0", 48, 48, role="tile"),
        SpriteSpec("launcher", "triangle", "text", 48, 48),
    ),
    audio_cues={"fire": "jump", "pop": "pickup", "stick": "hit"},
    events=(
        EventSpec("bubble_fired", "A bubble was fired.", ("level", "shots_left")),
        EventSpec(
            "bubbles_popped", "A group popped (and what hung from it fell).", ("level", "popped", "dropped")
        ),
    ),
    touch_layouts=("drag",),
    tutorial=(
        "Aim with the mouse or a finger (or the left and right keys).",
        "Release, click or press Space to fire; bubbles bounce off the walls.",
        "Three or more of a colour touching pop. Clear the board before the shots run out.",
    ),
    win_text="Clear every board.",
    lose_text="Run out of shots, or let the bubbles reach the line.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Bubbles", "Pop", "Burst", "Shooter"),
    preview=preview,
    cast_defaults={"tile": ("balloon", "soap", "orange", "grape", "apple")},
)
