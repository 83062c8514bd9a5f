"""Snake: steer a growing snake to the food; walls and your own tail end a life."""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import Field, model_validator

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    MultiplayerMode,
    SpriteSpec,
    Vocabulary,
    grid_bfs,
    lerp,
    lerp_int,
)

MIN_SIDE, MAX_SIDE = 8, 24
START_LENGTH = 3


class SnakeParams(MechanicParams):
    wrap_walls: bool = Field(
        default=False, description="Leaving the board on one side enters it on the other."
    )
    speed_up: float = Field(default=0.02, ge=0.0, le=0.2, description="Speed gained per food (0.05 = +5%).")
    grow_by: int = Field(default=1, ge=1, le=3, description="Segments added per food.")
    bonus_food: bool = Field(default=True, description="A timed bonus food worth five times the points.")


class SnakeLevel(MechanicLevel):
    width: int = Field(ge=MIN_SIDE, le=MAX_SIDE)
    height: int = Field(ge=MIN_SIDE, le=MAX_SIDE)
    speed: float = Field(ge=2.0, le=20.0, description="Cells per second at the start of the level.")
    target: int = Field(ge=1, le=100, description="Foods to eat to finish the level.")
    start: tuple[int, int]
    walls: list[tuple[int, int]] = Field(default_factory=list, max_length=200)
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _in_bounds(self):
        x, y = self.start
        if not (0 <= x < self.width and 0 <= y < self.height):
            raise ValueError("start is outside the board")
        return self


def _free_cells(level: SnakeLevel) -> set[tuple[int, int]]:
    walls = set(level.walls)
    return {(x, y) for x in range(level.width) for y in range(level.height) if (x, y) not in walls}


def validate_level(level: SnakeLevel, params: SnakeParams) -> list[str]:
    """The snake starts safely, every free cell is reachable (food can land anywhere), the target fits."""
    problems = []
    walls = set(level.walls)
    if len(walls) != len(level.walls):
        problems.append("walls: a cell is listed twice")
    for wx, wy in walls:
        if not (0 <= wx < level.width and 0 <= wy < level.height):
            problems.append(f"walls: ({wx}, {wy}) is outside the board")
            return problems
    sx, sy = level.start
    # The snake starts heading right with its tail to the left of the start cell.
    body = [(sx - i, sy) for i in range(START_LENGTH)]
    ahead = (sx + 1, sy)
    if params.wrap_walls:
        body = [(x % level.width, y) for x, y in body]
        ahead = (ahead[0] % level.width, sy)
    if any(cell in walls or not (0 <= cell[0] < level.width) for cell in [*body, ahead]):
        problems.append("start: the snake needs its body and the cell ahead free and on the board")
    free = _free_cells(level)

    def passable(x, y):
        return (x, y) in free

    if params.wrap_walls:
        reach = _wrapped_reach(level, free)
    else:
        reach = set(grid_bfs(width=level.width, height=level.height, start=level.start, passable=passable))
    if reach != free:
        problems.append(f"walls: {len(free) - len(reach)} free cell(s) cannot be reached from the start")
    if START_LENGTH + level.target * params.grow_by > len(free) // 2:
        problems.append("target: the snake would fill more than half of the free board")
    return problems


