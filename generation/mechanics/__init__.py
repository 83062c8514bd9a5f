"""The mechanics registry: every module of this package that exposes `MECHANIC` is a mechanic.

Adding a mechanic is adding `generation/mechanics/<slug>.py` (with `MECHANIC`),
`generation/static/generation/mechanics/<slug>.js` and `generation/mobile/<slug>.dart.tmpl`;
nothing here needs to change. See README.md in this folder for the contract.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from generation.mechanics.base import MechanicDefinition

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_NOT_MECHANICS = {"base"}


@cache
def mechanic_registry() -> dict[str, MechanicDefinition]:
    """All mechanics found in this package, by slug, in a stable (alphabetical) order."""
    found: dict[str, MechanicDefinition] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in _NOT_MECHANICS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        definition = getattr(module, "MECHANIC", None)
        if not isinstance(definition, MechanicDefinition):
            continue
        if definition.slug != info.name or not SLUG_RE.match(definition.slug):
            raise RuntimeError(f"mechanic module {info.name!r} declares slug {definition.slug!r}")
        found[definition.slug] = definition
    return found


def mechanic_slugs() -> list[str]:
    return list(mechanic_registry())


def mechanic_get(slug: str) -> MechanicDefinition | None:
    """The definition for `slug`, or None when no such mechanic exists."""
    if not isinstance(slug, str):
        return None
    return mechanic_registry().get(slug)
