"""The publish gate: a game is public only while its current version has a passing playtest.

- Studio (and demo) versions are played by the generator's headless playtest (`version_playtest`),
  from the stored bundle, and the verdict is recorded on the version.
- Factory versions arrive with the report of the factory's testing step (step 10): that is their
  playtest, recorded as it came (`source: factory`).
- Uploads are outside the gate for now: the platform rebuilds them, but nothing plays them yet.

`playtest_require` is what every path to "public" calls: the studio's and the game page's
publish (`game_update(is_public=True)`, the API's PUT), a new game published public
(`game_publish`), and a fork made public.
"""

from __future__ import annotations

import logging
import shutil

from django.db import transaction

from gamefactory.errors import ApplicationError
from games import bundles
from games.models import Game, GameVersion
from games.services.common import catalogue_changed, tmp_dir

logger = logging.getLogger(__name__)

# Origins whose versions the gate checks (an upload is rebuilt by the platform but not played yet).
GATED_ORIGINS = (Game.Origin.STUDIO, Game.Origin.FACTORY, Game.Origin.FORK)
# What of a PlaytestReport the version keeps (the screenshots stay out of the database).
VERDICT_KEYS = (
    "passed", "mechanic", "booted", "canvas_nonblank", "input_reacts", "level_started", "score_moved",
    "level_completed", "final_score", "missing_events", "fps", "duration_s", "failures",
)  # fmt: skip


def playtest_passed(playtest) -> bool:
    return isinstance(playtest, dict) and playtest.get("passed") is True


def is_gated(origin: str) -> bool:
    return origin in GATED_ORIGINS


def playtest_require(*, version: GameVersion | None, origin: str, field: str = "is_public") -> None:
    """Refuse (409 on `field`) to make a game public whose version has not passed a playtest."""
    if not is_gated(origin):
        return
    if version is None:
        raise ApplicationError.for_field(
            field, "This game has no version to publish yet.", code="not_playtested", status=409
        )
    if version.playtest_passed:
        return
    failures = (version.playtest or {}).get("failures") if isinstance(version.playtest, dict) else None
    reason = (
        f"its playtest failed: {'; '.join(str(f) for f in failures[:3])}"
        if failures
        else "its playtest has not passed yet"
    )
    raise ApplicationError.for_field(
        field, f"This game cannot be published: {reason}.", code="not_playtested", status=409
    )


def verdict_of(report: dict, *, source: str) -> dict:
    """The playtest verdict a version keeps, from a report (`PlaytestReport.as_dict()` or the factory's)."""
    verdict = {key: report.get(key) for key in VERDICT_KEYS if key in report}
    verdict["passed"] = report.get("passed") is True
    verdict["source"] = source
    return verdict


def _materialize(version: GameVersion):
    """The stored bundle copied into a temporary folder the playtest serves (local storage or S3)."""
    from generation.services import PLAYTEST_PHASER_URL

    work = tmp_dir("playtest-")
    out = work / "bundle"
    paths = sorted((version.manifest or {}).keys()) or list(version.assets.values_list("path", flat=True))
    for path in paths:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = bundles.bundle_read(bundle_path=version.bundle_path, path=path)
        if path == "index.html":
            # The shared Phaser: the same file, at the address the playtest's server gives it.
            data = data.replace(bundles.phaser_url().encode(), PLAYTEST_PHASER_URL.encode())
        target.write_bytes(data)
    return work, out


def version_playtest(*, version: GameVersion, seconds: float | None = None) -> dict:
    """Play `version`'s stored bundle headless, record the verdict on it, and return the verdict.

    A passing version that is newer than its game's current one becomes current (a change to a
    public game waits for its playtest). Never call it inside a transaction: it runs a browser.
    """
    verdict = version_verdict(version=version, seconds=seconds)
    playtest_record(version=version, verdict=verdict)
    return verdict


def version_verdict(*, version: GameVersion, seconds: float | None = None) -> dict:
    """The playtest of `version`'s stored bundle, not recorded (no database write: safe in a thread)."""
    from generation.services import playtest_run

    work, out = _materialize(version)
    try:
        try:
            report = playtest_run(bundle_dir=out, seconds=seconds).as_dict()
        except Exception as exc:  # the browser itself broke: a verdict, not a crash of the caller
            logger.exception("games: playtest of version %s could not run", version.pk)
            report = {"passed": False, "failures": [f"the playtest could not run: {str(exc)[:200]}"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return verdict_of(report, source="studio")


@transaction.atomic
def playtest_record(*, version: GameVersion, verdict: dict) -> GameVersion:
    """Keep `verdict` on the version; a passing one that is newer than the current one becomes current."""
    game = Game.objects.select_for_update().get(pk=version.game_id)
    GameVersion.objects.filter(pk=version.pk).update(playtest=verdict)
    version.playtest = verdict
    current = game.current_version
    if playtest_passed(verdict) and (
        current is None or (current.pk != version.pk and current.number < version.number)
    ):
        game.current_version = version
        game.spec = version.spec
        game.mechanic = (version.spec or {}).get("mechanic", "") or game.mechanic
        game.save(update_fields=["current_version", "spec", "mechanic", "updated_at"])
        catalogue_changed()
    return version
