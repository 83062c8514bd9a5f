"""Spelling: exactly one right spelling per question, the others near misses that are no words."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics._words import lexicon
from generation.mechanics.spelling import (
    SpellingLevel,
    SpellingParams,
    SpellingQuestion,
    distance,
    generate_levels,
    misspellings,
    validate_level,
)
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_hardest_game_fits_the_bundle,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = SpellingParams()


WATER = {"word": "water", "choices": ["water", "wather", "watr"], "answer": 0}


def _level(questions, **changes):
    data = {"questions": questions, "target": 2, "question_time_s": None, "time_limit_s": 60, **changes}
    return SpellingLevel.model_validate(data)


GOOD = [
    {"word": "friend", "choices": ["freind", "friend", "frend"], "answer": 1},
    {"word": "people", "choices": ["people", "peeple", "pepole"], "answer": 0},
    {"word": "little", "choices": ["litle", "littel", "little"], "answer": 2},
]


def test_misspellings_are_the_usual_mistakes_and_near_misses():
    wrong = misspellings("tomorrow")
    assert "tomorow" in wrong and "tommorrow" not in wrong[:1]
    assert "beleive" in misspellings("believe") and "seperate" in misspellings("separate")
    assert all(distance(w, "believe") <= 2 for w in misspellings("believe"))
    assert distance("friend", "freind") == 1 and distance("abc", "xyz") == 3


def test_validator_accepts_honest_questions():
    assert validate_level(_level(GOOD), PARAMS) == []


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"word": "there", "choices": ["there", "three", "thare"], "answer": 0}, "is a word too"),
        (
            {"word": "house", "choices": ["hause", "house", "houce"], "answer": 0},
            "the right spelling is 'house'",
        ),
        ({"word": "water", "choices": ["water", "wxyzq", "watter"], "answer": 0}, "no near miss"),
        ({"word": "zzxqv", "choices": ["zzxqv", "zzxqw", "zzxqq"], "answer": 0}, "not in the allowed"),
        ({"word": "water", "choices": ["water", "watter", "watter"], "answer": 0}, "listed twice"),
        ({"word": "friend", "choices": ["friend", "frend", "freind"], "answer": 0}, "asked twice"),
    ],
)
def test_validator_refuses_ambiguous_or_dishonest_questions(question, message):
    problems = validate_level(_level([*GOOD, question]), PARAMS)
    assert any(message in p for p in problems), problems


def test_validator_checks_the_level_as_a_whole():
    uneven = _level([*GOOD, {"word": "water", "choices": ["water", "watter"], "answer": 0}])
    assert any("same number of choices" in p for p in validate_level(uneven, PARAMS))
    assert any(
        p.startswith("time_limit_s:")
        for p in validate_level(_level([*GOOD, WATER], target=4, time_limit_s=10), PARAMS)
    )
    with pytest.raises(ValidationError):
        _level(GOOD, target=4)
    with pytest.raises(ValidationError):
        SpellingQuestion(word="house", choices=["house", "hause"], answer=2)


def test_spec_with_a_second_right_spelling_is_refused_at_its_level():
    data = spec_data("spelling")
    question = data["levels"][1]["questions"][0]
    question["choices"][(question["answer"] + 1) % len(question["choices"])] = "people"
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.0, 0.5, 1.0])


def test_every_generated_question_has_exactly_one_word_among_its_choices():
    words = lexicon("en")
    for level in generate_levels(rng=random.Random(5), count=3, difficulty=[0, 0.5, 1], params=PARAMS):
        for q in level.questions:
            assert [c for c in q.choices if c in words] == [q.word] == [q.choices[q.answer]]


def test_harder_levels_ask_longer_words_with_a_clock():
    easy, hard = generate_levels(rng=random.Random(1), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    mean = lambda level: sum(len(q.word) for q in level.questions) / len(level.questions)  # noqa: E731
    assert mean(hard) > mean(easy) + 1.5 and len(hard.questions) > len(easy.questions)
    assert easy.question_time_s is None and hard.question_time_s is not None


@pytest.mark.parametrize(
    "params",
    [SpellingParams(choices=4), SpellingParams(choices=2, max_rank=300), SpellingParams(language="es")],
)
def test_generator_copes_with_extreme_params(params):
    assert_copes_with_params(generate_levels, validate_level, params)


def test_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("spelling", generate_levels, PARAMS)


def test_the_bot_finishes_a_level():
    assert "spelling_answered" in assert_bot_completes_a_level("spelling").expected_events


@pytest.mark.parametrize(
    "prompt",
    [
        "a spelling bee for kids",
        "which word is spelled right",
        "a tricky spelling test",
        "juego de ortografía",
    ],
)
def test_designer_maps_spelling_prompts_to_spelling(prompt):
    assert_designer_picks(prompt, "spelling")


def test_kids_get_two_choices_and_common_words():
    spec = spec_from_prompt(prompt="a spelling bee for kids")
    assert spec.params.choices == 2 and spec.params.max_rank == 2000
    assert all(len(q.choices) == 2 for level in spec.levels for q in level.questions)
