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

# Titles that fight back when written into code: quotes, $, backslashes, braces, template
# delimiters, emoji with joiners and flags, right-to-left text, a bidi override, YAML syntax.
AWKWARD_TITLES = [
    'Bob\'s "Big" $nake \\ game',
    "${oops} {{x}} <%= y %>",
    "🐍 Snake 👨\u200d👩\u200d👧 Family 🇯🇵",
    "מבוך הרוחות",  # Hebrew, right to left
    "لعبة المتاهة \u202e reversed",  # Arabic with a bidi override
    "key: value # not a comment - not a list",
]


def mechanic_slugs() -> list[str]:
    return list(mechanic_registry())


@cache
def _spec_json(mechanic: str, seed: int) -> dict:
    prompt = PROMPTS.get(mechanic, f"a {mechanic} game")
    return spec_from_prompt(prompt=prompt, seed=seed, mechanic=mechanic).model_dump(mode="json")


def spec_data(mechanic: str = "snake", seed: int = 0) -> dict:
    """A fresh (deep-copied) valid spec as JSON data."""
    return copy.deepcopy(_spec_json(mechanic, seed))
