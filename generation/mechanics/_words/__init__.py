"""Words for the word mechanics (unscramble, wordsearch...), from data packages, read at build time.

- Frequencies: PyPI `wordfreq` (its data ships in the wheel): `top_n_list(language, n)` ranks a
  language's words from the most common; a level's difficulty picks how far down the list it reaches.
- English words are also checked against npm `word-list` (a spelling dictionary, no names or
  abbreviations), so "nba" or "im" never become a puzzle.
- Offensive words are always taken out: LDNOOBW's lists (npm `naughty-words`, the same lists the
  moderation scanner reads), plus `CHILD_UNSUITABLE`, words a game for children should not ask.

Nothing here runs at play time: the generators put the chosen words into the level data.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings

# The languages a word game can be made in: the studio's Latin-script languages wordfreq ranks.
Language = Literal["en", "es", "fr", "de", "it", "pt", "nl", "pl", "tr"]
LANGUAGES: tuple[str, ...] = Language.__args__  # type: ignore[attr-defined]
# How far down a language's frequency list the pools may reach.
MAX_RANK = 30000

# Ordinary words that a children's game should still not ask (the offensive lists have the rest), per language.
CHILD_UNSUITABLE: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "alcohol beer wine vodka whisky whiskey drunk drunken booze cocaine heroin drug drugs weed "
        "cannabis marijuana cigarette cigar tobacco smoking casino gamble gambling betting kill killed "
        "killer killing murder murderer dead death die died dies dying suicide gun guns rifle pistol bomb "
        "bombs weapon weapons war wars blood bloody corpse rape raped abuse abused sex sexy sexual naked "
        "nude hell damn prison terror terrorist hate hatred",
        "es": "cerveza vino droga drogas muerte muerto matar arma armas guerra sangre alcohol",
        "fr": "bière vin drogue mort morte tuer arme armes guerre sang alcool",
        "de": "bier wein drogen droge tod tot töten waffe waffen krieg blut alkohol",
        "it": "birra vino droga morte morto uccidere arma guerra sangue alcol",
        "pt": "cerveja vinho droga morte morto matar arma guerra sangue álcool",
        "nl": "bier wijn drugs dood doden wapen oorlog bloed alcohol",
        "pl": "piwo wódka wino narkotyki śmierć zabić broń wojna krew alkohol",
        "tr": "bira şarap uyuşturucu ölüm öldürmek silah savaş kan alkol",
    }.items()
}
# Endings whose removal may give a blocked word ("guns" -> "gun", "killing" -> "kill").
ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers", "y")


def node_modules() -> Path:
    return Path(settings.NODE_MODULES)


@cache
def offensive_words(language: str) -> frozenset[str]:
    """The single words of LDNOOBW's list for a language (npm `naughty-words`), lower case."""
    path = node_modules() / "naughty-words" / f"{language}.json"
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # never make a word game without the filter
        raise RuntimeError(
            f"the offensive word list {path} is missing: npm ci installs naughty-words"
        ) from None
    return frozenset(e.strip().lower() for e in entries if e.strip() and " " not in e.strip())


@cache
def blocked_words(language: str) -> frozenset[str]:
    """The offensive words of a language and the ones unsuitable for children."""
    return offensive_words(language) | CHILD_UNSUITABLE.get(language, frozenset())


@cache
def english_dictionary() -> frozenset[str]:
    path = node_modules() / "word-list" / "words.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


@cache
def _offensive_start(language: str) -> re.Pattern:
    """Words starting with an offensive word of 4 letters or more: errs on the safe side."""
    long = sorted(
        (b for b in offensive_words(language) if len(b) >= 4 and b.isalpha()), key=len, reverse=True
    )
    return re.compile("^(?:" + "|".join(re.escape(b) for b in long) + ")" if long else "(?!)")


def _blocked(word: str, language: str) -> bool:
    blocked = blocked_words(language)
    if word in blocked or any(word.endswith(e) and word[: -len(e)] in blocked for e in ENDINGS):
        return True
    return _offensive_start(language).match(word) is not None


