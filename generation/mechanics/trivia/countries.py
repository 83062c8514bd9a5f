"""The facts trivia asks about: npm `world-countries` (ODbL), read at build time from node_modules.

Sovereign countries with exactly one capital (South Africa's three would make "the capital of ..."
a question with several right answers). `fame` orders them from the best known: how often the
country's name is written (wordfreq), so easy levels ask about France before Tuvalu.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from generation.mechanics._words import node_modules

# world-countries' translation keys (ISO 639-3) for the languages trivia speaks.
TRANSLATION_KEY = {
    "es": "spa",
    "fr": "fra",
    "de": "deu",
    "it": "ita",
    "pt": "por",
    "nl": "nld",
    "pl": "pol",
    "tr": "tur",
}
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3
    names: dict[str, str]  # language -> common name
    capital: str
    region: str
    flag: str  # the flag emoji

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


@cache
def countries() -> tuple[Country, ...]:
    """Every country trivia may ask about, the best known first."""
    from wordfreq import word_frequency

    path = node_modules() / "world-countries" / "countries.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuntimeError(f"{path} is missing: npm ci installs world-countries") from None
    out = []
    for c in data:
        if not c.get("independent") or len(c.get("capital") or ()) != 1 or c.get("region") not in REGIONS:
            continue
        names = {"en": c["name"]["common"]}
        for language, key in TRANSLATION_KEY.items():
            translated = (c.get("translations") or {}).get(key, {}).get("common")
            if translated:
                names[language] = translated
        out.append(
            Country(code=c["cca3"], names=names, capital=c["capital"][0], region=c["region"], flag=c["flag"])
        )
    fame = {c.code: word_frequency(c.names["en"].lower(), "en") for c in out}
    return tuple(sorted(out, key=lambda c: (-fame[c.code], c.code)))


@cache
def by_code() -> dict[str, Country]:
    return {c.code: c for c in countries()}
