"""Merge (2048-like): slide every tile at once; equal tiles merge. Reach the level's target tile.

New tiles fall in from the level's seed with the same generator as the runtime (mulberry32,
`GF.rng`), so a level plays the same way every time the same moves are made. For targets up to
`PROVEN_TARGET_MAX` the validator plays the level through with a fixed policy (`choose_move`)
under that exact sequence of new tiles and keeps the winning line as proof; the playtest bot
plays the same policy in the browser.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import lru_cache

from pydantic import Field, model_validator

from generation.limits import MAX_SEED
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

MIN_SIZE, MAX_SIZE = 3, 6
STONE = -1  # a cell no tile can enter
MIN_TARGET, MAX_TARGET = 16, 8192
# Levels with a target up to this are played through by the validator (a few thousand slides at most).
PROVEN_TARGET_MAX = 256
PROOF_MAX_MOVES = 400
DIRECTIONS = ("up", "down", "left", "right")
Board = list[list[int]]


def _power_of_two(value: int) -> bool:
    return value >= 2 and value & (value - 1) == 0


class MergeParams(MechanicParams):
    four_chance: float = Field(
        default=0.1, ge=0.0, le=0.5, description="Chance that a new tile is a 4, not a 2."
    )
    stones: bool = Field(default=True, description="Stone cells that block sliding appear on some levels.")


class MergeLevel(MechanicLevel):
    size: int = Field(ge=MIN_SIZE, le=MAX_SIZE, description="The board is size x size cells.")
    board: list[list[int]] = Field(
        description="Rows of cells: 0 empty, -1 stone, else a tile (a power of two)."
    )
    target: int = Field(ge=MIN_TARGET, le=MAX_TARGET, description="The tile to make (a power of two).")
    seed: int = Field(ge=0, le=MAX_SEED, description="Seeds where the new tiles fall.")
    move_limit: int | None = Field(
        default=None, ge=10, le=5000, description="Moves allowed (none = unlimited)."
    )
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _shape(self):
        if len(self.board) != self.size or any(len(row) != self.size for row in self.board):
            raise ValueError(f"board must be {self.size} rows of {self.size} cells")
        for row in self.board:
            for value in row:
                if value not in (0, STONE) and not _power_of_two(value):
                    raise ValueError("cells must be 0 (empty), -1 (stone) or a power of two")
        if not _power_of_two(self.target):
            raise ValueError("target must be a power of two")
        return self


# --- the game, exactly as the scene plays it ------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _slide_row(row: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """One row slid towards its start: stones split it; equal neighbours merge once, nearest first."""
    out: list[int] = []
    points = 0
    start = 0
    for end in [*(i for i, v in enumerate(row) if v == STONE), len(row)]:
        tiles = [v for v in row[start:end] if v > 0]
        merged: list[int] = []
        i = 0
        while i < len(tiles):
            if i + 1 < len(tiles) and tiles[i] == tiles[i + 1]:
                merged.append(tiles[i] * 2)
                points += tiles[i] * 2
                i += 2
            else:
                merged.append(tiles[i])
                i += 1
        out.extend(merged + [0] * (end - start - len(merged)))
        if end < len(row):
            out.append(STONE)
        start = end + 1
    return tuple(out), points


def slide(board: Board, direction: str) -> tuple[Board, int, bool]:
    """Slide every tile towards `direction`: (new board, points from merges, whether anything moved).

    Stones split a line into segments; in each, tiles pack towards the edge and two equal
    neighbours merge once (the pair nearer the edge first), as in 2048.
    """
    lines = (
        [tuple(row) for row in board] if direction in ("left", "right") else list(zip(*board, strict=True))
    )
    backwards = direction in ("right", "down")
    points = 0
    result = []
    for line in lines:
        slid, gained = _slide_row(line[::-1] if backwards else line)
        points += gained
        result.append(slid[::-1] if backwards else slid)
    if direction in ("up", "down"):
        result = list(zip(*result, strict=True))
    out = [list(row) for row in result]
    return out, points, out != board


def can_move(board: Board) -> bool:
    return any(slide(board, d)[2] for d in DIRECTIONS)


def spawn(board: Board, rand, four_chance: float) -> tuple[int, int, int] | None:
    """Drop a new tile on an empty cell (row-major order), as the scene does: (row, col, value)."""
    empties = [(r, c) for r, row in enumerate(board) for c, v in enumerate(row) if v == 0]
    if not empties:
        return None
    r, c = empties[int(rand() * len(empties))]
    value = 4 if rand() < four_chance else 2
    board[r][c] = value
    return r, c, value


@lru_cache(maxsize=8)
def _weights(size: int) -> list[list[float]]:
    """A snake of falling weights from the top-left corner: big tiles gather there in order."""
    weights = [[0.0] * size for _ in range(size)]
    value = 4.0 ** (size * size)
    for r in range(size):
        cols = range(size) if r % 2 == 0 else reversed(range(size))
        for c in cols:
            weights[r][c] = value
            value /= 4.0
    return weights


def _score(board: Board, weights: list[list[float]]) -> float:
    size = len(board)
    total = 0.0
    empty = 0
    for r in range(size):
        for c in range(size):
            v = board[r][c]
            if v > 0:
                total += v * weights[r][c]
            elif v == 0:
                empty += 1
    return total * (1 + 0.1 * empty)


def choose_move(board: Board) -> str | None:
    """The policy the validator proves levels with and the playtest bot plays: greedy on a corner snake."""
    weights = _weights(len(board))
    best, best_score = None, -1.0
    for direction in ("up", "left", "right", "down"):
        after, _, moved = slide(board, direction)
        if not moved:
            continue
        score = _score(after, weights)
        if score > best_score:
            best, best_score = direction, score
    return best


def play_through(level: MergeLevel, params: MergeParams, *, max_moves: int) -> tuple[bool, list[str]]:
    """Play the level with `choose_move` under its own sequence of new tiles: (reached the target, moves)."""
    limit = min(max_moves, level.move_limit or max_moves)
    board = tuple(tuple(row) for row in level.board)
    reached, moves = _play_through(board, level.target, level.seed, params.four_chance, limit)
    return reached, list(moves)


@lru_cache(maxsize=256)
def _play_through(
    start: tuple[tuple[int, ...], ...], target: int, seed: int, four_chance: float, limit: int
) -> tuple[bool, tuple[str, ...]]:
    # Cached: a spec is validated several times on its way to a bundle.
    board = [list(row) for row in start]
    rand = mulberry32(seed)
    moves: list[str] = []
    while len(moves) < limit:
        direction = choose_move(board)
        if direction is None:
            return False, moves
        board, _, _ = slide(board, direction)
        moves.append(direction)
        if max(max(row) for row in board) >= target:
            return True, tuple(moves)
        spawn(board, rand, four_chance)
    return False, tuple(moves)


def _walled_in(board: Board, r: int, c: int) -> bool:
    """No neighbour of the cell (row r, column c) is open: stones or the edge on every side."""
    size = len(board)
    return not any(
        0 <= r + dr < size and 0 <= c + dc < size and board[r + dr][c + dc] != STONE
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1))
    )


# --- validation --------------------------------------------------------------------------------------


def validate_level(level: MergeLevel, params: MergeParams) -> list[str]:
    """Room to play, no tile at the target yet, a move available, and the target reachable.

    Reachable means: within the board's capacity and the move limit (each move adds at most a 4),
    and, for targets up to PROVEN_TARGET_MAX, actually reached by playing the level through.
    """
    board = level.board
    size = level.size
    tiles = [v for row in board for v in row if v > 0]
    open_cells = [(r, c) for r in range(size) for c in range(size) if board[r][c] != STONE]
    empty = sum(1 for row in board for v in row if v == 0)
    problems = []
    if empty < 2:
        return ["board: needs at least two empty cells"]
    if tiles and max(tiles) >= level.target:
        return ["target: the board already holds the target tile"]
    if not can_move(board):
        return ["board: no move is possible"]
    for r, c in open_cells:
        if _walled_in(board, r, c):
            problems.append(f"board: the cell at row {r}, column {c} is walled in by stones")
    # A board of n open cells can hold at most a 2^(n+1) tile (a full chain ending in a 4).
    if level.target > 2 ** (len(open_cells) + 1):
        problems.append(f"target: {level.target} cannot fit on {len(open_cells)} open cells")
    needed = max(0, -(-(level.target - sum(tiles)) // 4))
    if level.move_limit is not None and level.move_limit < needed:
        problems.append(f"move_limit: at least {needed} moves are needed to build {level.target}")
    if problems:
        return problems
    if level.target <= PROVEN_TARGET_MAX:
        reached, moves = play_through(level, params, max_moves=PROOF_MAX_MOVES)
        if not reached:
            limit = f" within {level.move_limit} moves" if level.move_limit else ""
            problems.append(
                f"target: playing it through did not reach {level.target}{limit}; try another seed"
            )
    return problems


# --- generation --------------------------------------------------------------------------------------


def _start_board(rng: random.Random, size: int, stones: int, four_chance: float) -> Board:
    while True:
        board = [[0] * size for _ in range(size)]
        inner = [(r, c) for r in range(size) for c in range(size)]
        for r, c in rng.sample(inner, stones):
            board[r][c] = STONE
        rand = rng.random
        spawn(board, rand, four_chance)
        spawn(board, rand, four_chance)
        walled = any(
            board[r][c] != STONE and _walled_in(board, r, c) for r in range(size) for c in range(size)
        )
        if not walled:
            return board


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: MergeParams
) -> list[MergeLevel]:
    """Bigger targets, smaller boards, stones and tighter move limits as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        target = 2 ** (5 + round(5 * d**1.5))  # 64 from d = 0.25, 256 from 0.65, 1024 at 0.95
        size = 5 if d < 0.6 else 4
        stones = lerp_int(0, 3, (d - 0.2) / 0.4) if params.stones and size == 5 and d >= 0.2 else 0
        level = None
        for _attempt in range(40):
            board = _start_board(rng, size, stones, params.four_chance)
            seed = rng.randrange(MAX_SEED)
            level = MergeLevel(size=size, board=board, target=target, seed=seed)
            if target > PROVEN_TARGET_MAX:
                break
            reached, moves = play_through(level, params, max_moves=PROOF_MAX_MOVES)
            if reached:
                if d >= 0.45:
                    # A limit the proof's own line fits into, tighter as difficulty climbs.
                    limit = max(10, int(len(moves) * lerp(1.8, 1.25, (d - 0.45) / 0.55)))
                    level = MergeLevel(size=size, board=board, target=target, seed=seed, move_limit=limit)
                break
            level = None
        if level is None:  # pragma: no cover - the policy reaches small targets on nearly every seed
            target //= 2
            level = MergeLevel(size=size, board=[[0] * size for _ in range(size)], target=max(MIN_TARGET, target),
                               seed=0)  # fmt: skip
            level.board[0][0] = level.board[0][1] = 2
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"classic", "pure", "simple", "plain", "original"}:
        params["stones"] = False
    if words & {"hard", "expert", "challenging", "brutal", "tough"}:
        params["four_chance"] = 0.2
    if words & {"kids", "easy", "calm", "relaxing", "gentle"}:
        params["four_chance"] = 0.05
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    board = spec.levels[0].board
    size = len(board)
    cell = 0.9 / size
    items = []
    demo = [[2, 4, 8, 16], [4, 8, 16, 32], [0, 2, 64, 0], [0, 0, 2, 4]]
    for r in range(size):
        for c in range(size):
            value = board[r][c] if board[r][c] else demo[r % 4][c % 4]
            name = (
                "stone"
                if value == STONE
                else ("cell" if value == 0 else f"tile{min(value.bit_length() - 2, 5)}")
            )
            items.append((name, 0.05 + (c + 0.5) * cell, 0.05 + (r + 0.5) * cell, cell * 0.92))
    return items


