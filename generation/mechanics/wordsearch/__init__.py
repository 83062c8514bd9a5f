"""Word search: find the hidden words in a grid of letters by dragging from their first letter to their last.

The words come from `generation/mechanics/_words` (frequency-ranked, offensive words out). Difficulty
grows the grid, hides more and longer words and opens more directions (right and down, then the
diagonal, then backwards too). The validator reads the grid: each listed word is where its placement
says and nowhere else, no word hides inside another, and the filler letters spell no offensive word.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import Field, model_validator

from generation.mechanics._words import (
    CHILD_WORDS,
    Language,
    is_allowed,
    language_of,
    offensive_words,
    word_pool,
)
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
    lerp_int,
)

MIN_SIZE, MAX_SIZE = 5, 12
# (row step, column step) of each direction a word may run in, by how many the level opens.
EASY_DIRECTIONS = ((0, 1), (1, 0))
DIAGONAL_DIRECTIONS = (*EASY_DIRECTIONS, (1, 1))
ALL_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (-1, 1), (0, -1), (-1, 0), (-1, -1), (1, -1))
DIRECTION_SETS = {"easy": EASY_DIRECTIONS, "diagonal": DIAGONAL_DIRECTIONS, "all": ALL_DIRECTIONS}
SECONDS_PER_WORD = 4


class Placement(StrictModel):
    word: str = Field(min_length=3, max_length=MAX_SIZE)
    row: int = Field(ge=0, lt=MAX_SIZE)
    col: int = Field(ge=0, lt=MAX_SIZE)
    dr: int = Field(ge=-1, le=1)
    dc: int = Field(ge=-1, le=1)

    @model_validator(mode="after")
    def _moves(self):
        if self.dr == 0 and self.dc == 0:
            raise ValueError("a word runs in a direction: dr and dc cannot both be 0")
        return self

    def cells(self) -> list[tuple[int, int]]:
        return [(self.row + self.dr * i, self.col + self.dc * i) for i in range(len(self.word))]


class WordsearchParams(MechanicParams):
    language: Language = Field(default="en", description="Language of the words.")
    directions: Literal["easy", "diagonal", "all"] | None = Field(
        default=None,
        description="easy: right and down; diagonal: also down-right; all: eight (none: by difficulty).",
    )
    max_rank: int | None = Field(
        default=None, ge=300, le=20000, description="Words among this many most common ones."
    )


class WordsearchLevel(MechanicLevel):
    size: int = Field(ge=MIN_SIZE, le=MAX_SIZE)
    grid: list[str] = Field(min_length=MIN_SIZE, max_length=MAX_SIZE)
    directions: Literal["easy", "diagonal", "all"]
    words: list[Placement] = Field(min_length=2, max_length=14)
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _square(self):
        if len(self.grid) != self.size or any(len(row) != self.size for row in self.grid):
            raise ValueError(f"grid must be {self.size} rows of {self.size} letters")
        return self


def lines(grid: list[str], length: int) -> Iterator[tuple[str, int, int, int, int]]:
    """Every run of `length` letters in any of the eight directions: (text, row, col, dr, dc)."""
    n = len(grid)
    for r in range(n):
        for c in range(n):
            for dr, dc in ALL_DIRECTIONS:
                er, ec = r + dr * (length - 1), c + dc * (length - 1)
                if 0 <= er < n and 0 <= ec < n:
                    yield "".join(grid[r + dr * i][c + dc * i] for i in range(length)), r, c, dr, dc


def occurrences(grid: list[str], word: str) -> list[tuple[int, int, int, int]]:
    """Where `word` can be read in the grid, in any direction."""
    return [(r, c, dr, dc) for text, r, c, dr, dc in lines(grid, len(word)) if text == word]


def offensive_in(grid: list[str], language: str) -> list[str]:
    """Offensive words (4 letters or more) the letters happen to spell in some direction."""
    bad = {w for w in offensive_words(language) if len(w) >= 4 and w.isalpha()}
    found = set()
    for length in sorted({len(w) for w in bad}):
        if length > len(grid):
            break
        found |= {text for text, *_ in lines(grid, length) if text in bad}
    return sorted(found)


def validate_level(level: WordsearchLevel, params: WordsearchParams) -> list[str]:
    """Every word where its placement says, found once, in an allowed direction; no offensive filler."""
    problems = []
    allowed = DIRECTION_SETS[level.directions]
    words = [p.word for p in level.words]
    for i, p in enumerate(level.words):
        where = f"words.{i}"
        cells = p.cells()
        if not all(0 <= r < level.size and 0 <= c < level.size for r, c in cells):
            problems.append(f"{where}: {p.word!r} runs off the grid")
            continue
        if "".join(level.grid[r][c] for r, c in cells) != p.word:
            problems.append(f"{where}: the grid does not spell {p.word!r} at its placement")
        if (p.dr, p.dc) not in allowed:
            problems.append(
                f"{where}: direction ({p.dr}, {p.dc}) is not one the level's '{level.directions}' allows"
            )
        found = occurrences(level.grid, p.word)
        if len(found) > 1:
            problems.append(f"{where}: {p.word!r} can be read {len(found)} times in the grid")
        if not is_allowed(p.word, params.language):
            problems.append(f"{where}: {p.word!r} is not in the allowed {params.language} word list")
        if any(p.word != other and p.word in other for other in words):
            problems.append(f"{where}: {p.word!r} hides inside another word of the list")
        if words.count(p.word) > 1:
            problems.append(f"{where}: {p.word!r} is listed twice")
    bad = offensive_in(level.grid, params.language)
    if bad:
        problems.append(f"grid: the letters spell an offensive word ({len(bad)})")
    if level.time_limit_s is not None and level.time_limit_s < len(level.words) * SECONDS_PER_WORD + 5:
        problems.append(
            f"time_limit_s: {len(level.words)} words need at least {len(level.words) * SECONDS_PER_WORD + 5} s"
        )
    return problems


# --- generation ----------------------------------------------------------------------------------------


def directions_for(d: float) -> str:
    return "easy" if d < 0.3 else ("diagonal" if d < 0.6 else "all")


def _place(rng: random.Random, grid: list[list[str]], word: str, directions) -> Placement | None:
    n = len(grid)
    spots = [(r, c, dr, dc) for r in range(n) for c in range(n) for dr, dc in directions
             if 0 <= r + dr * (len(word) - 1) < n and 0 <= c + dc * (len(word) - 1) < n]  # fmt: skip
    rng.shuffle(spots)
    for r, c, dr, dc in spots:
        cells = [(r + dr * i, c + dc * i) for i in range(len(word))]
        if all(grid[y][x] in ("", word[i]) for i, (y, x) in enumerate(cells)):
            for i, (y, x) in enumerate(cells):
                grid[y][x] = word[i]
            return Placement(word=word, row=r, col=c, dr=dr, dc=dc)
    return None


def _attempt(rng: random.Random, size: int, words: list[str], directions: str, language: str, letters: str):
    grid = [[""] * size for _ in range(size)]
    placed = []
    for word in sorted(words, key=len, reverse=True):
        p = _place(rng, grid, word, DIRECTION_SETS[directions])
        if p is not None:
            placed.append(p)
    rows = ["".join(ch or rng.choice(letters) for ch in row) for row in grid]
    return rows, placed


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: WordsearchParams
) -> list[WordsearchLevel]:
    """A bigger grid, more and longer words, more directions and less time per word as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        size = lerp_int(6, 11, d)
        directions = params.directions or directions_for(d)
        total = lerp_int(4, 10, d)
        rank = params.max_rank or lerp_int(2000, 12000, d)
        pool = [w for w in word_pool(params.language, min_len=3, max_len=min(size, lerp_int(5, 9, d)), max_rank=rank)
                if w != w[::-1]]  # fmt: skip
        letters = "".join(pool[:400])  # filler drawn like the language's letters
        level = None
        for _ in range(60):
            words: list[str] = []
            for word in rng.sample(pool, min(len(pool), total * 3)):
                if not any(word in w or w in word for w in words):
                    words.append(word)
                if len(words) == total:
                    break
            grid, placed = _attempt(rng, size, words, directions, params.language, letters)
            if len(placed) < max(2, total - 2):
                continue
            candidate = WordsearchLevel(
                size=size,
                grid=grid,
                directions=directions,
                words=placed,
                time_limit_s=min(
                    900, max(len(placed) * SECONDS_PER_WORD + 5, len(placed) * lerp_int(30, 12, d) + 20)
                ),
            )
            if not validate_level(candidate, params):
                level = candidate
                break
        if level is None:  # never seen: 60 fills of a grid that is mostly empty
            raise RuntimeError(f"wordsearch: no valid {size}x{size} grid for level {index}")
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    language = language_of(words)
    if language:
        params["language"] = language
    if words & CHILD_WORDS:
        params["max_rank"] = 2500
        params["directions"] = "easy"
    if words & {"diagonal", "diagonals"}:
        params["directions"] = "diagonal"
    if words & {"backwards", "reversed", "expert", "hard"}:
        params["directions"] = "all"
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [(("cell_found" if (i + j) % 5 == 0 else "cell"), 0.2 + 0.15 * i, 0.2 + 0.15 * j, 0.13)
            for i in range(5) for j in range(5)] + [("mascot", 0.85, 0.85, 0.2)]  # fmt: skip


