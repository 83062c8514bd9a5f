"""Dodger: the shared stream (mulberry32), the level schema, the survival search and the generator."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.dodger import (
    FIELD_W,
    SEARCH_DT,
    SHIP_HH,
    SHIP_HW,
    SHIP_Y,
    DodgerLevel,
    DodgerParams,
    fallers,
    generate_levels,
    survival_search,
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

PARAMS = DodgerParams()


def _level(**fields) -> DodgerLevel:
    base = {"time_limit_s": 20, "seed": 7, "spawn_ms": 800, "speed_min": 180.0, "speed_max": 240.0,
            "size_min": 14, "size_max": 26}  # fmt: skip
    return DodgerLevel(**{**base, **fields})


def _hits(level: DodgerLevel, params: DodgerParams, path: list[float]) -> list[float]:
    """Times at which the ship, moving straight between the path's points, touches a rock (exact circles)."""
    rocks = [f for f in fallers(level, params) if not f.star]
    hits = []
    for n in range(len(path) - 1):
        for k in range(4):
            t = (n + k / 4) * SEARCH_DT
            x = path[n] + (path[n + 1] - path[n]) * k / 4
            for rock in rocks:
                if t < rock.t0:
                    continue
                rx, ry = rock.at(t)
                cx = max(x - SHIP_HW, min(x + SHIP_HW, rx))
                cy = max(SHIP_Y - SHIP_HH, min(SHIP_Y + SHIP_HH, ry))
                if (rx - cx) ** 2 + (ry - cy) ** 2 < rock.radius**2:
                    hits.append(t)
    return hits


# --- the shared stream ------------------------------------------------------------------------------


def test_the_stream_is_fixed_by_the_seed_and_fits_the_field():
    level = _level(drift=40.0)
    first, again = list(fallers(level, PARAMS)), list(fallers(level, PARAMS))
    other = list(fallers(level.model_copy(update={"seed": 8}), PARAMS))
    assert first == again and first != other
    assert len(first) == level.spawns_count() == 24  # (20 s - 1.5 s) / 0.8 s, rounded up
    assert [f.star for f in first].count(True) == len(first) // 5  # every fifth is a star
    assert not any(f.star for f in fallers(level, DodgerParams(stars=False)))
    for f in first:
        assert level.size_min <= f.radius <= level.size_max
        assert 0 <= f.x <= FIELD_W
        assert level.speed_min <= f.vy <= level.speed_max and abs(f.vx) <= level.drift
        assert f.at(f.t0) == (f.x, -f.radius)


# --- schema ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"speed_max": 100.0},  # below speed_min
        {"size_max": 10},  # below size_min
        {"time_limit_s": 5},
        {"seed": 0},
        {"spawn_ms": 50},
        {"time_limit_s": 300, "spawn_ms": 120},  # far too many rocks in one level
        {"drift": -1.0},
    ],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


# --- the validator (survival search) ---------------------------------------------------------------------


def test_a_sparse_stream_is_survivable_and_the_witness_path_really_dodges_everything():
    level = _level()
    result = survival_search(level, PARAMS)
    assert result.survives and result.failed_at is None
    assert validate_level(level, PARAMS) == []
    # the path the search returns never moves faster than the ship and touches no rock, exactly
    path = result.path
    assert len(path) == round(level.time_limit_s / SEARCH_DT) + 1
    assert max(abs(b - a) for a, b in zip(path, path[1:], strict=False)) <= PARAMS.ship_speed * SEARCH_DT
    assert _hits(level, PARAMS, path) == []


def test_standing_still_in_the_same_stream_gets_hit():
    # the same sparse stream is not harmless: a ship that does not move is hit
    level = _level(spawn_ms=300, time_limit_s=30)
    assert survival_search(level, PARAMS).survives
    assert _hits(level, PARAMS, [FIELD_W / 2] * (round(level.time_limit_s / SEARCH_DT) + 1))


