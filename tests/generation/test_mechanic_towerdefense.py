"""Tower defense: the path and waves schema, the timetable, the defence simulation, the generator."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.towerdefense import (
    COLS,
    ROWS,
    TowerDefenseLevel,
    TowerDefenseParams,
    best_cell,
    coverage,
    defend,
    generate_levels,
    path_problems,
    position,
    spawn_times,
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

PARAMS = TowerDefenseParams()
STRAIGHT = [[4, r] for r in range(ROWS)]


def _level(**fields) -> TowerDefenseLevel:
    base = {"path": STRAIGHT, "gold": 150, "waves": [[5, 1, 1.5, 900]]}
    return TowerDefenseLevel(**{**base, **fields})


def test_the_timetable_spaces_enemies_and_waves():
    level = _level(waves=[[3, 1, 1.0, 500], [2, 4, 2.0, 1000]], prep_s=3.0, wave_gap_s=4.0)
    assert spawn_times(level) == [(3.0, 1, 1.0), (3.5, 1, 1.0), (4.0, 1, 1.0), (8.0, 4, 2.0), (9.0, 4, 2.0)]


def test_enemies_walk_the_path_cell_by_cell():
    path = [[0, 0], [1, 0], [1, 1]]
    assert (
        position(path, 0.5) == (0.5, 0)
        and position(path, 1.25) == (1, 0.25)
        and position(path, 2.0) == (1, 1)
    )


@pytest.mark.parametrize(
    "fields",
    [{"path": [[4, r] for r in range(ROWS - 1)] + [[COLS, ROWS - 1]]},  # off the board
     {"waves": [[5, 1, 1.5]]}, {"waves": [[0, 1, 1.5, 900]]}, {"waves": [[5, 1, 9.0, 900]]},
     {"waves": [[60, 1, 1.0, 500]] * 6}, {"gold": -1}],
)  # fmt: skip
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


@pytest.mark.parametrize(
    ("path", "problem"),
    [(STRAIGHT[:6] + [[5, 7]] + STRAIGHT[7:], "touch the one before"),
     ([[3, 1]] + STRAIGHT[1:], "top row to the bottom"),
     (STRAIGHT[:5] + [[5, 4], [4, 4]] + STRAIGHT[5:], "visited twice")],
)  # fmt: skip
def test_a_broken_path_is_refused(path, problem):
    problems = path_problems(_level(path=path))
    assert problems and problem in problems[0]
    assert validate_level(_level(path=path), PARAMS) == problems


def test_the_steady_defence_builds_where_it_covers_most_and_holds_a_light_wave():
    level = _level()
    first = best_cell(level.path, set(), PARAMS.tower_range)
    assert first is not None and first[0] in (3, 5) and coverage(level.path, *first, PARAMS.tower_range) == 3
    result = defend(level, PARAMS)
    assert result.leaks == 0 and result.stopped == 5 and len(result.towers) == 3
    assert validate_level(level, PARAMS) == []


def test_a_level_no_budget_can_hold_is_refused():
    heavy = _level(gold=50, waves=[[30, 20, 3.0, 200]])
    result = defend(heavy, PARAMS)
    assert result.leaks > 0
    assert validate_level(heavy, PARAMS)[0].startswith("waves:")
    assert validate_level(_level(gold=10), PARAMS) == ["gold: not enough to build a single tower"]


def test_the_spec_refuses_an_unholdable_level_at_its_path():
    data = spec_data("towerdefense")
    data["levels"][1].update(gold=50, waves=[[30, 20, 3.0, 200]])
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=6, curve=[0.1, 0.5, 0.9])


def test_harder_levels_bring_more_tougher_quicker_enemies():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)[1:]
    assert min(len(spawn_times(lv)) for lv in hard) > max(len(spawn_times(lv)) for lv in easy)
    assert min(max(w[1] for w in lv.waves) for lv in hard) > max(max(w[1] for w in lv.waves) for lv in easy)
    assert min(lv.waves[0][2] for lv in hard) > max(lv.waves[0][2] for lv in easy)
    assert all(path_problems(lv) == [] for lv in easy + hard)


def test_the_generator_copes_with_the_extreme_parameters():
    assert_copes_with_params(
        generate_levels, validate_level, TowerDefenseParams(bounty=0, tower_interval_ms=3000)
    )


def test_the_bot_hint_asks_for_a_completed_level():
    assert_bot_completes_a_level("towerdefense")


@pytest.mark.parametrize(
    "prompt",
    ["a tower defense game against zombies", "defend the castle from waves of goblins",
     "build turrets to stop the alien invasion", "un juego de defensa de torres", "🏰🛡"],
)  # fmt: skip
def test_designer_maps_defence_prompts_to_tower_defense(prompt):
    assert_designer_picks(prompt, "towerdefense")


def test_designer_tunes_the_bounty_from_the_prompt():
    assert spec_from_prompt(prompt="an easy tower defense for kids").params.bounty > PARAMS.bounty
