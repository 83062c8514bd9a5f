"""Specs for the generator's tests: the local designer's, per mechanic (deterministic, cached)."""

import copy
from functools import cache

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_registry

PROMPTS = {
    "snake": "a neon snake that gets faster",
    "breakout": "smash candy bricks with a bouncing ball",
    "maze": "a spooky maze with ghosts",
    "match3": "match three candies before the moves run out",
}


def mechanic_slugs() -> list[str]:
    return list(mechanic_registry())


@cache
def _spec_json(mechanic: str, seed: int) -> dict:
    prompt = PROMPTS.get(mechanic, f"a {mechanic} game")
    return spec_from_prompt(prompt=prompt, seed=seed, mechanic=mechanic).model_dump(mode="json")


def spec_data(mechanic: str = "snake", seed: int = 0) -> dict:
    """A fresh (deep-copied) valid spec as JSON data."""
    return copy.deepcopy(_spec_json(mechanic, seed))