def test_a_downpour_of_big_fast_rocks_cannot_be_survived():
    level = _level(time_limit_s=40, spawn_ms=120, speed_min=600.0, speed_max=800.0, size_min=40, size_max=60)
    result = survival_search(level, PARAMS)
    assert not result.survives and result.failed_at is not None and result.path == []
    problems = validate_level(level, PARAMS)
    assert problems and problems[0].startswith("seed:") and "cannot be dodged" in problems[0]


def test_a_slower_ship_survives_less():
    # given a stream a nimble ship dodges; a sluggish ship fails it
    level = _level(time_limit_s=40, spawn_ms=200, speed_min=300.0, speed_max=520.0, size_min=18, size_max=40)
    assert survival_search(level, DodgerParams(ship_speed=700.0)).survives
    slow = survival_search(level, DodgerParams(ship_speed=200.0))
    assert not slow.survives and 0 < slow.failed_at < 40


def test_a_level_over_before_anything_falls_is_refused():
    assert validate_level(_level(time_limit_s=10, start_ms=10_000), PARAMS) == [
        "start_ms: nothing falls before the level ends"
    ]


def test_the_spec_refuses_an_unsurvivable_level_at_its_path():
    data = spec_data("dodger")
    data["levels"][3].update(
        time_limit_s=40, spawn_ms=120, speed_min=600.0, speed_max=800.0, size_min=40, size_max=60
    )
    assert_spec_refused_at_level(data, 3)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_last_longer_and_rain_harder():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)
    assert min(lv.time_limit_s for lv in hard) > max(lv.time_limit_s for lv in easy)
    assert max(lv.spawn_ms for lv in hard) < min(lv.spawn_ms for lv in easy)
    assert min(lv.speed_max for lv in hard) > max(lv.speed_max for lv in easy)
    assert min(lv.size_max for lv in hard) > max(lv.size_max for lv in easy)
    assert all(lv.drift == 0 for lv in easy) and all(lv.drift > 0 for lv in hard)


def test_every_generated_level_is_survivable_with_a_real_witness():
    for params in (PARAMS, DodgerParams(ship_speed=240.0, stars=False)):
        levels = generate_levels(
            rng=random.Random(4), count=5, difficulty=[i / 4 for i in range(5)], params=params
        )
        for level in levels:
            result = survival_search(level, params)
            assert result.survives
            assert _hits(level, params, result.path) == []


@pytest.mark.parametrize("extreme", [dict(ship_speed=200.0, stars=False), dict(ship_speed=700.0)])
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    # given the far ends of what the parameter schema allows
    params = DodgerParams(**extreme)
    # when every difficulty is generated, then each level is well-formed and accepted by the validator
    assert_copes_with_params(generate_levels, validate_level, params)


# --- the definition, the designer ----------------------------------------------------------------------


def test_the_bot_hint_asks_for_a_completed_level():
    assert_bot_completes_a_level("dodger")
    assert mechanic_get("dodger").Level.time_limit_field == "time_limit_s"  # the clock ends a level: a win


@pytest.mark.parametrize(
    "prompt",
    [
        "a space game where you dodge asteroids",
        "survive the meteor shower for a minute",
        "dodge the falling candy bombs",
        "avoid the falling rocks in the desert",
        "a rain of comets, move left and right to survive",
        "dodge incoming debris in orbit",
    ],
)
def test_designer_maps_dodging_prompts_to_the_dodger(prompt):
    assert_designer_picks(prompt, "dodger")


def test_designer_tunes_the_dodger_from_the_prompt():
    assert spec_from_prompt(prompt="dodge asteroids with a nimble ship").params.ship_speed > PARAMS.ship_speed
    assert spec_from_prompt(prompt="dodge asteroids in a heavy tank").params.ship_speed < PARAMS.ship_speed
    assert spec_from_prompt(prompt="dodge asteroids").params == PARAMS
