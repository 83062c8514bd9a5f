"""Word search: every word hidden where its placement says and nowhere else; bigger, wider grids with difficulty."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics._words import is_allowed
from generation.mechanics.wordsearch import (
    DIRECTION_SETS,
    Placement,
    WordsearchLevel,
    WordsearchParams,
    directions_for,
    generate_levels,
    occurrences,
    offensive_in,
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

PARAMS = WordsearchParams()
GRID = ["housex", "qwindo", "zzzzzw", "yellow", "zzzzzz", "zzzzzz"]
WORDS = [
    {"word": "house", "row": 0, "col": 0, "dr": 0, "dc": 1},
    {"word": "yellow", "row": 3, "col": 0, "dr": 0, "dc": 1},
]


def _level(grid=GRID, words=WORDS, **changes):
    data = {
        "size": len(grid),
        "grid": grid,
        "directions": "easy",
        "words": words,
        "time_limit_s": 60,
        **changes,
    }
    return WordsearchLevel.model_validate(data)


def test_occurrences_reads_all_eight_directions():
    assert occurrences(GRID, "house") == [(0, 0, 0, 1)]
    assert occurrences(GRID, "esuoh") == [(0, 4, 0, -1)]
    assert occurrences(["ab", "ba"], "ab") == [(0, 0, 0, 1), (0, 0, 1, 0), (1, 1, 0, -1), (1, 1, -1, 0)]


def test_validator_accepts_an_honest_grid():
    assert validate_level(_level(), PARAMS) == []


@pytest.mark.parametrize(
    ("word", "message"),
    [
        ({"word": "house", "row": 1, "col": 0, "dr": 0, "dc": 1}, "does not spell"),
        ({"word": "window", "row": 1, "col": 1, "dr": 0, "dc": 1}, "runs off the grid"),
        ({"word": "zzzzz", "row": 2, "col": 0, "dr": 0, "dc": 1}, "not in the allowed"),
        ({"word": "yell", "row": 3, "col": 0, "dr": 0, "dc": 1}, "hides inside another word"),
    ],
)
def test_validator_refuses_misplaced_unknown_or_ambiguous_words(word, message):
    problems = validate_level(_level(words=[*WORDS, word]), PARAMS)
    assert any(message in p for p in problems), problems


def test_validator_refuses_a_word_found_twice_a_forbidden_direction_and_offensive_filler():
    twice = ["housex", "house" + "z", "zzzzzz", "yellow", "zzzzzz", "zzzzzz"]
    assert any("can be read 2 times" in p for p in validate_level(_level(grid=twice), PARAMS))
    backwards = _level(
        grid=["esuohz", *GRID[1:]], words=[{"word": "house", "row": 0, "col": 4, "dr": 0, "dc": -1}, WORDS[1]]
    )
    assert any("is not one the level's 'easy' allows" in p for p in validate_level(backwards, PARAMS))
    rude = _level(grid=["housex", "zzzzzz", "shitzz", "yellow", "zzzzzz", "zzzzzz"])
    assert offensive_in(rude.grid, "en") and any(p.startswith("grid:") for p in validate_level(rude, PARAMS))


def test_schema_refuses_impossible_shapes():
    with pytest.raises(ValidationError):
        _level(grid=GRID[:5])  # not square
    with pytest.raises(ValidationError):
        Placement(word="house", row=0, col=0, dr=0, dc=0)
    with pytest.raises(ValidationError):
        _level(words=WORDS[:1])


def test_spec_with_a_misplaced_word_is_refused_at_its_level():
    data = spec_data("wordsearch")
    data["levels"][1]["words"][0]["row"] = (data["levels"][1]["words"][0]["row"] + 1) % data["levels"][1][
        "size"
    ]
    assert_spec_refused_at_level(data, 1)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.0, 0.5, 1.0])


def test_every_generated_word_is_hidden_exactly_once_in_an_allowed_direction():
    for level in generate_levels(rng=random.Random(5), count=4, difficulty=[0, 0.4, 0.7, 1], params=PARAMS):
        for p in level.words:
            assert occurrences(level.grid, p.word) == [(p.row, p.col, p.dr, p.dc)]
            assert (p.dr, p.dc) in DIRECTION_SETS[level.directions] and is_allowed(p.word, "en")


def test_harder_levels_have_bigger_grids_more_words_and_directions():
    easy, hard = generate_levels(rng=random.Random(1), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    assert hard.size > easy.size and len(hard.words) > len(easy.words)
    assert (easy.directions, hard.directions) == ("easy", "all") == (directions_for(0), directions_for(1))
    assert hard.time_limit_s / len(hard.words) < easy.time_limit_s / len(easy.words)


@pytest.mark.parametrize(
    "params",
    [
        WordsearchParams(directions="all"),
        WordsearchParams(directions="easy", max_rank=300),
        WordsearchParams(language="fr"),
    ],
)
def test_generator_copes_with_extreme_params(params):
    assert_copes_with_params(generate_levels, validate_level, params)


def test_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("wordsearch", generate_levels, PARAMS)


def test_the_bot_finishes_a_level():
    assert "word_found" in assert_bot_completes_a_level("wordsearch").expected_events


# --- designer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "a word search with animals",
        "find the hidden words in the grid",
        "sopa de letras para niños",
        "🔎 words",
    ],
)
def test_designer_maps_word_search_prompts_to_wordsearch(prompt):
    assert_designer_picks(prompt, "wordsearch")


def test_kids_get_common_words_right_and_down_only():
    spec = spec_from_prompt(prompt="sopa de letras para niños")
    assert spec.params.language == "es" and spec.params.directions == "easy"
    assert all(level.directions == "easy" for level in spec.levels)
