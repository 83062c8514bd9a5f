import datetime as dt

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from analytics import tasks
from analytics.models import AggregatedDay, DailyMetrics
from gamefactory.celery import app as celery_app
from tests.analytics.conftest import at, make_event, store

pytestmark = pytest.mark.django_db


def test_beat_runs_aggregation_after_midnight_utc_and_maintenance_daily():
    # when
    rows = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="analytics.")}
    # then
    aggregate = rows["analytics.tasks.metrics_aggregate_recent_task"]
    maintain = rows["analytics.tasks.partitions_maintain_task"]
    for row in (aggregate, maintain):
        assert row.enabled and row.task in celery_app.tasks
        assert str(row.crontab.timezone) == "UTC" and row.crontab.hour == "0"
    assert int(maintain.crontab.minute) < int(aggregate.crontab.minute)


def test_the_aggregation_task_counts_yesterday(game):
    # given
    yesterday = timezone.now().date() - dt.timedelta(days=1)
    store(game, make_event(ts=at(yesterday, 15), player="a"), make_event(ts=at(yesterday, 16), player="b"))
    # when
    tasks.metrics_aggregate_recent_task.delay()
    # then
    assert DailyMetrics.objects.get(game=game, day=yesterday).dau == 2
    assert AggregatedDay.objects.filter(timezone="UTC").count() == 8


def test_the_maintenance_task_runs():
    result = tasks.partitions_maintain_task.delay().get()
    assert set(result) == {"created", "dropped", "receipts_pruned"}
