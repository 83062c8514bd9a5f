"""Math quiz: answer timed arithmetic questions; get enough right before the clock or your mistakes run out.

Difficulty picks the operations (+, then -, then x, then /) and the size of the numbers;
every question, its answer and its choices are in the level data, checked by the validator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator, model_validator

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    MultiplayerMode,
    SpriteSpec,
    StrictModel,
    Vocabulary,
    lerp,
    lerp_int,
)

Operation = Literal["+", "-", "*", "/"]
OPERATIONS: tuple[str, ...] = ("+", "-", "*", "/")
MAX_NUMBER = 1000
# Seconds a player needs at the very least per answer (read, think, tap).
MIN_SECONDS_PER_ANSWER = 2


def compute(a: int, op: str, b: int) -> int | None:
    """The exact integer result, or None when there is none (division by zero or with a remainder)."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or a % b:
        return None
    return a // b


class Question(StrictModel):
    a: int = Field(ge=0, le=MAX_NUMBER)
    op: Operation
    b: int = Field(ge=0, le=MAX_NUMBER)
    answer: int = Field(ge=-MAX_NUMBER, le=MAX_NUMBER * MAX_NUMBER)
    choices: list[int] = Field(min_length=2, max_length=6, description="Buttons shown; one is the answer.")


class MathQuizParams(MechanicParams):
    operations: list[Operation] | None = Field(
        default=None, min_length=1, max_length=4, description="Operations asked (none: by difficulty)."
    )
    choices: int = Field(default=4, ge=2, le=6, description="Answer buttons per question.")
    number_cap: int | None = Field(
        default=None, ge=5, le=MAX_NUMBER, description="Largest number in a question."
    )
    allow_negative: bool = Field(default=False, description="Subtractions may go below zero.")
    streak_bonus: bool = Field(default=True, description="Answers in a row score more.")

    @field_validator("operations")
    @classmethod
    def _unique(cls, ops: list[str] | None) -> list[str] | None:
        if ops is not None and len(set(ops)) != len(ops):
            raise ValueError("each operation once")
        return ops


class MathQuizLevel(MechanicLevel):
    operations: list[Operation] = Field(min_length=1, max_length=4)
    max_number: int = Field(ge=5, le=MAX_NUMBER, description="Largest operand (and, for + and -, result).")
    questions: list[Question] = Field(min_length=3, max_length=40)
    target: int = Field(ge=1, le=40, description="Right answers needed to finish the level.")
    question_time_s: int | None = Field(
        default=None, ge=3, le=60, description="Seconds per question (a miss after)."
    )
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _target_fits(self):
        if self.target > len(self.questions):
            raise ValueError("target cannot be more than the number of questions")
        return self

    @property
    def mistakes_allowed(self) -> int:
        return len(self.questions) - self.target


def validate_level(level: MathQuizLevel, params: MathQuizParams) -> list[str]:
    """Right answers, honest choices, operations and numbers in range, and time enough to answer."""
    problems = []
    if len(set(level.operations)) != len(level.operations):
        problems.append("operations: each operation once")
    seen = set()
    sizes = {len(q.choices) for q in level.questions}
    if len(sizes) > 1:
        problems.append("questions: every question of a level has the same number of choices")
    for index, q in enumerate(level.questions):
        where = f"questions.{index}"
        result = compute(q.a, q.op, q.b)
        if q.op not in level.operations:
            problems.append(f"{where}.op: {q.op} is not one of the level's operations")
        if result is None:
            problems.append(f"{where}: {q.a} / {q.b} has no whole answer")
            continue
        if q.answer != result:
            problems.append(f"{where}.answer: {q.a} {q.op} {q.b} is {result}, not {q.answer}")
        if result < 0 and not params.allow_negative:
            problems.append(f"{where}: the answer is negative")
        if max(q.a, q.b) > level.max_number:
            problems.append(f"{where}: a number is above the level's max_number {level.max_number}")
        if len(set(q.choices)) != len(q.choices):
            problems.append(f"{where}.choices: a choice is listed twice")
        if q.answer not in q.choices:
            problems.append(f"{where}.choices: the answer is not among the choices")
        if (q.a, q.op, q.b) in seen:
            problems.append(f"{where}: the same question is asked twice")
        seen.add((q.a, q.op, q.b))
    if level.time_limit_s is not None and level.time_limit_s < level.target * MIN_SECONDS_PER_ANSWER + 3:
        problems.append(f"time_limit_s: {level.target} answers need at least "
                        f"{level.target * MIN_SECONDS_PER_ANSWER + 3} s")  # fmt: skip
    return problems


