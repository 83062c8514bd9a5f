"""Shooter: the formation's schema, the landing-time check, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.shooter import (
    CELL_H,
    FIELD_W,
    FORMATION_Y,
    LAND_Y,
    ShooterLevel,
    ShooterParams,
    clearing_seconds,
    generate_levels,
    landing_seconds,
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

PARAMS = ShooterParams()


def _level(**fields) -> ShooterLevel:
    base = {"formation": ["11111", "11111"], "march_speed": 40.0, "drop": 16, "seed": 7, "bomb_ms": 2000,
            "bomb_speed": 180.0}  # fmt: skip
    return ShooterLevel(**{**base, **fields})


def _simulated_landing(level: ShooterLevel, dt: float = 0.001) -> float:
    """The scene's march, step by step: seconds until the box's bottom reaches LAND_Y."""
    width = len(level.formation[0]) * 56
    ox, oy, direction, t = 0.0, float(FORMATION_Y), 1, 0.0
    while oy + len(level.formation) * CELL_H < LAND_Y:
        ox += direction * level.march_speed * dt
        if ox + width > FIELD_W:
            ox, direction, oy = FIELD_W - width, -1, oy + level.drop
        elif ox < 0:
            ox, direction, oy = 0.0, 1, oy + level.drop
        t += dt
    return t


# --- schema ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"formation": ["11", "11"]},  # too narrow
        {"formation": ["111111111"]},  # too wide
        {"formation": ["111", "11"]},  # ragged
        {"formation": ["131"]},  # unknown character
        {"formation": ["111"] * 7},  # too deep
        {"seed": 0},
        {"march_speed": 5.0},
        {"bomb_ms": 100},
    ],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


# --- the validator ----------------------------------------------------------------------------------


@pytest.mark.parametrize("formation", [["11111", "11111"], ["1111111", "2020202", "1111111"], ["111"]])
def test_landing_time_is_the_time_the_scene_takes_to_land(formation):
    level = _level(formation=formation, march_speed=90.0)
    assert abs(landing_seconds(level) - _simulated_landing(level)) < 0.05


def test_clearing_takes_a_shot_per_hit_point():
    plain, armoured = _level(formation=["111"]), _level(formation=["222"])
    assert clearing_seconds(armoured, PARAMS) - clearing_seconds(plain, PARAMS) == pytest.approx(3 * 0.28)
    assert clearing_seconds(plain, ShooterParams(fire_ms=560)) > clearing_seconds(plain, PARAMS)


def test_an_easy_level_is_accepted():
    assert validate_level(_level(), PARAMS) == []


def test_a_formation_that_lands_before_it_can_be_shot_is_refused():
    # given a full, armoured formation that marches fast, against a slow gun
    level = _level(formation=["22222222"] * 5, march_speed=260.0, drop=60)
    problems = validate_level(level, ShooterParams(fire_ms=800))
    assert problems and problems[0].startswith("march_speed:") and "lands after" in problems[0]
    # the same formation marching slowly is fine
    assert validate_level(level.model_copy(update={"march_speed": 20.0, "drop": 6}), PARAMS) == []


def test_an_empty_formation_is_refused():
    assert validate_level(_level(formation=["000", "000"]), PARAMS) == [
        "formation: the level has no invader to shoot"
    ]


def test_the_widest_deepest_formation_still_marches_and_steps_above_the_ship():
    widest = _level(formation=["1" * 8] * 6, drop=60)
    assert FIELD_W - len(widest.formation[0]) * 56 >= 56
    assert FORMATION_Y + len(widest.formation) * CELL_H + widest.drop < LAND_Y


def test_the_spec_refuses_a_formation_that_lands_too_soon():
    data = spec_data("shooter")
    data["levels"][2].update(formation=["2222222"] * 6, march_speed=260.0, drop=60)
    assert_spec_refused_at_level(data, 2)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_bring_bigger_faster_formations_that_bomb_more():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)
    assert min(len(lv.formation) for lv in hard) > max(len(lv.formation) for lv in easy)
    assert max(lv.bomb_ms for lv in hard) < min(lv.bomb_ms for lv in easy)
    assert min(lv.bomb_speed for lv in hard) > max(lv.bomb_speed for lv in easy)
    assert all("2" not in "".join(lv.formation) for lv in easy)


@pytest.mark.parametrize(
    "extreme", [dict(fire_ms=800, shot_speed=400.0), dict(fire_ms=120, ship_speed=800.0)]
)
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    assert_copes_with_params(generate_levels, validate_level, ShooterParams(**extreme))


def test_the_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("shooter", generate_levels, PARAMS)


# --- the definition, the designer ----------------------------------------------------------------------


def test_the_bot_hint_asks_for_a_completed_level_and_the_cast_has_its_roles():
    assert_bot_completes_a_level("shooter")
    definition = mechanic_get("shooter")
    roles = {s.role for s in definition.sprites}
    assert roles == {"hero", "enemy", "projectile", "hazard"}
    assert set(definition.cast_defaults) == roles


@pytest.mark.parametrize(
    "prompt",
    [
        "shoot the alien invaders",
        "a space shooter where a rocket blasts UFOs",
        "a chicken firing eggs at invading foxes",
        "un juego de disparar a los marcianos",
        "ein Spiel: Aliens schießen",
        "👾👾🔫",
    ],
)
def test_designer_maps_shooting_prompts_to_the_shooter(prompt):
    assert_designer_picks(prompt, "shooter")


def test_designer_tunes_the_shooter_from_the_prompt():
    assert spec_from_prompt(prompt="shoot aliens with a rapid laser", mechanic="shooter").params.fire_ms < 280
    assert (
        spec_from_prompt(prompt="shoot aliens from a heavy tank", mechanic="shooter").params.ship_speed < 420
    )
    assert spec_from_prompt(prompt="shoot the aliens", mechanic="shooter").params == PARAMS
