"""Math quiz: questions, answers and choices checked by the validator; difficulty picks operations and ranges."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.mathquiz import (
    MathQuizLevel,
    MathQuizParams,
    Question,
    compute,
    generate_levels,
    operations_for,
    validate_level,
)
from tests.generation.mechanic_checks import (
    assert_designer_picks,
    assert_deterministic_per_seed,
)

PARAMS = MathQuizParams()


def _q(a, op, b, answer=None, choices=None):
    answer = compute(a, op, b) if answer is None else answer
    return {
        "a": a,
        "op": op,
        "b": b,
        "answer": answer,
        "choices": choices or [answer, answer + 1, answer + 2, answer + 3],
    }


def _level(questions, **changes):
    data = {"operations": ["+", "-", "*", "/"], "max_number": 20, "questions": questions, "target": 2,
            "question_time_s": None, "time_limit_s": 60, **changes}  # fmt: skip
    return MathQuizLevel.model_validate(data)


GOOD = [_q(3, "+", 4), _q(9, "-", 5), _q(6, "*", 7), _q(12, "/", 4)]


def test_compute_is_exact_integer_arithmetic():
    assert [compute(7, "+", 5), compute(7, "-", 9), compute(6, "*", 7), compute(12, "/", 4)] == [
        12,
        -2,
        42,
        3,
    ]
    assert compute(7, "/", 2) is None and compute(7, "/", 0) is None


def test_validator_accepts_honest_questions():
    assert validate_level(_level(GOOD), PARAMS) == []


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (_q(3, "+", 4, answer=8), "is 7, not 8"),
        (_q(3, "+", 4, choices=[1, 2, 3, 4]), "not among the choices"),
        (_q(3, "+", 4, choices=[7, 7, 8, 9]), "listed twice"),
        ({"a": 7, "op": "/", "b": 2, "answer": 3, "choices": [3, 4, 5, 6]}, "no whole answer"),
        (_q(3, "-", 9), "negative"),
        (_q(30, "+", 4), "above the level's max_number"),
    ],
)
def test_validator_refuses_wrong_or_unfair_questions(question, message):
    problems = validate_level(_level([question, *GOOD]), PARAMS)
    assert any(message in p for p in problems), problems


def test_validator_checks_the_level_as_a_whole():
    only_plus = _level(GOOD, operations=["+"])
    assert any("not one of the level's operations" in p for p in validate_level(only_plus, PARAMS))
    repeated = _level([GOOD[0], GOOD[0], *GOOD[1:]])
    assert any("asked twice" in p for p in validate_level(repeated, PARAMS))
    uneven = _level([_q(1, "+", 1, choices=[2, 3]), *GOOD])
    assert any("same number of choices" in p for p in validate_level(uneven, PARAMS))
    rushed = _level(GOOD, target=4, time_limit_s=10)
    assert any(p.startswith("time_limit_s:") for p in validate_level(rushed, PARAMS))


def test_negative_answers_are_fine_when_the_params_allow_them():
    level = _level([_q(3, "-", 9, choices=[-6, -5, -4, -3]), *GOOD])
    assert validate_level(level, MathQuizParams(allow_negative=True)) == []


def test_level_schema_refuses_impossible_shapes():
    with pytest.raises(ValidationError):
        _level(GOOD, target=5)  # more right answers than questions
    with pytest.raises(ValidationError):
        Question(a=1, op="%", b=2, answer=1, choices=[1, 2])
    with pytest.raises(ValidationError):
        Question(a=1, op="+", b=2, answer=3, choices=[3])
    with pytest.raises(ValidationError):
        MathQuizParams(operations=["+", "+"])


# --- the generator ----------------------------------------------------------------------------------------


def test_difficulty_picks_the_operations():
    assert operations_for(0.0) == ["+"]
    assert operations_for(0.3) == ["+", "-"]
    assert operations_for(0.6) == ["+", "-", "*"]
    assert operations_for(1.0) == ["+", "-", "*", "/"]


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.0, 0.5, 1.0])


def test_harder_levels_ask_more_with_bigger_numbers_less_time_and_fewer_mistakes():
    easy, hard = generate_levels(rng=random.Random(1), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    assert {q.op for q in easy.questions} == {"+"}
    assert {q.op for q in hard.questions} == {"+", "-", "*", "/"}
    assert hard.max_number > easy.max_number and len(hard.questions) > len(easy.questions)
    assert easy.question_time_s is None and hard.question_time_s is not None
    assert hard.time_limit_s / len(hard.questions) < easy.time_limit_s / len(easy.questions)
    assert hard.target / len(hard.questions) > easy.target / len(easy.questions)
    assert validate_level(easy, PARAMS) == [] and validate_level(hard, PARAMS) == []


def test_params_pick_operations_cap_numbers_and_set_the_choices():
    params = MathQuizParams(operations=["*"], number_cap=10, choices=3)
    for level in generate_levels(
        rng=random.Random(2), count=4, difficulty=[0.0, 0.3, 0.7, 1.0], params=params
    ):
        assert {q.op for q in level.questions} == {"*"}
        assert all(q.a <= 10 and q.b <= 10 and len(q.choices) == 3 for q in level.questions)
        assert validate_level(level, params) == []


def test_choices_are_near_misses_and_never_negative_by_default():
    levels = generate_levels(
        rng=random.Random(7), count=6, difficulty=[i / 5 for i in range(6)], params=PARAMS
    )
    for question in (q for level in levels for q in level.questions):
        assert question.answer in question.choices and len(set(question.choices)) == 4
        assert min(question.choices) >= 0


# --- designer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "easy math game for kids",
        "practise the times tables against the clock",
        "a space quiz with additions and subtractions",
        "mental arithmetic race",
        "juego de matemáticas para niños",
    ],
)
def test_designer_maps_math_prompts_to_mathquiz(prompt):
    assert_designer_picks(prompt, "mathquiz")


def test_easy_math_for_kids_is_gentle():
    # given the example prompt
    spec = spec_from_prompt(prompt="easy math game for kids")
    # then small numbers, three big buttons, additions first, and an easy curve
    assert spec.params.number_cap == 20 and spec.params.choices == 3
    assert {q.op for q in spec.levels[0].questions} == {"+"}
    assert all(q.a <= 20 and q.b <= 20 for level in spec.levels for q in level.questions)
    assert spec.difficulty.end < 0.75


def test_times_tables_prompt_asks_multiplications_only():
    spec = spec_from_prompt(prompt="practise the times tables")
    assert spec.params.operations == ["*"]
    assert {q.op for level in spec.levels for q in level.questions} == {"*"}
