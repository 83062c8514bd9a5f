"""Reads of the generation app."""

from __future__ import annotations

from django.db.models import QuerySet

from generation.models import Mechanic


def mechanic_list(*, active_only: bool = True) -> QuerySet[Mechanic]:
    """Mechanics in slug order; by default only those staff left switched on."""
    qs = Mechanic.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def mechanic_get(*, slug: str) -> Mechanic | None:
    return Mechanic.objects.filter(slug=slug).first()


def mechanic_available_slugs() -> frozenset[str]:
    """Slugs a design may use: mechanics in code that staff have not switched off.

    A mechanic in code without a row yet (before `sync_mechanics`) counts as available: the
    sync creates rows switched on.
    """
    from generation.mechanics import mechanic_registry

    inactive = set(Mechanic.objects.filter(is_active=False).values_list("slug", flat=True))
    return frozenset(slug for slug in mechanic_registry() if slug not in inactive)


# --- what other apps read of the engine (import-linter: they reach generation only through here,
# services and its public types: models, spec, limits, themes) ------------------------------------


def mechanic_definition(slug: str):
    """The mechanic's definition in code (parameters, roles, levels), or None."""
    from generation.mechanics import mechanic_get as definition_get

    return definition_get(slug)


def mechanic_definitions() -> dict:
    """Every mechanic's definition in code, by slug."""
    from generation.mechanics import mechanic_registry

    return mechanic_registry()


def level_paced_seconds(spec) -> float | None:
    """Level 1's `paced_seconds` for a validated GameSpec: how long it plays at the pace the level
    sets (MechanicDefinition.paced_seconds), or None when its mechanic sets no pace."""
    definition = mechanic_definition(spec.mechanic)
    if definition is None or definition.paced_seconds is None or not spec.levels:
        return None
    seconds = definition.paced_seconds(spec.levels[0], spec.params)
    return None if seconds is None else round(float(seconds), 1)


def provider_get(name: str):
    """A design provider by name; ApplicationError on `provider` when unknown."""
    from generation.providers import provider_get as get

    return get(name)


def static_dir():
    """The engine's runtime files (copied into repositories and bundles)."""
    from generation.bundle import STATIC_DIR

    return STATIC_DIR


def multiplayer_mode(spec: dict | None):
    """The multiplayer mode a game's spec plays (the mechanic's first `MultiplayerMode`), or None
    when the spec asks for none (`"multiplayer": false`) or its mechanic plays solo only."""
    if not isinstance(spec, dict) or spec.get("multiplayer") is not True:
        return None
    mechanic = spec.get("mechanic")
    definition = mechanic_definition(mechanic) if isinstance(mechanic, str) else None
    if definition is None or not definition.multiplayer_modes:
        return None
    return definition.multiplayer_modes[0]


def cast_credit(spec: dict | None) -> dict | None:
    """What the game page says of a game's artwork: its cast, and where the pictures come from."""
    from generation.cast import ART_AUTHOR, ART_LICENSE, ART_LICENSE_URL, ART_NAME, ART_SOURCE_URL

    members = (spec or {}).get("cast") or []
    if not isinstance(members, list) or not members:
        return None
    cast = [
        {"role": m.get("role", ""), "subject": m.get("subject", "")}
        for m in members
        if isinstance(m, dict) and m.get("subject")
    ]
    return {"cast": cast, "name": ART_NAME, "author": ART_AUTHOR, "license": ART_LICENSE,
            "license_url": ART_LICENSE_URL, "source_url": ART_SOURCE_URL}  # fmt: skip
