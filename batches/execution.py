"""The engine: send an attempt to its queue, claim it, run its step, complete or fail it, reconcile.

Promises, on Celery (acks_late) and the database:

- an attempt runs at most once: `StepRun.start` (pending -> running) is an optimistic transition;
  a second delivery meets `ConcurrentTransition` (or finds it running) and stands down;
- the result is recorded at most once: completing locks the production and the attempt, checks the
  attempt is still running (not timed out, not cancelled) and only then records the commit and
  queues it for the game's repository (batches/pushes.py: the push runs after commit, outside any
  transaction and lock; no network I/O ever happens while a row lock is held);
- nothing stalls: the reconciler (beat, every minute) times out attempts past their deadline and
  re-sends attempts whose message was lost; a failure schedules the next attempt with exponential
  backoff, and after FACTORY_MAX_RETRIES the production waits for staff in manual review;
- the next step is sent only once the transaction that created it has committed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import time
import traceback as tb
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from batches import faults, inline, limits
from batches import git as gitlib
from batches.models import Artifact, Batch, Production, StepRun
from batches.pushes import push_enqueue, pushes_redispatch
from batches.steps import step_get
from batches.steps.base import StepContext
from gamefactory import metrics

logger = logging.getLogger(__name__)

DOC_SUFFIXES = (".md",)


def worker_identity(hostname: str | None = None) -> str:
    return f"{hostname or socket.gethostname()}:{os.getpid()}"


# --- creating and sending attempts ------------------------------------------------------------


def run_create(
    *,
    production: Production,
    step: int,
    reason: str,
    series_attempt: int = 1,
    not_before=None,
) -> StepRun:
    """A new pending attempt of `step` (attempt numbers keep counting across series)."""
    last = StepRun.objects.filter(production=production, step=step).aggregate(n=Max("attempt"))["n"] or 0
    return StepRun.objects.create(
        production=production,
        step=step,
        attempt=last + 1,
        series_attempt=series_attempt,
        reason=reason,
        not_before=not_before,
    )


# Broker priorities (Redis: 0 is served first). Tasks that set none, such as the studio's, get 0:
# a player waiting on a prompt comes before the factory. A factory step gets 1..9 by the work its
# game has left, longest first (critical-path list scheduling): the playtests of steps 8 and 10 take
# what the mechanic's testing step took in recent batches, so a long-playing game starts its builds
# early, and a short one is not left to run its whole chain alone at the end of the batch. For a
# mechanic with no such history (an install's first batch), they take what level 1 plays at the
# pace its spec sets (step 1 records it in the concept as `level_seconds`) plus the playtest's own.
PRIORITY_HISTORY = 20  # the mechanic's most recent completed testing steps
PRIORITY_CACHE_S = 300.0
PRIORITY_SECONDS_PER_LEVEL = 9.0
PLAYED_STEPS = (8, 10)  # a whole level 1 played by the bot
SMOKE_STEP_SECONDS = 6.0  # step 6: a playtest capped at 2 s of play
OTHER_STEP_SECONDS = 1.0
UNKNOWN_TESTING_SECONDS = 12.0  # a mechanic never tested here, whose spec sets no pace
PLAYTEST_OVERHEAD_SECONDS = 3.0  # boot, checks and settle around the bot's play
_expected: dict[str, tuple[float, float | None]] = {}


def mechanic_expected_seconds(mechanic: str) -> float | None:
    """The median run time of the mechanic's recent completed testing steps (step 10), or None."""
    now = time.monotonic()
    cached = _expected.get(mechanic)
    if cached is not None and now - cached[0] < PRIORITY_CACHE_S:
        return cached[1]
    runs = (
        StepRun.objects.filter(
            step=limits.TESTING_STEP,
            state=StepRun.State.COMPLETED,
            production__concept__mechanic=mechanic,
            started_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:PRIORITY_HISTORY]
    )
    seconds = sorted((finished - started).total_seconds() for started, finished in runs)
    expected = seconds[len(seconds) // 2] if seconds else None
    _expected[mechanic] = (now, expected)
    return expected


def remaining_seconds(production: Production, step: int) -> float:
    """What the production's steps from `step` on are expected to take, one after the other."""
    concept = production.concept or {}
    mechanic = concept.get("mechanic")
    played = mechanic_expected_seconds(mechanic) if isinstance(mechanic, str) else None
    if played is None:
        paced = concept.get("level_seconds")
        paced_ok = isinstance(paced, int | float) and not isinstance(paced, bool) and 0 <= paced <= 900
        played = PLAYTEST_OVERHEAD_SECONDS + paced if paced_ok else UNKNOWN_TESTING_SECONDS
    costs = {6: SMOKE_STEP_SECONDS, **dict.fromkeys(PLAYED_STEPS, played)}
    return sum(costs.get(n, OTHER_STEP_SECONDS) for n in range(step, limits.STEP_COUNT + 1))


def step_priority(production: Production, step: int) -> int:
    """The broker priority of the production's `step`: 1 (most work left) .. 9 (least)."""
    levels = int(remaining_seconds(production, step) // PRIORITY_SECONDS_PER_LEVEL)
    return max(1, min(9, 9 - levels))


def run_dispatch(run: StepRun, *, countdown: float | None = None) -> None:
    """Send the attempt to its step's queue once the surrounding transaction commits."""
    executor = step_get(run.step)
    soft, hard = limits.step_time_limits(run.step)
    run_id, queue = run.pk, executor.queue
    priority = step_priority(run.production, run.step)
    StepRun.objects.filter(pk=run_id).update(
        dispatched_at=timezone.now(), dispatch_count=F("dispatch_count") + 1
    )

    def send() -> None:
        if inline.active():
            inline.enqueue(run_id)
            return
        from batches.tasks import task_for_queue

        task_for_queue(queue).apply_async(
            args=[run_id],
            queue=queue,
            countdown=countdown if countdown and countdown > 0 else None,
            soft_time_limit=soft,
            time_limit=hard,
            priority=priority,
        )

    # robust: a broker outage must not undo the commit; the reconciler re-sends the attempt.
    transaction.on_commit(send, robust=True)


# --- running one attempt ---------------------------------------------------------------------


class _StandDown(Exception):
    pass


def _lock(run_id: int) -> tuple[Production, StepRun]:
    """The production, then the attempt, locked (always in this order: no deadlock)."""
    production_id = StepRun.objects.values_list("production_id", flat=True).get(pk=run_id)
    production = Production.objects.select_for_update().select_related("batch").get(pk=production_id)
    run = StepRun.objects.select_for_update().get(pk=run_id)
    return production, run


def _may_run(production: Production, run: StepRun) -> bool:
    if production.state == Production.State.RUNNING:
        return production.current_step == run.step
    # Published games re-run their post-launch review daily.
    return production.state == Production.State.PUBLISHED and run.step == limits.STEP_COUNT


def _claim(*, run_id: int, worker: str, task_id: str) -> tuple[StepRun, Production] | None:
    try:
        with transaction.atomic():
            run = StepRun.objects.select_related("production__batch").filter(pk=run_id).first()
            if run is None:
                logger.warning("step run %s does not exist: nothing to do", run_id)
                return None
            production = run.production
            if run.state == StepRun.State.CANCELLED:
                return None  # cancelled by staff while its message waited: nothing to do
            if run.state != StepRun.State.PENDING:
                raise _StandDown(run.state)
            if not _may_run(production, run):
                run.cancel()
                run.error = f"Not run: the production is {production.state}."
                run.save()
                return None
            _soft, hard = limits.step_time_limits(run.step)
            deadline = timezone.now() + timedelta(seconds=hard + settings.FACTORY_DEADLINE_GRACE)
            run.start(worker=worker, deadline=deadline, task_id=task_id)
            run.save()
            if production.state == Production.State.RUNNING:
                production.step_state = StepRun.State.RUNNING
                production.save(update_fields=["step_state"])
            return run, production
    except (_StandDown, ConcurrentTransition, TransitionNotAllowed) as exc:
        StepRun.objects.filter(pk=run_id).update(duplicate_deliveries=F("duplicate_deliveries") + 1)
        logger.info("step run %s: another delivery has it (%s); standing down", run_id, type(exc).__name__)
        return None


def _base_sha(production: Production, step: int) -> str | None:
    if step == 1:
        return None
    sha = (
        StepRun.objects.filter(production=production, step=step - 1, state=StepRun.State.COMPLETED)
        .order_by("-attempt")
        .values_list("commit_sha", flat=True)
        .first()
    )
    if not sha:
        raise RuntimeError(f"Step {step - 1} has no completed commit to build on.")
    return sha


def step_run_execute(*, run_id: int, worker: str = "", task_id: str = "") -> str:
    """Run one attempt; what happened: completed, failed, timed_out, review, stood_down."""
    claimed = _claim(run_id=run_id, worker=worker or worker_identity(), task_id=task_id)
    if claimed is None:
        return "stood_down"
    run, production = claimed
    executor = step_get(run.step)
    ctx: StepContext | None = None
    started = time.perf_counter()
    outcome = "failed"
    try:
        workspace = gitlib.Workspace.open(
            production_id=production.pk, run_id=run.pk, base_sha=_base_sha(production, run.step)
        )
        scratch = workspace.path.parent / f"{run.pk}.scratch"
        scratch.mkdir(parents=True, exist_ok=True)
        ctx = StepContext(production=production, run=run, workspace=workspace, scratch=scratch)
        ctx.log(f"step {run.step} attempt {run.attempt} on {run.worker}")
        faults.before_step(production.faults, step=run.step, attempt=run.attempt, log=ctx.log)
        executor.check_inputs(ctx)
        executor.run(ctx)
        sha = workspace.commit(executor.commit_message(ctx))
        problems = executor.validate(ctx)
        problems += faults.validation_problems(production.faults, step=run.step, attempt=run.attempt)
        outcome = _keep_candidate(run_id, ctx, sha, problems) if problems else _finish(run_id, ctx, sha)
    except SoftTimeLimitExceeded:
        outcome = _fail(run_id, ctx, timed_out=True, error="The step ran past its soft time limit.")
    except Exception as exc:
        logger.warning("step run %s failed: %s", run_id, exc, exc_info=True)
        outcome = _fail(run_id, ctx, timed_out=False, error=f"{type(exc).__name__}: {exc}")
    finally:
        metrics.factory_step(step=run.step, outcome=outcome, seconds=time.perf_counter() - started)
        if ctx is not None:
            metrics.ai_tokens(
                provider=production.batch.provider,
                source="factory",
                input_tokens=ctx.tokens_in,
                output_tokens=ctx.tokens_out,
            )
            ctx.workspace.close()
            shutil.rmtree(ctx.scratch, ignore_errors=True)
    return outcome


def _record_run(run: StepRun, ctx: StepContext | None) -> None:
    if ctx is None:
        return
    run.log = ctx.log_text
    run.tokens_in = ctx.tokens_in
    run.tokens_out = ctx.tokens_out
    run.cost = ctx.cost


def _finish(run_id: int, ctx: StepContext, sha: str) -> str:
    # Local only (the factory's own staging repository on disk): before the locks are taken.
    ctx.workspace.push_staging(f"refs/factory/runs/{run_id}")
    with transaction.atomic():
        production, run = _lock(run_id)
        if run.state != StepRun.State.RUNNING:
            logger.info("step run %s is %s: its result is dropped", run_id, run.state)
            return "stood_down"
        for field, value in ctx.updates.items():
            setattr(production, field, value)
        commit_record(production, run=run, sha=sha, tags=ctx.tags, stored=ctx.stored)
        _record_run(run, ctx)
        run.commit_sha = sha
        run.validated = True
        run.complete()
        run.save()
        _artifacts_write(production, run, ctx, sha)
        artifacts_replace(production, run)
        production_advance(production, run)
    return "completed"


def commit_record(production: Production, *, run: StepRun, sha: str, tags, stored) -> None:
    """The commit (already in staging) becomes the production's main there, and is queued for the
    game's repository: pushed, tagged and released after commit by the push outbox (batches/pushes.py).
    """
    gitlib.staging_set_main(production.pk, sha, run_id=run.pk)
    for tag in tags:
        gitlib.staging_tag(production.pk, name=tag.name, sha=sha, message=tag.message)
    push_enqueue(production=production, run=run, sha=sha, tags=tags, stored=stored)


def _artifacts_write(production: Production, run: StepRun, ctx: StepContext, sha: str) -> None:
    """The attempt's artifacts (its commit, the files it changed, stored files, tags); replaces its own."""
    Artifact.objects.filter(step_run=run).delete()
    rows = [
        Artifact(
            step_run=run,
            production=production,
            step=run.step,
            kind=Artifact.Kind.COMMIT,
            name="commit",
            content_hash=sha,
            metadata={
                "sha": sha,
                "message": step_get(run.step).commit_message(ctx).splitlines()[0],
            },
        )
    ]
    for change in ctx.workspace.changes():
        if change.status == "D":
            continue
        path = ctx.path(change.path)
        rows.append(
            Artifact(
                step_run=run,
                production=production,
                step=run.step,
                kind=Artifact.Kind.DOC if change.path.endswith(DOC_SUFFIXES) else Artifact.Kind.FILE,
                name=change.path[:300],
                repository_path=change.path[:500],
                content_hash=gitlib.sha256_file(path),
                size=path.stat().st_size,
                metadata={"commit": sha},
            )
        )
    for stored in ctx.stored:
        rows.append(
            Artifact(
                step_run=run,
                production=production,
                step=run.step,
                kind=stored.kind,
                name=stored.name,
                storage_path=stored.storage_path,
                content_hash=stored.content_hash,
                size=stored.size,
                metadata=stored.metadata,
            )
        )
    for tag in ctx.tags:
        rows.append(
            Artifact(
                step_run=run,
                production=production,
                step=run.step,
                kind=Artifact.Kind.TAG,
                name=tag.name,
                content_hash=sha,
                metadata={
                    "sha": sha,
                    "message": tag.message,
                    "release_url": "",  # filled in once the release is published (batches/pushes.py)
                    "release_title": tag.release_title,
                    "release_body": tag.release_body,
                    "release_assets": tag.release_assets,
                },
            )
        )
    Artifact.objects.bulk_create(rows)


def artifacts_replace(production: Production, run: StepRun) -> None:
    """This attempt's artifacts are the step's artifacts: every other attempt's are removed."""
    _artifacts_delete(Artifact.objects.filter(production=production, step=run.step).exclude(step_run=run))


def _artifacts_delete(old) -> None:
    stale_files = list(old.exclude(storage_path="").values_list("storage_path", flat=True))
    old.delete()
    if stale_files:

        def remove() -> None:
            for name in stale_files:
                default_storage.delete(name)

        transaction.on_commit(remove, robust=True)


def production_advance(production: Production, run: StepRun) -> None:
    """After a completed step: the next step is created and sent (on commit), or the game is published."""
    if production.state == Production.State.RUNNING and run.step == production.current_step:
        if run.step < limits.STEP_COUNT:
            production.current_step = run.step + 1
            production.step_state = StepRun.State.PENDING
            nxt = run_create(production=production, step=run.step + 1, reason=StepRun.Reason.FIRST)
            production.save()
            run_dispatch(nxt)
            return
        production.step_state = StepRun.State.COMPLETED
        production.publish()
        production.save()
        batch_check_finished(production.batch_id)
        return
    production.save()


def _keep_candidate(run_id: int, ctx: StepContext, sha: str, problems: list[str]) -> str:
    """The attempt ran but its output does not validate: keep it for staff, fail the attempt."""
    ctx.workspace.push_staging(f"refs/factory/candidates/{run_id}")
    error = "Validation failed: " + "; ".join(problems)
    with transaction.atomic():
        production, run = _lock(run_id)
        if run.state != StepRun.State.RUNNING:
            return "stood_down"
        _record_run(run, ctx)
        run.updates = json.loads(json.dumps(ctx.updates, cls=DjangoJSONEncoder))
        run.candidate_sha = sha
        run.fail(error=error)
        run.save()
        _artifacts_write(production, run, ctx, sha)
        # Only the latest candidate of the step is kept as evidence (a completed attempt's stay).
        _artifacts_delete(
            Artifact.objects.filter(production=production, step=run.step)
            .exclude(step_run=run)
            .exclude(step_run__state=StepRun.State.COMPLETED)
        )
        return _after_failure(production, run)


def _fail(run_id: int, ctx: StepContext | None, *, timed_out: bool, error: str) -> str:
    trace = tb.format_exc()
    with transaction.atomic():
        production, run = _lock(run_id)
        if run.state != StepRun.State.RUNNING:
            return "stood_down"
        _record_run(run, ctx)
        if timed_out:
            run.time_out(error=error, traceback=trace)
        else:
            run.fail(error=error, traceback=trace)
        run.save()
        return _after_failure(production, run)


def _after_failure(production: Production, run: StepRun) -> str:
    """Retry with backoff, or (attempts exhausted) hand the production to staff."""
    if not _may_run(production, run):
        return run.state
    if run.series_attempt < limits.max_attempts():
        delay = limits.retry_backoff(run.series_attempt)
        nxt = run_create(
            production=production,
            step=run.step,
            reason=StepRun.Reason.RETRY,
            series_attempt=run.series_attempt + 1,
            not_before=timezone.now() + timedelta(seconds=delay),
        )
        if production.state == Production.State.RUNNING:
            production.step_state = StepRun.State.PENDING
            production.save(update_fields=["step_state"])
        run_dispatch(nxt, countdown=delay)
        return run.state
    run.exhaust()
    run.hold_for_review()
    run.save()
    if production.state == Production.State.RUNNING:
        production.step_state = StepRun.State.MANUAL_REVIEW
        production.hold(
            reason=f"Step {run.step} ({step_get(run.step).title}) failed {run.series_attempt} time(s): {run.error}"
        )
        production.save()
    return "review"


def batch_check_finished(batch_id) -> None:
    """Stamp the batch finished once none of its productions can move any more."""
    if Production.objects.filter(batch_id=batch_id).exclude(state__in=Production.TERMINAL).exists():
        return
    Batch.objects.filter(pk=batch_id, finished_at__isnull=True).update(finished_at=timezone.now())


# --- the reconciler and the daily post-launch review -------------------------------------------


def _time_out(run_id: int, now) -> bool:
    with transaction.atomic():
        production, run = _lock(run_id)
        if run.state != StepRun.State.RUNNING or run.deadline is None or run.deadline >= now:
            return False
        run.time_out(
            error=f"No result by the deadline ({run.deadline:%H:%M:%S}): the worker {run.worker or '?'} "
            "was lost or the step hung."
        )
        run.save()
        _after_failure(production, run)
    return True


def reconcile(*, now=None) -> dict:
    """Time out attempts past their deadline, re-send lost ones, start forgotten productions."""
    now = now or timezone.now()
    counts = {"timed_out": 0, "redispatched": 0, "started": 0, "cleaned": 0, "pushes": 0}
    for run_id in StepRun.objects.filter(state=StepRun.State.RUNNING, deadline__lt=now).values_list(
        "pk", flat=True
    ):
        if _time_out(run_id, now):
            counts["timed_out"] += 1

    stale = now - timedelta(seconds=settings.FACTORY_REDISPATCH_AFTER)
    due = StepRun.objects.filter(state=StepRun.State.PENDING).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale)
    )
    for run in due.filter(Q(not_before__isnull=True) | Q(not_before__lt=stale)).select_related("production"):
        with transaction.atomic():
            if _may_run(run.production, run):
                run_dispatch(run)
                counts["redispatched"] += 1

    forgotten = Production.objects.filter(
        state=Production.State.CREATED, batch__cancelled_at__isnull=True, created_at__lt=stale
    ).values_list("batch_id", flat=True)
    for batch_id in set(forgotten):
        counts["started"] += batch_process(batch_id=batch_id)

    counts["pushes"] = pushes_redispatch(now=now)
    counts["cleaned"] = workspaces_clean()
    if any(counts.values()):
        logger.info("reconciler: %s", counts)
    return counts


