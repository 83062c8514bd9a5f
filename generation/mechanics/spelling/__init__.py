"""Spelling: pick the right spelling of a word among near misses, against the clock.

The words come from `generation/mechanics/_words` (frequency-ranked, offensive words out); the wrong
spellings are the mistakes people make (a doubled or undoubled letter, ie/ei, a vowel for another,
two letters swapped, a silent e...), and the validator proves that none of them is itself a word of
the language's dictionary, so exactly one choice is spelled right.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from pydantic import Field, model_validator

from generation.mechanics._words import CHILD_WORDS, Language, is_allowed, language_of, lexicon, word_pool
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

MIN_SECONDS_PER_ANSWER = 2
VOWELS = "aeiou"
# Consonants people double by mistake, and the vowels they write for one another (in unstressed syllables).
DOUBLING = "bcdfglmnprst"
VOWEL_SLIPS = {"a": "e", "e": "ai", "i": "e", "o": "a", "u": "o"}
SWAPS = (("ie", "ei"), ("ei", "ie"), ("ph", "f"), ("f", "ph"), ("c", "k"), ("k", "c"), ("c", "s"), ("s", "c"),
         ("ance", "ence"), ("ence", "ance"), ("able", "ible"), ("ible", "able"), ("tion", "sion"), ("ou", "o"))  # fmt: skip


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (an adjacent swap counts one)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def misspellings(word: str) -> list[str]:
    """Plausible wrong spellings of `word` (not yet checked against the dictionary), most typical first."""
    out: list[str] = []
    for i in range(1, len(word)):
        if word[i] == word[i - 1] and word[i] not in VOWELS:
            out.append(word[:i] + word[i + 1 :])  # undouble: "tomorrow" -> "tomorow"
    for i in range(1, len(word) - 1):
        if word[i] in DOUBLING and word[i - 1] in VOWELS and word[i + 1] in VOWELS:
            out.append(word[: i + 1] + word[i:])  # double: "begin" -> "beggin"
    for old, new in SWAPS:
        at = word.find(old, 1)
        if at > 0:
            out.append(word[:at] + new + word[at + len(old) :])
    for i in range(1, len(word) - 1):
        for v in VOWEL_SLIPS.get(word[i], ""):
            out.append(word[:i] + v + word[i + 1 :])  # "separate" -> "seperate"
    for i in range(1, len(word) - 1):
        if word[i] != word[i + 1]:
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # swap: "friend" -> "freind"
    out.append(word[:-1] if word.endswith("e") else word + "e")
    return [w for w in dict.fromkeys(out) if w != word and len(w) >= 3]


class SpellingQuestion(StrictModel):
    word: str = Field(min_length=3, max_length=16, description="The word, spelled right.")
    choices: list[str] = Field(min_length=2, max_length=4)
    answer: int = Field(ge=0, le=3)

    @model_validator(mode="after")
    def _answer_is_a_choice(self):
        if self.answer >= len(self.choices):
            raise ValueError("answer must be the index of one of the choices")
        return self


class SpellingParams(MechanicParams):
    language: Language = Field(default="en", description="Language of the words.")
    choices: int = Field(default=3, ge=2, le=4, description="Spellings shown per word.")
    max_rank: int | None = Field(
        default=None, ge=300, le=20000, description="Words among this many most common ones."
    )


class SpellingLevel(MechanicLevel):
    questions: list[SpellingQuestion] = Field(min_length=3, max_length=30)
    target: int = Field(ge=1, le=30)
    question_time_s: int | None = Field(default=None, ge=3, le=60)
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _target_fits(self):
        if self.target > len(self.questions):
            raise ValueError("target cannot be more than the number of questions")
        return self


def validate_level(level: SpellingLevel, params: SpellingParams) -> list[str]:
    """One right spelling per question: the word is allowed, no wrong spelling is a word, all are near misses."""
    problems = []
    words = lexicon(params.language)
    if len({len(q.choices) for q in level.questions}) > 1:
        problems.append("questions: every question of a level has the same number of choices")
    seen = set()
    for i, q in enumerate(level.questions):
        where = f"questions.{i}"
        if not is_allowed(q.word, params.language):
            problems.append(f"{where}.word: {q.word!r} is not in the allowed {params.language} word list")
        if q.choices[q.answer] != q.word:
            problems.append(f"{where}.answer: the right spelling is {q.word!r}, not {q.choices[q.answer]!r}")
        if len(set(q.choices)) != len(q.choices):
            problems.append(f"{where}.choices: a spelling is listed twice")
        for j, choice in enumerate(q.choices):
            if j == q.answer:
                continue
            if choice in words or choice == q.word:
                problems.append(f"{where}.choices.{j}: {choice!r} is a word too: two right answers")
            elif distance(choice, q.word) > 2:
                problems.append(f"{where}.choices.{j}: {choice!r} is no near miss of {q.word!r}")
        if q.word in seen:
            problems.append(f"{where}.word: asked twice")
        seen.add(q.word)
    if level.time_limit_s is not None and level.time_limit_s < level.target * MIN_SECONDS_PER_ANSWER + 3:
        problems.append(
            f"time_limit_s: {level.target} answers need at least {level.target * MIN_SECONDS_PER_ANSWER + 3} s"
        )
    return problems


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: SpellingParams
) -> list[SpellingLevel]:
    """Longer, rarer words, more questions, a clock per word and fewer mistakes as difficulty climbs."""
    words = lexicon(params.language)
    levels = []
    used: set[str] = set()
    for index in range(count):
        d = difficulty[index]
        rank = params.max_rank or lerp_int(2500, 15000, d)
        low, high = lerp_int(4, 6, d), lerp_int(6, 11, d)
        pool = [
            w for w in word_pool(params.language, min_len=low, max_len=high, max_rank=rank) if w not in used
        ]
        pool = pool[int(len(pool) * lerp(0.0, 0.4, d)) :]
        total = lerp_int(8, 14, d)
        questions = []
        for word in rng.sample(pool, min(len(pool), total * 4)):
            wrong = [w for w in misspellings(word) if w not in words]
            if len(wrong) < params.choices - 1:
                continue
            typical = wrong[: params.choices + 1]  # the most typical mistakes, then drawn from
            picks = [word, *rng.sample(typical, params.choices - 1)]
            rng.shuffle(picks)
            questions.append(SpellingQuestion(word=word, choices=picks, answer=picks.index(word)))
            used.add(word)
            if len(questions) == total:
                break
        target = max(1, math.ceil(len(questions) * lerp(0.6, 0.85, d)))
        levels.append(
            SpellingLevel(
                questions=questions,
                target=target,
                question_time_s=lerp_int(15, 6, d) if d >= 0.3 else None,
                time_limit_s=min(
                    900,
                    max(target * MIN_SECONDS_PER_ANSWER + 3, int(len(questions) * lerp(10.0, 5.0, d)) + 10),
                ),
            )
        )
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    language = language_of(words)
    if language:
        params["language"] = language
    if words & CHILD_WORDS:
        params["max_rank"] = 2000
        params["choices"] = 2
    if words & {"hard", "expert", "tricky", "difficult"}:
        params["choices"] = 4
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("mascot", 0.5, 0.2, 0.22),
        ("button", 0.5, 0.5, 0.6),
        ("button", 0.5, 0.67, 0.6),
        ("button", 0.5, 0.84, 0.6),
    ]


MECHANIC = MechanicDefinition(
    slug="spelling",
    name="Spelling Bee",
    description="Which one is spelled right? Pick the right spelling among common mistakes before the "
    "clock runs out. Harder levels bring longer, rarer words.",
    genre="word",
    category="educational",
    keywords=(
        "spelling",
        "spell",
        "spelled",
        "spelt",
        "misspelled",
        "misspelling",
        "orthography",
        "dictation",
        "spelling bee",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"spell": 3, "spelled": 1.5, "spelt": 1.5, "bee": 1, "correct": 1, "write": 0.5},
        foreign_words=(
            "ortografía",
            "ortografia",
            "orthographe",
            "dictée",
            "rechtschreibung",
            "diktat",
            "pisownia",
            "yazım",
            "орфография",
            "拼写",
            "綴り",
            "إملاء",
        ),  # fmt: skip
        emoji=("🐝", "✍", "📝"),
    ),
    example_prompts=("a spelling bee for kids", "which word is spelled right", "a tricky spelling test"),
    Params=SpellingParams,
    Level=SpellingLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowDown"),
        probe_watch="selected",
        expected_events=(*OPENING_EVENTS, "spelling_answered", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("mascot", "circle", "accent", 96, 96, role="hero"),
        SpriteSpec("card", "rounded", "surface", 96, 64),
        SpriteSpec("button", "rounded", "primary", 96, 40),
        SpriteSpec("button_pick", "rounded", "accent", 96, 40),
        SpriteSpec("right", "star", "extra0"),
        SpriteSpec("wrong", "diamond", "danger"),
    ),
    audio_cues={"correct": "pickup", "wrong": "hit", "streak": "win", "timeout": "lose"},
    events=(
        EventSpec(
            "spelling_answered",
            "A spelling was picked (or the word timed out).",
            ("level", "correct", "length", "ms"),
        ),
        EventSpec("streak", "Several right answers in a row.", ("level", "length")),
        EventSpec("too_many_mistakes", "More mistakes than the level allows.", ("level", "correct")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "One of the spellings is right: tap it, or press its number key.",
        "Up and Down pick a spelling; Space or Enter gives it.",
        "Get enough right before the clock (or your mistakes) run out.",
    ),
    win_text="Pick enough right spellings before the time runs out.",
    lose_text="Run out of time, or make more mistakes than the level allows.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Spelling", "Spelling Bee", "Words"),
    preview=preview,
    cast_defaults={"hero": ("bee",)},
)
