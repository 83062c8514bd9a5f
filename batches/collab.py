"""The factory's calls into other apps, each behind one function (their public services only).

generation: design, bundles, assets, playtest; games: publishing into the catalogue; analytics:
ingest keys, the event taxonomy, metrics. Imports are lazy so the engine loads without them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from batches.steps.base import StepError


def design(*, prompt: str, seed: int, provider: str, mechanic: str | None, params: dict | None):
    """The designer's DesignResult: the spec, its checked logic.js (or ""), and what the provider
    spent (tokens, cost). Only mechanics staff left active are offered."""
    from generation.services import game_design

    return game_design(prompt=prompt, seed=seed, provider=provider, mechanic=mechanic, params=params)


def spec_validate(data):
    from generation.spec import spec_validate as validate

    return validate(data)


def mechanic(slug: str):
    from generation.selectors import mechanic_definition as mechanic_get

    definition = mechanic_get(slug)
    if definition is None:
        raise StepError(f"Unknown mechanic {slug!r}.")
    return definition


def mechanics() -> dict:
    from generation.selectors import mechanic_definitions as mechanic_registry

    return mechanic_registry()


def bundle_build(*, spec, out_dir: Path, include_phaser: bool, logic_js: str | None = None):
    from generation.services import bundle_build as build

    return build(spec=spec, out_dir=out_dir, include_phaser=include_phaser, logic_js=logic_js)


def cast_credit_files(*, spec) -> dict[str, str]:
    from generation.services import cast_credit_files as files

    return files(spec)


def bundle_verify(*, path: Path) -> list[str]:
    from generation.services import bundle_verify as verify

    return verify(path=path)


def level_seconds(*, spec) -> float | None:
    """How long level 1 plays at the pace the level sets, or None (generation's mechanics)."""
    from generation.selectors import level_paced_seconds

    return level_paced_seconds(spec)


def assets_build(*, spec):
    from generation.services import assets_build as build

    return build(spec=spec)


def playtest(*, bundle_dir: Path, seconds: float | None = None) -> dict:
    """The generator's headless playtest of a built bundle, as a plain dict.

    Keys: everything of `PlaytestReport.as_dict()`, plus `screenshot` (PNG bytes, mid-play),
    `final_screenshot`, `events` (names seen) and `errors` (console errors).
    """
    try:
        from generation.services import playtest_run
    except ImportError as exc:  # the generator has not shipped it on this checkout
        raise StepError("The headless playtest (generation.playtest) is not available.") from exc
    report = playtest_run(bundle_dir=bundle_dir, seconds=seconds)
    data = report.as_dict()
    data["screenshot"] = report.screenshot_png or report.final_png
    data["final_screenshot"] = report.final_png
    data["events"] = sorted(report.events_seen)
    data["errors"] = list(report.console_errors)
    return data


def mobile_project(*, spec, assets: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The generator's Flutter + Flame project for the spec (path under mobile/ -> bytes)."""
    from generation.services import mobile_project_files

    try:
        return mobile_project_files(spec=spec, assets=assets)
    except (OSError, ValueError) as exc:
        raise StepError(f"The generator could not render the Flame project: {exc}") from exc


def dart_render(name: str, **context) -> str:
    """`batches/steps/dart/<name>` rendered by the engine's one Dart template environment."""
    from generation.services import dart_render as render

    source = (Path(__file__).resolve().parent / "steps" / "dart" / name).read_text()
    return render(source, context)


def dart_string(value: object) -> str:
    """`value` as one single-quoted Dart string literal, escaped (see generation/mobile)."""
    from generation.services import dart_string as literal

    return literal(value)


def game_publish(**kwargs):
    from games.services import game_publish as publish

    return publish(**kwargs)


def game_for_production(*, production):
    """The catalogue game this production made before (by its provenance), if any."""
    if production.game_id:
        return production.game
    from games.models import Game

    return (
        Game.objects.filter(origin=Game.Origin.FACTORY, provenance__production_id=str(production.pk))
        .order_by("created_at")
        .first()
    )


def ingest_key_issue(*, game) -> tuple[str, str]:
    from analytics.services import ingest_key_issue as issue

    return issue(game=game)


def taxonomy() -> dict:
    from analytics.selectors import taxonomy_as_dict

    return taxonomy_as_dict()


def metrics_for_games(*, games: list, days: int) -> list[dict]:
    from django.utils import timezone

    from analytics.selectors import metrics_for_games as metrics

    today = timezone.now().date()
    return metrics(games=games, date_from=today - dt.timedelta(days=days), date_to=today)
