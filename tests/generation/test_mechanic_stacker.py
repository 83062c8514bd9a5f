"""Stacker: the slider's rules, the level schema, the perfect-run check, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.stacker import (
    MIN_STEP_MS,
    StackerLevel,
    StackerParams,
    generate_levels,
    perfect_run,
    slide,
    slider_for,
    validate_level,
)
from generation.rng import mulberry32
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = StackerParams()


def _level(**fields) -> StackerLevel:
    base = {"seed": 11, "cols": 7, "rows": 8, "width": 3, "step_ms": 200}
    return StackerLevel(**{**base, **fields})


def test_the_slider_bounces_off_both_sides():
    # a 3-wide row on 7 columns goes 0..4 and back
    assert [slide(3, 1, k, 7, 3)[0] for k in range(6)] == [3, 4, 3, 2, 1, 0]
    assert slide(0, -1, 1, 7, 3) == (1, 1)


def test_each_row_draws_its_start_and_direction_from_the_shared_stream():
    draw, again = mulberry32(5), mulberry32(5)
    sliders = [slider_for(draw, 7, 3) for _ in range(20)]
    assert sliders == [slider_for(again, 7, 3) for _ in range(20)]
    assert {s.start for s in sliders} <= set(range(5)) and {s.direction for s in sliders} == {1, -1}


def test_a_perfect_run_stacks_every_row_straight_up():
    level = _level(caps=[[4, 2], [6, 1]])
    run = perfect_run(level)
    assert len(run) == level.rows and validate_level(level, PARAMS) == []
    assert [w for _, w, _ in run] == [3, 3, 3, 3, 2, 2, 1, 1]
    # every row sits wholly over the one below
    for (x0, w0, _), (x1, w1, _) in zip(run, run[1:], strict=False):
        assert x0 <= x1 and x1 + w1 <= x0 + w0


@pytest.mark.parametrize(
    "fields",
    [{"width": 7}, {"width": 0}, {"cols": 3}, {"rows": 30}, {"step_ms": 20}, {"seed": 0}, {"caps": [[3]]}],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_caps_outside_the_level_or_to_nothing_are_refused():
    assert validate_level(_level(caps=[[20, 2]]), PARAMS)[0].startswith("caps:")
    assert validate_level(_level(caps=[[3, 0]]), PARAMS)[0].startswith("caps:")


def test_a_top_row_faster_than_a_human_can_time_is_refused():
    level = _level(step_ms=200, speedup_ms=50, min_step_ms=MIN_STEP_MS)
    assert level.step_for(level.rows - 1) == MIN_STEP_MS  # the floor holds it
    fast = _level(step_ms=75, speedup_ms=0, min_step_ms=MIN_STEP_MS)
    assert validate_level(fast, PARAMS) == []
    assert validate_level(_level(caps=[[2, 1]]), PARAMS) == []


def test_the_spec_refuses_a_bad_level_at_its_path():
    data = spec_data("stacker")
    data["levels"][1]["caps"] = [[1, 0]]
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=3, curve=[0.1, 0.5, 0.9])


def test_harder_levels_are_taller_quicker_and_narrow():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)[1:]
    assert min(lv.rows for lv in hard) > max(lv.rows for lv in easy)
    assert max(lv.step_for(lv.rows - 1) for lv in hard) < min(lv.step_for(lv.rows - 1) for lv in easy)
    assert all(lv.caps for lv in hard) and not any(lv.caps for lv in easy)


def test_the_generator_copes_with_the_parameters():
    assert_copes_with_params(generate_levels, validate_level, StackerParams(bonus_perfect=False))


def test_the_bot_hint_asks_for_a_completed_level():
    assert_bot_completes_a_level("stacker")


@pytest.mark.parametrize(
    "prompt",
    ["stack the blocks as high as you can", "build a tower of pancakes to the sky", "a skyscraper stacking game",
     "un juego de apilar bloques", "積み上げゲーム"],
)  # fmt: skip
def test_designer_maps_stacking_prompts_to_the_stacker(prompt):
    assert_designer_picks(prompt, "stacker")


def test_designer_tunes_the_stacker_from_the_prompt():
    assert spec_from_prompt(prompt="a hardcore stacker").params.bonus_perfect is False
