"""Text as a filter should read it: folded, de-obfuscated, in every spelling worth trying.

People who want a word past a filter write it `ｆｕｃｋ` (fullwidth), `fսck` (an Armenian
letter that looks Latin), `f.u.c.k`, `f u c k`, `fuuuuck` or `sh1t`. `text_forms` undoes each:

- NFKC folds compatibility forms (fullwidth, mathematical letters, ligatures) and casefold()
  lower-cases every script; format characters (zero-width joiners...) are dropped.
- Unicode confusables: a letter that looks like a Latin one (Cyrillic `а`, Armenian `ս`...) is
  read as that Latin letter, using the Unicode confusables data of `confusable_homoglyphs`.
- Leetspeak: digits and symbols that stand for letters (`0`->o, `1`->i or l, `3`->e, `4`/`@`->a,
  `5`/`$`->s, `7`->t...), only inside words that hold letters, so numbers stay numbers.
- Separators inside a word (`.-_*~`) are dropped, a run of single letters is joined
  (`f u c k`), and letters repeated three times or more are tried as two and as one.
- Diacritics are tried with and without (`pütå`, `puta`).

Each word gives a small set of candidate spellings; the word lists match against all of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables

LEET = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "+": "t", "|": "l", "€": "e", "£": "l", "(": "c", "¢": "c",
}  # fmt: skip
LEET_TABLE = str.maketrans(LEET)
# `1` and `|` stand for `l` as often as for `i`.
LEET_TABLE_L = str.maketrans({**LEET, "1": "l", "!": "i"})
LEET_CHARS = frozenset(LEET)
# Dropped inside a word: "f.u.c.k", "f-u-c-k", "f_u_c_k", "f*u*c*k".
INNER_SEPARATORS = re.compile(r"[.\-_*~'`^·•]+")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
REPEATS = re.compile(r"(.)\1{2,}")
# Scripts written without spaces between words: their list entries are matched inside the text.
UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
MAX_SINGLE_LETTER_RUN = 24


@lru_cache(maxsize=4096)
def _latin_lookalike(ch: str) -> str:
    """The Latin letter `ch` is confusable with, or `ch` itself."""
    if ch.isascii() or not ch.isalpha():
        return ch
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=False)
    if found:
        for glyph in found[0]["homoglyphs"]:
            candidate = glyph["c"]
            if len(candidate) == 1 and candidate.isascii() and candidate.isalpha():
                return candidate.lower()
    return ch


def latin_skeleton(word: str) -> str:
    if word.isascii():
        return word
    return "".join(_latin_lookalike(ch) for ch in word)


def strip_marks(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def fold(text: str) -> str:
    """NFKC, case-folded, without format characters (zero-width spaces and joiners)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _unrepeat(word: str) -> set[str]:
    if not REPEATS.search(word):
        return set()
    return {REPEATS.sub(r"\1\1", word), REPEATS.sub(r"\1", word)}


EDGE_PUNCTUATION = "\"'()[]{}<>,;:?!."


def word_forms(raw: str) -> set[str]:
    """Every spelling of one whitespace-separated chunk worth looking up in a word list."""
    bare = raw.strip(EDGE_PUNCTUATION)
    if bare.isascii() and bare.isalpha():  # most words: nothing to undo
        return {bare, *_unrepeat(bare)}
    forms: set[str] = set()
    pieces = WORD.findall(raw)
    forms.update(pieces)
    joined = INNER_SEPARATORS.sub("", raw).strip(EDGE_PUNCTUATION)
    if joined:
        forms.add(joined)
        if any(ch.isalpha() for ch in joined) and any(ch in LEET_CHARS for ch in joined):
            forms.add(joined.translate(LEET_TABLE))
            forms.add(joined.translate(LEET_TABLE_L))
    for form in list(forms):
        skeleton = latin_skeleton(form)
        if skeleton != form:
            forms.add(skeleton)
    for form in list(forms):
        forms.add(strip_marks(form))
    for form in list(forms):
        forms.update(_unrepeat(form))
    forms.discard("")
    return forms


def primary_form(raw: str) -> str:
    """The one best reading of a chunk (leetspeak and lookalikes undone), for phrases and the classifier."""
    bare = raw.strip(EDGE_PUNCTUATION)
    if bare.isascii() and bare.isalpha():
        return bare
    joined = INNER_SEPARATORS.sub("", raw).strip(EDGE_PUNCTUATION) or raw
    if any(ch.isalpha() for ch in joined) and any(ch in LEET_CHARS for ch in joined):
        joined = joined.translate(LEET_TABLE)
    return strip_marks(latin_skeleton(joined))


@dataclass(frozen=True)
class TextForms:
    folded: str  # the whole text, folded (for scripts matched inside the text)
    words: tuple[frozenset[str], ...]  # per chunk, its candidate spellings
    primary: tuple[str, ...]  # per chunk, its best reading
    joined_runs: tuple[str, ...]  # "f u c k" -> "fuck"

    @property
    def deobfuscated(self) -> str:
        return " ".join(self.primary)

    @property
    def has_unspaced_script(self) -> bool:
        return bool(UNSPACED.search(self.folded))


def text_forms(text: str) -> TextForms:
    folded = fold(text)
    chunks = folded.split()
    words = tuple(frozenset(word_forms(chunk)) for chunk in chunks)
    primary = tuple(primary_form(chunk) for chunk in chunks)
    runs: list[str] = []
    current: list[str] = []
    for chunk in [*primary, ""]:
        if len(chunk) == 1 and chunk.isalpha():
            current.append(chunk)
            continue
        if 3 <= len(current) <= MAX_SINGLE_LETTER_RUN:
            runs.append("".join(current))
        current = []
    return TextForms(folded=folded, words=words, primary=primary, joined_runs=tuple(runs))