def _wrapped_reach(level: SnakeLevel, free: set[tuple[int, int]]) -> set[tuple[int, int]]:
    seen = {level.start}
    stack = [level.start]
    while stack:
        x, y = stack.pop()
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            cell = ((x + dx) % level.width, (y + dy) % level.height)
            if cell in free and cell not in seen:
                seen.add(cell)
                stack.append(cell)
    return seen


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: SnakeParams
) -> list[SnakeLevel]:
    """Boards grow, speed rises and obstacles appear as difficulty climbs; every level is re-checked."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        width = lerp_int(10, 16, d)
        height = lerp_int(12, 22, d)
        start = (width // 3, height // 2)
        base = dict(
            width=width,
            height=height,
            speed=round(lerp(5.5, 11.0, d), 2),
            target=lerp_int(5, 16, d),
            start=start,
        )
        wall_budget = lerp_int(0, 24, d) if d > 0.15 else 0
        for _attempt in range(40):
            walls = _walls(rng, width=width, height=height, start=start, budget=wall_budget)
            level = SnakeLevel(**base, walls=sorted(walls))
            if not validate_level(level, params):
                break
            wall_budget = max(0, wall_budget - 2)
        levels.append(level)
    return levels


def _walls(rng: random.Random, *, width: int, height: int, start: tuple[int, int], budget: int) -> set:
    walls: set[tuple[int, int]] = set()
    sx, sy = start
    while len(walls) < budget:
        length = rng.randint(2, 5)
        horizontal = rng.random() < 0.5
        x, y = rng.randrange(1, width - 1), rng.randrange(1, height - 1)
        for i in range(length):
            cell = (x + i, y) if horizontal else (x, y + i)
            if cell[0] >= width - 1 or cell[1] >= height - 1:
                break
            if cell[1] == sy:  # keep the starting row clear
                continue
            walls.add(cell)
            if len(walls) >= budget:
                break
    return walls


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"faster", "speed", "speedy", "accelerating", "accelerate", "fast", "quick", "rapide"}:
        params["speed_up"] = 0.05
    if words & {"wrap", "wrapping", "portal", "portals", "endless", "infinite", "neon", "tron"}:
        params["wrap_walls"] = True
    if words & {"grow", "growing", "long", "huge", "giant"}:
        params["grow_by"] = 2
    if words & {"calm", "relaxing", "slow", "zen"}:
        params["speed_up"] = 0.0
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    body = [(0.2, 0.75), (0.32, 0.75), (0.44, 0.75), (0.56, 0.75), (0.56, 0.63), (0.56, 0.51), (0.56, 0.39)]
    items = [("body", x, y, 0.13) for x, y in body]
    items.append(("head", 0.56, 0.27, 0.15))
    items += [
        ("food", 0.8, 0.27, 0.12),
        ("bonus", 0.25, 0.3, 0.13),
        ("wall", 0.82, 0.6, 0.13),
        ("wall", 0.82, 0.72, 0.13),
    ]
    return items


MECHANIC = MechanicDefinition(
    slug="snake",
    name="Snake",
    description="Steer a growing snake to the food. Each bite makes it longer (and faster); "
    "hitting a wall or your own tail costs a life.",
    genre="arcade",
    category="arcade",
    keywords=(
        "snake",
        "serpent",
        "worm",
        "tail",
        "slither",
        "eat",
        "grow",
        "nibble",
        "python",
        "eel",
        "centipede",
        "tron",
        "serpiente",
        "serpent",
        "schlange",
        "serpente",
        "змейка",
        "змея",
        "蛇",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"eat": 2.5, "eating": 2.5, "hungry": 2, "grow": 1.5, "longer": 2, "slither": 3, "collect": 1},
        foreign_words=(
            "serpiente",
            "serpente",
            "cobra",
            "schlange",
            "schlangen",
            "wąż",
            "węża",
            "yılan",
            "змейка",
            "змея",
            "蛇",
            "ヘビ",
            "ثعبان",
        ),
        emoji=("🐍", "🪱"),
    ),  # fmt: skip
    example_prompts=(
        "a neon snake that gets faster",
        "a hungry worm in a garden eating apples",
        "classic snake on a retro green screen",
    ),
    Params=SnakeParams,
    Level=SnakeLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowUp"),
        probe_watch="dir",
        expected_events=(*OPENING_EVENTS, "food_eaten"),
        completes_level=True,
        max_seconds=25.0,
    ),
    sprites=(
        SpriteSpec("head", "head", "primary", role="hero"),
        SpriteSpec("body", "rounded", "secondary"),
        SpriteSpec("food", "circle", "accent", role="collectible"),
        SpriteSpec("bonus", "star", "danger", role="collectible"),
        SpriteSpec("wall", "wall", "extra1"),
        SpriteSpec("cell", "floor", "surface"),
    ),
    cast_defaults={"hero": ("snake",), "collectible": ("apple", "cherry")},
    audio_cues={"eat": "pickup", "bonus": "win", "crash": "hit", "turn": "jump"},
    events=(
        EventSpec("food_eaten", "The snake ate a food.", ("length", "level", "bonus")),
        EventSpec("snake_crashed", "The snake hit a wall or itself.", ("length", "level", "cause")),
    ),
    touch_layouts=("dpad", "swipe"),
    tutorial=(
        "Steer with the arrow keys, WASD, a swipe or the on-screen pad.",
        "Eat the food to grow; fill the target to clear the level.",
        "Do not bite your own tail or hit a wall.",
    ),
    win_text="Eat the target number of foods.",
    lose_text="Lose all lives by crashing into walls or your own tail.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Snake", "Serpent", "Slither", "Worm"),
    preview=preview,
    multiplayer_modes=(
        MultiplayerMode(
            "battle",
            min_players=2,
            max_players=4,
            description="Snake battle on one board: the host runs the board, the last snake moving "
            "(or the first to eat the target) wins.",
        ),
    ),
)
