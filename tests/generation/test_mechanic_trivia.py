"""Trivia: every question recomputed from the country data, one right answer among honest choices."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.trivia import (
    TriviaLevel,
    TriviaParams,
    TriviaQuestion,
    generate_levels,
    kinds_for,
    question_text,
    truth,
    validate_level,
)
from generation.mechanics.trivia.countries import by_code, countries
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_hardest_game_fits_the_bundle,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = TriviaParams()


def _q(kind, code, choices, answer, language="en", **changes):
    country = by_code()[code]
    data = {"kind": kind, "country": code, "text": question_text(kind, country, language),
            "subject": country.flag if kind == "flag" else "", "choices": choices, "answer": answer, **changes}  # fmt: skip
    return data


def _level(questions, **changes):
    data = {"questions": questions, "target": 2, "question_time_s": None, "time_limit_s": 60, **changes}
    return TriviaLevel.model_validate(data)


GOOD = [
    _q("capital", "FRA", ["Madrid", "Paris", "Rome", "Berlin"], 1),
    _q("capital_of", "JPN", ["China", "Japan", "India", "Peru"], 1),
    _q("region", "KEN", ["Africa", "Asia", "Europe", "Oceania"], 0),
    _q("flag", "CAN", ["Canada", "Mexico", "Chile", "Spain"], 0),
]


def test_the_data_has_the_sovereign_countries_best_known_first():
    assert 180 <= len(countries()) <= 200
    codes = [c.code for c in countries()]
    assert codes.index("FRA") < codes.index("TUV") and codes.index("USA") < 10
    assert "ZAF" not in codes  # three capitals: "the capital of South Africa" has no single answer
    assert by_code()["FRA"].capital == "Paris" and by_code()["FRA"].name("de") == "Frankreich"


def test_validator_accepts_honest_questions():
    assert validate_level(_level(GOOD), PARAMS) == []


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (_q("capital", "DEU", ["Madrid", "Paris", "Berlin", "Rome"], 0), "the right answer is 'Berlin'"),
        (_q("capital", "DEU", ["Berlin", "Berlin", "Rome", "Oslo"], 0), "listed twice"),
        (_q("capital", "DEU", ["Berlin", "Europe", "Rome", "Oslo"], 0), "not a capital answer"),
        (
            _q("capital", "DEU", ["Berlin", "Paris", "Rome", "Oslo"], 0, text="Capital of Spain?"),
            "does not ask",
        ),
        (_q("flag", "DEU", ["Germany", "Paris", "Rome", "Oslo"], 0, subject=""), "its country's flag"),
        ({**_q("capital", "DEU", ["Berlin", "Paris", "Rome", "Oslo"], 0), "country": "XXX"}, "not a country"),
        (_q("capital", "FRA", ["Paris", "Madrid", "Rome", "Oslo"], 0), "asked twice"),
    ],
)
def test_validator_refuses_wrong_or_unfair_questions(question, message):
    problems = validate_level(_level([*GOOD, question]), PARAMS)
    assert any(message in p for p in problems), problems


def test_validator_checks_params_choices_and_time():
    assert any(
        "not one of the kinds asked" in p
        for p in validate_level(_level(GOOD), TriviaParams(kinds=["capital"]))
    )
    assert any(
        "not one of the regions" in p for p in validate_level(_level(GOOD), TriviaParams(regions=["Europe"]))
    )
    uneven = _level([*GOOD, _q("capital", "DEU", ["Berlin", "Rome"], 0)])
    assert any("same number of choices" in p for p in validate_level(uneven, PARAMS))
    assert any(
        p.startswith("time_limit_s:") for p in validate_level(_level(GOOD, target=4, time_limit_s=10), PARAMS)
    )


def test_schema_refuses_impossible_shapes():
    with pytest.raises(ValidationError):
        TriviaQuestion.model_validate(_q("capital", "FRA", ["Paris", "Rome"], 3))
    with pytest.raises(ValidationError):
        _level(GOOD, target=5)
    with pytest.raises(ValidationError):
        TriviaParams(kinds=["capital", "capital"])


def test_spec_with_a_wrong_answer_is_refused_at_its_level():
    data = spec_data("trivia")
    data["levels"][1]["questions"][0]["answer"] = (data["levels"][1]["questions"][0]["answer"] + 1) % 4
    assert_spec_refused_at_level(data, 1)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.0, 0.5, 1.0])


def test_every_generated_question_has_exactly_its_one_right_answer():
    for level in generate_levels(
        rng=random.Random(3), count=5, difficulty=[0, 0.25, 0.5, 0.75, 1], params=PARAMS
    ):
        for q in level.questions:
            right = truth(q.kind, by_code()[q.country], "en")
            assert [c for c in q.choices if c == right] == [q.choices[q.answer]]


def test_harder_levels_reach_lesser_known_countries_and_ask_more_kinds():
    easy, hard = generate_levels(rng=random.Random(1), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    fame = {c.code: i for i, c in enumerate(countries())}
    mean = lambda level: sum(fame[q.country] for q in level.questions) / len(level.questions)  # noqa: E731
    assert mean(hard) > mean(easy) + 30
    assert {q.kind for q in easy.questions} == set(kinds_for(0.0)) and "capital_of" in {
        q.kind for q in hard.questions
    }
    assert len(hard.questions) > len(easy.questions) and easy.question_time_s is None and hard.question_time_s


def test_no_question_gives_its_answer_away():
    for level in generate_levels(rng=random.Random(2), count=3, difficulty=[0, 0.5, 1], params=PARAMS):
        assert not any(q.kind == "capital" and q.country in ("LUX", "SGP", "KWT") for q in level.questions)


@pytest.mark.parametrize(
    "params",
    [
        TriviaParams(kinds=["flag"], choices=5),
        TriviaParams(regions=["Oceania"], choices=2),
        TriviaParams(language="de", kinds=["capital_of", "region"]),
        TriviaParams(language="es", regions=["Europe"], kinds=["capital"]),
    ],
)
def test_generator_copes_with_extreme_params(params):
    assert_copes_with_params(generate_levels, validate_level, params)


def test_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("trivia", generate_levels, PARAMS)


def test_the_bot_finishes_a_level():
    assert "question_answered" in assert_bot_completes_a_level("trivia").expected_events


# --- designer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "a geography trivia about world capitals",
        "guess the country from its flag",
        "a quiz on the countries of Europe for kids",
        "juego de banderas del mundo",
        "🌍 capitals",
    ],
)
def test_designer_maps_geography_prompts_to_trivia(prompt):
    assert_designer_picks(prompt, "trivia")


def test_prompt_words_pick_kinds_regions_and_language():
    spec = spec_from_prompt(prompt="a quiz on the countries of Europe for kids")
    assert spec.params.regions == ["Europe"] and spec.params.choices == 3
    assert all(by_code()[q.country].region == "Europe" for level in spec.levels for q in level.questions)
    flags = spec_from_prompt(prompt="juego de banderas del mundo para niños")
    assert flags.params.language == "es" and flags.params.kinds == ["flag"]
    assert flags.levels[0].questions[0].text == "¿De qué país es esta bandera?"
