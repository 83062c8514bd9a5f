"""Typing: type each word shown before its clock runs out, on the keyboard or the on-screen keys.

The words come from `generation/mechanics/_words` (frequency-ranked, offensive words out, letters
a-z only so the on-screen keyboard has every key). Difficulty brings longer, rarer words, more of
them and less time per letter. The validator checks every word is allowed and typeable in its time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import Field

from generation.mechanics._words import CHILD_WORDS, is_allowed, word_pool
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

# Seconds a word needs at the very least: reading it, then per letter (about 60 words a minute).
MIN_SECONDS = 1.0
MIN_SECONDS_PER_LETTER = 0.2


def seconds_needed(word: str) -> float:
    return MIN_SECONDS + MIN_SECONDS_PER_LETTER * len(word)


class TypingParams(MechanicParams):
    max_rank: int | None = Field(
        default=None, ge=300, le=20000, description="Words among this many most common ones."
    )
    max_length: int | None = Field(default=None, ge=3, le=12, description="Longest word.")


class TypingLevel(MechanicLevel):
    words: list[str] = Field(min_length=3, max_length=40)
    word_time_s: float = Field(ge=1.5, le=30, description="Seconds to type each word.")
    misses_allowed: int = Field(
        ge=0, le=20, description="Words that may run out of time before the level is lost."
    )
    time_limit_s: int | None = Field(default=None, ge=10, le=900)


def validate_level(level: TypingLevel, params: TypingParams) -> list[str]:
    """Allowed words of plain a-z letters, each typeable in the time the level gives it."""
    problems = []
    for i, word in enumerate(level.words):
        where = f"words.{i}"
        if not (word.isascii() and word.isalpha() and word.islower()):
            problems.append(f"{where}: {word!r} has a letter the on-screen keyboard lacks (a-z only)")
        elif not is_allowed(word, "en"):
            problems.append(f"{where}: {word!r} is not in the allowed word list")
        if seconds_needed(word) > level.word_time_s:
            problems.append(
                f"{where}: {word!r} needs {seconds_needed(word):.1f} s, the level gives {level.word_time_s} s"
            )
        if params.max_length and len(word) > params.max_length:
            problems.append(f"{where}: longer than max_length {params.max_length}")
    if len(set(level.words)) != len(level.words):
        problems.append("words: a word is asked twice")
    if level.misses_allowed >= len(level.words):
        problems.append("misses_allowed: must be fewer than the words")
    needed = sum(level.word_time_s for _ in level.words)
    if level.time_limit_s is not None and level.time_limit_s < needed:
        problems.append(f"time_limit_s: the words get {needed:.0f} s, the level only {level.time_limit_s}")
    return problems


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: TypingParams
) -> list[TypingLevel]:
    """Longer, rarer words, more of them, less time per word and fewer misses as difficulty climbs."""
    levels = []
    used: set[str] = set()
    for index in range(count):
        d = difficulty[index]
        low, high = lerp_int(3, 5, d), lerp_int(5, 10, d)
        if params.max_length:
            high = min(high, params.max_length)
            low = min(low, high)
        rank = params.max_rank or lerp_int(2000, 15000, d)
        pool = [
            w
            for w in word_pool("en", min_len=low, max_len=high, max_rank=rank)
            if w.isascii() and w not in used
        ]
        total = lerp_int(8, 16, d)
        words = rng.sample(pool, min(total, len(pool)))
        used.update(words)
        word_time = round(max(max(seconds_needed(w) for w in words), lerp(8.0, 3.5, d)), 1)
        levels.append(
            TypingLevel(
                words=words,
                word_time_s=word_time,
                misses_allowed=lerp_int(3, 1, d),
                time_limit_s=min(900, int(word_time * len(words)) + 10),
            )
        )
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & CHILD_WORDS:
        params["max_rank"] = 2000
        params["max_length"] = 6
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    keys = [("key", 0.14 + 0.08 * i, 0.7, 0.07) for i in range(10)]
    return [("mascot", 0.5, 0.2, 0.22), ("card", 0.5, 0.42, 0.6), *keys]


MECHANIC = MechanicDefinition(
    slug="typing",
    name="Typing Race",
    description="Type each word shown before its clock runs out, on the keyboard or the on-screen keys. "
    "Harder levels bring longer words and less time.",
    genre="word",
    category="educational",
    keywords=(
        "typing",
        "type",
        "typist",
        "keyboard",
        "touch typing",
        "wpm",
        "words per minute",
        "keystrokes",
    ),
    vocabulary=Vocabulary(
        verbs={"type": 3, "typing": 3, "keyboard": 2},
        foreign_words=(
            "mecanografía",
            "mecanografia",
            "dactylographie",
            "tippen",
            "zehnfingersystem",
            "dattilografia",
            "digitação",
            "typen",
            "pisanie",
            "klavye",
            "печать",
            "打字",
            "タイピング",
        ),  # fmt: skip
        emoji=("⌨",),
    ),
    example_prompts=("a typing game for kids", "type the words as fast as you can", "a keyboard speed race"),
    Params=TypingParams,
    Level=TypingLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "KeyA"),
        probe_watch="typed",
        expected_events=(*OPENING_EVENTS, "word_typed", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("mascot", "circle", "primary", 96, 96, role="hero"),
        SpriteSpec("card", "rounded", "surface", 96, 64),
        SpriteSpec("key", "rounded", "secondary", 48, 48),
        SpriteSpec("key_hit", "rounded", "accent", 48, 48),
    ),
    audio_cues={"key": "jump", "word": "pickup", "typo": "hit", "miss": "lose"},
    events=(
        EventSpec("word_typed", "A word was typed out.", ("level", "length", "ms")),
        EventSpec("typo", "A key that is not the next letter.", ("level",)),
        EventSpec("word_missed", "A word's clock ran out.", ("level", "length")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Type the word shown, letter by letter, before its bar runs out.",
        "Use your keyboard or tap the on-screen keys.",
        "A wrong key costs points; Escape pauses.",
    ),
    win_text="Type every word before its time runs out.",
    lose_text="Let more words run out of time than the level allows.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Typing", "Keys", "Type Race"),
    preview=preview,
    cast_defaults={"hero": ("cat",)},
)
