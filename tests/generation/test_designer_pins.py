"""The local designer's choices, pinned: moving code around must not change the games it makes.

`pins/designer.json` holds, recorded from the code before a refactor:
- `choices`: the mechanic the designer picked for every prompt of `bench/generation.py` (with the
  bench's seed) and of `test_designer.py` (seed 0);
- `specs`: the sha256 of the whole canonical spec JSON for a handful of prompts (one per mechanic,
  other languages, emoji, options).

A change that is *meant* to change what the designer makes re-records them, and says why in its
commit: `.venv/bin/python -m tests.generation.test_designer_pins --record`.
"""

import hashlib
import json
from pathlib import Path

import pytest

from generation.designer import spec_from_prompt

PINS = Path(__file__).parent / "pins" / "designer.json"


def _pins() -> dict:
    return json.loads(PINS.read_text())


def _choice_cases() -> list[tuple[str, int, str]]:
    return [(c["prompt"], c["seed"], c["mechanic"]) for c in _pins()["choices"]]


def _spec_cases() -> list[tuple[str, int, str]]:
    return [(c["prompt"], c["seed"], c["sha256"]) for c in _pins()["specs"]]


@pytest.mark.parametrize(("prompt", "seed", "mechanic"), _choice_cases())
def test_the_designer_picks_the_pinned_mechanic(prompt, seed, mechanic):
    spec = spec_from_prompt(prompt=prompt, seed=seed)
    assert spec.mechanic == mechanic, spec.provenance.reasons


@pytest.mark.parametrize(("prompt", "seed", "sha256"), _spec_cases())
def test_the_same_prompt_and_seed_give_the_pinned_spec(prompt, seed, sha256):
    spec = spec_from_prompt(prompt=prompt, seed=seed)
    assert hashlib.sha256(spec.canonical_json().encode()).hexdigest() == sha256, spec.provenance.reasons


def test_the_pins_cover_every_bench_and_designer_prompt():
    pinned = {(c["prompt"], c["seed"]) for c in _pins()["choices"]}
    assert pinned == set(_pinned_cases())
    assert len(_pins()["specs"]) == len(SPEC_PROMPTS)


# --- recording ------------------------------------------------------------------------------------

SPEC_PROMPTS = [
    ("a neon snake that gets faster", 0),
    ("smash candy bricks with a bouncing ball", 1),
    ("a spooky maze with ghosts", 2),
    ("match three candies before the moves run out", 3),
    ("an endless runner on neon rooftops", 4),
    ("jump on enemies and collect gems in a mushroom kingdom", 5),
    ("a flappy bird clone with a tiny dragon", 6),
    ("dodge falling asteroids in a spaceship", 7),
    ("push crates onto targets in a warehouse", 8),
    ("flip the cards and find the pairs", 9),
    ("merge numbers to reach 2048", 10),
    ("a quick math quiz: additions and subtractions", 11),
    ("gra logiczna z przesuwaniem skrzyń", 12),
    ("簡単な算数ゲーム", 13),
    ("🚀☄️☄️", 14),
    ("shoot the alien invaders", 15),
    ("a short snake game with 3 levels, no ads, play with friends", 16),
    ("something fun", 17),
]


def _designer_test_prompts() -> list[str]:
    """The prompts of test_designer.py's mechanic table, read from its source."""
    import ast

    tree = ast.parse((Path(__file__).parent / "test_designer.py").read_text())
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == "test_prompts_map_to_the_mechanic_they_describe"
        ):
            cases = node.decorator_list[0].args[1]
            found += [case.elts[0].value for case in cases.elts]
    return found


def _bench_prompts() -> list[str]:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "bench" / "generation.py"
    spec = importlib.util.spec_from_file_location("bench_generation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PROMPTS


def _pinned_cases() -> list[tuple[str, int]]:
    """The bench's prompts with the bench's seeds, then test_designer.py's with seed 0."""
    return [(p, i) for i, p in enumerate(_bench_prompts())] + [(p, 0) for p in _designer_test_prompts()]


def record() -> None:
    cases = _pinned_cases()
    choices = [
        {"prompt": p, "seed": s, "mechanic": spec_from_prompt(prompt=p, seed=s).mechanic} for p, s in cases
    ]
    specs = [
        {
            "prompt": p,
            "seed": s,
            "sha256": hashlib.sha256(
                spec_from_prompt(prompt=p, seed=s).canonical_json().encode()
            ).hexdigest(),
        }
        for p, s in SPEC_PROMPTS
    ]
    PINS.write_text(json.dumps({"choices": choices, "specs": specs}, indent=1, ensure_ascii=False) + "\n")
    print(f"recorded {len(choices)} choices and {len(specs)} specs in {PINS}")


if __name__ == "__main__":
    import os
    import sys

    import django

    if "--record" not in sys.argv:
        sys.exit("usage: python -m tests.generation.test_designer_pins --record")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    django.setup()
    record()
