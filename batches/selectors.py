"""Reads of the factory: batches with their progress, productions with their timeline, figures."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from batches import limits
from batches.models import Artifact, Batch, Production, StepRun


def batch_list() -> QuerySet[Batch]:
    """Batches, newest first, with their productions counted by state."""
    states = Production.State
    return (
        Batch.objects.select_related("created_by")
        .annotate(
            n_total=Count("productions"),
            n_published=Count("productions", filter=Q(productions__state=states.PUBLISHED)),
            n_running=Count("productions", filter=Q(productions__state__in=[states.RUNNING, states.CREATED])),
            n_review=Count("productions", filter=Q(productions__state=states.WAITING_REVIEW)),
            n_failed=Count("productions", filter=Q(productions__state=states.FAILED)),
            n_cancelled=Count("productions", filter=Q(productions__state=states.CANCELLED)),
        )
        .order_by("-created_at")
    )


def _productions_with_runs() -> QuerySet[Production]:
    return Production.objects.select_related("game").prefetch_related(
        Prefetch("step_runs", queryset=StepRun.objects.order_by("step", "attempt"))
    )


def batch_get(*, batch_id) -> Batch:
    """One batch, its productions and every attempt of every step preloaded."""
    return get_object_or_404(
        batch_list().prefetch_related(Prefetch("productions", queryset=_productions_with_runs())),
        pk=batch_id,
    )


def production_get(*, production_id) -> Production:
    return get_object_or_404(
        _productions_with_runs()
        .select_related("batch")
        .prefetch_related(Prefetch("artifacts", queryset=Artifact.objects.order_by("step", "kind", "name"))),
        pk=production_id,
    )


def production_segments(production: Production) -> list[dict]:
    """The 12-segment progress bar: each step's state (done, running, pending, failed, todo)."""
    latest: dict[int, StepRun] = {}
    for each in production.step_runs.all():  # ordered by step, attempt: the last one wins
        latest[each.step] = each
    segments = []
    for step in range(1, limits.STEP_COUNT + 1):
        run = latest.get(step)
        if run is None:
            state = "todo"
        elif run.state == StepRun.State.COMPLETED:
            state = "done"
        elif run.state == StepRun.State.RUNNING:
            state = "running"
        elif run.state == StepRun.State.PENDING:
            state = "retrying" if run.series_attempt > 1 else "pending"
        elif run.state == StepRun.State.CANCELLED:
            state = "cancelled"
        else:
            state = "failed"
        if (
            production.state == Production.State.RUNNING
            and step > production.current_step
            and state == "done"
        ):
            state = "stale"  # done in an earlier pass, to be redone by the re-run
        segments.append(
            {
                "step": step,
                "state": state,
                "attempts": sum(1 for r in production.step_runs.all() if r.step == step),
            }
        )
    return segments


def production_timeline(production: Production) -> list[StepRun]:
    return list(production.step_runs.all().order_by("created_at", "step", "attempt"))


def batch_concept_clashes(*, production: Production, mechanic: str, setting: str | None) -> str | None:
    """Another live game of the batch with this mechanic and setting ("#3 Title"), or None."""
    others = (
        Production.objects.filter(batch_id=production.batch_id)
        .exclude(pk=production.pk)
        .exclude(state__in=[Production.State.CANCELLED, Production.State.FAILED])
    )
    for other in others.only("index", "title", "concept"):
        if other.concept.get("mechanic") == mechanic and other.concept.get("setting") == setting:
            return f"#{other.index} {other.title}".strip()
    return None


def batch_games(*, batch: Batch) -> list:
    """The catalogue games of the batch's productions."""
    return [p.game for p in Production.objects.filter(batch=batch, game__isnull=False).select_related("game")]


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def step_durations(*, batch: Batch | None = None, since=None) -> list[dict]:
    """Per step: completed attempts, p50 and p95 of their run time in seconds."""
    runs = StepRun.objects.filter(
        state=StepRun.State.COMPLETED, started_at__isnull=False, finished_at__isnull=False
    )
    if batch is not None:
        runs = runs.filter(production__batch=batch)
    if since is not None:
        runs = runs.filter(finished_at__gte=since)
    by_step: dict[int, list[float]] = defaultdict(list)
    for step, started, finished in runs.values_list("step", "started_at", "finished_at"):
        by_step[step].append((finished - started).total_seconds())
    from batches.steps import step_title

    return [
        {
            "step": step,
            "title": step_title(step),
            "count": len(by_step[step]),
            "p50": percentile(by_step[step], 50),
            "p95": percentile(by_step[step], 95),
        }
        for step in range(1, limits.STEP_COUNT + 1)
    ]


def dashboard_stats(*, now=None) -> dict:
    """What the staff dashboard shows: live counts, throughput, failures, the review queue."""
    now = now or timezone.now()
    window = now - timedelta(minutes=limits.THROUGHPUT_WINDOW_MINUTES)
    day = now - timedelta(hours=24)
    labels = Counter(
        Production.objects.exclude(state__in=Production.TERMINAL).values_list("label", flat=True)
    )
    published_recent = Production.objects.filter(published_at__gte=window).count()
    failures = StepRun.objects.filter(
        finished_at__gte=day,
        state__in=[
            StepRun.State.FAILED,
            StepRun.State.TIMED_OUT,
            StepRun.State.PERMANENTLY_FAILED,
            StepRun.State.MANUAL_REVIEW,
        ],
    )
    return {
        "now": now,
        "running": Production.objects.filter(state=Production.State.RUNNING).count(),
        "waiting_review": Production.objects.filter(state=Production.State.WAITING_REVIEW).count(),
        "published_total": Production.objects.filter(state=Production.State.PUBLISHED).count(),
        "published_window": published_recent,
        "throughput_per_hour": round(published_recent * 60 / limits.THROUGHPUT_WINDOW_MINUTES, 1),
        "steps_completed_window": StepRun.objects.filter(
            state=StepRun.State.COMPLETED, finished_at__gte=window
        ).count(),
        "failures_24h": failures.count(),
        "failures_by_step": dict(Counter(failures.values_list("step", flat=True))),
        "labels": dict(sorted(labels.items())),
        "recent_failures": list(failures.select_related("production__batch").order_by("-finished_at")[:10]),
        "review_queue": list(
            Production.objects.filter(state=Production.State.WAITING_REVIEW)
            .select_related("batch")
            .order_by("updated_at")[:20]
        ),
    }
