"""Unscramble: real, allowed words with exactly one answer each; difficulty reaches longer, rarer words."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics._words import (
    CHILD_UNSUITABLE,
    anagram_index,
    anagram_key,
    blocked_words,
    is_allowed,
    ranked_words,
)
from generation.mechanics.unscramble import (
    UnscrambleLevel,
    UnscrambleParams,
    generate_levels,
    scramble,
    validate_level,
)
from generation.spec import spec_validate
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_hardest_game_fits_the_bundle,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = UnscrambleParams()


def _level(puzzles, **changes):
    data = {"seed": 1, "puzzles": [{"word": w, "letters": s} for w, s in puzzles], "mistakes_allowed": 2,
            "time_limit_s": 120, **changes}  # fmt: skip
    return UnscrambleLevel.model_validate(data)


GOOD = [("house", "esuoh"), ("window", "wodnwi"), ("yellow", "wolley")]


def test_validator_accepts_honest_puzzles():
    assert validate_level(_level(GOOD), PARAMS) == []


@pytest.mark.parametrize(
    ("puzzle", "message"),
    [
        (("house", "hxuse"), "are not the letters of"),
        (("house", "house"), "not scrambled"),
        (("team", "mate"), "two right answers"),
        (("zzxqv", "vqxzz"), "not in the allowed en word list"),
        (("window", "nwodwi"), "asked twice"),
    ],
)
def test_validator_refuses_dishonest_or_ambiguous_puzzles(puzzle, message):
    problems = validate_level(_level([*GOOD, puzzle]), PARAMS)
    assert any(message in p for p in problems), problems


def test_validator_checks_lengths_and_time():
    assert any(
        "longer than max_length" in p for p in validate_level(_level(GOOD), UnscrambleParams(max_length=5))
    )
    assert any(
        "shorter than min_length" in p for p in validate_level(_level(GOOD), UnscrambleParams(min_length=6))
    )
    assert any(p.startswith("time_limit_s:") for p in validate_level(_level(GOOD, time_limit_s=10), PARAMS))


def test_level_and_params_schema_refuse_impossible_shapes():
    with pytest.raises(ValidationError):
        _level(GOOD[:2])  # fewer than three words
    with pytest.raises(ValidationError):
        UnscrambleParams(min_length=7, max_length=4)
    with pytest.raises(ValidationError):
        UnscrambleParams(language="xx")


def test_spec_with_an_ambiguous_word_is_refused_at_its_level():
    data = spec_data("unscramble")
    data["levels"][1]["puzzles"][0] = {"word": "team", "letters": "mate"}
    assert_spec_refused_at_level(data, 1)


# --- the word lists -------------------------------------------------------------------------------------


def test_offensive_and_unsuitable_words_are_never_allowed():
    english = set(ranked_words("en"))
    assert not english & blocked_words("en")
    assert not english & CHILD_UNSUITABLE["en"]
    assert {"skill", "grape", "hello", "farmer", "deadline"} <= set(english)  # blocked words inside are fine
    assert not {"guns", "killing", "killers", "bombs", "analysis"} & set(
        english
    )  # forms and starts of blocked words
    assert is_allowed("house", "en") and not is_allowed("beer", "en")


def test_allowed_words_are_plain_dictionary_words_most_common_first():
    english = ranked_words("en")
    assert english.index("house") < english.index("yellow") < english.index("hesitant")
    assert all(w.isalpha() and w == w.lower() for w in english)
    assert "nba" not in english  # not in the spelling dictionary
    assert "straße" not in ranked_words("de")  # "ß" would be two letters on an upper-case tile


def test_scramble_never_gives_the_word_back():
    rng = random.Random(0)
    for word in ("ab", "house", "aab", "letter"):
        assert all(scramble(rng, word) != word for _ in range(50))
        assert sorted(scramble(rng, word)) == sorted(word)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.0, 0.5, 1.0])


def test_every_generated_word_has_exactly_one_answer():
    for level in generate_levels(
        rng=random.Random(5), count=5, difficulty=[0, 0.25, 0.5, 0.75, 1], params=PARAMS
    ):
        for puzzle in level.puzzles:
            assert anagram_index("en")[anagram_key(puzzle.word)] == (puzzle.word,)


def test_harder_levels_ask_longer_rarer_words_with_less_time_and_fewer_mistakes():
    easy, hard = generate_levels(rng=random.Random(1), count=2, difficulty=[0.0, 1.0], params=PARAMS)
    rank = {w: i for i, w in enumerate(ranked_words("en"))}
    mean = lambda level, f: sum(f(p.word) for p in level.puzzles) / len(level.puzzles)  # noqa: E731
    assert mean(hard, len) > mean(easy, len) + 2
    assert mean(hard, rank.get) > mean(easy, rank.get)
    assert len(hard.puzzles) > len(easy.puzzles) and hard.mistakes_allowed < easy.mistakes_allowed
    letters = lambda level: sum(len(p.word) for p in level.puzzles)  # noqa: E731
    assert hard.time_limit_s / letters(hard) < easy.time_limit_s / letters(easy)


@pytest.mark.parametrize(
    "params",
    [
        UnscrambleParams(min_length=8),
        UnscrambleParams(max_length=3),
        UnscrambleParams(max_rank=300, max_length=4),
        UnscrambleParams(language="es"),
        UnscrambleParams(language="de", min_length=6),
    ],
)
def test_generator_copes_with_extreme_params(params):
    assert_copes_with_params(generate_levels, validate_level, params)


def test_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("unscramble", generate_levels, PARAMS)


def test_the_bot_finishes_a_level():
    assert "word_solved" in assert_bot_completes_a_level("unscramble").expected_events


# --- designer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "unscramble the words",
        "an anagram game for kids",
        "jumbled letters puzzle with an owl",
        "juego de palabras desordenadas",
    ],
)
def test_designer_maps_word_prompts_to_unscramble(prompt):
    assert_designer_picks(prompt, "unscramble")


def test_kids_get_short_common_words():
    spec = spec_from_prompt(prompt="an anagram game for kids", mechanic="unscramble")
    assert spec.params.max_rank == 2500 and spec.params.max_length == 6
    assert all(len(p.word) <= 6 for level in spec.levels for p in level.puzzles)
    assert all(len(p.word) <= 4 for p in spec.levels[0].puzzles)


def test_a_spanish_prompt_gets_spanish_words():
    spec = spec_from_prompt(prompt="juego de palabras desordenadas para niños")
    assert spec.mechanic == "unscramble" and spec.params.language == "es"
    spec_validate(spec.model_dump(mode="json"))
    assert all(is_allowed(p.word, "es") for level in spec.levels for p in level.puzzles)
