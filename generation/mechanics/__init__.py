"""The mechanics registry: every package `generation/mechanics/<slug>/` whose `__init__.py` exposes
`MECHANIC` (a `MechanicDefinition`) is a mechanic.

Adding a mechanic is adding one folder (README.md in this folder says what goes in it); nothing
here or anywhere else needs to change. Folders whose name starts with `_` are not mechanics
(room for code several mechanics share).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from generation.mechanics.base import MechanicDefinition

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


@cache
def mechanic_registry() -> dict[str, MechanicDefinition]:
    """All mechanics found in this package, by slug, in a stable (alphabetical) order."""
    found: dict[str, MechanicDefinition] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.ispkg or info.name.startswith("_"):
            continue  # base.py and other modules; _shared/ folders
        module = importlib.import_module(f"{__name__}.{info.name}")
        definition = getattr(module, "MECHANIC", None)
        if not isinstance(definition, MechanicDefinition):
            raise RuntimeError(f"generation/mechanics/{info.name}/__init__.py defines no MECHANIC")
        if definition.slug != info.name or not SLUG_RE.match(definition.slug):
            raise RuntimeError(
                f"the mechanic in generation/mechanics/{info.name}/ declares slug {definition.slug!r}"
            )
        found[definition.slug] = definition
    return found


def mechanic_slugs() -> list[str]:
    return list(mechanic_registry())


def mechanic_get(slug: str) -> MechanicDefinition | None:
    """The definition for `slug`, or None when no such mechanic exists."""
    if not isinstance(slug, str):
        return None
    return mechanic_registry().get(slug)
