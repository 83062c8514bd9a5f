"""Sokoban: push every crate onto a target within the move limit; crates cannot be pulled.

Levels are made backwards (boxes start on the targets and are *pulled* away, which can
always be undone by pushing) and then proved solvable forwards by a breadth-first search
over pushes; the solver's solution is what the playtest bot plays.
"""

from __future__ import annotations

import random
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import count

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
    grid_find,
    grid_preview,
    grid_rows_checked,
    lerp,
    lerp_int,
)

MIN_SIDE, MAX_SIDE = 5, 16
# Standard Sokoban notation, with "-" for floor (a space would be stripped from the row).
WALL, FLOOR, GOAL, BOX, BOX_ON_GOAL, PLAYER, PLAYER_ON_GOAL = "#", "-", ".", "$", "*", "@", "+"
TILES = set("#-.$*@+")
MAX_BOXES = 6
# Pushes explored before the validator gives up proving a level solvable.
SOLVER_MAX_STATES = 20_000
# Moves (steps) per direction letter; upper case marks a push.
MOVES = {"u": (0, -1), "d": (0, 1), "l": (-1, 0), "r": (1, 0)}


class SokobanParams(MechanicParams):
    undo: bool = Field(
        default=True, description="Undo the last step (the step still counts against the limit)."
    )
    deadlock_hints: bool = Field(
        default=True, description="Warn when a crate is stuck where it can never leave."
    )


class SokobanLevel(MechanicLevel):
    grid: list[str] = Field(
        min_length=MIN_SIDE, max_length=MAX_SIDE,
        description="Rows: # wall, - floor, . target, $ crate, * crate on target, @ player, + player on target.",
    )  # fmt: skip
    move_limit: int = Field(ge=5, le=999, description="Steps allowed; running out fails the level.")
    par: int = Field(default=0, ge=0, le=999, description="Steps of the known solution (0 = unknown).")
    solution: str | None = Field(
        default=None, max_length=999, pattern=r"^[udlrUDLR]*$",
        description="Steps that solve the level (u d l r, upper case = a push); replayed by the validator as proof.",
    )  # fmt: skip
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("grid")
    @classmethod
    def _shape(cls, rows: list[str]) -> list[str]:
        return grid_rows_checked(
            rows,
            min_width=MIN_SIDE,
            max_width=MAX_SIDE,
            chars=TILES,
            chars_text="cells use only the characters # - . $ * @ +",
        )


# --- the board as bit masks: cell index = y * width + x on a grid padded with one ring of wall ---------


@dataclass(frozen=True)
class Board:
    """The static part of a level (walls, goals) and where the crates and the player start.

    Sets of cells are Python ints used as bit masks (bit i = cell i), which keeps the search fast.
    """

    width: int  # padded width
    height: int
    walls: int
    goals: int
    boxes: int
    player: int

    @property
    def free(self) -> int:
        return ((1 << (self.width * self.height)) - 1) & ~self.walls

    @property
    def steps(self) -> dict[str, int]:
        return {"u": -self.width, "d": self.width, "l": -1, "r": 1}


