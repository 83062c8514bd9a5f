"""Merge (2048-like): the slide rule, the runtime's PRNG in Python, the validator's play-through, the generator."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.merge import (
    PROVEN_TARGET_MAX,
    STONE,
    MergeLevel,
    MergeParams,
    can_move,
    generate_levels,
    play_through,
    slide,
    validate_level,
)
from tests.generation.mechanic_checks import (
    assert_designer_picks,
    assert_deterministic_per_seed,
)

PARAMS = MergeParams()
EMPTY5 = [[0] * 5 for _ in range(5)]


def _board(rows):
    return [list(row) for row in rows]


def _level(board, target=64, seed=1, move_limit=None):
    return MergeLevel(size=len(board), board=board, target=target, seed=seed, move_limit=move_limit)


# --- the slide rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "after", "points"),
    [
        ([2, 2, 2, 0], [4, 2, 0, 0], 4),  # the pair nearest the edge merges first
        ([2, 2, 2, 2], [4, 4, 0, 0], 8),  # each tile merges once per move
        ([4, 2, 2, 0], [4, 4, 0, 0], 4),  # a merged tile does not merge again
        ([0, 2, 0, 2], [4, 0, 0, 0], 4),
        ([2, STONE, 2, 2], [2, STONE, 4, 0], 4),  # a stone splits the line
        ([0, 2, STONE, 0], [2, 0, STONE, 0], 0),
    ],
)
def test_slide_left_follows_2048_rules(row, after, points):
    board = _board([row, [0] * 4, [0] * 4, [0] * 4])
    moved, gained, changed = slide(board, "left")
    assert moved[0] == after and gained == points and changed == (after != row)


def test_slide_in_every_direction_moves_tiles_to_that_side():
    board = _board([[0, 0, 0], [0, 2, 0], [0, 0, 0]])
    assert slide(board, "up")[0][0][1] == 2
    assert slide(board, "down")[0][2][1] == 2
    assert slide(board, "left")[0][1][0] == 2
    assert slide(board, "right")[0][1][2] == 2


def test_a_full_board_without_equal_neighbours_cannot_move():
    locked = _board([[2, 4, 2], [4, 2, 4], [2, 4, 2]])
    assert not can_move(locked)
    assert can_move(_board([[2, 2, 4], [4, 8, 2], [2, 4, 8]]))


# --- the validator ----------------------------------------------------------------------------------------


def test_validator_accepts_a_level_it_can_play_through():
    board = _board(EMPTY5)
    board[0][0] = board[4][4] = 2
    level = _level(board, target=64, seed=7)
    assert play_through(level, PARAMS, max_moves=400)[0]
    assert validate_level(level, PARAMS) == []


@pytest.mark.parametrize(
    ("board", "target", "move_limit", "message"),
    [
        ([[64, 0, 0, 0], [0] * 4, [0] * 4, [0] * 4], 64, None, "already holds the target"),
        ([[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 0]], 64, None, "two empty cells"),
        ([[0, STONE, 0, 0], [STONE, 0, 0, 2], [0, 0, 0, 0], [0, 0, 2, 0]], 64, None, "walled in by stones"),
        ([[2, 0, 0], [0, 0, 0], [0, 0, 2]], 2048, None, "cannot fit on 9 open cells"),
        ([[2, 0, 0, 0], [0] * 4, [0] * 4, [0, 0, 0, 2]], 256, 20, "at least 63 moves"),
        ([[2, 0, 0], [0, 0, 0], [0, 0, 2]], 256, None, "playing it through did not reach 256"),
    ],
)
def test_validator_refuses_levels_that_cannot_be_won(board, target, move_limit, message):
    problems = validate_level(_level(_board(board), target=target, move_limit=move_limit), PARAMS)
    assert any(message in p for p in problems), problems


def test_level_schema_refuses_bad_tiles_shapes_and_targets():
    with pytest.raises(ValidationError):
        _level(_board([[3, 0, 0], [0, 0, 0], [0, 0, 0]]))  # not a power of two
    with pytest.raises(ValidationError):
        _level(_board([[2, 0, 0], [0, 0, 0]]))  # not square
    with pytest.raises(ValidationError):
        _level(_board([[2, 0, 0], [0, 0, 0], [0, 0, 0]]), target=100)
    with pytest.raises(ValidationError):
        MergeParams(four_chance=0.9)


def test_play_through_respects_the_move_limit():
    board = _board(EMPTY5)
    board[0][0] = board[4][4] = 2
    reached, moves = play_through(_level(board, target=64, seed=7), PARAMS, max_moves=400)
    assert reached
    limited = _level(board, target=64, seed=7, move_limit=len(moves) - 1)
    assert play_through(limited, PARAMS, max_moves=400)[0] is False
    assert any("playing it through" in p for p in validate_level(limited, PARAMS))


# --- the generator ----------------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=5, curve=[0.0, 0.4, 0.8])


def test_harder_levels_aim_higher_on_smaller_boards():
    levels = generate_levels(
        rng=random.Random(3), count=5, difficulty=[0.0, 0.25, 0.5, 0.75, 1.0], params=PARAMS
    )
    targets = [level.target for level in levels]
    assert targets == sorted(targets) and targets[0] < targets[-1]
    assert levels[0].size > levels[-1].size
    assert any(v == STONE for level in levels for row in level.board for v in row)
    assert any(level.move_limit for level in levels)
    for level in levels:
        assert validate_level(level, PARAMS) == []
        if level.target <= PROVEN_TARGET_MAX:
            assert play_through(level, PARAMS, max_moves=400)[0]


def test_classic_prompts_get_no_stones():
    levels = generate_levels(rng=random.Random(3), count=4, difficulty=[0.2, 0.4, 0.5, 0.6],
                             params=MergeParams(stones=False))  # fmt: skip
    assert not any(v == STONE for level in levels for row in level.board for v in row)


# --- designer ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "a 2048 game with cute animals",
        "slide and merge number tiles to reach 512",
        "merge glowing cubes in space",
        "combine numbers to double them",
        "2048 under the sea",
    ],
)
def test_designer_maps_merge_prompts_to_merge(prompt):
    assert_designer_picks(prompt, "merge")


def test_designer_tunes_merge_from_the_prompt():
    assert spec_from_prompt(prompt="classic 2048").params.stones is False
    assert spec_from_prompt(prompt="a hard 2048").params.four_chance == 0.2
