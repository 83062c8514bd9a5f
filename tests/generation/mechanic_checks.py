"""Checks the per-mechanic tests share: each states one behaviour of a mechanic's generator, spec or bot."""

import random
from collections.abc import Callable
from typing import Any

import pytest

from gamefactory.errors import ApplicationError
from generation import limits
from generation.bundle import bundle_files
from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.base import BotHints, MechanicParams
from generation.playtest import Bot, mechanic_bot
from generation.spec import spec_validate
from tests.generation.specs import spec_data

Generator = Callable[..., list[Any]]
Validator = Callable[[Any, Any], list[str]]
EXTREME_CURVE = [0.0, 0.25, 0.5, 0.75, 1.0]


def _dumps(levels: list[Any]) -> list[dict]:
    return [level.model_dump() for level in levels]


def assert_deterministic_per_seed(
    generate_levels: Generator, params: MechanicParams, *, seed: int, curve: list[float]
) -> None:
    """The same seed gives the same levels; the next seed gives others."""
    count = len(curve)
    first = generate_levels(rng=random.Random(seed), count=count, difficulty=curve, params=params)
    again = generate_levels(rng=random.Random(seed), count=count, difficulty=curve, params=params)
    other = generate_levels(rng=random.Random(seed + 1), count=count, difficulty=curve, params=params)
    assert _dumps(first) == _dumps(again)
    assert _dumps(first) != _dumps(other)


def assert_copes_with_params(
    generate_levels: Generator, validate_level: Validator, params: MechanicParams
) -> None:
    """Every difficulty from 0 to 1 gives a well-formed level that the validator accepts."""
    levels = generate_levels(
        rng=random.Random(0), count=len(EXTREME_CURVE), difficulty=EXTREME_CURVE, params=params
    )
    for level in levels:
        assert type(level).model_validate(level.model_dump()) == level
        assert validate_level(level, params) == [], level


def assert_hardest_game_fits_the_bundle(
    slug: str, generate_levels: Generator, params: MechanicParams
) -> None:
    """The longest game the schema allows, at the hardest difficulty, bundles under the size budget."""
    spec = spec_validate(spec_data(slug))
    count = limits.MAX_LEVELS
    levels = generate_levels(rng=random.Random(3), count=count, difficulty=[1.0] * count, params=params)
    data = spec.model_dump(mode="json")
    data["levels"] = [level.model_dump(mode="json") for level in levels]
    files = bundle_files(spec=spec_validate(data))  # raises when over the budget
    assert sum(len(b) for path, b in files.items() if path != "manifest.json") < limits.BUNDLE_MAX_BYTES


def assert_spec_refused_at_level(data: dict, index: int) -> None:
    """Validating the spec data fails, and the error names `levels.<index>`."""
    with pytest.raises(ApplicationError) as caught:
        spec_validate(data)
    assert f"levels.{index}" in caught.value.fields, caught.value.fields


def assert_bot_completes_a_level(slug: str) -> BotHints:
    """The mechanic's playtest bot exists (its package's bot.py) and is expected to finish level 1; returns the hints."""
    bot = mechanic_get(slug).bot
    assert mechanic_bot(slug) is not Bot and bot.completes_level
    return bot


def assert_designer_picks(prompt: str, slug: str) -> None:
    """The local designer maps the prompt to the mechanic."""
    spec = spec_from_prompt(prompt=prompt)
    assert spec.mechanic == slug, spec.provenance.reasons
