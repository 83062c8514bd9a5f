"""Trivia: a timed geography quiz (capitals, countries, continents, flags) built from data, not a model.

Every fact comes from npm `world-countries` (read at build time, `countries.py`); easy levels ask
about the best-known countries (by how often their names are written: wordfreq), harder ones reach
the whole world, ask the other way round ("Lima is the capital of ...") and pick the wrong answers
from the same continent. The validator recomputes each question from the data: the marked answer
is right and no other choice is.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator, model_validator

from generation.mechanics._words import CHILD_WORDS, language_of
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

from .countries import REGIONS, Country, by_code, countries

Kind = Literal["capital", "capital_of", "region", "flag"]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
TriviaLanguage = Literal["en", "es", "fr", "de", "it", "pt"]
MIN_SECONDS_PER_ANSWER = 3

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {"capital": "What is the capital of {name}?", "capital_of": "{capital} is the capital of ...",
           "region": "Which continent is {name} in?", "flag": "Which country has this flag?"},
    "es": {"capital": "¿Cuál es la capital de {name}?", "capital_of": "{capital} es la capital de ...",
           "region": "¿En qué continente está {name}?", "flag": "¿De qué país es esta bandera?"},
    "fr": {"capital": "Quelle est la capitale de {name} ?", "capital_of": "{capital} est la capitale de ...",
           "region": "Sur quel continent est {name} ?", "flag": "À quel pays est ce drapeau ?"},
    "de": {"capital": "Was ist die Hauptstadt von {name}?", "capital_of": "{capital} ist die Hauptstadt von ...",
           "region": "Auf welchem Kontinent liegt {name}?", "flag": "Welches Land hat diese Flagge?"},
    "it": {"capital": "Qual è la capitale di {name}?", "capital_of": "{capital} è la capitale di ...",
           "region": "In quale continente si trova {name}?", "flag": "Di quale paese è questa bandiera?"},
    "pt": {"capital": "Qual é a capital de {name}?", "capital_of": "{capital} é a capital de ...",
           "region": "Em que continente fica {name}?", "flag": "De que país é esta bandeira?"},
}  # fmt: skip
REGION_NAMES: dict[str, dict[str, str]] = {
    "en": {r: r for r in REGIONS},
    "es": {
        "Africa": "África",
        "Americas": "América",
        "Asia": "Asia",
        "Europe": "Europa",
        "Oceania": "Oceanía",
    },
    "fr": {
        "Africa": "Afrique",
        "Americas": "Amérique",
        "Asia": "Asie",
        "Europe": "Europe",
        "Oceania": "Océanie",
    },
    "de": {
        "Africa": "Afrika",
        "Americas": "Amerika",
        "Asia": "Asien",
        "Europe": "Europa",
        "Oceania": "Ozeanien",
    },
    "it": {
        "Africa": "Africa",
        "Americas": "America",
        "Asia": "Asia",
        "Europe": "Europa",
        "Oceania": "Oceania",
    },
    "pt": {
        "Africa": "África",
        "Americas": "América",
        "Asia": "Ásia",
        "Europe": "Europa",
        "Oceania": "Oceania",
    },
}


class TriviaQuestion(StrictModel):
    kind: Kind
    country: str = Field(
        pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code of the country asked about."
    )
    text: str = Field(min_length=3, max_length=160)
    subject: str = Field(default="", max_length=80, description="Shown big: a flag, or empty.")
    choices: list[str] = Field(min_length=2, max_length=5)
    answer: int = Field(ge=0, le=4, description="Index of the right choice.")

    @model_validator(mode="after")
    def _answer_is_a_choice(self):
        if self.answer >= len(self.choices):
            raise ValueError("answer must be the index of one of the choices")
        return self


class TriviaParams(MechanicParams):
    language: TriviaLanguage = Field(default="en", description="Language of the questions and country names.")
    kinds: list[Kind] | None = Field(default=None, min_length=1, max_length=4, description="Questions asked.")
    choices: int = Field(default=4, ge=2, le=5, description="Answer buttons per question.")
    regions: list[Literal["Africa", "Americas", "Asia", "Europe", "Oceania"]] | None = Field(
        default=None, min_length=1, max_length=5, description="Only countries of these continents."
    )

    @field_validator("kinds", "regions")
    @classmethod
    def _unique(cls, values: list[str] | None) -> list[str] | None:
        if values is not None and len(set(values)) != len(values):
            raise ValueError("each value once")
        return values


class TriviaLevel(MechanicLevel):
    questions: list[TriviaQuestion] = Field(min_length=3, max_length=30)
    target: int = Field(ge=1, le=30, description="Right answers needed to finish the level.")
    question_time_s: int | None = Field(default=None, ge=4, le=60)
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _target_fits(self):
        if self.target > len(self.questions):
            raise ValueError("target cannot be more than the number of questions")
        return self


def truth(kind: str, country: Country, language: str) -> str:
    """The right answer to a question of `kind` about `country`."""
    if kind == "capital":
        return country.capital
    if kind == "region":
        return REGION_NAMES[language][country.region]
    return country.name(language)  # capital_of, flag


def question_text(kind: str, country: Country, language: str) -> str:
    return TEMPLATES[language][kind].format(name=country.name(language), capital=country.capital)


def _also_right(kind: str, country: Country, choice: str, language: str) -> bool:
    """Whether a wrong-looking choice would be right too (a country sharing the capital, the flag...)."""
    for other in countries():
        if other.code == country.code:
            continue
        if kind in ("capital_of", "flag") and other.name(language) == choice:
            same = other.capital == country.capital if kind == "capital_of" else other.flag == country.flag
            if same:
                return True
    return False


def _honest(kind: str, choice: str, language: str) -> bool:
    """A wrong choice of the same sort as the answer (a capital among capitals...)."""
    if kind == "capital":
        return any(c.capital == choice for c in countries())
    if kind == "region":
        return choice in REGION_NAMES[language].values()
    return any(c.name(language) == choice for c in countries())


def validate_level(level: TriviaLevel, params: TriviaParams) -> list[str]:
    """Each question recomputed from the data: the marked answer is right, no other choice is."""
    problems = []
    known = by_code()
    seen = set()
    sizes = {len(q.choices) for q in level.questions}
    if len(sizes) > 1:
        problems.append("questions: every question of a level has the same number of choices")
    for i, q in enumerate(level.questions):
        where = f"questions.{i}"
        country = known.get(q.country)
        if country is None:
            problems.append(f"{where}.country: {q.country} is not a country trivia knows")
            continue
        right = truth(q.kind, country, params.language)
        if q.text != question_text(q.kind, country, params.language):
            problems.append(f"{where}.text: does not ask the {q.kind} question about {q.country}")
        if q.subject != (country.flag if q.kind == "flag" else ""):
            problems.append(f"{where}.subject: only a flag question shows a subject, its country's flag")
        if len(set(q.choices)) != len(q.choices):
            problems.append(f"{where}.choices: a choice is listed twice")
        if q.choices[q.answer] != right:
            problems.append(f"{where}.answer: the right answer is {right!r}, not {q.choices[q.answer]!r}")
        for j, choice in enumerate(q.choices):
            if j == q.answer:
                continue
            if choice == right or _also_right(q.kind, country, choice, params.language):
                problems.append(f"{where}.choices.{j}: {choice!r} is right too")
            elif not _honest(q.kind, choice, params.language):
                problems.append(f"{where}.choices.{j}: {choice!r} is not a {q.kind} answer of any country")
        if params.kinds and q.kind not in params.kinds:
            problems.append(f"{where}.kind: {q.kind} is not one of the kinds asked")
        if params.regions and country.region not in params.regions:
            problems.append(f"{where}.country: {country.region} is not one of the regions asked")
        if (q.kind, q.country) in seen:
            problems.append(f"{where}: the same question is asked twice")
        seen.add((q.kind, q.country))
    if level.time_limit_s is not None and level.time_limit_s < level.target * MIN_SECONDS_PER_ANSWER + 3:
        problems.append(
            f"time_limit_s: {level.target} answers need at least {level.target * MIN_SECONDS_PER_ANSWER + 3} s"
        )
    return problems


# --- generation ----------------------------------------------------------------------------------------


def kinds_for(d: float) -> list[str]:
    """Capitals and continents first; the reverse question ("X is the capital of ...") from the middle."""
    return ["capital", "region"] if d < 0.35 else ["capital", "capital_of", "region"]


def _gives_away(kind: str, country: Country) -> bool:
    """A capital named like its country (Luxembourg, Kuwait City, Tunis) makes no question."""
    capital, name = country.capital.lower(), country.names["en"].lower()
    return kind in ("capital", "capital_of") and (capital[:5] in name or name[:5] in capital)


def _choices(rng: random.Random, kind: str, country: Country, pool: list[Country], count: int,
             language: str, same_region: bool) -> tuple[list[str], int]:  # fmt: skip
    right = truth(kind, country, language)
    if kind == "region":
        wrong = [REGION_NAMES[language][r] for r in REGIONS if r != country.region]
        rng.shuffle(wrong)
    else:
        others = [c for c in pool if c.code != country.code]
        if same_region:
            near = [c for c in others if c.region == country.region]
            others = near if len(near) >= count else others
        rng.shuffle(others)
        wrong = []
        for other in others:
            value = truth(kind, other, language)
            if value != right and value not in wrong and not _also_right(kind, country, value, language):
                wrong.append(value)
            if len(wrong) >= count - 1:
                break
    picks = [right, *wrong[: count - 1]]
    rng.shuffle(picks)
    return picks, picks.index(right)


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: TriviaParams
) -> list[TriviaLevel]:
    """Lesser-known countries, reversed questions, same-continent choices, more questions and less time as difficulty climbs."""
    everything = [c for c in countries() if not params.regions or c.region in params.regions]
    levels = []
    asked: set[tuple[str, str]] = set()
    for index in range(count):
        d = difficulty[index]
        kinds = list(params.kinds) if params.kinds else kinds_for(d)
        reach = max(12, lerp_int(30, len(everything), d))
        pool = everything[:reach]
        total = lerp_int(8, 14, d)
        questions = []
        level_asked: set[tuple[str, str]] = set()
        order = list(pool)
        rng.shuffle(order)
        # lesser-known countries first at high difficulty: the back of the reach
        if d >= 0.5:
            order.sort(key=lambda c: -pool.index(c) if rng.random() < d else 0)
        choices = params.choices
        for step in range(len(order) * len(kinds)):
            if len(questions) >= total:
                break
            kind = kinds[len(questions) % len(kinds)]
            country = order[step % len(order)]
            key = (kind, country.code)
            if key in level_asked or (key in asked and step < len(order)) or _gives_away(kind, country):
                continue
            picks, answer = _choices(rng, kind, country, pool if d < 0.5 else everything, choices,
                                     params.language, same_region=d >= 0.5)  # fmt: skip
            if len(picks) < choices:
                continue
            level_asked.add(key)
            questions.append(
                TriviaQuestion(
                    kind=kind,
                    country=country.code,
                    text=question_text(kind, country, params.language),
                    subject=country.flag if kind == "flag" else "",
                    choices=picks,
                    answer=answer,
                )
            )
        asked |= level_asked
        target = max(1, math.ceil(len(questions) * lerp(0.6, 0.8, d)))
        levels.append(
            TriviaLevel(
                questions=questions,
                target=target,
                question_time_s=lerp_int(20, 9, d) if d >= 0.3 else None,
                time_limit_s=min(
                    900,
                    max(target * MIN_SECONDS_PER_ANSWER + 3, int(len(questions) * lerp(12.0, 7.0, d)) + 10),
                ),
            )
        )
    return levels


KIND_WORDS = {
    "capital": {
        "capital",
        "capitals",
        "city",
        "cities",
        "capitales",
        "hauptstädte",
        "hauptstadt",
        "capitale",
    },
    "region": {"continent", "continents", "continentes", "kontinente"},
    "flag": {"flag", "flags", "banderas", "bandera", "drapeaux", "flaggen", "bandiere", "bandeiras"},
}
REGION_WORDS = {
    "Africa": {"africa", "african", "áfrica", "afrique", "afrika"},
    "Americas": {"america", "americas", "american", "américa", "amérique", "amerika", "latin"},
    "Asia": {"asia", "asian", "asie", "asien", "ásia"},
    "Europe": {"europe", "european", "europa", "européen", "eu"},
    "Oceania": {"oceania", "australia", "pacific", "océanie", "ozeanien", "oceanía"},
}


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    language = language_of(words)
    if language in TEMPLATES:
        params["language"] = language
    kinds = [k for k in KINDS if words & KIND_WORDS.get(k, set())]
    if kinds:
        if "capital" in kinds:
            kinds.insert(kinds.index("capital") + 1, "capital_of")
        params["kinds"] = kinds
    regions = [r for r in REGIONS if words & REGION_WORDS[r]]
    if regions:
        params["regions"] = regions
    if words & CHILD_WORDS:
        params["choices"] = 3
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("globe", 0.5, 0.18, 0.2),
        ("card", 0.5, 0.38, 0.55),
        ("button", 0.5, 0.6, 0.6),
        ("button", 0.5, 0.73, 0.6),
        ("button", 0.5, 0.86, 0.6),
    ]


MECHANIC = MechanicDefinition(
    slug="trivia",
    name="Geography Trivia",
    description="A timed quiz on the world's countries: capitals, continents and flags, each question "
    "built from country data. Harder levels reach lesser-known countries and closer wrong answers.",
    genre="educational",
    category="educational",
    keywords=(
        "trivia",
        "geography",
        "capitals",
        "capital",
        "countries",
        "country",
        "flags",
        "flag",
        "continents",
        "continent",
        "world",
        "nations",
        "atlas",
        "general knowledge",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        # "quiz" leans to mathquiz (a keyword there); with a word of the world it tips to trivia
        verbs={
            "quiz": 1.5,
            "travel": 0.5,
            "answer": 1,
            "europe": 1,
            "africa": 1,
            "asia": 1,
            "america": 1,
            "oceania": 1,
            "earth": 0.5,
            "map": 0.5,
        },
        foreign_words=(
            "geografía",
            "geografia",
            "géographie",
            "geographie",
            "erdkunde",
            "capitales",
            "países",
            "paises",
            "pays",
            "länder",
            "hauptstädte",
            "banderas",
            "drapeaux",
            "flaggen",
            "bandiere",
            "bandeiras",
            "paesi",
            "trivial",
            "culture générale",
            "allgemeinwissen",
            "география",
            "столицы",
            "地理",
            "首都",
            "国旗",
            "جغرافيا",
        ),
        emoji=("🌍", "🌎", "🌏", "🗺", "🏳"),
    ),  # fmt: skip
    example_prompts=(
        "a geography trivia about world capitals",
        "guess the country from its flag",
        "a quiz on the countries of Europe for kids",
    ),
    Params=TriviaParams,
    Level=TriviaLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowDown"),
        probe_watch="selected",
        expected_events=(*OPENING_EVENTS, "question_answered", "level_end"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("globe", "circle", "secondary", 96, 96, role="hero"),
        SpriteSpec("card", "rounded", "surface", 96, 64),
        SpriteSpec("button", "rounded", "primary", 96, 40),
        SpriteSpec("button_pick", "rounded", "accent", 96, 40),
        SpriteSpec("right", "star", "extra0"),
        SpriteSpec("wrong", "diamond", "danger"),
    ),
    audio_cues={"correct": "pickup", "wrong": "hit", "streak": "win", "timeout": "lose"},
    events=(
        EventSpec(
            "question_answered",
            "An answer was given (or the question timed out).",
            ("level", "correct", "kind", "ms"),
        ),
        EventSpec("streak", "Several right answers in a row.", ("level", "length")),
        EventSpec("too_many_mistakes", "More mistakes than the level allows.", ("level", "correct")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap the right answer, or press its number key (1-5).",
        "Up and Down pick an answer; Space or Enter gives it.",
        "Get enough right before the clock (or your mistakes) run out.",
    ),
    win_text="Answer enough questions right before the time runs out.",
    lose_text="Run out of time, or make more mistakes than the level allows.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Trivia", "World", "Atlas", "Capitals"),
    preview=preview,
    cast_defaults={"hero": ("globe",)},
)
