"""Flappy: the level schema, the flight model, the validator's search over heights and the generator."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.flappy import (
    BIRD_R,
    TERMINAL_VELOCITY,
    FlappyLevel,
    FlappyParams,
    Flight,
    band,
    flight_check,
    generate_levels,
    level_reach,
    pilot_aims,
    validate_level,
)
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = FlappyParams()


def _level(gaps, **fields) -> FlappyLevel:
    return FlappyLevel(**{"speed": 180.0, "spacing": 320, "pipe_width": 70, "gaps": gaps, **fields})


# --- schema and flight --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"gaps": []},
        {"gaps": [(400, 40)]},  # a gap too small for the schema
        {"gaps": [(30, 200)]},  # the gap pokes out of the sky
        {"gaps": [(400, 200)], "spacing": 100},  # pipes overlapping
        {"gaps": [(400, 200)], "speed": 20.0},
        {"gaps": [(400, 200)] * 61},
    ],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        FlappyLevel(**{"speed": 180.0, "spacing": 320, "pipe_width": 70, **fields})


def test_flight_model_climbs_falls_and_hops():
    flight = Flight(speed=180.0, gravity=1500.0, flap=480.0)
    assert flight.hop == pytest.approx(480**2 / 3000)
    assert flight.climb(1.0) == pytest.approx(480 - 1500 * 0.2 / 2)
    assert flight.fall(0.2) == pytest.approx(1500 * 0.04 / 2)
    # past terminal speed, the fall grows linearly
    assert flight.fall(3.0) - flight.fall(2.0) == pytest.approx(TERMINAL_VELOCITY)


def test_band_keeps_the_bird_clear_of_both_pipes():
    lo, hi = band((400, 200))
    assert lo > 300 + BIRD_R and hi < 500 - BIRD_R


# --- the validator (search over heights) ---------------------------------------------------------------------


def test_wide_gaps_close_to_each_other_are_accepted():
    level = _level([(400, 240), (360, 240), (440, 240)])
    assert validate_level(level, PARAMS) == []
    reach, stuck = level_reach(level, PARAMS)
    assert stuck is None and len(reach) == 3
    for (lo, hi), gap in zip(reach, level.gaps, strict=True):
        b_lo, b_hi = band(gap)
        assert b_lo <= lo <= hi <= b_hi
    assert flight_check(level, PARAMS) is None


def test_the_test_flight_names_the_pipe_that_stops_it():
    # given a level whose third gap is too narrow for the bird's steady up-and-down
    level = _level([(400, 240), (400, 240), (400, 100), (400, 240)])
    # then the flight stops at that pipe, and the validator says so first, with the reason
    assert flight_check(level, PARAMS) == 2
    assert validate_level(level, PARAMS)[0].startswith("gaps[2]:")


def test_the_pilot_centres_its_bob_in_the_gap_when_there_is_time_to_move_on():
    level = _level([(300, 240), (380, 240)])
    flight = Flight.of(level, PARAMS)
    aims = pilot_aims(level, flight)
    assert len(aims) == 3
    # the bird bobs from the aim up one hop: half a hop below the middle centres the bob
    assert aims[0] == pytest.approx(300 + flight.hop / 2)
    assert aims[1] == pytest.approx(380 + flight.hop / 2)


def test_the_pilot_leans_towards_a_next_gap_it_could_not_reach_in_time():
    # given a low gap right after a high one, with little time between the pipes
    level = _level([(300, 260), (480, 260)], spacing=220, pipe_width=60, speed=260.0)
    flight = Flight.of(level, PARAMS)
    aims = pilot_aims(level, flight)
    lo, hi = band(level.gaps[0])
    # then inside the first pipe it already keeps low, yet a whole hop stays inside the pipe's band
    assert aims[0] > 300 + flight.hop / 2
    assert lo + flight.hop <= aims[0] <= hi
    assert validate_level(level, PARAMS) == []


def test_a_gap_narrower_than_one_flap_is_refused():
    problems = validate_level(_level([(400, 240), (400, 90)]), PARAMS)
    assert problems and problems[0].startswith("gaps[1]:") and "too narrow" in problems[0]


def test_a_gap_too_far_up_from_the_last_one_is_unreachable():
    # given a high gap right after a low one, with pipes close together: no bird climbs that fast
    level = _level([(620, 200), (140, 200)], spacing=180, pipe_width=60, speed=300.0)
    problems = validate_level(level, PARAMS)
    assert problems == ["gaps[1]: cannot be reached from the gap before; it is too far up or down"]
    assert level_reach(level, PARAMS)[1] == 1
    # spaced out, the same two gaps are fine
    assert validate_level(_level([(620, 200), (140, 200)], spacing=600), PARAMS) == []


def test_the_spec_refuses_an_unsolvable_level_at_its_path():
    data = spec_data("flappy")
    data["levels"][2]["gaps"][0] = [400, 70]
    assert_spec_refused_at_level(data, 2)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_have_more_narrower_closer_gaps_at_more_speed():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)

    assert min(len(lv.gaps) for lv in hard) > max(len(lv.gaps) for lv in easy)
    assert max(h for lv in hard for _, h in lv.gaps) < min(h for lv in easy for _, h in lv.gaps)
    assert max(lv.spacing for lv in hard) < min(lv.spacing for lv in easy)
    assert min(lv.speed for lv in hard) > max(lv.speed for lv in easy)


def test_generated_levels_are_flown_through_at_any_frame_rate():
    # the validator's test flight runs at 120 Hz; at 240 and 60 Hz the same pilot still gets through
    for params in (PARAMS, FlappyParams(gravity=2200.0, flap_velocity=560.0, speed_scale=1.3)):
        levels = generate_levels(
            rng=random.Random(3), count=6, difficulty=[i / 5 for i in range(6)], params=params
        )
        for level in levels:
            assert validate_level(level, params) == []
            assert flight_check(level, params, hz=240) is None, level
            assert flight_check(level, params, hz=60) is None, level


@pytest.mark.parametrize(
    "extreme",
    [
        dict(gravity=900.0, flap_velocity=800.0, speed_scale=0.7),
        dict(gravity=2600.0, flap_velocity=300.0, speed_scale=1.5),
    ],
)
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    # given the far ends of what the parameter schema allows
    params = FlappyParams(**extreme)
    # when every difficulty is generated, then each level is well-formed and accepted by the validator
    assert_copes_with_params(generate_levels, validate_level, params)


# --- the definition, the designer ----------------------------------------------------------------------


def test_the_bot_hint_asks_for_a_completed_level():
    bot = assert_bot_completes_a_level("flappy")
    assert "pipe_passed" in bot.expected_events


@pytest.mark.parametrize(
    "prompt",
    [
        "flappy bird in outer space",
        "a little helicopter flying through a cave",
        "tap to keep the bee in the air between the flowers",
        "flap your wings between the pipes",
        "keep the balloon flying through the gaps",
        "a bird flying between the columns of an ancient temple",
    ],
)
def test_designer_maps_flying_prompts_to_flappy(prompt):
    assert_designer_picks(prompt, "flappy")


def test_designer_tunes_flappy_from_the_prompt():
    assert spec_from_prompt(prompt="a floaty flappy balloon").params.gravity < PARAMS.gravity
    assert spec_from_prompt(prompt="a fast flappy bird").params.speed_scale > 1.0
    assert spec_from_prompt(prompt="a flappy bird").params == PARAMS
