"""Unscramble: tap the shuffled letter tiles in order to spell the hidden word.

The words come from the word lists of `generation/mechanics/_words` (wordfreq frequencies, the
offensive lists taken out); difficulty reaches further down the frequency list for longer, rarer
words. Every puzzle has exactly one answer: the validator refuses a word whose letters spell another
allowed word too ("team" / "meat"), and a scramble that is the word itself.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from pydantic import Field, model_validator

from generation.mechanics._words import (
    CHILD_WORDS,
    Language,
    anagram_index,
    anagram_key,
    is_allowed,
    language_of,
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
    lerp,
    lerp_int,
)

MIN_LETTERS, MAX_LETTERS = 3, 10
# Seconds a player needs at the very least per letter (find the tile, tap it).
MIN_SECONDS_PER_LETTER = 1.0


class Puzzle(StrictModel):
    word: str = Field(min_length=MIN_LETTERS, max_length=MAX_LETTERS, description="The answer, lower case.")
    letters: str = Field(min_length=MIN_LETTERS, max_length=MAX_LETTERS, description="Its letters, shuffled.")


class UnscrambleParams(MechanicParams):
    language: Language = Field(default="en", description="Language of the words.")
    min_length: int | None = Field(default=None, ge=MIN_LETTERS, le=MAX_LETTERS, description="Shortest word.")
    max_length: int | None = Field(default=None, ge=MIN_LETTERS, le=MAX_LETTERS, description="Longest word.")
    max_rank: int | None = Field(
        default=None,
        ge=300,
        le=20000,
        description="Words among this many most common ones (none: by difficulty).",
    )

    @model_validator(mode="after")
    def _lengths(self):
        if self.min_length and self.max_length and self.min_length > self.max_length:
            raise ValueError("min_length cannot be more than max_length")
        return self


class UnscrambleLevel(MechanicLevel):
    seed: int = Field(ge=0, le=2**31 - 1, description="Seeds the in-game shuffle button (GF.rng).")
    puzzles: list[Puzzle] = Field(min_length=3, max_length=20)
    mistakes_allowed: int = Field(ge=0, le=20, description="Wrong words before the level is lost.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)


def seconds_needed(level: UnscrambleLevel) -> int:
    return int(sum(len(p.word) for p in level.puzzles) * MIN_SECONDS_PER_LETTER) + 5


def validate_level(level: UnscrambleLevel, params: UnscrambleParams) -> list[str]:
    """Real words, honest scrambles, one answer each, lengths in range and time enough to tap them."""
    problems = []
    index = anagram_index(params.language)
    seen = set()
    for i, puzzle in enumerate(level.puzzles):
        where = f"puzzles.{i}"
        word, letters = puzzle.word, puzzle.letters
        if Counter(letters) != Counter(word):
            problems.append(f"{where}.letters: {letters!r} are not the letters of {word!r}")
            continue
        if letters == word:
            problems.append(f"{where}.letters: not scrambled")
        if not is_allowed(word, params.language):
            problems.append(f"{where}.word: {word!r} is not in the allowed {params.language} word list")
        others = [w for w in index.get(anagram_key(word), ()) if w != word]
        if others:
            problems.append(
                f"{where}.word: its letters also spell {', '.join(others[:3])}: two right answers"
            )
        if params.min_length and len(word) < params.min_length:
            problems.append(f"{where}.word: shorter than min_length {params.min_length}")
        if params.max_length and len(word) > params.max_length:
            problems.append(f"{where}.word: longer than max_length {params.max_length}")
        if word in seen:
            problems.append(f"{where}.word: asked twice")
        seen.add(word)
    if level.time_limit_s is not None and level.time_limit_s < seconds_needed(level):
        problems.append(f"time_limit_s: these words need at least {seconds_needed(level)} s")
    return problems


# --- generation ----------------------------------------------------------------------------------------


def lengths_for(d: float, params: UnscrambleParams) -> tuple[int, int]:
    low = lerp_int(3, 6, d)
    high = lerp_int(4, 8, d)
    if params.min_length:
        low = max(low, params.min_length)
        high = max(high, low)
    if params.max_length:
        high = min(high, params.max_length)
        low = min(low, high)
    return low, high


def rank_for(d: float, params: UnscrambleParams) -> int:
    return params.max_rank or lerp_int(1500, 15000, d)


def scramble(rng: random.Random, word: str) -> str:
    """The letters shuffled, never in the word's own order (nor, when avoidable, starting with its first letter)."""
    letters = list(word)
    best = None
    for _ in range(30):
        rng.shuffle(letters)
        candidate = "".join(letters)
        if candidate == word:
            continue
        best = best or candidate
        if candidate[0] != word[0] or len(set(word)) == 1:
            return candidate
    if best is None:  # only when every letter is the same; the validator refuses such a word anyway
        best = word[1:] + word[0]
    return best


