"""Typing: allowed a-z words, each typeable in the time its level gives; longer words and less time with difficulty."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics._words import ranked_words
from generation.mechanics.typing import (
    TypingLevel,
    TypingParams,
    generate_levels,
    seconds_needed,
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

PARAMS = TypingParams()


def _level(words, **changes):
    data = {"words": words, "word_time_s": 6, "misses_allowed": 1, "time_limit_s": 60, **changes}
    return TypingLevel.model_validate(data)


GOOD = ["house", "water", "garden"]


def test_validator_accepts_typeable_words():
    assert validate_level(_level(GOOD), PARAMS) == []


@pytest.mark.parametrize(
    ("words", "changes", "message"),
    [
        ([*GOOD, "café"], {}, "a-z only"),
        ([*GOOD, "zzxqv"], {}, "not in the allowed word list"),
        ([*GOOD, "house"], {}, "asked twice"),
        ([*GOOD, "understanding"], {"word_time_s": 3}, "needs 3.6 s"),
        (GOOD, {"misses_allowed": 3}, "fewer than the words"),
        (GOOD, {"time_limit_s": 12}, "time_limit_s"),
    ],
)
def test_validator_refuses_untypeable_levels(words, changes, message):
    problems = validate_level(_level(words, **changes), PARAMS)
    assert any(message in p for p in problems), problems


def test_schema_refuses_impossible_shapes():
    with pytest.raises(ValidationError):
        _level(GOOD[:2])
    with pytest.raises(ValidationError):
        _level(GOOD, word_time_s=0.5)


def test_spec_with_an_untypeable_word_is_refused_at_its_level():
    data = spec_data("typing")
    data["levels"][1]["words"][0] = "naïve"
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.0, 0.5, 1.0])


def test_harder_levels_bring_longer_rarer_words_and_less_time():
    easy, hard = generate_levels(rng=random.Random(1), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    rank = {w: i for i, w in enumerate(ranked_words("en"))}
    mean = lambda level, f: sum(f(w) for w in level.words) / len(level.words)  # noqa: E731
    assert mean(hard, len) > mean(easy, len) + 2 and mean(hard, rank.get) > mean(easy, rank.get)
    assert hard.word_time_s < easy.word_time_s and len(hard.words) > len(easy.words)
    assert all(seconds_needed(w) <= hard.word_time_s for w in hard.words)


@pytest.mark.parametrize(
    "params", [TypingParams(max_length=3), TypingParams(max_rank=300), TypingParams(max_length=12)]
)
def test_generator_copes_with_extreme_params(params):
    assert_copes_with_params(generate_levels, validate_level, params)


def test_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("typing", generate_levels, PARAMS)


def test_the_bot_finishes_a_level():
    assert "word_typed" in assert_bot_completes_a_level("typing").expected_events


@pytest.mark.parametrize(
    "prompt", ["a typing game for kids", "type the words as fast as you can", "a keyboard speed race"]
)
def test_designer_maps_typing_prompts_to_typing(prompt):
    assert_designer_picks(prompt, "typing")


def test_kids_type_short_common_words():
    spec = spec_from_prompt(prompt="a typing game for kids")
    assert spec.params.max_length == 6 and all(len(w) <= 6 for level in spec.levels for w in level.words)