MECHANIC = MechanicDefinition(
    slug="merge",
    name="Merge",
    description="Slide all the tiles at once; two equal tiles that meet merge into one worth double. "
    "Build the target tile before the board fills up (or the moves run out).",
    genre="puzzle",
    category="puzzle",
    keywords=(
        "merge",
        "merging",
        "2048",
        "1024",
        "4096",
        "slide",
        "sliding",
        "double",
        "doubling",
        "numbers",
        "number",
        "tile",
        "tiles",
        "threes",
        "powers",
        "fusion",
        "fuse",
        "combine",
        "fusionar",
        "fusionner",
        "verschmelzen",
        "объединить",
        "合并",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"combine": 3, "merge": 3},
        foreign_words=("fusionar", "fusionner", "unire", "verschmelzen", "2048", "合并"),
        emoji=("🔢",),
    ),  # fmt: skip
    example_prompts=(
        "a 2048 game with cute animals",
        "slide and merge number tiles to reach 512",
        "merge glowing cubes in space",
    ),
    Params=MergeParams,
    Level=MergeLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowUp"),
        probe_watch="board",
        expected_events=(*OPENING_EVENTS, "tiles_merged", "level_end"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("cell", "floor", "surface"),
        SpriteSpec("stone", "wall", "secondary"),
        SpriteSpec("tile0", "rounded", "primary", role="tile"),
        SpriteSpec("tile1", "rounded", "secondary", role="tile"),
        SpriteSpec("tile2", "rounded", "accent", role="tile"),
        SpriteSpec("tile3", "rounded", "extra0", role="tile"),
        SpriteSpec("tile4", "rounded", "extra1", role="tile"),
        SpriteSpec("tile5", "rounded", "danger", role="tile"),
        SpriteSpec("goal", "star", "accent", role="goal"),
    ),
    cast_defaults={"tile": ("egg", "chick", "bird", "eagle", "dragon", "unicorn"), "goal": ("trophy",)},
    audio_cues={"slide": "jump", "merge": "pickup", "big_merge": "win", "blocked": "hit"},
    events=(
        EventSpec("tiles_merged", "A move merged tiles.", ("level", "merges", "largest")),
        EventSpec("new_best_tile", "A bigger tile than ever before in this level.", ("level", "value")),
        EventSpec("board_full", "No move was left.", ("level", "largest")),
        EventSpec("out_of_moves", "The move limit ran out.", ("level", "largest")),
    ),
    touch_layouts=("swipe", "dpad"),
    tutorial=(
        "Swipe, or press the arrow keys / WASD, to slide every tile.",
        "Two equal tiles that meet merge into one worth double.",
        "Build the target tile before the board fills up.",
    ),
    win_text="Build the level's target tile.",
    lose_text="Fill the board with no move left, or run out of moves.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Merge", "Tiles", "Fusion", "Doubles"),
    preview=preview,
)