MECHANIC = MechanicDefinition(
    slug="wordsearch",
    name="Word Search",
    description="Find the hidden words in a grid of letters: drag from a word's first letter to its last. "
    "Harder levels bring bigger grids, more words, diagonals and words written backwards.",
    genre="word",
    category="word",
    keywords=(
        "wordsearch",
        "word search",
        "word-search",
        "hidden words",
        "find words",
        "letter grid",
        "word find",
        "word hunt",
        "wordfind",
        "seek",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"find": 1, "hidden": 1.5, "hide": 0.5, "search": 1.5, "grid": 1, "circle": 0.5},
        foreign_words=(
            "sopa de letras",
            "mots mêlés",
            "mots cachés",
            "buchstabensalat",
            "suchsel",
            "wortsuche",
            "crucipuzzle",
            "caça-palavras",
            "caça palavras",
            "woordzoeker",
            "wykreślanka",
            "kelime avı",
            "филворд",
            "найди слова",
            "找单词",
            "単語探し",
        ),  # fmt: skip
        emoji=("🔎", "🔍"),
    ),
    example_prompts=(
        "a word search with animals",
        "find the hidden words in the grid",
        "sopa de letras para niños",
    ),
    Params=WordsearchParams,
    Level=WordsearchLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowRight"),
        probe_watch="cursor",
        expected_events=(*OPENING_EVENTS, "word_found", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("mascot", "circle", "primary", 96, 96, role="hero"),
        SpriteSpec("cell", "rounded", "surface", 48, 48),
        SpriteSpec("cell_found", "rounded", "accent", 48, 48),
        SpriteSpec("cursor", "ring", "secondary", 48, 48),
        SpriteSpec("star", "star", "accent"),
    ),
    audio_cues={"found": "pickup", "miss": "hit", "select": "jump"},
    events=(
        EventSpec("word_found", "A hidden word was found.", ("level", "length", "ms")),
        EventSpec(
            "wrong_selection", "A line of letters that is no hidden word was selected.", ("level", "length")
        ),
    ),
    touch_layouts=("drag",),
    tutorial=(
        "Find every word of the list hidden in the letters.",
        "Drag from a word's first letter to its last.",
        "Keys: arrows move, Space marks the first letter then the last.",
    ),
    win_text="Find every hidden word before the time runs out.",
    lose_text="Run out of time.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Word Search", "Hidden Words", "Letters"),
    preview=preview,
    cast_defaults={"hero": ("magnifying glass",)},
)