def workspaces_clean() -> int:
    """Remove the workspaces of attempts no longer running (left by killed workers)."""
    root = Path(settings.FACTORY_DIR) / "work"
    if not root.is_dir():
        return 0
    running = {
        str(pk) for pk in StepRun.objects.filter(state=StepRun.State.RUNNING).values_list("pk", flat=True)
    }
    removed = 0
    for production_dir in root.iterdir():
        for entry in production_dir.iterdir() if production_dir.is_dir() else ():
            if entry.name.split(".")[0] not in running:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        with contextlib.suppress(OSError):
            production_dir.rmdir()
    return removed


def batch_process(*, batch_id) -> int:
    """Start every production of the batch still waiting: step 1 of each is sent. How many started."""
    started = 0
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch_id)
        if batch.cancelled_at:
            return 0
        for production in Production.objects.select_for_update().filter(
            batch=batch, state=Production.State.CREATED
        ):
            production.start()
            production.current_step = 1
            production.step_state = StepRun.State.PENDING
            run = run_create(production=production, step=1, reason=StepRun.Reason.FIRST)
            production.save()
            run_dispatch(run)
            started += 1
    return started


def postlaunch_schedule(*, now=None) -> int:
    """Queue today's post-launch review of every game published in the last FACTORY_POSTLAUNCH_DAYS."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.FACTORY_POSTLAUNCH_DAYS)
    due_before = now - timedelta(hours=limits.POSTLAUNCH_EVERY_HOURS)
    queued = 0
    for production in Production.objects.filter(state=Production.State.PUBLISHED, published_at__gte=since):
        with transaction.atomic():
            production = Production.objects.select_for_update().get(pk=production.pk)
            if production.state != Production.State.PUBLISHED:
                continue
            runs = StepRun.objects.filter(production=production, step=limits.STEP_COUNT)
            if runs.filter(state__in=StepRun.ACTIVE + (StepRun.State.MANUAL_REVIEW,)).exists():
                continue
            if runs.filter(created_at__gte=due_before).exists():
                continue
            run = run_create(production=production, step=limits.STEP_COUNT, reason=StepRun.Reason.POSTLAUNCH)
            run_dispatch(run)
            queued += 1
    return queued