def bits(mask: int):
    """The cell indexes set in a mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _flood(seed: int, free: int, width: int) -> int:
    """Every cell of `free` connected to the cells of `seed` (4-neighbourhood)."""
    reach = seed & free
    while True:
        grown = (reach | (reach << 1) | (reach >> 1) | (reach << width) | (reach >> width)) & free
        if grown == reach:
            return reach
        reach = grown


def _low(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


def parse_grid(grid: Sequence[str]) -> Board:
    """The board of a grid in Sokoban notation (no checks: see validate_level)."""
    width, height = len(grid[0]) + 2, len(grid) + 2
    walls = goals = boxes = 0
    player = -1
    for y in range(height):
        for x in range(width):
            if x in (0, width - 1) or y in (0, height - 1):
                walls |= 1 << (y * width + x)
    for y, row in enumerate(grid):
        for x, ch in enumerate(row):
            cell = (y + 1) * width + x + 1
            if ch == WALL:
                walls |= 1 << cell
            if ch in (GOAL, BOX_ON_GOAL, PLAYER_ON_GOAL):
                goals |= 1 << cell
            if ch in (BOX, BOX_ON_GOAL):
                boxes |= 1 << cell
            if ch in (PLAYER, PLAYER_ON_GOAL):
                player = cell
    return Board(width, height, walls, goals, boxes, player)


def render_grid(board: Board, boxes: int, player: int) -> list[str]:
    rows = []
    for y in range(1, board.height - 1):
        row = []
        for x in range(1, board.width - 1):
            cell = y * board.width + x
            goal = board.goals >> cell & 1
            if board.walls >> cell & 1:
                row.append(WALL)
            elif boxes >> cell & 1:
                row.append(BOX_ON_GOAL if goal else BOX)
            elif cell == player:
                row.append(PLAYER_ON_GOAL if goal else PLAYER)
            else:
                row.append(GOAL if goal else FLOOR)
        rows.append("".join(row))
    return rows


def _walk(board: Board, boxes: int, start: int, target: int) -> str:
    """The shortest walk (letters) from start to target around walls and crates."""
    came: dict[int, tuple[int, str] | None] = {start: None}
    queue = deque([start])
    blocked = board.walls | boxes
    while queue and target not in came:
        cell = queue.popleft()
        for letter, step in board.steps.items():
            nxt = cell + step
            if nxt not in came and not blocked >> nxt & 1:
                came[nxt] = (cell, letter)
                queue.append(nxt)
    letters = []
    while came[target] is not None:
        target, letter = came[target]
        letters.append(letter)
    return "".join(reversed(letters))


def push_distances(board: Board) -> dict[int, int]:
    """For each cell, the fewest pushes that bring a crate there onto some target.

    Other crates and where the player can walk are ignored, so it never overestimates (an
    admissible heuristic); cells missing from the map are dead: no crate there can ever be placed.
    """
    dist = dict.fromkeys(bits(board.goals), 0)
    queue = deque(dist)
    while queue:
        cell = queue.popleft()
        for step in board.steps.values():
            # Pull the crate one cell away: the player stands there and steps back once more.
            nxt, behind = cell + step, cell + 2 * step
            if nxt not in dist and not board.walls >> nxt & 1 and not board.walls >> behind & 1:
                dist[nxt] = dist[cell] + 1
                queue.append(nxt)
    return dist


def dead_cells(board: Board) -> int:
    """Floor cells from which a crate can never reach any target."""
    alive = 0
    for cell in push_distances(board):
        alive |= 1 << cell
    return board.free & ~alive


def _frozen(board: Board, boxes: int, cell: int) -> bool:
    """A 2x2 square of walls and crates with a crate off target in it: none of them can ever move."""
    w = board.width
    solid = board.walls | boxes
    loose = boxes & ~board.goals
    for a, b, c in ((1, w, w + 1), (-1, w, w - 1), (1, -w, -w + 1), (-1, -w, -w - 1)):
        square = (1 << cell) | (1 << (cell + a)) | (1 << (cell + b)) | (1 << (cell + c))
        if solid & square == square and loose & square:
            return True
    return False


@dataclass(frozen=True)
class Solution:
    """A solution found by `solve`: the steps (upper case = a push) and how many pushes."""

    moves: str
    pushes: int


@dataclass(frozen=True)
class SolveResult:
    solution: Solution | None
    exhausted: bool  # True: every reachable position was searched (None then means unsolvable)
    states: int


def solve(board: Board, *, max_states: int = SOLVER_MAX_STATES) -> SolveResult:
    """A* search over pushes: a solution with the fewest pushes, or proof that there is none.

    A state is the set of crates and the player's reachable area (named by its lowest cell); the
    estimate is each crate's own push distance to a target (`push_distances`, never too high).
    Pushes into dead cells or into frozen 2x2 squares are never made. Past `max_states`
    expanded positions the search gives up and says so (`exhausted=False`).
    """
    if not board.boxes & ~board.goals:
        return SolveResult(Solution("", 0), True, 1)
    dist = push_distances(board)
    if any(box not in dist for box in bits(board.boxes)):
        return SolveResult(None, True, 0)  # a crate already sits where it can never leave for a target
    dead = dead_cells(board)
    free, width, goals = board.free, board.width, board.goals
    letters = tuple(board.steps.items())
    # Expanded states: (crates, lowest reachable cell) -> (parent state, crate cell, letter).
    parents: dict[tuple[int, int], tuple | None] = {}
    areas: dict[int, int] = {}  # crates -> union of the areas already expanded with them
    order = count()
    estimate = sum(dist[box] for box in bits(board.boxes))
    # (pushes + estimate, -pushes, tie-break, crates, player, parent state, pushed crate, letter)
    heap: list[tuple] = [(estimate, 0, next(order), board.boxes, board.player, None, -1, "")]
    states = 0
    while heap:
        total, neg_pushes, _, boxes, player, parent, pushed, letter = heappop(heap)
        if areas.get(boxes, 0) >> player & 1:
            continue
        reach = _flood(1 << player, free & ~boxes, width)
        key = (boxes, _low(reach))
        areas[boxes] = areas.get(boxes, 0) | reach
        parents[key] = None if parent is None else (parent, pushed, letter)
        if not boxes & ~goals:
            return SolveResult(_replay(board, parents, key), True, states)
        states += 1
        if states > max_states:
            return SolveResult(None, False, states)
        pushes = -neg_pushes + 1
        estimate = total + neg_pushes
        open_cells = free & ~boxes & ~dead
        for box in bits(boxes):
            for name, step in letters:
                target = box + step
                if not (reach >> (box - step) & 1 and open_cells >> target & 1):
                    continue
                moved = boxes ^ (1 << box) | (1 << target)
                if not goals >> target & 1 and _frozen(board, moved, target):
                    continue
                if areas.get(moved, 0) >> box & 1:
                    continue
                guess = estimate - dist[box] + dist[target]
                heappush(heap, (pushes + guess, -pushes, next(order), moved, box, key, box, name))
    return SolveResult(None, True, states)


def _replay(board: Board, parents: dict, last: tuple) -> Solution:
    """The full step string for the chain of pushes ending in `last`."""
    pushes = []
    key = last
    while parents[key] is not None:
        parent, box, letter = parents[key]
        pushes.append((box, letter))
        key = parent
    pushes.reverse()
    boxes, player = board.boxes, board.player
    steps = board.steps
    out = []
    for box, letter in pushes:
        out.append(_walk(board, boxes, player, box - steps[letter]))
        out.append(letter.upper())
        boxes = boxes ^ (1 << box) | (1 << (box + steps[letter]))
        player = box
    return Solution("".join(out), len(pushes))


# Search results by grid (a spec is validated several times on its way to a bundle), and the
# solutions the generator made the levels with (checked by replaying them: a replay is a proof).
_RESULTS: OrderedDict[tuple[str, ...], SolveResult] = OrderedDict()
_RESULTS_MAX = 512


def _remember(grid: Sequence[str], result: SolveResult) -> None:
    key = tuple(grid)
    _RESULTS[key] = result
    _RESULTS.move_to_end(key)
    while len(_RESULTS) > _RESULTS_MAX:
        _RESULTS.popitem(last=False)


def _remember_solution(grid: Sequence[str], moves: str) -> None:
    after = replay_moves(grid, moves)
    if after is not None and is_solved(after):
        _remember(grid, SolveResult(Solution(moves, sum(ch.isupper() for ch in moves)), True, 0))


def solve_grid(grid: Sequence[str]) -> SolveResult:
    """`solve` for a grid in Sokoban notation, remembered per grid."""
    key = tuple(grid)
    cached = _RESULTS.get(key)
    if cached is None:
        cached = solve(parse_grid(key))
        _remember(key, cached)
    return cached


def replay_moves(grid: Sequence[str], moves: str) -> list[str] | None:
    """Play `moves` (u/d/l/r, any case) on `grid`: the grid after them, or None if a step is illegal."""
    board = parse_grid(grid)
    boxes, player = board.boxes, board.player
    steps = board.steps
    for letter in moves.lower():
        nxt = player + steps[letter]
        if board.walls >> nxt & 1:
            return None
        if boxes >> nxt & 1:
            beyond = nxt + steps[letter]
            if (board.walls | boxes) >> beyond & 1:
                return None
            boxes = boxes ^ (1 << nxt) | (1 << beyond)
        player = nxt
    return render_grid(board, boxes, player)


def grid_with(grid: Sequence[str], *, crates: Sequence[Sequence[int]], player: Sequence[int]) -> list[str]:
    """The level's walls and targets with crates and player moved to (x, y) positions (as a scene reports them)."""
    board = parse_grid(grid)
    boxes = 0
    for x, y in crates:
        boxes |= 1 << ((y + 1) * board.width + x + 1)
    return render_grid(board, boxes, (player[1] + 1) * board.width + player[0] + 1)


