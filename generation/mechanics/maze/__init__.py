"""Maze: find the exit before time runs out, grabbing coins and dodging wandering ghosts."""

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
    grid_bfs,
    grid_find,
    grid_preview,
    grid_rows_checked,
    lerp,
    lerp_int,
)

MIN_SIDE, MAX_SIDE = 5, 41
TILES = set("#.SEog")  # wall, floor, start, exit, coin, ghost start
# The player moves at most this many cells a second (runtime: one step per 125 ms held).
PLAYER_CELLS_PER_SECOND = 8


class MazeParams(MechanicParams):
    fog: bool = Field(default=False, description="Only the cells near the player are visible.")
    ghosts: bool = Field(default=True, description="Wandering ghosts appear on harder levels.")
    coins: bool = Field(default=True, description="Coins to pick up on the way.")


class MazeLevel(MechanicLevel):
    grid: list[str] = Field(min_length=MIN_SIDE, max_length=MAX_SIDE,
                            description="Rows: # wall, . floor, S start, E exit, o coin, g ghost.")  # fmt: skip
    time_limit_s: int = Field(ge=10, le=900)
    ghost_speed: float = Field(default=2.0, ge=0.5, le=6.0, description="Ghost steps per second.")

    @field_validator("grid")
    @classmethod
    def _shape(cls, rows: list[str]) -> list[str]:
        return grid_rows_checked(
            rows,
            min_width=MIN_SIDE,
            max_width=MAX_SIDE,
            chars=TILES,
            chars_text="cells use only the characters # . S E o g",
        )


def shortest_path_length(grid: list[str]) -> int | None:
    """Steps from S to E (BFS), None when the exit cannot be reached."""
    (start,), (goal,) = grid_find(grid, "S"), grid_find(grid, "E")
    dist = grid_bfs(
        width=len(grid[0]), height=len(grid), start=start, passable=lambda x, y: grid[y][x] != "#"
    )
    return dist.get(goal)


def validate_level(level: MazeLevel, params: MazeParams) -> list[str]:
    """One start, one exit, the exit and every coin reachable by BFS, and time enough to walk there."""
    grid = level.grid
    starts, exits = grid_find(grid, "S"), grid_find(grid, "E")
    if len(starts) != 1:
        return [f"grid: needs exactly one start S (found {len(starts)})"]
    if len(exits) != 1:
        return [f"grid: needs exactly one exit E (found {len(exits)})"]
    dist = grid_bfs(
        width=len(grid[0]), height=len(grid), start=starts[0], passable=lambda x, y: grid[y][x] != "#"
    )
    problems = []
    if exits[0] not in dist:
        return ["grid: the exit cannot be reached from the start"]
    if any(coin not in dist for coin in grid_find(grid, "o")):
        problems.append("grid: a coin cannot be reached from the start")
    if any(dist.get(ghost, 0) < 4 for ghost in grid_find(grid, "g")):
        problems.append("grid: a ghost starts fewer than 4 steps from the player")
    needed = math.ceil(dist[exits[0]] / PLAYER_CELLS_PER_SECOND) + 3
    if level.time_limit_s < needed:
        problems.append(f"time_limit_s: the shortest path needs at least {needed} s")
    return problems


