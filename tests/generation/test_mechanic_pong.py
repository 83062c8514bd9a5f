"""Pong: the level schema, the winning-return check, the generator, the designer."""

import math
import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.pong import (
    BALL_R,
    FIELD_W,
    MAX_BOUNCE,
    TRAVEL,
    PongLevel,
    PongParams,
    cpu_reach,
    generate_levels,
    reflect,
    validate_level,
    winning_return,
)
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = PongParams()


def _level(**fields) -> PongLevel:
    base = {"seed": 7, "points_to_win": 3, "cpu_speed": 200.0, "cpu_reaction": 0.4, "cpu_error": 0.5}
    return PongLevel(**{**base, **fields})


def _computer_returns(level: PongLevel, params: PongParams, x: float, offset: float, speed: float) -> bool:
    """Steps the computer's rule in time (as the scenes do) against one return: does it reach the ball?"""
    angle = offset * MAX_BOUNCE
    vx, vy = speed * math.sin(angle), speed * math.cos(angle)
    flight = TRAVEL / vy
    landing = reflect(x + vx * flight, BALL_R, FIELD_W - BALL_R)
    half = params.paddle_width * level.cpu_paddle_scale / 2
    cpu, t, dt = FIELD_W / 2, 0.0, 1 / 240
    while t < flight:
        if t >= level.cpu_reaction * flight:  # it has come far enough: head for where it arrives
            step = level.cpu_speed * dt
            cpu += max(-step, min(step, landing - cpu))
            cpu = max(half, min(FIELD_W - half, cpu))
        t += dt
    return abs(landing - cpu) <= half + BALL_R


def test_reflect_mirrors_between_the_walls():
    assert reflect(50, 10, 110) == 50
    assert reflect(130, 10, 110) == 90  # 20 past the right wall
    assert reflect(-30, 10, 110) == 50  # 40 past the left wall
    assert reflect(230, 10, 110) == 30  # there and back again


@pytest.mark.parametrize(
    "fields",
    [{"seed": 0}, {"points_to_win": 0}, {"cpu_speed": 10.0}, {"cpu_reaction": 0.95}, {"cpu_error": 1.5},
     {"ball_speed_scale": 3.0}],
)  # fmt: skip
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_the_winning_return_really_beats_the_computer():
    # given a winnable level and the return the validator found
    level = _level()
    shot = winning_return(level, PARAMS)
    assert shot is not None and validate_level(level, PARAMS) == []
    # then the computer, stepped through time by its own rule, does not reach it at top speed
    top = PARAMS.ball_speed * level.ball_speed_scale * PARAMS.max_speed_scale
    assert not _computer_returns(level, PARAMS, shot.x, shot.offset, top)
    # while a flat return down the middle is easy for it
    assert _computer_returns(level, PARAMS, FIELD_W / 2, 0.0, top)


def test_a_computer_that_reaches_everything_makes_an_unwinnable_level():
    level = _level(cpu_speed=900.0, cpu_reaction=0.0, cpu_paddle_scale=1.6)
    assert winning_return(level, PARAMS) is None
    problems = validate_level(level, PARAMS)
    assert problems and problems[0].startswith("cpu_speed:")
    # the reach covers the whole field: no return, however sharp, escapes it
    lo, hi = cpu_reach(level, PARAMS, TRAVEL / (PARAMS.ball_speed * PARAMS.max_speed_scale))
    assert lo <= PARAMS.paddle_width * 1.6 / 2 + 1 and hi >= FIELD_W - PARAMS.paddle_width * 1.6 / 2 - 1


def test_a_faster_ball_opens_winning_returns():
    # given a computer that returns everything at the serve's speed
    level = _level(cpu_speed=260.0, cpu_reaction=0.3)
    assert winning_return(level, PongParams(max_speed_scale=1.0)) is None
    assert winning_return(level, PongParams(max_speed_scale=1.5)) is None
    # when rallies may speed the ball up more, then a return beats it
    assert winning_return(level, PongParams(max_speed_scale=2.0)) is not None


def test_the_spec_refuses_an_unwinnable_level_at_its_path():
    data = spec_data("pong")
    data["levels"][2].update(cpu_speed=900.0, cpu_reaction=0.0, cpu_paddle_scale=1.6)
    assert_spec_refused_at_level(data, 2)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_have_a_quicker_steadier_computer_and_more_points():
    # (level 1 is always easy: compare the others)
    easy = generate_levels(rng=random.Random(1), count=4, difficulty=[0.2] * 4, params=PARAMS)[1:]
    hard = generate_levels(rng=random.Random(1), count=4, difficulty=[1.0] * 4, params=PARAMS)[1:]
    assert min(lv.cpu_speed for lv in hard) > max(lv.cpu_speed for lv in easy)
    assert max(lv.cpu_reaction for lv in hard) < min(lv.cpu_reaction for lv in easy)
    assert max(lv.cpu_error for lv in hard) < min(lv.cpu_error for lv in easy)
    assert min(lv.points_to_win for lv in hard) > max(lv.points_to_win for lv in easy)


def test_level_one_is_easy_whatever_the_curve():
    (first, *_) = generate_levels(rng=random.Random(2), count=2, difficulty=[1.0, 1.0], params=PARAMS)
    assert first.points_to_win == 3 and first.cpu_speed < 200


@pytest.mark.parametrize(
    "extreme",
    [dict(paddle_width=60, ball_speed=250.0, max_speed_scale=1.0, speed_up_per_hit=0.0),
     dict(paddle_width=200, ball_speed=700.0, max_speed_scale=2.5)],
)  # fmt: skip
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    assert_copes_with_params(generate_levels, validate_level, PongParams(**extreme))


def test_the_bot_hint_asks_for_a_completed_level():
    assert_bot_completes_a_level("pong")
    assert mechanic_get("pong").multiplayer_modes == ()  # solo for now: the sides are ready for two


@pytest.mark.parametrize(
    "prompt",
    ["pong against the computer", "table tennis with a robot opponent", "a ping pong rally on the beach",
     "🏓", "un juego de tenis de mesa", "卓球ゲーム"],
)  # fmt: skip
def test_designer_maps_table_tennis_prompts_to_pong(prompt):
    assert_designer_picks(prompt, "pong")


@pytest.mark.parametrize(
    "prompt", ["paddle and ball, break the wall", "smash colourful bricks with a bouncing ball"]
)
def test_breakout_prompts_stay_breakout(prompt):
    assert_designer_picks(prompt, "breakout")


def test_designer_tunes_pong_from_the_prompt():
    assert spec_from_prompt(prompt="fast pong").params.ball_speed > PARAMS.ball_speed
    assert spec_from_prompt(prompt="calm pong for kids").params.paddle_width > PARAMS.paddle_width