def is_solved(grid: Sequence[str]) -> bool:
    return not any(BOX in row for row in grid)


# --- validation ----------------------------------------------------------------------------------------


def validate_level(level: SokobanLevel, params: SokobanParams) -> list[str]:
    """One player, as many crates as targets, not solved yet, and a solution within the move limit.

    The solution is the level's own (`solution`, replayed: a proof) or one found by search; without
    either the level is refused, as unsolvable (the search covered every position) or unproven.
    """
    grid = level.grid
    text = "".join(grid)
    players = text.count(PLAYER) + text.count(PLAYER_ON_GOAL)
    boxes = text.count(BOX) + text.count(BOX_ON_GOAL)
    goals = text.count(GOAL) + text.count(BOX_ON_GOAL) + text.count(PLAYER_ON_GOAL)
    if players != 1:
        return [f"grid: needs exactly one player @ (found {players})"]
    if not 1 <= boxes <= MAX_BOXES:
        return [f"grid: needs 1 to {MAX_BOXES} crates (found {boxes})"]
    if boxes != goals:
        return [f"grid: {boxes} crate(s) but {goals} target(s); they must match"]
    if is_solved(grid):
        return ["grid: every crate is already on a target"]
    if level.solution is not None:
        after = replay_moves(grid, level.solution)
        if after is None or not is_solved(after):
            return ["solution: playing it does not put every crate on a target"]
        needed, source = len(level.solution), "the level's solution takes"
    else:
        result = solve_grid(grid)
        if result.solution is None:
            if result.exhausted:
                return ["grid: unsolvable: no sequence of pushes puts every crate on a target"]
            return [f"grid: could not prove the level solvable within {SOLVER_MAX_STATES} searched positions"]
        needed, source = len(result.solution.moves), "the solver's solution takes"
    problems = []
    if level.move_limit < needed:
        problems.append(f"move_limit: {source} {needed} steps, more than the limit of {level.move_limit}")
    if level.par > level.move_limit:
        problems.append(f"par: {level.par} steps is more than the move limit of {level.move_limit}")
    return problems