# --- generation ----------------------------------------------------------------------------------------


def operations_for(d: float) -> list[str]:
    """Addition first, then subtraction, multiplication and division as difficulty climbs."""
    if d < 0.2:
        return ["+"]
    if d < 0.45:
        return ["+", "-"]
    if d < 0.7:
        return ["+", "-", "*"]
    return ["+", "-", "*", "/"]


def _question(rng: random.Random, op: str, top: int, table: int, params: MathQuizParams) -> tuple[int, int]:
    if op == "+":
        a = rng.randint(0, max(1, top // 2 + rng.randint(0, top // 2)))
        return a, rng.randint(0, max(0, top - a))
    if op == "-":
        a, b = rng.randint(1, top), rng.randint(0, top)
        return (a, b) if params.allow_negative or a >= b else (b, a)
    if op == "*":
        return rng.randint(0 if table < 6 else 2, table), rng.randint(1, table)
    b = rng.randint(1, table)
    return b * rng.randint(0 if table < 6 else 1, table), b


def _choices(rng: random.Random, answer: int, count: int, params: MathQuizParams) -> list[int]:
    """The answer and near misses a hasty player might pick (off by one or two, by ten, digits swapped)."""
    near = [answer + k for k in (1, -1, 2, -2, 10, -10, 3, -3, 5, -5)]
    if answer >= 10:
        swapped = int(str(answer)[::-1])
        if swapped != answer:
            near.insert(0, swapped)
    rng.shuffle(near)
    pool = [n for n in dict.fromkeys(near) if n != answer and (n >= 0 or params.allow_negative)]
    extra = answer + 4
    while len(pool) < count - 1:
        extra += 1
        if extra not in pool:
            pool.append(extra)
    picks = [answer, *pool[: count - 1]]
    rng.shuffle(picks)
    return picks


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: MathQuizParams
) -> list[MathQuizLevel]:
    """More operations, bigger numbers, more questions, less time and fewer mistakes allowed as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        ops = list(params.operations) if params.operations else operations_for(d)
        top = lerp_int(10, 100, d)
        table = lerp_int(5, 12, d)
        if params.number_cap:
            top = min(top, params.number_cap)
            table = min(table, params.number_cap)
        total = lerp_int(8, 15, d)
        questions = []
        seen = set()
        attempts = 0
        while len(questions) < total:
            attempts += 1
            op = ops[len(questions) % len(ops)] if attempts < 200 else rng.choice(ops)
            a, b = _question(rng, op, top, table, params)
            if (a, op, b) in seen and attempts < 400:
                continue
            seen.add((a, op, b))
            answer = compute(a, op, b)
            questions.append(
                Question(
                    a=a, op=op, b=b, answer=answer, choices=_choices(rng, answer, params.choices, params)
                )
            )
        rng.shuffle(questions)
        target = max(1, math.ceil(total * lerp(0.6, 0.85, d)))
        per_question = lerp(9.0, 4.5, d)
        levels.append(
            MathQuizLevel(
                operations=ops,
                max_number=max(5, max(max(q.a, q.b) for q in questions)),
                questions=questions,
                target=target,
                question_time_s=lerp_int(15, 6, d) if d >= 0.3 else None,
                time_limit_s=min(
                    900, max(target * MIN_SECONDS_PER_ANSWER + 3, int(total * per_question) + 10)
                ),
            )
        )
    return levels


OPERATION_WORDS = {
    "+": {"addition", "add", "adding", "plus", "sum", "sums"},
    "-": {"subtraction", "subtract", "subtracting", "minus", "take-away", "difference"},
    "*": {"multiplication", "multiply", "multiplying", "times", "tables", "product"},
    "/": {"division", "divide", "dividing", "divided", "share", "sharing"},
}


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    ops = [op for op in OPERATIONS if words & OPERATION_WORDS[op]]
    if ops:
        params["operations"] = ops
    if words & {"kids", "kid", "children", "child", "toddler", "preschool", "beginner", "first", "little"}:
        params["number_cap"] = 20
        params["choices"] = 3
    if words & {"genius", "expert", "hard", "mental"}:
        params["choices"] = 5
    if words & {"negative", "negatives", "integers"}:
        params["allow_negative"] = True
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("card", 0.5, 0.3, 0.5),
        ("button", 0.3, 0.62, 0.3),
        ("button", 0.7, 0.62, 0.3),
        ("button", 0.3, 0.85, 0.3),
        ("button", 0.7, 0.85, 0.3),
        ("star", 0.86, 0.2, 0.16),
        ("star", 0.12, 0.16, 0.1),
    ]


MECHANIC = MechanicDefinition(
    slug="mathquiz",
    name="Math Quiz",
    description="Timed arithmetic questions with answer buttons: get enough right before the clock or your "
    "mistakes run out. Harder levels bring subtraction, multiplication and division.",
    genre="educational",
    category="educational",
    keywords=(
        "math",
        "maths",
        "mathematics",
        "arithmetic",
        "quiz",
        "sums",
        "numbers",
        "addition",
        "subtraction",
        "multiplication",
        "division",
        "times",
        "tables",
        "calculate",
        "calculation",
        "mental",
        "count",
        "counting",
        "plus",
        "minus",
        "equation",
        "equations",
        "homework",
        "matemáticas",
        "mathématiques",
        "mathe",
        "rechnen",
        "математика",
        "数学",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"count": 1.5, "solve": 1, "add": 1.5, "calculate": 2},
        foreign_words=(
            "matemáticas",
            "matemática",
            "matematica",
            "mathématiques",
            "calcul",
            "mathe",
            "rechnen",
            "rekenen",
            "matematyka",
            "matematik",
            "sumas",
            "математик",
            "算数",
            "計算",
            "数学",
            "算术",
            "رياضيات",
        ),
        emoji=("➕", "✖", "🧮"),
    ),  # fmt: skip
    example_prompts=(
        "easy math game for kids",
        "practise the times tables against the clock",
        "a space quiz with additions and subtractions",
    ),
    Params=MathQuizParams,
    Level=MathQuizLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowRight"),
        probe_watch="selected",
        expected_events=(*OPENING_EVENTS, "question_answered", "level_end"),
        completes_level=True,
        max_seconds=35.0,
    ),
    sprites=(
        SpriteSpec("card", "rounded", "surface", 96, 64),
        SpriteSpec("button", "rounded", "primary", 96, 64),
        SpriteSpec("button_pick", "rounded", "accent", 96, 64),
        SpriteSpec("right", "star", "extra0"),
        SpriteSpec("wrong", "diamond", "danger"),
        SpriteSpec("star", "star", "accent", role="collectible"),
    ),
    cast_defaults={"collectible": ("star",)},
    audio_cues={"correct": "pickup", "wrong": "hit", "streak": "win", "tick": "jump", "timeout": "lose"},
    events=(
        EventSpec(
            "question_answered",
            "An answer was given (or the question timed out).",
            ("level", "correct", "op", "ms"),
        ),  # fmt: skip
        EventSpec("streak", "Several right answers in a row.", ("level", "length")),
        EventSpec("too_many_mistakes", "More mistakes than the level allows.", ("level", "correct")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap the right answer, or press its number key (1-6).",
        "Arrow keys pick a button too; Space or Enter answers.",
        "Get enough right before the clock (or your mistakes) run out.",
    ),
    win_text="Answer enough questions right before the time runs out.",
    lose_text="Run out of time, or make more mistakes than the level allows.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Math", "Numbers", "Sums", "Quiz"),
    preview=preview,
    multiplayer_modes=(
        MultiplayerMode(
            "duel",
            min_players=2,
            max_players=4,
            description="The same questions for everyone: the first right answer takes the point, a wrong "
            "answer is out for that question. Most points wins.",
        ),
    ),
)