def is_plain_word(word: str) -> bool:
    """Letters only, lower case, and upper case keeps its length (no "ß" -> "SS" on the tiles)."""
    return (
        word.isalpha()
        and word == word.lower()
        and len(word.upper()) == len(word)
        and all(unicodedata.category(ch) == "Ll" for ch in word)
    )


@cache
def ranked_words(language: str) -> tuple[str, ...]:
    """Plain, allowed words of a language, most common first (index = frequency rank)."""
    from wordfreq import top_n_list

    if language not in LANGUAGES:
        raise ValueError(f"no word list for language {language!r}")
    dictionary = english_dictionary() if language == "en" else None
    out = []
    for word in top_n_list(language, MAX_RANK):
        if len(word) < 3 or not is_plain_word(word) or _blocked(word, language):
            continue
        if dictionary is not None and word not in dictionary:
            continue
        out.append(word)
    return tuple(out)


def word_pool(language: str, *, min_len: int, max_len: int, max_rank: int) -> list[str]:
    """The allowed words of `min_len`..`max_len` letters among the `max_rank` most common ones."""
    return [w for w in ranked_words(language)[:max_rank] if min_len <= len(w) <= max_len]


def anagram_key(word: str) -> str:
    return "".join(sorted(word))


@cache
def lexicon(language: str) -> frozenset[str]:
    """Every word a player could take for an answer: the English dictionary, or a language's 200,000
    most common plain words (wider than the allowed words, so "one answer only" is checked strictly)."""
    from wordfreq import top_n_list

    if language == "en":
        return english_dictionary() | frozenset(ranked_words(language))
    return frozenset(w for w in top_n_list(language, 200_000) if is_plain_word(w)) | frozenset(
        ranked_words(language)
    )


@cache
def anagram_index(language: str) -> dict[str, tuple[str, ...]]:
    """Sorted letters -> every word of the lexicon spelled with exactly those letters."""
    index: dict[str, list[str]] = {}
    for word in sorted(lexicon(language)):
        index.setdefault(anagram_key(word), []).append(word)
    return {k: tuple(v) for k, v in index.items()}


@cache
def _allowed(language: str) -> frozenset[str]:
    return frozenset(ranked_words(language))


def is_allowed(word: str, language: str) -> bool:
    """An answer may only be a word of the allowed list (common, plain, not offensive)."""
    return word in _allowed(language)


# Words of a prompt that say which language the game's words are in (besides English).
LANGUAGE_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        {"palabras", "palabra", "letras", "juego", "niños", "español", "spanish", "sopa", "deletrear"}
    ),
    "fr": frozenset(
        {"mots", "mot", "lettres", "jeu", "enfants", "français", "french", "mêlés", "orthographe"}
    ),
    "de": frozenset(
        {"wörter", "wort", "buchstaben", "spiel", "kinder", "deutsch", "german", "buchstabensalat"}
    ),
    "it": frozenset({"parole", "parola", "lettere", "gioco", "bambini", "italiano", "italian"}),
    "pt": frozenset({"palavras", "palavra", "jogo", "crianças", "português", "portuguese", "caça"}),
    "nl": frozenset({"woorden", "letters", "spel", "kinderen", "nederlands", "dutch"}),
    "pl": frozenset({"słowa", "słowo", "litery", "gra", "dzieci", "polski", "polish"}),
    "tr": frozenset({"kelime", "kelimeler", "harfler", "oyun", "çocuklar", "türkçe", "turkish"}),
}


def language_of(words: set[str]) -> str | None:
    """The language a prompt's words point at (None: English, the default)."""
    best, score = None, 0
    for language, markers in LANGUAGE_WORDS.items():
        hits = len(words & markers)
        if hits > score:
            best, score = language, hits
    return best


CHILD_WORDS = frozenset({"kids", "kid", "children", "child", "toddler", "toddlers", "preschool", "beginner",
                         "little", "young", "school", "niños", "enfants", "kinder", "bambini", "crianças"})  # fmt: skip