# --- generation -----------------------------------------------------------------------------------------


def _room(rng: random.Random, width: int, height: int, wall_share: float) -> list[list[str]]:
    """An inner room (walls around it) with a few wall blocks, every floor cell connected."""
    grid = [[WALL] * (width + 2) for _ in range(height + 2)]
    for y in range(1, height + 1):
        for x in range(1, width + 1):
            grid[y][x] = FLOOR
    for _ in range(int(width * height * wall_share)):
        x, y = rng.randint(1, width), rng.randint(1, height)
        grid[y][x] = WALL
        if rng.random() < 0.35:  # short wall segments read better than scattered blocks
            dx, dy = rng.choice(((1, 0), (0, 1)))
            if 1 <= x + dx <= width and 1 <= y + dy <= height:
                grid[y + dy][x + dx] = WALL
    # Keep the largest connected floor area; wall in the rest.
    floor = {(x, y) for y in range(height + 2) for x in range(width + 2) if grid[y][x] == FLOOR}
    best: set = set()
    seen: set = set()
    for cell in sorted(floor):
        if cell in seen:
            continue
        part = {cell}
        stack = [cell]
        while stack:
            cx, cy = stack.pop()
            for n in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                if n in floor and n not in part:
                    part.add(n)
                    stack.append(n)
        seen |= part
        if len(part) > len(best):
            best = part
    for x, y in floor - best:
        grid[y][x] = WALL
    return grid


