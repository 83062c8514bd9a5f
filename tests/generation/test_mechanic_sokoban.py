"""Sokoban: the level schema, the push solver, the validator's proof by search and the generator."""

import random

import pytest
from pydantic import ValidationError

from gamefactory.errors import ApplicationError
from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.sokoban import (
    SokobanLevel,
    SokobanParams,
    dead_cells,
    generate_levels,
    grid_with,
    is_solved,
    parse_grid,
    replay_moves,
    solve,
    solve_grid,
    validate_level,
)
from generation.playtest import mechanic_bot
from generation.spec import spec_validate
from tests.generation.mechanic_checks import (
    assert_designer_picks,
    assert_deterministic_per_seed,
)
from tests.generation.specs import spec_data

PARAMS = SokobanParams()
# One crate, one push to the right: "@$." solved by "R".
ONE_PUSH = ["-----", "-@$.-", "-----", "-----", "-----"]
# A crate in a corner off its target: no push can ever move it.
CORNERED = ["$----", "-----", "--@--", "-----", "----."]
# Two crates that need some work (pushes around a pillar).
TWO_CRATES = ["------", "-#--.-", "-$$--#", "--@.--", "------"]


def _level(grid, move_limit=50, par=0):
    return SokobanLevel(grid=grid, move_limit=move_limit, par=par)


# --- the level schema -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "grid",
    [
        ["-----", "-@$.-", "----", "-----", "-----"],  # ragged
        ["-----", "-@$.x", "-----", "-----", "-----"],  # unknown character
        ["---", "@$.", "---"],  # too small
        ["-" * 17] * 5,  # too wide
    ],
)
def test_level_schema_refuses_malformed_grids(grid):
    with pytest.raises(ValidationError):
        SokobanLevel(grid=grid, move_limit=20)


def test_level_schema_bounds_the_move_limit():
    with pytest.raises(ValidationError):
        SokobanLevel(grid=ONE_PUSH, move_limit=2)
    with pytest.raises(ValidationError):
        SokobanLevel(grid=ONE_PUSH, move_limit=20, extra_field=1)


# --- the solver ---------------------------------------------------------------------------------------


def test_solver_finds_the_single_push():
    result = solve(parse_grid(ONE_PUSH))
    assert result.solution is not None and result.solution.moves == "R"
    assert result.solution.pushes == 1 and result.exhausted


def test_solver_solution_replays_to_a_solved_board():
    # given a level needing several pushes
    result = solve(parse_grid(TWO_CRATES))
    # when its solution is played on the grid
    after = replay_moves(TWO_CRATES, result.solution.moves)
    # then every crate is on a target, and the pushes are the upper-case steps
    assert after is not None and is_solved(after)
    assert result.solution.pushes == sum(ch.isupper() for ch in result.solution.moves) >= 2


def test_solver_proves_a_cornered_crate_unsolvable():
    result = solve(parse_grid(CORNERED))
    assert result.solution is None and result.exhausted


def test_solver_proves_unsolvable_by_exhausting_the_positions():
    # given two crates on the top edge, which has one target: neither crate is dead on its own,
    # but both can only ever slide along that edge
    grid = [".$$--", "-----", "--@--", "-----", "----."]
    # then the search runs out of positions, and says it looked everywhere
    result = solve(parse_grid(grid))
    assert result.solution is None and result.exhausted and result.states >= 1


def test_a_crate_that_starts_dead_is_refused_without_searching():
    result = solve(parse_grid(CORNERED))
    assert result.solution is None and result.exhausted and result.states == 0


def test_solver_gives_up_at_its_budget_without_claiming_unsolvable():
    result = solve(parse_grid(TWO_CRATES), max_states=1)
    assert result.solution is None and result.exhausted is False


def test_dead_cells_are_the_corners_away_from_targets():
    board = parse_grid(CORNERED)
    dead = {
        (i % board.width - 1, i // board.width - 1)
        for i in range(board.width * board.height)
        if dead_cells(board) >> i & 1
    }
    assert (0, 0) in dead and (4, 0) in dead and (0, 4) in dead
    assert (4, 4) not in dead and (2, 2) not in dead


def test_illegal_replays_are_refused():
    assert replay_moves(ONE_PUSH, "u") is not None
    assert replay_moves(ONE_PUSH, "RR") is not None
    assert replay_moves(ONE_PUSH, "RRR") is None  # the crate would leave the board
    assert replay_moves(["#----", "@----", "-----", "--$.-", "-----"], "u") is None  # into a wall


def test_grid_with_moves_crates_and_player_but_keeps_walls_and_targets():
    moved = grid_with(TWO_CRATES, crates=[[0, 0], [5, 4]], player=[3, 3])
    assert moved == ["$-----", "-#--.-", "-----#", "---+--", "-----$"]


# --- the validator ------------------------------------------------------------------------------------


def test_validator_accepts_a_solvable_level_within_its_limit():
    assert validate_level(_level(TWO_CRATES), PARAMS) == []


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (CORNERED, "unsolvable"),
        (["-----", "$----", "--@--", "-----", "---.-"], "unsolvable"),  # a crate stuck against the left edge
        (["-----", "-@$.-", "-$---", "-----", "-----"], "2 crate(s) but 1 target(s)"),
        (["-----", "--$.-", "-----", "-----", "-----"], "exactly one player"),
        (["-----", "-@$.-", "---@-", "-----", "-----"], "exactly one player"),
        (["-----", "-@*--", "-----", "-----", "-----"], "already on a target"),
        (["-----", "-@-.-", "-----", "-----", "-----"], "1 to 6 crates"),
    ],
)
def test_validator_refuses_levels_that_cannot_be_played(grid, message):
    problems = validate_level(_level(grid), PARAMS)
    assert problems and message in problems[0], problems


