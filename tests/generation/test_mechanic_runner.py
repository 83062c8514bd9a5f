"""Endless runner: the level schema, the jump, the validator's search, the plan and the generator."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.runner import (
    DRONE_H,
    PLAYER_H,
    PLAYER_W,
    Jump,
    RunnerLevel,
    RunnerParams,
    generate_levels,
    level_reach,
    runner_plan,
    runway,
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

PARAMS = RunnerParams()
SPEED = 300.0


def _level(**fields) -> RunnerLevel:
    return RunnerLevel(**{"length": 3000, "speed": SPEED, **fields})


def _simulate(level: RunnerLevel, params: RunnerParams, takeoffs: list[float]) -> str:
    """Run the track pixel by pixel, jumping at `takeoffs`, with exact boxes: 'finished' or what went wrong.

    Independent of the validator's search: no margins, no cells, just the runner's box moving.
    """
    jump = Jump.of(level, params)
    pending = sorted(takeoffs)
    air_from = None
    x = 0.0
    while x <= level.length:
        if air_from is None and pending and x >= pending[0]:
            air_from = pending.pop(0)
        alt = 0.0
        if air_from is not None:
            s = x - air_from
            if s >= jump.distance:
                air_from = None
            else:
                alt = jump.altitude(s)
        foot = x + PLAYER_W / 2
        if air_from is None and any(px < foot < px + pw for px, pw in level.pits):
            return f"fell into a pit at {x:.0f}"
        for bx, bw, bh in level.blocks:
            if x < bx + bw and x + PLAYER_W > bx and alt < bh:
                return f"hit a block at {x:.0f}"
        for dx, dy, dw in level.drones:
            if x < dx + dw and x + PLAYER_W > dx and alt < dy + DRONE_H and alt + PLAYER_H > dy:
                return f"hit a drone at {x:.0f}"
        x += 1.0
    return "finished"


# --- schema and jump ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"length": 900},  # too short
        {"speed": 50.0},  # too slow
        {"blocks": [(3500, 40, 40)]},  # beyond the track
        {"blocks": [(1000, 400, 40)]},  # too wide
        {"pits": [(1000, 900)]},  # too wide a pit for the schema
        {"drones": [(1000, 600, 40)]},  # flying too high
        {"coins": [(-5, 20)]},
        {"blocks": [(1000, 40)]},  # wrong shape
        {"unknown": 1},
    ],
)
def test_level_schema_refuses_malformed_tracks(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_params_are_bounded():
    with pytest.raises(ValidationError):
        RunnerParams(gravity=100.0)
    with pytest.raises(ValidationError):
        RunnerParams(speed_scale=3.0)
    assert RunnerParams().model_dump()["coins"] is True


def test_the_jump_is_a_parabola_landing_one_airtime_later():
    jump = Jump(speed=300.0, velocity=980.0, gravity=2600.0)
    assert jump.apex == pytest.approx(980**2 / 5200)
    assert jump.distance == pytest.approx(300 * 2 * 980 / 2600)
    assert jump.altitude(jump.distance / 2) == pytest.approx(jump.apex)
    assert jump.altitude(jump.distance) == pytest.approx(0.0, abs=1e-9)
    low = jump.below(50)
    assert low[0][0] == 0.0 and low[1][1] == pytest.approx(jump.distance)
    assert all(jump.altitude((a + b) / 2) < 50 for a, b in low)
    assert jump.below(jump.apex + 1) == [(0.0, jump.distance)]
    assert jump.between(jump.apex + 1, jump.apex + 50) == []


# --- the validator (search) ---------------------------------------------------------------------------


def test_an_open_track_and_easy_obstacles_are_accepted():
    level = _level(blocks=[(1100, 40, 40)], pits=[(1700, 80)], drones=[(2300, PLAYER_H + 30, 60)])
    assert validate_level(level, PARAMS) == []
    assert level_reach(level, PARAMS).solvable


def test_a_block_taller_than_the_jump_is_refused():
    jump = Jump.of(_level(), PARAMS)
    problems = validate_level(_level(blocks=[(1100, 40, int(jump.apex) + 10)]), PARAMS)
    assert problems and "too tall" in problems[0]


def test_a_pit_wider_than_the_jump_is_refused():
    jump = Jump.of(_level(), PARAMS)
    problems = validate_level(_level(pits=[(1100, int(jump.distance))]), PARAMS)
    assert problems and "wider than a jump" in problems[0]


def test_obstacles_in_the_starting_runway_are_refused():
    problems = validate_level(_level(blocks=[(200, 40, 40)]), PARAMS)
    assert problems and "clear at the start" in problems[0]
    assert runway(_level(), PARAMS) >= 3.0 * SPEED


def test_obstacles_each_clearable_but_too_close_together_are_unsolvable():
    # given two pits, each easy to jump, with a strip of ground between them too short to land on
    # and too wide together for one jump
    level = _level(pits=[(1100, 100), (1210, 120)])
    assert Jump.of(level, PARAMS).distance < 100 + 10 + 120
    # when validated
    problems = validate_level(level, PARAMS)
    # then the search finds no way through, and says where the runner gets stuck
    assert problems and "cannot be reached" in problems[0]
    assert not level_reach(level, PARAMS).solvable


def test_a_drone_above_a_block_makes_the_block_unjumpable():
    # given a block with a drone right above it: under the drone a jump hits it, and the block needs a jump
    level = _level(blocks=[(1200, 40, 50)], drones=[(1100, PLAYER_H + 20, 240)])
    assert "cannot be reached" in validate_level(level, PARAMS)[0]
    # without the drone the same block is fine
    assert validate_level(_level(blocks=[(1200, 40, 50)]), PARAMS) == []


def test_the_plan_finishes_the_level_even_at_the_edges_of_its_windows():
    # given a generated medium level
    level = generate_levels(rng=random.Random(4), count=1, difficulty=[0.6], params=PARAMS)[0]
    plan = runner_plan(level, PARAMS)
    assert plan and all(lo <= at <= hi for at, lo, hi in plan)
    # then an exact, margin-free run jumping at the plan's take-offs reaches the flag
    assert _simulate(level, PARAMS, [at for at, _, _ in plan]) == "finished"
    # and so does one that jumps at the earliest or the latest point of every window
    assert _simulate(level, PARAMS, [lo for _, lo, _ in plan]) == "finished"
    assert _simulate(level, PARAMS, [hi for _, _, hi in plan]) == "finished"
    # while never jumping at all crashes
    assert _simulate(level, PARAMS, []) != "finished"


def test_an_unsolvable_level_has_no_plan():
    jump = Jump.of(_level(), PARAMS)
    assert runner_plan(_level(blocks=[(1100, 40, int(jump.apex) + 10)]), PARAMS) == []


def test_the_spec_refuses_an_unsolvable_level_at_its_path():
    # given a runner spec whose second level has a wall no jump clears
    data = spec_data("runner")
    data["levels"][1]["blocks"] = [[1500, 40, 390]]
    # when validated, then the error names that level
    assert_spec_refused_at_level(data, 1)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_are_longer_faster_and_more_crowded():
    easy = generate_levels(rng=random.Random(1), count=4, difficulty=[0.05] * 4, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=4, difficulty=[1.0] * 4, params=PARAMS)

    def obstacles(lv):
        return len(lv.blocks) + len(lv.pits) + len(lv.drones)

    assert min(lv.speed for lv in hard) > max(lv.speed for lv in easy)
    assert min(lv.length for lv in hard) > max(lv.length for lv in easy)
    assert sum(map(obstacles, hard)) > sum(map(obstacles, easy))
    assert not any(lv.pits or lv.drones for lv in easy)  # the first levels only have blocks
    assert any(lv.pits for lv in hard) and any(lv.drones for lv in hard)


def test_every_generated_level_is_solvable_with_coins_on_the_way():
    for params in (PARAMS, RunnerParams(gravity=3800.0, jump_velocity=1000.0, speed_scale=1.4)):
        levels = generate_levels(
            rng=random.Random(2), count=12, difficulty=[i / 11 for i in range(12)], params=params
        )
        for level in levels:
            assert validate_level(level, params) == []
            assert level.coins and all(0 <= x <= level.length for x, _ in level.coins)
    assert not generate_levels(
        rng=random.Random(2), count=1, difficulty=[0.5], params=RunnerParams(coins=False)
    )[0].coins


def test_fifty_hard_levels_stay_inside_the_bundle_budget():
    # given the longest game the schema allows, at the hardest difficulty
    # when bundled, then the game's own files are under the budget (bundle_files raises otherwise)
    assert_hardest_game_fits_the_bundle("runner", generate_levels, PARAMS)


@pytest.mark.parametrize(
    "extreme",
    [
        dict(gravity=1500.0, jump_velocity=1400.0, speed_scale=1.5),
        dict(gravity=4000.0, jump_velocity=700.0, speed_scale=0.7),
    ],
)
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    # given the far ends of what the parameter schema allows
    params = RunnerParams(**extreme)
    # when every difficulty is generated, then each level is well-formed and accepted by the validator
    assert_copes_with_params(generate_levels, validate_level, params)


# --- the definition, the designer ----------------------------------------------------------------------


def test_the_bot_hint_asks_for_a_completed_level():
    bot = assert_bot_completes_a_level("runner")
    assert "coin_collected" in bot.expected_events


@pytest.mark.parametrize(
    "prompt",
    [
        "an endless runner on neon rooftops",
        "a dinosaur that jumps over cactus in the desert",
        "a ninja dashing across rooftops collecting coins",
        "temple run style escape from the jungle",
        "run as far as you can and jump the hurdles",
        "a cat running through the city jumping over boxes",
    ],
)
def test_designer_maps_running_prompts_to_the_runner(prompt):
    assert_designer_picks(prompt, "runner")


def test_designer_tunes_the_runner_from_the_prompt():
    assert spec_from_prompt(prompt="a fast endless runner").params.speed_scale > 1.0
    assert spec_from_prompt(prompt="an easy endless runner for kids").params.speed_scale < 1.0
    assert spec_from_prompt(prompt="an endless runner").params.speed_scale == 1.0
