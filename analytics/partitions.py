"""Daily range partitions of `analytics_event` on PostgreSQL; every function is a no-op elsewhere.

One partition per UTC day of `occurred_at`, named `analytics_event_pYYYYMMDD`. Partitions are made
ahead by the daily maintenance task, on demand by ingestion for a day that has none yet, and dropped
once wholly older than ANALYTICS_RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import connection, transaction

logger = logging.getLogger(__name__)

PARENT = "analytics_event"
_NAME = re.compile(r"^analytics_event_p(\d{8})$")

# Days this process has seen a partition for; a miss costs one CREATE ... IF NOT EXISTS.
_known_days: set[dt.date] = set()


def is_partitioned() -> bool:
    return connection.vendor == "postgresql"


def partition_name(day: dt.date) -> str:
    return f"{PARENT}_p{day:%Y%m%d}"


def partition_list() -> list[dt.date]:
    """The days that have a partition, oldest first."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = %s
            """,
            [PARENT],
        )
        names = [row[0] for row in cursor.fetchall()]
    days = []
    for name in names:
        match = _NAME.match(name)
        if match:
            days.append(dt.datetime.strptime(match.group(1), "%Y%m%d").date())  # noqa: DTZ007 (a date)
    return sorted(days)


def partitions_ensure(*, days: list[dt.date] | set[dt.date]) -> list[dt.date]:
    """Create the partitions of these UTC days that do not exist yet; returns the days created."""
    if not is_partitioned():
        return []
    created = []
    existing = set(partition_list())
    for day in sorted(set(days) - existing):
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        end = start + dt.timedelta(days=1)
        # Bounds are literals in DDL (no bind parameters there); they come from a date, never from input.
        sql = (
            f'CREATE TABLE IF NOT EXISTS "{partition_name(day)}" PARTITION OF "{PARENT}" '
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        except Exception:
            # Another process created it between our look and our CREATE: that is what we wanted.
            if day not in set(partition_list()):
                raise
        else:
            created.append(day)
            logger.info("analytics: created partition %s", partition_name(day))
    _known_days.update(days)
    return created


def partitions_ensure_for(*, days: set[dt.date]) -> None:
    """Ingestion's check: cheap when this process already knows the days exist."""
    if is_partitioned() and not days <= _known_days:
        partitions_ensure(days=days)


def forget_known() -> None:
    """After a failed insert (a partition rolled back or dropped elsewhere), look again next time."""
    _known_days.clear()


def partitions_ensure_window(*, today: dt.date, ahead: int, behind: int) -> list[dt.date]:
    """Partitions for every day events can currently be accepted for, and `ahead` days more."""
    days = {today + dt.timedelta(days=n) for n in range(-behind, ahead + 1)}
    return partitions_ensure(days=days)


def partitions_drop_before(*, day: dt.date) -> list[dt.date]:
    """Drop every partition of a day before `day` (whole days only); returns the days dropped."""
    if not is_partitioned():
        return []
    dropped = []
    for old in partition_list():
        if old < day:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f'DROP TABLE IF EXISTS "{partition_name(old)}"')
            dropped.append(old)
            _known_days.discard(old)
            logger.info("analytics: dropped partition %s", partition_name(old))
    return dropped
