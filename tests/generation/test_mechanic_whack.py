"""Whack: the shared schedule, the level schema, the reaction and target checks, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.whack import (
    SLACK_MS,
    WhackLevel,
    WhackParams,
    generate_levels,
    pops,
    validate_level,
    whackable,
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

PARAMS = WhackParams()


def _level(**fields) -> WhackLevel:
    base = {"cols": 3, "rows": 3, "time_limit_s": 30, "seed": 7, "pop_ms": 800, "up_ms": 1200,
            "bad_share": 0.2, "target": 5}  # fmt: skip
    return WhackLevel(**{**base, **fields})


# --- the shared schedule ------------------------------------------------------------------------------


def test_the_schedule_is_fixed_by_the_seed_and_never_doubles_up_a_hole():
    level = _level(pop_ms=200, up_ms=1500)  # busy: many holes are taken when the next pop comes
    first, again = list(pops(level)), list(pops(level))
    assert first == again and first != list(pops(level.model_copy(update={"seed": 8})))
    for p in first:
        assert 0 <= p.hole < 9 and p.t1 - p.t0 == pytest.approx(1.5)
        overlapping = [
            q for q in first if q.hole == p.hole and q.index != p.index and q.t0 < p.t1 and p.t0 < q.t1
        ]
        assert overlapping == []


def test_with_every_hole_taken_nothing_pops():
    # given four holes, a pop every 200 ms, each up for 2 s: at most four are up at once
    level = _level(cols=2, rows=2, pop_ms=200, up_ms=2000, time_limit_s=10)
    schedule = list(pops(level))
    assert len(schedule) < level.pops_count()
    for p in schedule:
        assert sum(1 for q in schedule if q.t0 <= p.t0 < q.t1) <= 4


def test_bad_share_sets_how_many_bombs_pop():
    assert not any(p.bad for p in pops(_level(bad_share=0.0)))
    assert sum(p.bad for p in pops(_level(bad_share=0.6))) > sum(p.bad for p in pops(_level()))


# --- schema and validator --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"cols": 1},
        {"rows": 6},
        {"seed": 0},
        {"bad_share": 0.8},
        {"target": 0},
        {"time_limit_s": 300, "pop_ms": 150},
    ],
)
def test_level_schema_refuses_malformed_levels(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_moles_quicker_than_the_players_reaction_are_refused():
    assert validate_level(_level(up_ms=PARAMS.reaction_ms + SLACK_MS), PARAMS) == []
    problems = validate_level(_level(up_ms=500), WhackParams(reaction_ms=700))
    assert problems == ["up_ms: moles hide after 500 ms, quicker than a 700 ms reaction"]


def test_whackable_counts_the_moles_that_pop_early_enough():
    level = _level()
    moles = [p for p in pops(level) if not p.bad]
    assert whackable(level, PARAMS) == sum(1 for p in moles if p.t0 <= 30 - 0.45)
    assert whackable(level, WhackParams(reaction_ms=1500)) <= whackable(level, PARAMS)
    assert whackable(level.model_copy(update={"bad_share": 0.0}), PARAMS) > whackable(level, PARAMS)


def test_a_target_above_the_whackable_moles_is_refused():
    level = _level()
    count = whackable(level, PARAMS)
    assert validate_level(level.model_copy(update={"target": count}), PARAMS) == []
    assert validate_level(level.model_copy(update={"target": count + 1}), PARAMS) == [
        f"target: only {count} moles can be whacked, the target is {count + 1}"
    ]


def test_the_spec_refuses_an_unreachable_target_at_its_path():
    data = spec_data("whack")
    data["levels"][2]["target"] = 300
    assert_spec_refused_at_level(data, 2)


# --- the generator ----------------------------------------------------------------------------------


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=9, curve=[0.1, 0.5, 0.9])


def test_harder_levels_have_more_holes_quicker_moles_and_more_bombs():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)
    assert min(lv.cols * lv.rows for lv in hard) > max(lv.cols * lv.rows for lv in easy)
    assert max(lv.up_ms for lv in hard) < min(lv.up_ms for lv in easy)
    assert max(lv.pop_ms for lv in hard) < min(lv.pop_ms for lv in easy)
    assert min(lv.bad_share for lv in hard) > max(lv.bad_share for lv in easy)
    assert min(lv.target for lv in hard) > max(lv.target for lv in easy)


@pytest.mark.parametrize("extreme", [dict(reaction_ms=250), dict(reaction_ms=1500)])
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    assert_copes_with_params(generate_levels, validate_level, WhackParams(**extreme))


def test_the_hardest_game_fits_the_bundle():
    assert_hardest_game_fits_the_bundle("whack", generate_levels, PARAMS)


# --- the definition, the designer ----------------------------------------------------------------------


def test_the_bot_hint_asks_for_a_completed_level_and_the_cast_has_its_roles():
    assert_bot_completes_a_level("whack")
    definition = mechanic_get("whack")
    roles = {s.role for s in definition.sprites} - {None}
    assert roles == set(definition.cast_defaults) == {"hero", "enemy", "hazard"}


@pytest.mark.parametrize(
    "prompt",
    [
        "whack-a-mole in a garden",
        "bonk the rats popping out of the sewer",
        "whack the zombies before they hide",
        "tap the screen to pop balloons",
        "un juego de golpear topos",
        "打地鼠",
        "🔨🐹",
    ],
)
def test_designer_maps_whacking_prompts_to_whack(prompt):
    assert_designer_picks(prompt, "whack")


def test_designer_tunes_whack_from_the_prompt():
    assert spec_from_prompt(prompt="whack-a-mole for toddlers").params.reaction_ms > PARAMS.reaction_ms
    assert spec_from_prompt(prompt="whack-a-mole").params == PARAMS
