"""The platform's one seeded PRNG, in Python: mulberry32, bit for bit the same numbers as

- the web runtime's `GF.rng(seed)` (`function rng` in generation/static/generation/runtime.js), and
- the Flame runtime's `gfRng(seed)` (generation/mobile/templates/lib/gf_runtime.dart),

so a level's `seed` draws the same things in the validator, in the browser and on a phone. Level
generators use `random.Random` (the numbers never leave Python); whatever a game draws while it
is played comes from this generator, in each language's one copy. tests/generation/test_rng.py
runs all three on the same seeds.
"""

from __future__ import annotations

from collections.abc import Callable

_MASK = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    """JavaScript's Math.imul, unsigned: the low 32 bits of the product."""
    return (a * b) & _MASK


def mulberry32(seed: int) -> Callable[[], float]:
    """A generator of floats in [0, 1) for `seed` (any int: only its low 32 bits count)."""
    state = seed & _MASK

    def draw() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & _MASK
        t = _imul(state ^ (state >> 15), state | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & _MASK
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    return draw