def _pull_search(board: Board, *, max_states: int, max_depth: int) -> list[tuple[int, int, int, int]]:
    """Breadth-first pulls from the solved position, as (pushes needed, crates, player, parent index).

    Every state reached by pulling is solved by pushing the same way back, so its depth is the
    exact number of pushes it needs (breadth-first: the first time a state is seen is the shallowest).
    """
    free, width = board.free, board.width
    steps = tuple(board.steps.values())
    boxes0 = board.goals
    found: list[tuple[int, int, int, int]] = []
    areas: dict[int, int] = {}
    queue = deque()
    covered = 0
    for cell in bits(free & ~boxes0):
        if not covered >> cell & 1:
            covered |= _flood(1 << cell, free & ~boxes0, width)
            queue.append((boxes0, cell, 0, -1))
    while queue and len(found) < max_states:
        boxes, player, depth, parent = queue.popleft()
        if depth > max_depth:
            break
        if areas.get(boxes, 0) >> player & 1:
            continue
        reach = _flood(1 << player, free & ~boxes, width)
        areas[boxes] = areas.get(boxes, 0) | reach
        index = len(found)
        found.append((depth, boxes, player, parent))
        for box in bits(boxes):
            for step in steps:
                # The player stands next to the crate and steps away from it, dragging it along.
                stand, back = box + step, box + 2 * step
                if not (reach >> stand & 1 and reach >> back & 1):
                    continue
                moved = boxes ^ (1 << box) | (1 << stand)
                if not areas.get(moved, 0) >> back & 1:
                    queue.append((moved, back, depth + 1, index))
    return found


def _pushes_back(board: Board, found: list[tuple[int, int, int, int]], index: int) -> str:
    """The steps that solve state `index` of a pull search: its pulls, reversed, as pushes."""
    depth, boxes, player, parent = found[index]
    out = []
    while parent >= 0:
        _, before, _, grand = found[parent]
        # The pull moved one crate from `old` (in `before`) to `new` (in `boxes`): push it back.
        (old,) = bits(before & ~boxes)
        (new,) = bits(boxes & ~before)
        letter = next(name for name, step in board.steps.items() if new + step == old)
        out.append(_walk(board, boxes, player, new - board.steps[letter]))
        out.append(letter.upper())
        boxes, player = before, new
        parent = grand
    return "".join(out)