def _carve(rng: random.Random, cols: int, rows: int) -> list[list[str]]:
    """A perfect maze (recursive backtracker) on a (2*rows+1) x (2*cols+1) grid."""
    grid = [["#"] * (2 * cols + 1) for _ in range(2 * rows + 1)]
    stack = [(0, 0)]
    seen = {(0, 0)}
    grid[1][1] = "."
    while stack:
        cx, cy = stack[-1]
        options = [
            (nx, ny)
            for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1))
            if 0 <= nx < cols and 0 <= ny < rows and (nx, ny) not in seen
        ]
        if not options:
            stack.pop()
            continue
        nx, ny = rng.choice(options)
        grid[cy + ny + 1][cx + nx + 1] = "."
        grid[2 * ny + 1][2 * nx + 1] = "."
        seen.add((nx, ny))
        stack.append((nx, ny))
    return grid


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: MazeParams
) -> list[MazeLevel]:
    """Larger mazes with fewer shortcuts, tighter clocks and more ghosts as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        cols = lerp_int(5, 12, d)
        rows = lerp_int(7, 17, d)
        grid = _carve(rng, cols, rows)
        height, width = len(grid), len(grid[0])
        # Knock out some inner walls: loops make easy mazes forgiving.
        for _ in range(lerp_int(cols * 2, 2, d)):
            x, y = rng.randrange(1, width - 1), rng.randrange(1, height - 1)
            if grid[y][x] == "#" and (x % 2) != (y % 2):
                grid[y][x] = "."
        start = (1, 1)
        dist = grid_bfs(width=width, height=height, start=start, passable=lambda x, y, g=grid: g[y][x] != "#")
        exit_cell = max(dist, key=lambda c: (dist[c], c[1], c[0]))
        grid[start[1]][start[0]] = "S"
        grid[exit_cell[1]][exit_cell[0]] = "E"
        free = sorted(c for c in dist if grid[c[1]][c[0]] == "." and dist[c] >= 4)
        rng.shuffle(free)
        if params.coins:
            for x, y in free[: lerp_int(3, 8, d)]:
                grid[y][x] = "o"
            free = free[lerp_int(3, 8, d) :]
        if params.ghosts and d >= 0.3:
            ghosts = [c for c in free if dist[c] >= 6][: lerp_int(1, 4, (d - 0.3) / 0.7)]
            for x, y in ghosts:
                grid[y][x] = "g"
        rows_out = ["".join(row) for row in grid]
        path = dist[exit_cell]
        time_limit = max(20, math.ceil(path / lerp(1.6, 3.2, d)) + lerp_int(15, 6, d))
        levels.append(MazeLevel(grid=rows_out, time_limit_s=min(900, time_limit),
                                ghost_speed=round(lerp(1.5, 3.5, d), 2)))  # fmt: skip
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"spooky", "dark", "haunted", "horror", "scary", "ghost", "ghosts", "night", "fog", "foggy",
                "halloween", "creepy", "cave", "dungeon"}:  # fmt: skip
        params["fog"] = True
    if words & {"kids", "calm", "relaxing", "peaceful", "zen", "toddler"}:
        params["ghosts"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    names = {"#": "wall", "S": "player", "E": "exit", "o": "coin", "g": "ghost"}
    return grid_preview(spec.levels[0].grid, names, side=11)


MECHANIC = MechanicDefinition(
    slug="maze",
    name="Maze",
    description="Find the way out of a labyrinth before the clock runs out, picking up coins and "
    "steering clear of wandering ghosts.",
    genre="puzzle",
    category="puzzle",
    keywords=(
        "maze",
        "labyrinth",
        "exit",
        "escape",
        "corridor",
        "corridors",
        "dungeon",
        "explore",
        "lost",
        "path",
        "way",
        "find",
        "navigate",
        "laberinto",
        "labyrinthe",
        "labirinto",
        "irrgarten",
        "лабиринт",
        "迷路",
        "迷宫",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={
            "collect": 1,
            "escape": 2,
            "find": 1.5,
            "explore": 2,
            "navigate": 2,
            "lost": 1.5,
            "wander": 1,
            "exit": 1.5,
        },
        foreign_words=(
            "labirinto",
            "labyrinthe",
            "doolhof",
            "labirynt",
            "labirent",
            "лабиринт",
            "迷路",
            "迷宫",
            "متاهة",
        ),
        emoji=("🌀",),
    ),  # fmt: skip
    example_prompts=(
        "a spooky maze with ghosts",
        "escape the labyrinth before time runs out",
        "a calm garden maze for kids",
    ),
    Params=MazeParams,
    Level=MazeLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "path"),
        probe_watch="player",
        expected_events=(*OPENING_EVENTS, "level_end"),
        completes_level=True,
        max_seconds=30.0,
    ),
    sprites=(
        SpriteSpec("player", "circle", "primary", role="hero"),
        SpriteSpec("exit", "flag", "accent", role="goal"),
        SpriteSpec("coin", "coin", "extra0", role="collectible"),
        SpriteSpec("ghost", "ghost", "danger", role="enemy"),
        SpriteSpec("wall", "wall", "secondary"),
        SpriteSpec("floor", "floor", "surface"),
    ),
    cast_defaults={"hero": ("mouse",), "goal": ("door",), "collectible": ("cheese",), "enemy": ("ghost",)},
    audio_cues={"step": "jump", "coin": "pickup", "ghost": "hit", "exit": "win"},
    events=(
        EventSpec("coin_collected", "The player picked up a coin.", ("level", "left")),
        EventSpec("caught_by_ghost", "A ghost caught the player.", ("level", "lives")),
    ),
    touch_layouts=("dpad", "swipe"),
    tutorial=(
        "Move with the arrow keys, WASD, a swipe or the on-screen pad.",
        "Reach the flag before the clock runs out; coins add points.",
        "Ghosts cost a life: keep away from them.",
    ),
    win_text="Reach the exit before the time runs out.",
    lose_text="Run out of time or get caught by ghosts too often.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Maze", "Labyrinth", "Escape", "Passages"),
    preview=preview,
)
