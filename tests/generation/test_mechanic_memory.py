"""Memory: the level schema, the perfect-memory guarantee behind the validator, and the generator."""

import itertools
import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.memory import (
    MAX_KINDS,
    MemoryLevel,
    MemoryParams,
    generate_levels,
    max_turns_needed,
    seconds_needed,
    validate_level,
)
from tests.generation.mechanic_checks import (
    assert_designer_picks,
)

PARAMS = MemoryParams()
DECK = [0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0]  # 3 x 4, six pairs


def perfect_memory_turns(deck: list[int]) -> int:
    """Turns the playtest bot's strategy takes: known pairs first, then a new card and its mate if known."""
    known: dict[int, int] = {}
    matched: set[int] = set()
    turns = 0
    while len(matched) < len(deck):
        turns += 1
        faces: dict[int, int] = {}
        pair = None
        for i, face in known.items():
            if face in faces:
                pair = (faces[face], i)
                break
            faces[face] = i
        if pair:
            matched.update(pair)
            for i in pair:
                known.pop(i)
            continue
        unseen = [i for i in range(len(deck)) if i not in known and i not in matched]
        first = unseen[0]
        mate = [i for i, face in known.items() if face == deck[first]]
        if mate:
            matched.update((first, mate[0]))
            known.pop(mate[0])
            continue
        second = unseen[1]
        if deck[second] == deck[first]:
            matched.update((first, second))
        else:
            known[first], known[second] = deck[first], deck[second]
    return turns


# --- schema -------------------------------------------------------------------------------------------


def test_level_schema_needs_one_face_per_card():
    with pytest.raises(ValidationError):
        MemoryLevel(rows=3, cols=4, cards=DECK[:-1], move_limit=20)
    with pytest.raises(ValidationError):
        MemoryLevel(rows=3, cols=4, cards=[*DECK[:-1], MAX_KINDS], move_limit=20)
    with pytest.raises(ValidationError):
        MemoryLevel(rows=7, cols=4, cards=list(range(14)) * 2, move_limit=60)


# --- the guarantee ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("pairs", [1, 2, 3, 4])
def test_perfect_memory_never_needs_more_than_the_bound_and_the_bound_is_tight(pairs):
    # given every order of the cards
    decks = set(itertools.permutations([face for face in range(pairs) for _ in range(2)]))
    # when a perfect memory plays each
    worst = max(perfect_memory_turns(list(deck)) for deck in decks)
    # then it never needs more than the validator's bound, and some order needs exactly that
    assert worst == max_turns_needed(pairs)


def test_perfect_memory_bound_holds_on_large_random_decks():
    rng = random.Random(4)
    for pairs in (10, 15):
        deck = [face for face in range(pairs) for _ in range(2)]
        for _ in range(200):
            rng.shuffle(deck)
            assert perfect_memory_turns(deck) <= max_turns_needed(pairs)


# --- validator -----------------------------------------------------------------------------------------


def test_validator_accepts_a_fair_level():
    level = MemoryLevel(rows=3, cols=4, cards=DECK, move_limit=11)
    assert validate_level(level, PARAMS) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cards": [0, 0, 0, 3, 4, 5, 5, 4, 3, 2, 1, 0]}, "cards"),  # a face three times, others once
        ({"move_limit": None, "time_limit_s": None}, "move_limit"),  # no way to lose
        ({"move_limit": 10}, "move_limit"),  # below what perfect memory may need
        ({"move_limit": None, "time_limit_s": 12}, "time_limit_s"),  # no time to turn the cards
        (
            {"peek_ms": 6000, "time_limit_s": 20, "move_limit": None},
            "time_limit_s",
        ),  # the peek eats the clock
    ],
)
def test_validator_refuses_unfair_or_broken_levels(changes, field):
    level = MemoryLevel(**{"rows": 3, "cols": 4, "cards": DECK, "move_limit": 11, **changes})
    problems = validate_level(level, PARAMS)
    assert any(p.startswith(f"{field}:") for p in problems), problems


def test_an_odd_number_of_cards_is_refused():
    level = MemoryLevel(rows=3, cols=3, cards=[0, 0, 1, 1, 2, 2, 3, 3, 4], move_limit=20)
    assert validate_level(level, PARAMS) == ["cards: an even number of cards is needed"]


def test_time_needed_counts_the_peek_only_when_it_is_on():
    level = MemoryLevel(rows=3, cols=4, cards=DECK, move_limit=None, peek_ms=5000,
                        time_limit_s=seconds_needed(6, 0))  # fmt: skip
    assert validate_level(level, MemoryParams(peek=False)) == []
    assert validate_level(level, MemoryParams(peek=True)) != []


# --- generator --------------------------------------------------------------------------------------------


def test_generator_is_deterministic_and_shuffles_per_seed():
    curve = [0.0, 0.5, 1.0]
    first = generate_levels(rng=random.Random(8), count=3, difficulty=curve, params=PARAMS)
    again = generate_levels(rng=random.Random(8), count=3, difficulty=curve, params=PARAMS)
    other = generate_levels(rng=random.Random(9), count=3, difficulty=curve, params=PARAMS)
    assert [lv.model_dump() for lv in first] == [lv.model_dump() for lv in again]
    assert [lv.cards for lv in first] != [lv.cards for lv in other]


def test_harder_levels_have_more_cards_less_peek_fewer_spare_turns_and_a_clock():
    easy, hard = generate_levels(rng=random.Random(2), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    assert len(hard.cards) > len(easy.cards)
    assert easy.peek_ms > 0 and hard.peek_ms == 0
    assert hard.move_limit - max_turns_needed(hard.pairs) < easy.move_limit - max_turns_needed(easy.pairs)
    assert easy.time_limit_s is None and hard.time_limit_s is not None
    assert validate_level(easy, PARAMS) == [] and validate_level(hard, PARAMS) == []


def test_no_peek_param_removes_the_preview():
    levels = generate_levels(
        rng=random.Random(1), count=3, difficulty=[0.0, 0.2, 0.4], params=MemoryParams(peek=False)
    )
    assert all(level.peek_ms == 0 for level in levels)


def test_every_face_has_a_sprite():
    names = {sprite.name for sprite in mechanic_get("memory").sprites}
    assert {f"face{i}" for i in range(MAX_KINDS)} <= names


# --- designer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "a memory card game with cute animals",
        "flip cards and find the pairs before time runs out",
        "a spooky concentration game with pumpkins",
        "remember where the pictures are hidden",
        "juego de memoria para niños",
    ],
)
def test_designer_maps_memory_prompts_to_memory(prompt):
    assert_designer_picks(prompt, "memory")


def test_designer_turns_the_peek_off_for_hard_prompts():
    assert spec_from_prompt(prompt="a hard memory game").params.peek is False
    assert spec_from_prompt(prompt="a memory game").params.peek is True
