"""Daily partitions (PostgreSQL only), retention, and dedupe receipts."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from analytics import partitions, services
from analytics.models import Event, SeenEvent
from tests.analytics.conftest import at, make_event, requires_postgresql, store

pytestmark = pytest.mark.django_db


def _today():
    return timezone.now().date()


@requires_postgresql
def test_maintenance_makes_partitions_ahead_and_for_the_late_window():
    # when
    services.partitions_maintain()
    # then
    days = set(partitions.partition_list())
    today = _today()
    for n in range(-8, 4):
        assert today + dt.timedelta(days=n) in days


@requires_postgresql
def test_the_events_table_is_partitioned_by_day_with_a_brin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = 'analytics_event'"
        )
        assert cursor.fetchone() == ("r",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'analytics_event_time'")
        assert "brin" in cursor.fetchone()[0].lower()


@requires_postgresql
def test_partitions_past_retention_are_dropped_with_their_events(game, settings):
    # given
    settings.ANALYTICS_RETENTION_DAYS = 30
    old_day = _today() - dt.timedelta(days=31)
    kept_day = _today() - dt.timedelta(days=29)
    store(game, make_event(ts=at(old_day, 12)), make_event(ts=at(kept_day, 12)))
    assert {old_day, kept_day} <= set(partitions.partition_list())
    # when
    result = services.partitions_maintain()
    # then
    assert old_day in result["dropped"]
    assert old_day not in partitions.partition_list() and kept_day in partitions.partition_list()
    assert list(Event.objects.values_list("occurred_at__date", flat=True)) == [kept_day]


@requires_postgresql
def test_an_event_for_a_day_without_partition_makes_it(game):
    # given
    day = _today() - dt.timedelta(days=50)
    assert day not in partitions.partition_list()
    # when
    accepted = store(game, make_event(ts=at(day, 6)))
    # then
    assert accepted == 1
    assert day in partitions.partition_list()


@requires_postgresql
def test_a_partition_believed_in_but_gone_is_made_again(game):
    # given: this process thinks the day has a partition (made in a transaction since rolled back)
    day = _today() - dt.timedelta(days=60)
    partitions._known_days.add(day)
    # when
    accepted = store(game, make_event(ts=at(day, 6)))
    # then
    assert accepted == 1 and day in partitions.partition_list()


def test_maintenance_is_harmless_without_partitions_and_prunes_old_receipts(game):
    # given
    old = SeenEvent.objects.create(
        uuid=make_event()["id"], occurred_at=timezone.now() - dt.timedelta(days=10)
    )
    recent = SeenEvent.objects.create(
        uuid=make_event()["id"], occurred_at=timezone.now() - dt.timedelta(days=2)
    )
    # when
    result = services.partitions_maintain()
    # then
    assert result["receipts_pruned"] == 1
    assert [str(u) for u in SeenEvent.objects.values_list("uuid", flat=True)] == [str(recent.uuid)]
    assert not SeenEvent.objects.filter(uuid=old.uuid).exists()


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="SQLite deletes expired rows instead of partitions"
)
def test_without_partitions_expired_events_are_deleted(game, settings):
    # given
    settings.ANALYTICS_RETENTION_DAYS = 30
    store(game, make_event(ts=at(_today() - dt.timedelta(days=31), 12)), make_event(ts=at(_today(), 0, 1)))
    # when
    services.partitions_maintain()
    # then
    assert Event.objects.count() == 1
    assert partitions.partition_list() == []


def test_a_retention_shorter_than_the_late_window_is_refused(settings):
    from gamefactory.errors import ApplicationError

    settings.ANALYTICS_RETENTION_DAYS = 5
    with pytest.raises(ApplicationError):
        services.partitions_maintain()
