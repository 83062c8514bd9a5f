"""The push outbox: a step's commit reaches the game's repository after the step has committed.

Promises (on top of execution.py's):

- no network I/O inside a transaction or under a row lock: completing a step (or approving it) only
  writes a `RepositoryPush` row; `repository_push_task` pushes after commit, with no transaction open;
- keyed by commit: one row per (production, commit sha); pushing a commit the remote already has, a
  tag it already has, or a release it already has (found by its tag, assets replaced) changes nothing,
  so a retry or a second delivery never duplicates anything;
- one pusher per production at a time, by lease (`leased_until`, set in a short transaction): pushes
  of one game happen in the order their steps completed, and `main` ends at the newest commit;
- nothing is lost: a failed push is retried with backoff; a pusher killed mid-push leaves its lease to
  expire, and the reconciler (every minute) sends the production's pending pushes again.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from batches import faults, inline
from batches import git as gitlib
from batches.models import Artifact, Production, RepositoryPush, StepRun
from batches.repositories import backend_get

logger = logging.getLogger(__name__)


def push_enqueue(*, production: Production, run: StepRun, sha: str, tags, stored) -> RepositoryPush | None:
    """Queue `sha` (already staging's main) for the game's repository; call inside the completing transaction.

    Nothing to do before the repository exists (step 1: step 2's push carries both commits).
    """
    if not production.repository_name:
        return None
    release_names = {name for tag in tags for name in tag.release_assets}
    push, created = RepositoryPush.objects.get_or_create(
        production=production,
        sha=sha,
        defaults={
            "step_run": run,
            "step": run.step,
            "tags": [
                {
                    "name": t.name,
                    "message": t.message,
                    "release_title": t.release_title,
                    "release_body": t.release_body,
                    "release_assets": list(t.release_assets),
                }
                for t in tags
            ],
            "stored": [
                {"name": s.name, "storage_path": s.storage_path} for s in stored if s.name in release_names
            ],
        },
    )
    if not created and push.state == RepositoryPush.State.PUSHED:
        # The same commit made main again (an approval after a re-run): publish it again.
        RepositoryPush.objects.filter(pk=push.pk).update(state=RepositoryPush.State.PENDING, error="")
    push_send(production.pk)
    return push


def push_send(production_id, *, countdown: float | None = None) -> None:
    """Send the production's pending pushes to a worker once the surrounding transaction commits."""

    def send() -> None:
        if inline.active():
            repository_sync(production_id=production_id, worker="inline")
            return
        from batches.tasks import repository_push_task

        repository_push_task.apply_async(args=[str(production_id)], countdown=countdown)

    # robust: a broker outage must not undo the commit; the reconciler sends the push again.
    transaction.on_commit(send, robust=True)


def _claim(production_id, worker: str) -> list[RepositoryPush] | None:
    """The production's pending pushes, leased to `worker`; None when another pusher holds them."""
    now = timezone.now()
    with transaction.atomic():
        # Serializes claimers for a moment; released before any I/O.
        Production.objects.select_for_update().filter(pk=production_id).first()
        pending = RepositoryPush.objects.filter(
            production_id=production_id, state=RepositoryPush.State.PENDING
        )
        if pending.filter(leased_until__gt=now).exclude(leased_by=worker).exists():
            return None
        rows = list(pending.order_by("id"))
        if rows:
            RepositoryPush.objects.filter(pk__in=[r.pk for r in rows]).update(
                leased_until=now + timedelta(seconds=settings.FACTORY_PUSH_LEASE),
                leased_by=worker,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
            for row in rows:
                row.attempts += 1
        return rows


def _release(backend, production: Production, push: RepositoryPush, tag: dict) -> str:
    by_name = {s["name"]: s for s in push.stored}
    tmp = Path(settings.FACTORY_DIR) / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=tmp))
    try:
        assets = []
        for name in tag.get("release_assets", []):
            item = by_name.get(name)
            if item is None:
                continue
            target = folder / name
            with default_storage.open(item["storage_path"], "rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            assets.append(target)
        return backend.release(
            name=production.repository_name,
            tag=tag["name"],
            title=tag["release_title"],
            body=tag.get("release_body", ""),
            assets=assets,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def repository_sync(*, production_id, worker: str) -> str:
    """Push the production's pending commits, tags and releases: pushed, nothing, busy or failed."""
    outcome = "nothing"
    for _round in range(5):  # pushes queued while this one ran are taken in the next round
        rows = _claim(production_id, worker)
        if rows is None:
            return "busy" if outcome == "nothing" else outcome
        if not rows:
            return outcome
        production = Production.objects.get(pk=production_id)
        try:
            urls = _push(production, rows)
        except Exception as exc:
            logger.warning("push of %s failed: %s", production_id, exc, exc_info=True)
            RepositoryPush.objects.filter(pk__in=[r.pk for r in rows], leased_by=worker).update(
                error=f"{type(exc).__name__}: {exc}"[:2000],
                leased_until=None,
                leased_by="",
                updated_at=timezone.now(),
            )
            return "failed"
        _mark_pushed(production, rows, urls, worker)
        outcome = "pushed"
    return outcome


def _push(production: Production, rows: list[RepositoryPush]) -> dict[int, dict[str, str]]:
    """The network I/O, with no transaction open: main to the newest commit, then each row's tags."""
    backend = backend_get()
    staging = gitlib.staging_path(production.pk)
    newest = rows[-1]
    faults.before_push(production.faults, step=newest.step, attempt=newest.attempts)
    backend.push(name=production.repository_name, staging=staging, sha=newest.sha)
    urls: dict[int, dict[str, str]] = {}
    for row in rows:
        for tag in row.tags:
            backend.tag(name=production.repository_name, staging=staging, tag=tag["name"])
            if tag.get("release_title"):
                urls.setdefault(row.pk, {})[tag["name"]] = _release(backend, production, row, tag)
    return urls


def _mark_pushed(production: Production, rows: list[RepositoryPush], urls: dict, worker: str) -> None:
    with transaction.atomic():
        now = timezone.now()
        for row in rows:
            RepositoryPush.objects.filter(pk=row.pk, leased_by=worker).update(
                state=RepositoryPush.State.PUSHED,
                pushed_at=now,
                error="",
                leased_until=None,
                leased_by="",
                release_urls=urls.get(row.pk, {}),
                updated_at=now,
            )
            for name, url in urls.get(row.pk, {}).items():
                for artifact in Artifact.objects.filter(
                    production=production, kind=Artifact.Kind.TAG, name=name, step_run_id=row.step_run_id
                ):
                    artifact.metadata = {**artifact.metadata, "release_url": url}
                    artifact.save(update_fields=["metadata"])


def pushes_redispatch(*, now=None) -> int:
    """Send again the pushes nobody holds that have waited past FACTORY_REDISPATCH_AFTER (lost or failed)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.FACTORY_REDISPATCH_AFTER)
    due = (
        RepositoryPush.objects.filter(state=RepositoryPush.State.PENDING, updated_at__lt=stale)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .values_list("production_id", flat=True)
        .distinct()
    )
    production_ids = set(due)
    for production_id in production_ids:
        with transaction.atomic():
            push_send(production_id)
    return len(production_ids)
