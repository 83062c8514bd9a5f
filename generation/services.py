"""The generation app's services: what other apps call (design, build) and the mechanics sync."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from generation import selectors
from generation.bundle import DEFAULT_PHASER_URL, Bundle, bundle_build
from generation.designer import DEFAULT_PROVIDER, design_change, design_from_prompt
from generation.mechanics import mechanic_registry
from generation.mechanics.base import MechanicDefinition
from generation.providers import DesignResult

# Where the playtest's own server serves the shared Phaser to a bundle it plays.
PLAYTEST_PHASER_URL = DEFAULT_PHASER_URL

# Columns the code owns: the sync overwrites them; `is_active` belongs to staff.
CODE_OWNED_FIELDS = (
    "name",
    "description",
    "genre",
    "category",
    "params_schema",
    "level_schema",
    "example_prompts",
    "keywords",
    "js_path",
    "dart_template",
)


@dataclass
class MechanicSyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def repo_path(path) -> str:
    try:
        return path.relative_to(settings.BASE_DIR).as_posix()
    except ValueError:
        return path.as_posix()


def mechanic_row(definition: MechanicDefinition) -> dict:
    """The code-owned column values for one mechanic."""
    return {
        "name": definition.name,
        "description": definition.description,
        "genre": definition.genre,
        "category": definition.category,
        "params_schema": definition.Params.model_json_schema(),
        "level_schema": definition.Level.model_json_schema(),
        "example_prompts": list(definition.example_prompts),
        "keywords": list(dict.fromkeys(definition.keywords)),
        "js_path": repo_path(definition.js_path),
        "dart_template": repo_path(definition.dart_template_path),
    }


def mechanic_sync(*, model=None) -> MechanicSyncResult:
    """Make the mechanics table match the code: create, update, deactivate. Idempotent.

    `model` lets a data migration pass its historical model; by default the live one.
    """
    if model is None:
        from generation.models import Mechanic as model
    result = MechanicSyncResult()
    registry = mechanic_registry()
    with transaction.atomic():
        existing = {row.slug: row for row in model.objects.select_for_update()}
        for slug, definition in registry.items():
            values = mechanic_row(definition)
            row = existing.get(slug)
            if row is None:
                model.objects.create(slug=slug, is_active=True, **values)
                result.created.append(slug)
                continue
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                row.save(update_fields=[*changed, "updated_at"])
                result.updated.append(slug)
            else:
                result.unchanged.append(slug)
        for slug, row in existing.items():
            if slug not in registry and row.is_active:
                row.is_active = False
                row.save(update_fields=["is_active", "updated_at"])
                result.deactivated.append(slug)
    return result


# --- designing and building games -------------------------------------------------------------


def game_design(
    *,
    prompt: Any,
    seed: int = 0,
    provider: str = DEFAULT_PROVIDER,
    mechanic: str | None = None,
    params: dict | None = None,
    base_spec: dict | None = None,
    change: str | None = None,
) -> DesignResult:
    """Design a game from a prompt as the platform offers it: only mechanics staff left active.

    A switched-off mechanic is never chosen, and naming one is refused (ApplicationError on
    `mechanic`); otherwise as `designer.design_from_prompt`. The result carries the spec, the
    provider's usage and fallback, and `logic_js` (checked custom logic, or "").
    For a change request, `base_spec` is the game's spec and `change` the request's text: the
    result changes what the change names and nothing else (`designer.design_change`).
    """
    available = selectors.mechanic_available_slugs()
    if base_spec is not None and change and mechanic in (None, base_spec.get("mechanic")):
        # "make it a maze instead": a change that names another game is that game, whatever the
        # original prompt (or the game it keeps as its template) said.
        mechanic = mechanic_named(change, mechanics=available) or mechanic
    result = design_from_prompt(
        prompt=prompt,
        seed=seed,
        provider=provider,
        mechanic=mechanic,
        params=params,
        mechanics=available,
    )
    if base_spec is not None and change:
        result = design_change(base_spec=base_spec, change=change, design=result)
    return result


def mechanic_named(text: str, *, mechanics) -> str | None:
    """The mechanic `text` names by its name or keywords ("a maze", "tower defense"), or None when it
    names none (verbs alone, "collecting fish", do not name a game)."""
    from generation.providers.local import read_prompt

    reading = read_prompt(text, seed=0, mechanics=mechanics)
    if reading.fallback or not reading.reasons:
        return None
    head, _, evidence = reading.reasons[0].partition(" from ")
    if not head.startswith("mechanic '"):
        return None
    named = any(entry.startswith(("names '", "'")) for entry in evidence.split(", "))
    return reading.mechanic if named else None


def game_build(
    *,
    design: DesignResult,
    out_dir: Path | str,
    phaser_src: str = DEFAULT_PHASER_URL,
    include_phaser: bool = False,
) -> Bundle:
    """Build the bundle of a design: its spec and, when the LLM wrote one, its checked logic.js."""
    return bundle_build(
        spec=design.spec,
        out_dir=out_dir,
        phaser_src=phaser_src,
        include_phaser=include_phaser,
        logic_js=design.logic_js or None,
    )


# --- what other apps call of the engine (import-linter: they reach generation only through here,
# selectors and its public types). Imported on call: the playtest pulls in Playwright. -------------


def prompt_clean(prompt):
    from generation.designer import prompt_clean as clean

    return clean(prompt)


def seed_clean(seed):
    from generation.designer import seed_clean as clean

    return clean(seed)


def spec_from_prompt(**kwargs):
    from generation.designer import spec_from_prompt as design

    return design(**kwargs)


def assets_build(**kwargs):
    from generation.assets import assets_build as build

    return build(**kwargs)


def bundle_verify(**kwargs) -> list[str]:
    from generation.bundle import bundle_verify as verify

    return verify(**kwargs)


def playtest_run(**kwargs):
    """The headless playtest (generation.playtest), a stored verdict reused for an identical bundle
    judged by the same engine (generation.verdicts: passes, and clean capped smoke runs)."""
    from generation.verdicts import playtest_cached

    return playtest_cached(**kwargs)


def generation_warm_up() -> dict[str, float]:
    """Load now what a process's first prompt would otherwise wait for; the seconds each part took.

    The cast's tables (the core and English, when `manage.py cast_index` has cached them under
    VAR_DIR: read in ~0.3 s; a missing cache is built where it is first used) and the English word lists
    the word games draw from (a lexicon and anagram index of ~290,000 words, built in ~2 s: the
    first unscramble game of a process waited for it). A Celery worker calls this before it forks
    its pool (gamefactory/celery.py), so every pool process starts with them. Never raises: what
    cannot load now loads (or fails) where it is used, as before.
    """
    import logging
    import time

    from generation.cast import cast_index, cast_index_cached
    from generation.mechanics._words import anagram_index

    def cast() -> None:
        if cast_index_cached("en"):  # building them (~20 s, `manage.py cast_index`) is not a warm-up
            cast_index().language("en")

    timings: dict[str, float] = {}
    for part, load in (("cast", cast), ("words", lambda: anagram_index("en"))):
        started = time.monotonic()
        try:
            load()
        except Exception:  # noqa: BLE001 - a warm-up only: the first real use reports it
            logging.getLogger(__name__).warning("warm-up of %s failed", part, exc_info=True)
        timings[part] = round(time.monotonic() - started, 3)
    return timings


def playtest_browser_close() -> None:
    """Close the playtest browser this process keeps (a worker process shutting down)."""
    from generation.playtest import browser_close

    browser_close()


def mobile_project_files(**kwargs) -> dict[str, bytes]:
    from generation.mobile import mobile_project_files as files

    return files(**kwargs)


def dart_render(source: str, context: dict[str, object]) -> str:
    """A Dart template (Jinja2 with `<%= %>` delimiters and the `dart_string`, `dart_comment` and
    `yaml_string` filters: see generation/mobile) rendered with `context`."""
    from generation.mobile import dart_render as render

    return render(source, context)


def dart_string(value: object) -> str:
    from generation.mobile import dart_string as literal

    return literal(value)


def logic_validate(**kwargs):
    from generation.jscheck import logic_validate as validate

    return validate(**kwargs)


def logic_check(**kwargs):
    """The static checker's full result on custom logic (its issues, without raising)."""
    from generation.jscheck import logic_check as check

    return check(**kwargs)


