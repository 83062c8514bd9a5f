"""Racing: the level schema, the lane search, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.racing import (
    CAR_H,
    TRAFFIC_H,
    RacingLevel,
    RacingParams,
    generate_levels,
    lane_moves,
    race_seconds,
    reachable_lanes,
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

PARAMS = RacingParams()


def _level(**fields) -> RacingLevel:
    base = {"lanes": 3, "speed": 300.0, "gap": 300, "rows": ["x..", ".x.", "..x", "o.x"]}
    return RacingLevel(**{**base, **fields})


@pytest.mark.parametrize(
    "fields",
    [{"lanes": 2}, {"lanes": 6}, {"rows": ["x..", "x.."]}, {"rows": ["x..", "y..", "x.."]}, {"speed": 50.0},
     {"gap": 50}],
)  # fmt: skip
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_lane_moves_fit_between_the_windows_of_two_rows():
    level = _level()
    # (300 - 64 - 64) px at 300 px/s = 0.573 s; one lane every 160 ms: 3 moves
    assert lane_moves(level, PARAMS) == 3
    assert lane_moves(level, RacingParams(lane_ms=500)) == 1
    assert lane_moves(level.model_copy(update={"gap": CAR_H + TRAFFIC_H}), PARAMS) == 0


def test_the_search_follows_the_free_lanes():
    reach = reachable_lanes(_level(), PARAMS)
    assert reach == [{1, 2}, {0, 2}, {0, 1}, {0, 1}]


def test_a_wall_of_cars_is_refused_at_its_row():
    level = _level(rows=["x..", "xxx", "..x"])
    assert validate_level(level, PARAMS) == ["rows.1: no lane can be reached in time"]


def test_a_lane_too_far_for_a_slow_car_is_refused_and_a_nimble_one_makes_it():
    # given the free lane two lanes over from one row to the next, at speed
    level = _level(lanes=5, speed=700.0, gap=600, rows=["xx.xx", "xxxx.", "xx.xx"])
    assert lane_moves(level, RacingParams(lane_ms=500)) == 1
    assert lane_moves(level, RacingParams(lane_ms=80)) >= 2
    # then a car that changes lanes slowly cannot make it, a nimble one can
    assert validate_level(level, RacingParams(lane_ms=500)) == ["rows.1: no lane can be reached in time"]
    assert validate_level(level, RacingParams(lane_ms=80)) == []


def test_rows_must_fit_the_road_and_hold_something():
    assert validate_level(_level(rows=["x..", "x...", "x.."]), PARAMS) == ["rows.1: 4 lanes, the road has 3"]
    assert validate_level(_level(rows=["x..", "...", "x.."]), PARAMS) == ["rows.1: an empty row"]


def test_a_clock_shorter_than_the_race_is_refused():
    level = _level(time_limit_s=10)
    assert race_seconds(level) < 10 and validate_level(level, PARAMS) == []
    long = _level(rows=["x.."] * 30, time_limit_s=10)
    assert validate_level(long, PARAMS)[0].startswith("time_limit_s: the race takes")


def test_the_spec_refuses_a_blocked_road_at_its_path():
    data = spec_data("racing")
    lanes = data["levels"][2]["lanes"]
    data["levels"][2]["rows"][3] = "x" * lanes
    assert_spec_refused_at_level(data, 2)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_races_are_wider_faster_longer_and_busier():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)
    assert min(lv.lanes for lv in hard) > max(lv.lanes for lv in easy)
    assert min(lv.speed for lv in hard) > max(lv.speed for lv in easy)
    assert min(len(lv.rows) for lv in hard) > max(len(lv.rows) for lv in easy)

    def busy(lv):
        return sum(r.count("x") for r in lv.rows) / (len(lv.rows) * lv.lanes)

    assert min(busy(lv) for lv in hard) > max(busy(lv) for lv in easy)


@pytest.mark.parametrize("extreme", [dict(lane_ms=500), dict(lane_ms=80)])
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    assert_copes_with_params(generate_levels, validate_level, RacingParams(**extreme))


def test_the_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("racing", generate_levels, PARAMS)


def test_the_bot_hint_asks_for_a_completed_level_and_the_cast_has_its_roles():
    assert_bot_completes_a_level("racing")
    definition = mechanic_get("racing")
    roles = {s.role for s in definition.sprites}
    assert roles == set(definition.cast_defaults) == {"hero", "hazard", "collectible", "goal"}


@pytest.mark.parametrize(
    "prompt",
    [
        "a racing game on a busy highway",
        "drive a taxi through the traffic",
        "a kart race on a rainbow road",
        "un juego de carreras de coches",
        "гонки на машинах",
        "🏎️🏁",
    ],
)
def test_designer_maps_racing_prompts_to_racing(prompt):
    assert_designer_picks(prompt, "racing")


def test_designer_tunes_racing_from_the_prompt():
    assert spec_from_prompt(prompt="race a heavy truck down the highway").params.lane_ms > PARAMS.lane_ms
    assert spec_from_prompt(prompt="a racing game").params == PARAMS