def test_validator_refuses_a_move_limit_below_the_solution():
    needed = len(solve_grid(TWO_CRATES).solution.moves)
    problems = validate_level(_level(TWO_CRATES, move_limit=needed - 1), PARAMS)
    assert any(p.startswith("move_limit:") for p in problems)
    assert validate_level(_level(TWO_CRATES, move_limit=needed), PARAMS) == []
    assert any(
        p.startswith("par:")
        for p in validate_level(_level(TWO_CRATES, move_limit=needed, par=needed + 1), PARAMS)
    )


def test_spec_with_an_unsolvable_level_is_refused_at_its_path():
    # given a valid sokoban spec whose second level is replaced by a cornered crate
    data = spec_data("sokoban")
    data["levels"][1] = {"grid": CORNERED, "move_limit": 40, "par": 0, "time_limit_s": None}
    # when validated, the error names the level
    with pytest.raises(ApplicationError) as caught:
        spec_validate(data)
    assert any(key.startswith("levels.1") for key in caught.value.fields), caught.value.fields


# --- the generator -----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=11, curve=[0.0, 0.3, 0.6, 0.9])


def test_generated_levels_carry_a_solution_that_replays_and_has_the_fewest_pushes():
    levels = generate_levels(
        rng=random.Random(3), count=5, difficulty=[0.0, 0.25, 0.5, 0.75, 1.0], params=PARAMS
    )
    for level in levels:
        assert validate_level(level, PARAMS) == []
        # the level's own solution is a proof: it replays to a solved board within the limit
        assert is_solved(replay_moves(level.grid, level.solution))
        assert len(level.solution) == level.par <= level.move_limit
        # and the independent search agrees on the number of pushes (both are optimal)
        searched = solve(parse_grid(level.grid)).solution
        assert searched.pushes == sum(ch.isupper() for ch in level.solution)


def test_a_solution_that_does_not_solve_is_refused():
    assert validate_level(SokobanLevel(grid=ONE_PUSH, move_limit=20, solution="R"), PARAMS) == []
    for wrong in ("", "L", "RRR", "uR"):
        problems = validate_level(SokobanLevel(grid=ONE_PUSH, move_limit=20, solution=wrong), PARAMS)
        assert problems and problems[0].startswith("solution:"), (wrong, problems)
    with pytest.raises(ValidationError):
        SokobanLevel(grid=ONE_PUSH, move_limit=20, solution="Rx")


def test_a_solution_longer_than_the_move_limit_is_refused():
    problems = validate_level(SokobanLevel(grid=ONE_PUSH, move_limit=5, solution="udududR"), PARAMS)
    assert any(p.startswith("move_limit:") for p in problems)


def test_harder_levels_have_more_crates_longer_solutions_and_less_slack():
    def crates(level):
        return sum(row.count("$") + row.count("*") for row in level.grid)

    for seed in range(3):
        easy, hard = generate_levels(rng=random.Random(seed), count=2, difficulty=[0.0, 1.0], params=PARAMS)
        assert crates(hard) > crates(easy)
        assert hard.par > easy.par
        assert hard.move_limit / hard.par < easy.move_limit / easy.par


def test_the_bot_hint_asks_for_a_completed_level():
    d = mechanic_get("sokoban")
    assert mechanic_bot("sokoban").__module__ == "generation.mechanics.sokoban.bot" and d.bot.completes_level
    assert "crate_placed" in d.bot.expected_events


# --- the designer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "push crates onto the targets in a warehouse",
        "a sokoban puzzle in an ancient temple",
        "shove boulders into place before the moves run out",
        "a warehouse worker pushing boxes around",
        "puzzle where you push blocks onto switches",
    ],
)
def test_designer_maps_pushing_prompts_to_sokoban(prompt):
    assert_designer_picks(prompt, "sokoban")


def test_designer_tunes_sokoban_from_the_prompt():
    spec = spec_from_prompt(prompt="a hardcore sokoban for purists")
    assert spec.params.undo is False and spec.params.deadlock_hints is False
    assert spec_from_prompt(prompt="a sokoban").params.undo is True
