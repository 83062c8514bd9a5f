"""Word lists per language the studio reads, matched against every spelling of every word.

The lists are LDNOOBW's "List of Dirty, Naughty, Obscene and Otherwise Bad Words" (npm
`naughty-words`, CC-BY-4.0), one per language of the studio (the languages the local designer
reads: generation/providers/local.py), with `moderation/wordlists/exclude.json` taking out the
entries that are ordinary words in a game prompt and `extra.json` adding common insults the
lists lack, and `collisions.json` (made by scripts/moderation_wordlist_collisions.py) taking out
the words of one language that are ordinary words of another (French "bite", Turkish "am").
Words of spaced scripts match whole words (any spelling from `normalize`) or whole
phrases; entries in scripts written without spaces (Japanese, Chinese) match inside the text.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from moderation.scanner.normalize import (
    EDGE_PUNCTUATION,
    UNSPACED,
    TextForms,
    fold,
    primary_form,
    strip_marks,
)

logger = logging.getLogger(__name__)

# The studio's languages (generation/providers/local.py reads prompts in these).
LANGUAGES = ("en", "es", "pt", "it", "fr", "de", "nl", "pl", "tr", "ru", "ja", "zh", "ar")
PACKAGE = "naughty-words"
HERE = Path(__file__).resolve().parent.parent / "wordlists"
# Inflected languages: an entry this long also matches words that start with it (ru "пизда" -> "пиздатый").
STEM_LANGUAGES = frozenset({"ru", "pl"})
STEM_MIN_CHARS = 5


@dataclass(frozen=True)
class Hit:
    entry: str
    language: str


@dataclass
class WordLists:
    words: dict[str, str] = field(default_factory=dict)
    phrases: dict[str, str] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)
    # The stems by their first STEM_MIN_CHARS letters: one lookup per spelling finds the candidates.
    stem_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_phrase_words: int = 1
    phrase_starts: frozenset[str] = frozenset()
    unspaced: re.Pattern | None = None
    unspaced_language: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)

    def match(self, forms: TextForms, *, limit: int = 10) -> list[Hit]:
        hits: dict[str, Hit] = {}

        def found(entry: str, language: str) -> None:
            hits.setdefault(entry, Hit(entry, language))

        for spellings in forms.words:
            for spelling in spellings:
                language = self.words.get(spelling)
                if language is not None:
                    found(spelling, language)
                elif len(spelling) > STEM_MIN_CHARS:
                    for stem in self.stem_index.get(spelling[:STEM_MIN_CHARS], ()):
                        if spelling.startswith(stem):
                            found(stem, self.stems[stem])
                            break
            if len(hits) >= limit:
                return list(hits.values())
        for run in forms.joined_runs:
            if run in self.words:
                found(run, self.words[run])
        if self.max_phrase_words > 1:
            tokens = [t.strip(EDGE_PUNCTUATION) for t in forms.primary]
            for start, token in enumerate(tokens):
                if token not in self.phrase_starts:
                    continue
                for size in range(2, min(self.max_phrase_words, len(tokens) - start) + 1):
                    phrase = " ".join(tokens[start : start + size])
                    if phrase in self.phrases:
                        found(phrase, self.phrases[phrase])
        if self.unspaced is not None and forms.has_unspaced_script:
            for match in self.unspaced.finditer(forms.folded):
                entry = match.group(0)
                found(entry, self.unspaced_language.get(entry, "?"))
                if len(hits) >= limit:
                    break
        return list(hits.values())


def _entry_keys(entry: str) -> set[str]:
    folded = fold(entry).strip()
    return {folded, strip_marks(folded)} - {""}


def _read(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def package_dir() -> Path:
    return Path(settings.NODE_MODULES) / PACKAGE


@cache
def wordlists() -> WordLists:
    """The compiled lists (once per process)."""
    lists = WordLists()
    excluded: dict[str, set[str]] = {}
    for name in ("exclude.json", "collisions.json"):
        for lang, entries in _read(HERE / name).items():
            excluded.setdefault(lang, set()).update(k for e in entries for k in _entry_keys(e))
    extra = _read(HERE / "extra.json")
    unspaced: dict[str, str] = {}
    for language in LANGUAGES:
        path = package_dir() / f"{language}.json"
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            logger.error("moderation: the word list %s is missing (npm ci installs %s)", path, PACKAGE)
            entries = []
        entries = [*entries, *extra.get(language, [])]
        count = 0
        for entry in entries:
            keys = _entry_keys(entry)
            if not keys or keys & excluded.get(language, set()):
                continue
            count += 1
            for key in keys:
                if UNSPACED.search(key):
                    unspaced.setdefault(key, language)
                elif " " in key:
                    phrase = " ".join(primary_form(word) for word in key.split())
                    lists.phrases.setdefault(key, language)
                    lists.phrases.setdefault(phrase, language)
                    lists.max_phrase_words = max(lists.max_phrase_words, len(key.split()))
                else:
                    lists.words.setdefault(key, language)
                    if language in STEM_LANGUAGES and len(key) >= STEM_MIN_CHARS:
                        lists.stems.setdefault(key, language)
        lists.sizes[language] = count
    lists.phrase_starts = frozenset(phrase.split(" ", 1)[0] for phrase in lists.phrases)
    index: dict[str, list[str]] = {}
    for stem in sorted(lists.stems, key=len, reverse=True):
        index.setdefault(stem[:STEM_MIN_CHARS], []).append(stem)
    lists.stem_index = {key: tuple(stems) for key, stems in index.items()}
    if unspaced:
        alternatives = sorted(unspaced, key=len, reverse=True)
        lists.unspaced = re.compile("|".join(re.escape(a) for a in alternatives))
        lists.unspaced_language = unspaced
    return lists
