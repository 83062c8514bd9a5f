"""The labelled set (tests/moderation/data/labelled.json): each item with its split.

Within each language and category every third item is held out: never looked at while the
word lists' exclusions and the thresholds were chosen. `bench/moderation.py` reports both parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "labelled.json"


@dataclass(frozen=True)
class Item:
    language: str
    category: str  # clean | profane | borderline
    expected: str  # flag | allow
    text: str
    split: str  # tune | holdout


def labelled_items() -> list[Item]:
    rows = json.loads(PATH.read_text(encoding="utf-8"))["items"]
    seen: dict[tuple[str, str], int] = {}
    items = []
    for language, category, expected, text in rows:
        n = seen.get((language, category), 0)
        seen[(language, category)] = n + 1
        items.append(Item(language, category, expected, text, "holdout" if n % 3 == 2 else "tune"))
    return items
