"""Asteroids: the level schema, the safe start and clock checks, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.asteroids import (
    FIELD_H,
    FIELD_W,
    RADIUS,
    SAFE_R,
    AsteroidsLevel,
    AsteroidsParams,
    generate_levels,
    pieces,
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

PARAMS = AsteroidsParams()


def _level(**fields) -> AsteroidsLevel:
    base = {"rocks": [{"x": 40, "y": 40, "heading": 30, "size": 3}, {"x": 480, "y": 560, "heading": 200, "size": 2}],
            "speed": 40.0, "seed": 7}  # fmt: skip
    return AsteroidsLevel(**{**base, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"rocks": []},
        {"rocks": [{"x": 40, "y": 40, "heading": 30, "size": 4}]},
        {"rocks": [{"x": 600, "y": 40, "heading": 30, "size": 1}]},  # off the field
        {"rocks": [{"x": 40, "y": 40, "heading": 360, "size": 1}]},
        {"rocks": [{"x": 40, "y": 40, "heading": 0, "size": 1, "colour": "red"}]},
        {"rocks": [{"x": 40, "y": 40, "heading": 0, "size": 1}] * 9},
        {"speed": 500.0},
        {"seed": 0},
    ],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_pieces_count_every_split():
    assert pieces(_level()) == 7 + 3  # a big rock: itself, two middle ones, four small ones


def test_a_rock_starting_on_the_ship_is_refused_at_its_index():
    rocks = [
        {"x": 40, "y": 40, "heading": 0, "size": 1},
        {"x": FIELD_W / 2 + 60, "y": FIELD_H / 2, "heading": 0, "size": 3},
    ]
    assert validate_level(_level(rocks=rocks), PARAMS) == ["rocks.1: starts too close to the ship"]
    # just outside the safe ring is fine
    far = {"x": FIELD_W / 2 + SAFE_R + RADIUS[3] + 1, "y": FIELD_H / 2, "heading": 0, "size": 3}
    assert validate_level(_level(rocks=[far]), PARAMS) == []


def test_a_clock_too_short_to_shoot_every_piece_is_refused():
    assert validate_level(_level(time_limit_s=60), PARAMS) == []
    assert validate_level(_level(time_limit_s=10), AsteroidsParams(fire_ms=800)) == [
        "time_limit_s: 10 pieces cannot be shot in half of 10 s"
    ]


def test_the_spec_refuses_a_rock_on_the_ship():
    data = spec_data("asteroids")
    data["levels"][1]["rocks"][0].update(x=FIELD_W / 2, y=FIELD_H / 2)
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_bring_more_bigger_faster_rocks():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)
    assert min(pieces(lv) for lv in hard) > max(pieces(lv) for lv in easy)
    assert min(lv.speed for lv in hard) > max(lv.speed for lv in easy)


@pytest.mark.parametrize("extreme", [dict(turn_speed=90.0, fire_ms=800, thrust=0.0), dict(turn_speed=540.0)])
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    assert_copes_with_params(generate_levels, validate_level, AsteroidsParams(**extreme))


def test_the_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("asteroids", generate_levels, PARAMS)


def test_the_bot_hint_asks_for_a_completed_level_and_the_cast_has_its_roles():
    assert_bot_completes_a_level("asteroids")
    definition = mechanic_get("asteroids")
    assert (
        {s.role for s in definition.sprites}
        == set(definition.cast_defaults)
        == {"hero", "enemy", "projectile"}
    )


@pytest.mark.parametrize(
    "prompt",
    [
        "rotate your ship and blast the asteroids",
        "a turret in space that aims and shoots space junk",
        "asteroids",
        "gira la nave y dispara a los asteroides",
    ],
)
def test_designer_maps_rotate_and_shoot_prompts_to_asteroids(prompt):
    assert_designer_picks(prompt, "asteroids")


@pytest.mark.parametrize(
    "prompt", ["a space game where you dodge asteroids", "dodge falling asteroids in a spaceship"]
)
def test_dodging_asteroids_stays_a_dodger(prompt):
    assert_designer_picks(prompt, "dodger")


def test_designer_tunes_asteroids_from_the_prompt():
    assert spec_from_prompt(prompt="asteroids with a fixed turret").params.thrust == 0
    assert spec_from_prompt(prompt="asteroids with a rapid laser").params.fire_ms < PARAMS.fire_ms
    assert spec_from_prompt(prompt="asteroids").params == PARAMS
