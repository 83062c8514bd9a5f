import pytest
from django.utils import timezone

from batches import selectors
from batches.models import StepRun

pytestmark = pytest.mark.django_db


def test_percentiles_interpolate_between_ranks():
    assert selectors.percentile([], 50) is None
    assert selectors.percentile([4.0], 95) == 4.0
    assert selectors.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert selectors.percentile([float(n) for n in range(1, 101)], 95) == pytest.approx(95.05)


def test_step_durations_count_completed_attempts_only(factory):
    batch = factory.batch(count=2, faults={"2": {"mode": "raise", "times": 1}})
    factory.drain(until_step=2)
    now = timezone.now()
    for seconds, run in zip((1.0, 3.0), StepRun.objects.filter(step=1).order_by("pk"), strict=True):
        StepRun.objects.filter(pk=run.pk).update(
            started_at=now, finished_at=now + timezone.timedelta(seconds=seconds)
        )
    rows = {row["step"]: row for row in selectors.step_durations(batch=batch)}
    assert rows[1]["count"] == 2 and rows[1]["p50"] == 2.0 and rows[1]["p95"] == pytest.approx(2.9)
    assert rows[2]["count"] == 2  # the failed first attempts are not counted
    assert rows[12] == {"step": 12, "title": "Post-launch", "count": 0, "p50": None, "p95": None}


def test_dashboard_figures(factory):
    factory.batch(count=2, faults={"1": {"mode": "raise", "times": 9}})
    factory.drain()
    stats = selectors.dashboard_stats()
    assert stats["waiting_review"] == 2 and stats["running"] == 0
    assert stats["failures_24h"] == 6 and stats["failures_by_step"] == {1: 6}
    assert stats["labels"] == {"STEP_1_FAILED": 2}
    assert len(stats["review_queue"]) == 2


def test_the_progress_bar_segments(factory):
    batch = factory.batch(faults={"3": {"mode": "raise", "times": 1}})
    factory.drain(until_step=3)
    production = selectors.production_get(production_id=batch.productions.get().pk)
    segments = selectors.production_segments(production)
    assert [s["state"] for s in segments[:5]] == ["done", "done", "done", "pending", "todo"]
    assert segments[2]["attempts"] == 2
