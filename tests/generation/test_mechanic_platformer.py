"""Platformer: the level schema, footholds, the jump model, the validator's search and the generator."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.platformer import (
    MARGIN,
    PLAYER_W,
    Foothold,
    JumpModel,
    PlatformerLevel,
    PlatformerParams,
    footholds,
    generate_levels,
    hop_points,
    platformer_route,
    route_seconds,
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

PARAMS = PlatformerParams()
JUMP = JumpModel.of(PARAMS)


def _level(**fields) -> PlatformerLevel:
    base = {
        "width": 1400,
        "platforms": [(0, 60, 400), (480, 100, 300), (860, 140, 400)],
        "start": (60, 60),
        "goal": (1200, 140),
        "time_limit_s": 60,
    }
    return PlatformerLevel(**{**base, **fields})


def _fly(a: Foothold, b: Foothold, params: PlatformerParams) -> bool:
    """Take off where `hop_points` says, hold the jump and steer to the aim: does the player land on `b`?

    A plain physics loop at 480 Hz, independent of the validator's closed-form reach.
    """
    takeoff, aim = hop_points(a, b, params)
    x, y, vy, dt = takeoff, float(a.top), params.jump_velocity, 1 / 480
    while y > -100:
        step = params.run_speed * dt
        x += max(-step, min(step, aim - x))
        previous = y
        y += vy * dt - params.gravity * dt * dt / 2
        vy -= params.gravity * dt
        if vy <= 0 and previous >= b.top >= y and b.lo <= x <= b.hi:
            return True
    return False


# --- schema, footholds, jump ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"width": 300},
        {"platforms": []},
        {"platforms": [(0, 600, 200)]},  # top above the world's limit
        {"platforms": [(1300, 60, 200)]},  # sticks out of the world
        {"spikes": [(100, 60, 5)]},  # too narrow
        {"enemies": [(300, 200, 60, 80)]},  # x1 after x2
        {"enemies": [(100, 200, 60, 1000)]},  # too fast
        {"start": (60, 900)},
        {"time_limit_s": 5},
        {"gems": [(1, 2, 3)]},
    ],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_spikes_split_a_platform_into_footholds_clear_of_them():
    level = _level(spikes=[(150, 60, 40)])
    holds = [h for h in footholds(level) if h.platform == 0]
    assert len(holds) == 2
    left, right = holds
    assert left.lo == 0 and left.hi == 150 - PLAYER_W / 2 - MARGIN
    assert right.lo == 190 + PLAYER_W / 2 + MARGIN and right.hi == 400


def test_the_jump_reaches_less_far_the_higher_it_must_land():
    assert JUMP.peak == pytest.approx(PARAMS.jump_velocity**2 / (2 * PARAMS.gravity))
    assert JUMP.reach(-100) > JUMP.reach(0) > JUMP.reach(100) > 0
    assert JUMP.reach(JUMP.peak) == -1.0  # out of reach, however close


def test_every_hop_of_a_generated_route_works_in_plain_physics():
    for d in (0.1, 0.5, 0.9):
        level = generate_levels(rng=random.Random(8), count=1, difficulty=[d], params=PARAMS)[0]
        route = platformer_route(level, PARAMS)
        assert len(route) >= 2
        for a, b in zip(route, route[1:], strict=False):
            assert _fly(a, b, PARAMS), (d, a, b)


# --- the validator (search) ---------------------------------------------------------------------------


def test_a_chain_of_easy_jumps_is_accepted_and_routed():
    level = _level()
    assert validate_level(level, PARAMS) == []
    route = platformer_route(level, PARAMS)
    assert [h.platform for h in route] == [0, 1, 2]
    assert route_seconds(route, PARAMS) > 0


def test_a_gap_wider_than_any_jump_makes_the_flag_unreachable():
    far = int(400 + JUMP.reach(0) + 60)
    level = _level(platforms=[(0, 60, 400), (far, 60, 300)], goal=(far + 200, 60), width=far + 400)
    assert "cannot be reached" in validate_level(level, PARAMS)[0]
    assert platformer_route(level, PARAMS) == []


def test_a_ledge_higher_than_the_jump_makes_the_flag_unreachable():
    high = int(60 + JUMP.peak)
    level = _level(platforms=[(0, 60, 400), (420, high, 300)], goal=(600, high), width=900)
    assert "cannot be reached" in validate_level(level, PARAMS)[0]


def test_spikes_covering_a_landing_make_the_flag_unreachable():
    # given the middle platform fully covered by spikes: no foothold to land on there
    level = _level(spikes=[(480, 100, 300)])
    assert "cannot be reached" in validate_level(level, PARAMS)[0]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": (60, 100)}, "start:"),  # mid-air
        ({"spikes": [(40, 60, 40)]}, "start:"),  # standing on spikes
        ({"goal": (1200, 300)}, "goal:"),
        ({"spikes": [(420, 60, 40)]}, "spikes[0]:"),  # floating over the gap
        ({"enemies": [(300, 600, 60, 60)]}, "enemies[0]:"),  # walks off its platform
        ({"gems": [(700, 590)]}, "gems[0]:"),  # far above any foothold
    ],
)
def test_validator_refuses_broken_levels(fields, message):
    problems = validate_level(_level(**fields), PARAMS)
    assert any(p.startswith(message) for p in problems), problems


def test_a_clock_shorter_than_the_route_is_refused():
    # given a long chain of platforms and a clock of the schema's minimum
    platforms = [(i * 330, 60, 280) for i in range(8)]
    level = _level(platforms=platforms, goal=(7 * 330 + 200, 60), width=8 * 330, time_limit_s=10)
    route = platformer_route(level, PARAMS)
    assert len(route) == 8 and route_seconds(route, PARAMS) > 10
    # then the validator asks for more time
    assert any(p.startswith("time_limit_s:") for p in validate_level(level, PARAMS))
    assert validate_level(level.model_copy(update={"time_limit_s": 60}), PARAMS) == []


def test_the_route_starts_wherever_the_player_stands():
    level = _level()
    route = platformer_route(level, PARAMS, at=(600, 100))
    assert [h.platform for h in route] == [1, 2]
    assert platformer_route(level, PARAMS, at=(600, 300)) == []  # not standing anywhere


def test_the_spec_refuses_an_unsolvable_level_at_its_path():
    data = spec_data("platformer")
    level = data["levels"][0]
    level["platforms"] = [[0, 60, 300], [900, 60, 300]]
    level["start"], level["goal"] = [60, 60], [1100, 60]
    level["spikes"], level["enemies"], level["gems"] = [], [], []
    level["width"] = max(level["width"], 1300)
    assert_spec_refused_at_level(data, 0)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_are_longer_with_hazards_and_a_tighter_clock():
    easy = generate_levels(rng=random.Random(1), count=5, difficulty=[0.05] * 5, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=5, difficulty=[1.0] * 5, params=PARAMS)

    def slack(lv):
        return lv.time_limit_s / route_seconds(platformer_route(lv, PARAMS), PARAMS)

    assert min(len(lv.platforms) for lv in hard) > max(len(lv.platforms) for lv in easy)
    assert not any(lv.spikes or lv.enemies for lv in easy)
    assert any(lv.spikes for lv in hard) or any(lv.enemies for lv in hard)
    assert max(map(slack, hard)) < min(map(slack, easy))


def test_every_generated_level_is_valid_for_unusual_physics_too():
    weakest = PlatformerParams(run_speed=160.0, gravity=3500.0, jump_velocity=600.0, enemies=False)
    strongest = PlatformerParams(run_speed=400.0, gravity=1400.0, jump_velocity=1300.0)
    for params in (PARAMS, weakest, strongest):
        levels = generate_levels(
            rng=random.Random(2), count=10, difficulty=[i / 9 for i in range(10)], params=params
        )
        assert all(validate_level(lv, params) == [] for lv in levels)
        if not params.enemies:
            assert not any(lv.enemies for lv in levels)


def test_fifty_hard_levels_stay_inside_the_bundle_budget():
    # given the longest game the schema allows, at the hardest difficulty
    # when bundled, then the game's own files are under the budget (bundle_files raises otherwise)
    assert_hardest_game_fits_the_bundle("platformer", generate_levels, PARAMS)


@pytest.mark.parametrize(
    "extreme",
    [
        dict(run_speed=400.0, gravity=1400.0, jump_velocity=1300.0),
        dict(run_speed=160.0, gravity=3500.0, jump_velocity=600.0),
    ],
)
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    # given the far ends of what the parameter schema allows
    params = PlatformerParams(**extreme)
    # when every difficulty is generated, then each level is well-formed and accepted by the validator
    assert_copes_with_params(generate_levels, validate_level, params)


# --- the definition, the designer ----------------------------------------------------------------------


def test_the_bot_hint_asks_for_a_completed_level():
    bot = assert_bot_completes_a_level("platformer")
    assert "gem_collected" in bot.expected_events


@pytest.mark.parametrize(
    "prompt",
    [
        "a fox jumping between floating islands to reach the flag",
        "a retro platformer with spikes and gems",
        "hop across candy platforms and stomp the jelly monsters",
        "mario style jump and run to the goal",
        "climb up the ledges of a haunted castle",
        "a pixel art side-scroller with a little knight",
    ],
)
def test_designer_maps_platform_prompts_to_the_platformer(prompt):
    assert_designer_picks(prompt, "platformer")


def test_designer_tunes_the_platformer_from_the_prompt():
    assert spec_from_prompt(prompt="a cute platformer for kids").params.enemies is False
    assert spec_from_prompt(prompt="a platformer on the moon").params.gravity < PARAMS.gravity
    assert spec_from_prompt(prompt="a platformer").params == PARAMS