def _candidate(rng: random.Random, d: float) -> SokobanLevel | None:
    width = lerp_int(5, 8, d + rng.uniform(-0.1, 0.1))
    height = lerp_int(5, 7, d + rng.uniform(-0.1, 0.1))
    crates = lerp_int(1, 4, d)
    grid = _room(rng, width, height, lerp(0.08, 0.2, d))
    floor = grid_find(grid, FLOOR)
    # Targets away from the outer wall when possible: a crate on the edge is dull.
    inner = [(x, y) for x, y in floor if 2 <= x <= width - 1 and 2 <= y <= height - 1] or floor
    if len(inner) < crates + 2:
        return None
    for x, y in rng.sample(inner, crates):
        grid[y][x] = GOAL
    board = parse_grid(["".join(row[1:-1]) for row in grid[1:-1]])
    wanted = lerp_int(3, 24, d)
    found = _pull_search(board, max_states=lerp_int(600, 2_500, d), max_depth=wanted)
    eligible = [i for i, state in enumerate(found) if state[0] >= 2]
    if not eligible:
        return None
    top = max(found[i][0] for i in eligible)
    if top < min(wanted, lerp_int(3, 10, d)):
        return None  # a room that only allows trivial puzzles: try another
    index = rng.choice([i for i in eligible if found[i][0] == top])
    _, boxes, player, _ = found[index]
    rows = render_grid(board, boxes, player)
    solution = _pushes_back(board, found, index)
    _remember_solution(rows, solution)
    needed = len(solution)
    move_limit = min(999, int(needed * (1 + lerp(1.0, 0.3, d))) + lerp_int(12, 4, d))
    return SokobanLevel(grid=rows, move_limit=move_limit, par=needed, solution=solution)


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: SokobanParams
) -> list[SokobanLevel]:
    """Bigger rooms, more crates, longer solutions and tighter move limits as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        level = None
        for attempt in range(30):
            level = _candidate(rng, max(0.0, d - 0.02 * attempt))
            if level is not None:
                break
        if level is None:  # pragma: no cover - a 5x5 room with one crate always works
            level = SokobanLevel(grid=["-----", "-@$.-", "-----", "-----", "-----"], move_limit=20, par=1,
                                 solution="R")  # fmt: skip
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"hardcore", "no-undo", "unforgiving", "brutal", "purist"}:
        params["undo"] = False
    if words & {"expert", "purist", "no-hints", "hardcore"}:
        params["deadlock_hints"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    """The first level with its ring of wall (the grid's outside is wall, as the scene draws it)."""
    grid = spec.levels[0].grid
    ringed = ["#" * (len(grid[0]) + 2), *(f"#{row}#" for row in grid), "#" * (len(grid[0]) + 2)]
    names = {WALL: "wall", BOX: "crate", BOX_ON_GOAL: "crate_done", GOAL: "target", PLAYER: "player",
             PLAYER_ON_GOAL: "player"}  # fmt: skip
    return grid_preview(ringed, names, side=12)


MECHANIC = MechanicDefinition(
    slug="sokoban",
    name="Sokoban",
    description="Push every crate onto a target. Crates only move when pushed, never pulled, so think "
    "before you shove one into a corner; finish within the move limit.",
    genre="puzzle",
    category="puzzle",
    keywords=(
        "sokoban",
        "push",
        "pushing",
        "crate",
        "crates",
        "box",
        "boxes",
        "warehouse",
        "storage",
        "worker",
        "shove",
        "block",
        "boulder",
        "boulders",
        "pallet",
        "forklift",
        "cajas",
        "caisses",
        "kisten",
        "ящики",
        "倉庫番",
        "推箱子",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"push": 3, "solve": 1},
        foreign_words=(
            "cajas",
            "caixas",
            "caisses",
            "kisten",
            "skrzyń",
            "skrzynie",
            "skrzynek",
            "ящик",
            "推箱子",
            "倉庫番",
        ),
        emoji=("📦",),
    ),  # fmt: skip
    example_prompts=(
        "push crates onto the targets in a warehouse",
        "a sokoban puzzle in an ancient temple",
        "shove boulders into place before the moves run out",
    ),
    Params=SokobanParams,
    Level=SokobanLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "solution"),
        probe_watch="player",
        expected_events=(*OPENING_EVENTS, "crate_placed", "level_end"),
        completes_level=True,
        max_seconds=30.0,
    ),
    sprites=(
        SpriteSpec("player", "head", "primary", role="hero"),
        SpriteSpec("crate", "brick", "accent", role="prop"),
        SpriteSpec("crate_done", "brick", "extra0"),
        SpriteSpec("target", "ring", "secondary", role="goal"),
        SpriteSpec("wall", "wall", "secondary"),
        SpriteSpec("floor", "floor", "surface"),
        SpriteSpec("undo", "rounded", "primary", 64, 48),
    ),
    cast_defaults={"hero": ("worker",), "prop": ("package",), "goal": ("star",)},
    audio_cues={"step": "jump", "push": "jump", "placed": "pickup", "blocked": "hit", "stuck": "lose"},
    events=(
        EventSpec("crate_placed", "A crate landed on a target.", ("level", "placed", "total")),
        EventSpec("crate_stuck", "A crate was pushed where it can never reach a target.", ("level",)),
        EventSpec("undo_used", "The player undid a step.", ("level", "moves")),
        EventSpec("out_of_moves", "The move limit ran out.", ("level", "placed")),
    ),
    touch_layouts=("dpad", "swipe"),
    tutorial=(
        "Move with the arrow keys, WASD, a swipe or the on-screen pad.",
        "Walk into a crate to push it; you can never pull one back.",
        "Cover every target before the moves run out. Undo: U, Z or Backspace.",
    ),
    win_text="Push every crate onto a target within the move limit.",
    lose_text="Run out of moves (and lives) before every crate is on a target.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Crates", "Warehouse", "Push", "Sokoban"),
    preview=preview,
)
