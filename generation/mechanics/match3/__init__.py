"""Match-3: swap neighbouring gems to line up three or more; clear the target before the moves run out."""

from __future__ import annotations

import random
from collections.abc import Sequence

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
    lerp_int,
)

MAX_COLORS = 6
Board = list[list[int]]


class Match3Params(MechanicParams):
    cascade_bonus: bool = Field(default=True, description="Chain reactions score double.")
    hints: bool = Field(default=True, description="A possible swap is highlighted after a few idle seconds.")


class Match3Level(MechanicLevel):
    rows: int = Field(ge=5, le=9)
    cols: int = Field(ge=5, le=8)
    colors: int = Field(ge=3, le=MAX_COLORS, description="Kinds of gem on the board.")
    moves: int = Field(ge=5, le=60, description="Swaps allowed.")
    target: int = Field(ge=3, le=500, description="Gems to clear to finish the level.")
    board: list[str] = Field(description="The starting board, one digit (gem kind) per cell.")
    seed: int = Field(ge=0, le=MAX_SEED, description="Seeds the gems that fall in.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _board_shape(self):
        if len(self.board) != self.rows or any(len(row) != self.cols for row in self.board):
            raise ValueError(f"board must be {self.rows} rows of {self.cols} digits")
        allowed = {str(i) for i in range(self.colors)}
        if any(set(row) - allowed for row in self.board):
            raise ValueError(f"board cells must be digits 0 to {self.colors - 1}")
        return self


def parse_board(rows: list[str]) -> Board:
    return [[int(ch) for ch in row] for row in rows]


def find_matches(board: Board) -> set[tuple[int, int]]:
    """Cells (row, col) in a horizontal or vertical run of three or more equal gems."""
    found: set[tuple[int, int]] = set()
    height, width = len(board), len(board[0])
    for r in range(height):
        for c in range(width - 2):
            if board[r][c] >= 0 and board[r][c] == board[r][c + 1] == board[r][c + 2]:
                found |= {(r, c), (r, c + 1), (r, c + 2)}
    for c in range(width):
        for r in range(height - 2):
            if board[r][c] >= 0 and board[r][c] == board[r + 1][c] == board[r + 2][c]:
                found |= {(r, c), (r + 1, c), (r + 2, c)}
    return found


def possible_swaps(board: Board) -> list[tuple[tuple[int, int], tuple[int, int], int]]:
    """Every swap of neighbours that makes a match, with how many gems it clears at once."""
    out = []
    height, width = len(board), len(board[0])
    for r in range(height):
        for c in range(width):
            for dr, dc in ((0, 1), (1, 0)):
                r2, c2 = r + dr, c + dc
                if r2 >= height or c2 >= width:
                    continue
                board[r][c], board[r2][c2] = board[r2][c2], board[r][c]
                cleared = len(find_matches(board))
                board[r][c], board[r2][c2] = board[r2][c2], board[r][c]
                if cleared:
                    out.append(((r, c), (r2, c2), cleared))
    return out


def validate_level(level: Match3Level, params: Match3Params) -> list[str]:
    """No match on the starting board, at least one swap available, the target reachable in the moves."""
    board = parse_board(level.board)
    problems = []
    if find_matches(board):
        problems.append("board: the starting board already has a match")
    if not possible_swaps(board):
        problems.append("board: no swap makes a match")
    # Every swap clears at least three gems and the board always reshuffles to keep a move.
    if level.target > level.moves * 3:
        problems.append(f"target: {level.target} gems cannot be cleared in {level.moves} moves")
    return problems


def _board(rng: random.Random, rows: int, cols: int, colors: int) -> Board:
    while True:
        board = [[-1] * cols for _ in range(rows)]
        for r in range(rows):
            for c in range(cols):
                options = list(range(colors))
                if c >= 2 and board[r][c - 1] == board[r][c - 2]:
                    options.remove(board[r][c - 1])
                if r >= 2 and board[r - 1][c] == board[r - 2][c] and board[r - 1][c] in options:
                    options.remove(board[r - 1][c])
                board[r][c] = rng.choice(options)
        if possible_swaps(board):
            return board


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: Match3Params
) -> list[Match3Level]:
    """More gem kinds, fewer moves and bigger targets as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        rows, cols = lerp_int(7, 8, d), lerp_int(6, 8, d)
        colors = lerp_int(4, 6, d)
        moves = lerp_int(20, 15, d)
        target = min(lerp_int(15, 40, d), int(moves * 3 * 0.9))
        board = _board(rng, rows, cols, colors)
        levels.append(
            Match3Level(
                rows=rows,
                cols=cols,
                colors=colors,
                moves=moves,
                target=target,
                board=["".join(str(v) for v in row) for row in board],
                seed=rng.randrange(MAX_SEED),
            )
        )
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"chain", "chains", "combo", "combos", "cascade", "cascades"}:
        params["cascade_bonus"] = True
    if words & {"hard", "expert", "no-hints", "challenging"}:
        params["hints"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    board = spec.levels[0].board[:6]
    cols = min(6, len(board[0]))
    cell = 0.9 / max(len(board), cols)
    return [
        (f"gem{ch}", 0.05 + (c + 0.5) * cell, 0.05 + (r + 0.5) * cell, cell * 0.92)
        for r, row in enumerate(board)
        for c, ch in enumerate(row[:cols])
    ]


MECHANIC = MechanicDefinition(
    slug="match3",
    name="Match-3",
    description="Swap neighbouring gems to line up three or more of a kind. Clear the target number "
    "of gems before your moves run out; chain reactions score double.",
    genre="puzzle",
    category="puzzle",
    keywords=(
        "match",
        "match3",
        "match-3",
        "three",
        "swap",
        "gems",
        "gem",
        "jewels",
        "jewel",
        "candy",
        "candies",
        "crush",
        "bejeweled",
        "tiles",
        "line",
        "combine",
        "sweets",
        "fruit",
        "cascade",
        "caramelos",
        "bonbons",
        "süßigkeiten",
        "doces",
        "gemas",
        "joyas",
        "три",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"swap": 3, "match": 3, "matching": 2.5, "combine": 1, "crush": 2, "clear": 1, "line": 1},
        foreign_words=(
            "gemas",
            "joyas",
            "gemme",
            "gemmes",
            "edelsteine",
            "edelstenen",
            "bonbons",
            "caramelos",
            "три в ряд",
            "宝石",
            "消除",
        ),
        emoji=("💎", "🍬", "🍭"),
    ),  # fmt: skip
    example_prompts=(
        "match three candies before time runs out",
        "swap glowing gems in an ancient temple",
        "a fruity match-3 for a lazy afternoon",
    ),
    Params=Match3Params,
    Level=Match3Level,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("click", "tile"),
        probe_watch="selected",
        expected_events=(*OPENING_EVENTS, "match_made"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("gem0", "gem", "primary", role="tile"),
        SpriteSpec("gem1", "diamond", "secondary", role="tile"),
        SpriteSpec("gem2", "circle", "accent", role="tile"),
        SpriteSpec("gem3", "star", "danger", role="tile"),
        SpriteSpec("gem4", "heart", "extra0", role="tile"),
        SpriteSpec("gem5", "triangle", "extra1", role="tile"),
        SpriteSpec("cell", "floor", "surface"),
        SpriteSpec("cursor", "ring", "text"),
    ),
    cast_defaults={"tile": ("apple", "grapes", "lemon", "cherry", "strawberry", "tangerine")},
    audio_cues={"swap": "jump", "match": "pickup", "cascade": "win", "invalid": "hit"},
    events=(
        EventSpec("match_made", "A swap or cascade cleared gems.", ("size", "combo", "level")),
        EventSpec("out_of_moves", "The moves ran out before the target.", ("level", "cleared")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap a gem, then a neighbour, to swap them (or drag).",
        "Keyboard: arrows move the cursor, Space picks, an arrow swaps.",
        "Line up three or more; clear the target before the moves run out.",
    ),
    win_text="Clear the target number of gems within the moves.",
    lose_text="Run out of moves (and lives) before reaching the target.",
    default_lives=3,
    default_level_count=12,
    tune_params=tune_params,
    title_nouns=("Match", "Crush", "Jewels", "Swap"),
    preview=preview,
)