def _unique_words(language: str, low: int, high: int, rank: int) -> list[str]:
    index = anagram_index(language)
    pool = [w for w in word_pool(language, min_len=low, max_len=high, max_rank=rank)
            if len(index.get(anagram_key(w), ())) == 1 and len(set(w)) > 1]  # fmt: skip
    return pool


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: UnscrambleParams
) -> list[UnscrambleLevel]:
    """Longer, rarer words, more of them, less time per letter and fewer mistakes as difficulty climbs."""
    levels = []
    used: set[str] = set()
    for index in range(count):
        d = difficulty[index]
        low, high = lengths_for(d, params)
        rank = rank_for(d, params)
        pool = _unique_words(params.language, low, high, rank)
        while len(pool) < 40 and rank < 20000:  # a narrow length band: reach further down the list
            rank = min(20000, rank * 2)
            pool = _unique_words(params.language, low, high, rank)
        # the rarer half of the reach at high difficulty, the most common words at the start
        start = int(len(pool) * lerp(0.0, 0.4, d))
        candidates = [w for w in pool[start:] if w not in used] or pool
        total = lerp_int(5, 10, d)
        words = rng.sample(candidates, min(total, len(candidates)))
        used.update(words)
        puzzles = [Puzzle(word=w, letters=scramble(rng, w)) for w in words]
        letters = sum(len(w) for w in words)
        level = UnscrambleLevel(
            seed=rng.randrange(2**31),
            puzzles=puzzles,
            mistakes_allowed=lerp_int(3, 1, d),
            time_limit_s=min(
                900, max(int(letters * MIN_SECONDS_PER_LETTER) + 5, int(letters * lerp(5.0, 2.2, d)) + 10)
            ),
        )
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    language = language_of(words)
    if language:
        params["language"] = language
    if words & CHILD_WORDS:
        params["max_rank"] = 2500
        params["max_length"] = 6
    if words & {"long", "longer", "expert", "hard", "difficult", "genius"}:
        params["min_length"] = 5
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("mascot", 0.5, 0.18, 0.22),
        ("slot", 0.26, 0.45, 0.16),
        ("slot", 0.42, 0.45, 0.16),
        ("slot", 0.58, 0.45, 0.16),
        ("slot", 0.74, 0.45, 0.16),
        ("tile", 0.26, 0.72, 0.17),
        ("tile", 0.42, 0.72, 0.17),
        ("tile", 0.58, 0.72, 0.17),
        ("tile", 0.74, 0.72, 0.17),
    ]


MECHANIC = MechanicDefinition(
    slug="unscramble",
    name="Word Unscramble",
    description="The letters of a word are shuffled: tap the tiles in the right order to spell it. "
    "Harder levels bring longer, rarer words and less time.",
    genre="word",
    category="word",
    keywords=(
        "unscramble",
        "scramble",
        "scrambled",
        "anagram",
        "anagrams",
        "jumble",
        "jumbled",
        "word",
        "words",
        "letters",
        "vocabulary",
        "spell",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"unscramble": 3, "rearrange": 2, "unjumble": 3, "shuffle": 1, "guess": 0.5},
        foreign_words=(
            "palabras",
            "anagrama",
            "anagramas",
            "desordenadas",
            "revueltas",
            "mots",
            "anagramme",
            "mélangés",
            "wörter",
            "buchstabensalat",
            "parole",
            "anagrammi",
            "palavras",
            "embaralhadas",
            "woorden",
            "słowa",
            "kelime",
            "анаграмма",
            "слова",
            "单词",
            "字谜",
            "アナグラム",
            "كلمات",
        ),
        emoji=("🔤", "🔠", "🔡"),
    ),  # fmt: skip
    example_prompts=(
        "unscramble the words",
        "an anagram game for kids",
        "jumbled letters puzzle with an owl",
    ),
    Params=UnscrambleParams,
    Level=UnscrambleLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("click", "center"),
        probe_watch="typed",
        expected_events=(*OPENING_EVENTS, "word_solved", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("mascot", "circle", "primary", 96, 96, role="hero"),
        SpriteSpec("tile", "rounded", "primary", 64, 64),
        SpriteSpec("tile_used", "rounded", "surface", 64, 64),
        SpriteSpec("slot", "rounded", "surface", 64, 64),
        SpriteSpec("button", "rounded", "secondary", 96, 48),
        SpriteSpec("right", "star", "extra0"),
        SpriteSpec("wrong", "diamond", "danger"),
    ),
    audio_cues={"letter": "jump", "correct": "pickup", "wrong": "hit", "shuffle": "jump"},
    events=(
        EventSpec("word_solved", "A word was spelled right.", ("level", "length", "ms")),
        EventSpec("wrong_word", "All the letters were placed but the word was wrong.", ("level", "length")),
        EventSpec("shuffled", "The player shuffled the remaining tiles.", ("level",)),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap the letter tiles in order to spell the hidden word.",
        "Tap a placed letter to take it back; Shuffle mixes the tiles.",
        "Keys: arrows pick a tile, Space places it, Backspace takes one back.",
    ),
    win_text="Spell every word before the time runs out.",
    lose_text="Run out of time, or make more wrong words than the level allows.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Words", "Letters", "Anagrams", "Jumble"),
    preview=preview,
    cast_defaults={"hero": ("owl",)},
)
