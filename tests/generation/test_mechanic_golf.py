"""Mini golf: the course's geometry, the putting plan that proves a level, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.golf import (
    MAX_SHOTS,
    GolfLevel,
    GolfParams,
    Mover,
    generate_levels,
    validate_level,
)
from generation.mechanics.golf.course import COLS, ROWS, plan_putts, putt_clear
from generation.mobile import mobile_project_files
from generation.spec import spec_validate
from tests.generation.dart_syntax import dart_syntax_problems
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_hardest_game_fits_the_bundle,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = GolfParams()
OPEN = "." * COLS


def _course(*rows_at: tuple[int, str], tee: int = 4, hole: int = 4) -> list[str]:
    rows = [OPEN] * ROWS
    for y, row in rows_at:
        rows[y] = row
    rows[1] = rows[1][:hole] + "H" + rows[1][hole + 1 :]
    rows[ROWS - 2] = rows[ROWS - 2][:tee] + "S" + rows[ROWS - 2][tee + 1 :]
    return rows


def _level(rows, shots=5, par=1, movers=()) -> GolfLevel:
    return GolfLevel(rows=rows, shots=shots, par=par, movers=list(movers))


def test_an_open_course_is_holed_in_one_straight_putt_when_it_reaches():
    # given an empty course, the hole 12 cells above the tee
    level = _level(_course())
    # then a full putt of 12 cells holes it at once; of 10 cells it takes two
    assert plan_putts(level, 12.0) == [(4.5, 1.5)]
    assert len(plan_putts(level, 10.0)) == 2


def test_a_putt_is_clear_only_away_from_walls_by_the_ball_and_a_margin():
    boxes_free = ([], [])
    assert putt_clear((0.5, 0.5), (0.5, 14.5), *boxes_free)  # along the edge, a cell's half away
    assert not putt_clear((0.2, 0.5), (0.2, 14.5), *boxes_free)  # the ball would rub the edge


def test_a_wall_with_a_gap_needs_the_putts_through_the_gap():
    # given a wall across the course, open only in its rightmost cell
    level = _level(_course((7, "########.")))
    plan = plan_putts(level, PARAMS.max_putt)
    # then the plan goes through the gap's column
    assert plan is not None and len(plan) >= 2
    assert any(x == 8.5 for x, _ in plan[:-1])


def test_an_unsolvable_course_is_refused_and_a_solvable_one_accepted():
    # given a wall right across the course: no putt can ever pass it
    walled = _level(_course((7, "#########")))
    solvable = _level(_course((7, "####.####")), shots=4, par=2)
    # then the validator refuses the first, naming the rows, and accepts the second
    assert validate_level(walled, PARAMS) == ["rows: the ball cannot be holed in 5 clear putts"]
    assert validate_level(solvable, PARAMS) == []


def test_too_few_shots_are_refused():
    zigzag = _course((4, "#######.."), (7, "..#######"), (10, "#######.."))
    needed = len(plan_putts(_level(zigzag), PARAMS.max_putt))
    assert validate_level(_level(zigzag, shots=needed, par=needed), PARAMS) == []
    problems = validate_level(_level(zigzag, shots=needed - 1, par=1), PARAMS)
    assert problems == [f"rows: the ball cannot be holed in {needed - 1} clear putts"]


def test_water_and_a_moving_walls_sweep_are_kept_clear_of():
    # given a one-cell gap, filled by water, then by the sweep of a moving wall instead
    flooded = _level(_course((7, "####~####")))
    assert validate_level(flooded, PARAMS) == ["rows: the ball cannot be holed in 5 clear putts"]
    # a moving wall sliding across the whole middle row blocks every straight putt past it
    slider = Mover(x=0, y=7, width=2, travel=7)
    assert plan_putts(_level(_course(), movers=[slider]), 20.0) is None
    # the same wall sliding over only the left half leaves the right side free
    half = Mover(x=0, y=7, width=2, travel=2)
    assert plan_putts(_level(_course(tee=7, hole=7), movers=[half]), 20.0) == [(7.5, 1.5)]


def test_a_moving_wall_must_slide_on_grass_and_stay_on_the_course():
    off = _level(_course(), movers=[Mover(x=6, y=7, width=2, travel=4)])
    over = _level(_course((7, "#........")), movers=[Mover(x=0, y=7, width=2, travel=2)])
    assert validate_level(off, PARAMS) == ["movers.0: slides off the course"]
    assert validate_level(over, PARAMS) == ["movers.0: slides over something other than grass"]


def test_the_course_needs_one_tee_and_one_hole():
    rows = [OPEN] * ROWS
    assert validate_level(_level(rows), PARAMS) == [
        "rows: the course needs exactly one ball (S)",
        "rows: the course needs exactly one hole (H)",
    ]


@pytest.mark.parametrize(
    "rows",
    [[OPEN] * (ROWS - 1), [OPEN[:-1]] * ROWS, ["x" * COLS] * ROWS],
    ids=["short", "narrow", "bad cell"],
)
def test_level_schema_refuses_malformed_courses(rows):
    with pytest.raises(ValidationError):
        _level(rows)


def test_the_spec_refuses_an_unsolvable_level_at_its_path():
    data = spec_data("golf")
    data["levels"][1].update(rows=_course((7, "#########")), movers=[], shots=5, par=1)
    assert_spec_refused_at_level(data, 1)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=2, curve=[0.1, 0.5, 0.9])


def test_every_generated_level_is_proved_holeable_within_its_shots():
    levels = generate_levels(
        rng=random.Random(4), count=10, difficulty=[i / 9 for i in range(10)], params=PARAMS
    )
    for level in levels:
        plan = plan_putts(level, PARAMS.max_putt, limit=level.shots)
        assert plan is not None and len(plan) == level.par <= level.shots <= MAX_SHOTS


def test_harder_courses_have_more_obstacles_narrower_gaps_moving_walls_and_fewer_spare_shots():
    easy = generate_levels(rng=random.Random(1), count=4, difficulty=[0.0] * 4, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=4, difficulty=[1.0] * 4, params=PARAMS)[1:]

    def walls(level):
        return sum(row.count("#") for row in level.rows)

    def things(level):
        return sum(row.count("o") + row.count("~") for row in level.rows) + len(level.movers)

    assert min(walls(lv) for lv in hard) > max(walls(lv) for lv in easy)
    assert min(things(lv) for lv in hard) > max(things(lv) for lv in easy)
    assert all(lv.movers for lv in hard) and not any(lv.movers for lv in easy)
    assert max(lv.shots - lv.par for lv in hard) < min(lv.shots - lv.par for lv in easy)
    assert min(lv.par for lv in hard) > max(lv.par for lv in easy) - 1


def test_level_one_is_the_easy_tutorial_whatever_the_curve():
    first = generate_levels(rng=random.Random(9), count=2, difficulty=[1.0, 1.0], params=PARAMS)[0]
    assert not first.movers and first.shots - first.par == 3


def test_the_generator_copes_with_the_parameters():
    assert_copes_with_params(generate_levels, validate_level, GolfParams(max_putt=6.0, bumper_bounce=1.5))
    assert_copes_with_params(generate_levels, validate_level, GolfParams(max_putt=14.0, aim_guide=False))


def test_the_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("golf", generate_levels, PARAMS)


def test_the_bot_hint_asks_for_a_completed_level():
    hints = assert_bot_completes_a_level("golf")
    assert {"putt", "ball_sunk"} <= set(hints.expected_events)


@pytest.mark.parametrize(
    "prompt",
    ["a golf game where you launch a ball into the hole", "mini golf on the moon", "putt the ball around candy walls",
     "a minigolf course for kids", "un juego de minigolf", "ein Minigolf-Spiel im Wald", "мини-гольф в космосе",
     "ゴルフゲーム", "⛳⛳", "fling angry birds with a slingshot", "a billiards game"],
)  # fmt: skip
def test_designer_maps_golf_prompts_to_mini_golf(prompt):
    assert_designer_picks(prompt, "golf")


def test_the_cast_hits_the_ball_into_the_hole():
    # given the prompt that launches a ball (a projectile word) into the hole (a goal word)
    spec = spec_from_prompt(prompt="a golf game where you launch a ball into the hole")
    cast = {member.role: member.subject for member in spec.cast}
    # then the prompt's ball is the hero (what the player putts) and its hole the goal
    assert cast["hero"] == "ball" and cast["goal"] == "hole"
    assert {(s.word, s.role) for s in spec.provenance.cast} == {("ball", "hero"), ("hole", "goal")}
    # and whatever else is launched is the hero too
    launched = spec_from_prompt(prompt="a golf game where you launch a penguin into the hole")
    assert [m.subject for m in launched.cast if m.role == "hero"] == ["penguin"]


def test_designer_tunes_the_course_from_the_prompt():
    assert spec_from_prompt(prompt="a bouncy mini golf").params.bumper_bounce > PARAMS.bumper_bounce
    assert spec_from_prompt(prompt="a powerful golf game").params.max_putt > PARAMS.max_putt


def test_the_flame_template_renders_dart_that_parses():
    files = mobile_project_files(spec=spec_validate(spec_data("golf")))
    source = files["lib/mechanics/golf.dart"].decode()
    assert "class GolfMechanic extends MechanicComponent" in source
    assert dart_syntax_problems(source.encode()) == []