def mechanic_clean(mechanic, *, field: str = "mechanic", active_only: bool = True) -> str | None:
    """A mechanic the platform offers (switched-off ones refused with `active_only`), or None; see designer."""
    from generation.designer import mechanic_clean as clean

    return clean(
        mechanic, available=selectors.mechanic_available_slugs() if active_only else None, field=field
    )


def params_clean(params, *, field: str = "params") -> dict | None:
    from generation.designer import params_clean as clean

    return clean(params, field=field)


def provider_route(
    *,
    prompt: str,
    change: str | None = None,
    mechanic: str | None = None,
    budget: dict | None = None,
    tokens_needed: int = 0,
):
    """Which designer makes a studio prompt, and why (generation.routing.Route); `budget` is what is
    left this month (keys of routing.BudgetLeft). The money a request needs is estimated from the
    configured LLM's price for `tokens_needed`."""
    from generation.routing import BudgetLeft, estimate_usd
    from generation.routing import provider_route as route

    return route(
        prompt=prompt,
        change=change,
        mechanic=mechanic,
        mechanics=selectors.mechanic_available_slugs(),
        budget=BudgetLeft(**budget) if budget else None,
        tokens_needed=tokens_needed,
        usd_needed=estimate_usd(provider=settings.STUDIO_PROVIDER, tokens=tokens_needed),
    )


def cast_credit_files(spec) -> dict[str, str]:
    """The artwork's credits and licence, for a game repository's root (a bundle carries its own)."""
    from generation.bundle import ART_LICENSE_FILE
    from generation.cast import credits_text, license_text

    return {"CREDITS.md": credits_text(spec.cast), ART_LICENSE_FILE: license_text()}
