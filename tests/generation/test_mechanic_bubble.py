"""Bubble shooter: the board rules, the flight, the clearing check, the generator, the designer."""

import math
import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.bubble import (
    COLS,
    LOSE_ROW,
    BubbleLevel,
    BubbleParams,
    fly,
    generate_levels,
    greedy_clear,
    place,
    reachable_cells,
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

PARAMS = BubbleParams()


def _level(rows, shots=30, seed=5) -> BubbleLevel:
    return BubbleLevel(seed=seed, rows=rows, shots=shots)


def test_three_of_a_colour_pop_and_what_hangs_from_them_falls():
    # sticking a 0 under the pair of 0s pops the three; the 2 and the 1 below hung from them
    grid = _level(["001111111", "2........", "1........"]).grid()
    popped, dropped = place(grid, 1, 1, 0)
    assert (popped, dropped) == (3, 2)
    assert grid[0][:2] == [-1, -1] and grid[1][0] == -1 and grid[2][0] == -1
    assert grid[0][2:] == [1] * 7  # the rest still hangs from the ceiling


def test_two_of_a_colour_just_stick():
    grid = _level(["0.1111111"]).grid()
    assert place(grid, 1, 0, 0) == (0, 0) and grid[1][0] == 0


def test_shots_stick_only_where_a_path_of_empty_cells_leads():
    grid = _level(["111111111", "1.......1", "111111111"]).grid()
    cells = reachable_cells(grid)
    assert (1, 1) not in cells  # walled in
    assert all(r == 3 for r, _ in cells) and len(cells) == COLS


def test_a_bubble_flies_straight_and_banks_off_the_walls():
    grid = _level(["1........"]).grid()
    assert fly(grid, math.pi / 2) == (0, 4)  # straight up to the ceiling, in the middle column
    assert fly(grid, 1.857) == (1, 0)  # aimed at the lone bubble: sticks under it
    assert fly(grid, 0.4) == (0, 4)  # off the right wall, and back over the middle to the ceiling
    assert fly(grid, 2.6) == (0, 2)  # off the left wall, past the lone bubble


@pytest.mark.parametrize(
    "rows", [["0000"], ["00000000x"], ["000000000"] * 9], ids=["narrow", "bad cell", "too many rows"]
)
def test_level_schema_refuses_malformed_boards(rows):
    with pytest.raises(ValidationError):
        _level(rows)


def test_empty_and_floating_boards_are_refused():
    assert validate_level(_level(["........."]), PARAMS) == ["rows: the board has no bubble"]
    assert validate_level(_level(["0........", ".....1..."]), PARAMS) == ["rows: 1 bubbles hang from nothing"]


def test_a_board_is_refused_when_the_shots_cannot_clear_it():
    level = _level(["012340123", "123401234", "234012340"], shots=200)
    needed = greedy_clear(level)
    assert needed is not None and needed > 3
    assert validate_level(level, PARAMS) == []
    assert validate_level(level.model_copy(update={"shots": needed - 1}), PARAMS)[0].startswith("shots:")


def test_the_spec_refuses_an_uncleared_board_at_its_path():
    data = spec_data("bubble")
    data["levels"][1].update(rows=["012340123", "123401234"], shots=1)
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=2, curve=[0.1, 0.5, 0.9])


def test_harder_boards_are_deeper_more_colourful_with_fewer_spare_shots():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)[1:]
    assert min(len(lv.rows) for lv in hard) > max(len(lv.rows) for lv in easy)
    colours = [len({ch for row in lv.rows for ch in row}) for lv in hard]
    assert min(colours) > max(len({ch for row in lv.rows for ch in row}) for lv in easy)
    spare = [lv.shots - greedy_clear(lv) for lv in hard]
    assert max(spare) < min(lv.shots - greedy_clear(lv) for lv in easy)
    assert all(len(lv.rows) < LOSE_ROW for lv in hard)


def test_the_generator_copes_with_the_parameters():
    assert_copes_with_params(
        generate_levels, validate_level, BubbleParams(shot_speed=2000.0, aim_guide=False)
    )


def test_the_bot_hint_asks_for_a_completed_level():
    assert_bot_completes_a_level("bubble")


@pytest.mark.parametrize(
    "prompt",
    ["a bubble shooter with candy colours", "pop the bubbles under the sea", "aim and burst coloured bubbles in space",
     "un juego de burbujas", "🫧🫧"],
)  # fmt: skip
def test_designer_maps_bubble_prompts_to_the_shooter(prompt):
    assert_designer_picks(prompt, "bubble")


def test_designer_tunes_the_bubbles_from_the_prompt():
    assert spec_from_prompt(prompt="a fast bubble shooter").params.shot_speed > PARAMS.shot_speed
