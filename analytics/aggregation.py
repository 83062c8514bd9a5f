"""Daily aggregation: raw events of one day become DailyMetrics, Retention and LevelFunnel rows.

Everything is computed by the database (INSERT ... SELECT); Python only picks the day's bounds.
Re-running a day replaces its rows (idempotent). Days are counted in each game's reporting timezone
(UTC unless `GameReporting` says otherwise): games are aggregated in groups of one timezone.

Definitions (also in analytics/README.md):
- DAU: distinct players with any event in the day. New players: those whose first day is this day.
- Sessions: a player's events split where more than 30 minutes pass between two of them; a session
  belongs to the day it starts in and is followed up to 2 hours past midnight. A session of one
  event has length 0 (it is counted in the mean and median) and is also counted apart.
- Retention: players of install cohort C (first day C) active on day C+n, for n = 0..30.
- Funnel: per level, starts and level_end outcomes (events and distinct players).
- Money: USD micros; ARPDAU = (ad revenue + purchases - refunds) / DAU, derived when read.

Today, live (`metrics_aggregate_live`, every minute): the same statements for today, but only for the
games that received events since the last run (a watermark on `received_at`, per timezone). Their rows
for today are replaced with today-so-far; today is not marked aggregated (`AggregatedDay`), so readers
know it is partial and its retention stays unknown. The nightly run replaces it with the final day.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from analytics import limits
from analytics.models import (
    AggregatedDay,
    DailyMetrics,
    Event,
    GameReporting,
    LevelFunnel,
    LiveWatermark,
    Retention,
)
from gamefactory.errors import ApplicationError
from games.models import Game

logger = logging.getLogger(__name__)

UTC = "UTC"
AGGREGATION_WORK_MEM = "256MB"


@dataclass
class DayReport:
    day: dt.date
    timezone: str
    events: int
    games: int
    seconds: float


@dataclass
class _Group:
    """The games of one reporting timezone: listed (`include`) or all but the listed (`exclude`)."""

    tz: str
    ids: list
    include: bool

    def q(self) -> Q:
        if self.include:
            return Q(game_id__in=self.ids)
        return ~Q(game_id__in=self.ids) if self.ids else Q()

    def sql(self, column: str, params: dict) -> str:
        if not self.ids:
            return "1 = 1" if not self.include else "1 = 0"
        field = Event._meta.get_field("game").target_field
        names = []
        for n, game_id in enumerate(self.ids):
            params[f"g{n}"] = field.get_db_prep_value(game_id, connection)
            names.append(f"%(g{n})s")
        return f"{column} {'IN' if self.include else 'NOT IN'} ({', '.join(names)})"


def _groups(only_tz: str | None = None) -> list[_Group]:
    by_tz: dict[str, list] = defaultdict(list)
    for game_id, tz in GameReporting.objects.exclude(timezone=UTC).values_list("game_id", "timezone"):
        by_tz[tz].append(game_id)
    non_utc = [game_id for ids in by_tz.values() for game_id in ids]
    groups = [_Group(UTC, non_utc, include=False)]
    groups += [_Group(tz, ids, include=True) for tz, ids in sorted(by_tz.items())]
    if only_tz is not None:
        groups = [g for g in groups if g.tz == only_tz]
    return groups


def day_bounds(day: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local day, in UTC (23 or 25 hours long across a DST change)."""
    zone = zoneinfo.ZoneInfo(tz)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone).astimezone(dt.UTC)
    return start, end


class _Dialect:
    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"

    def event_time(self, column: str) -> str:
        """A sortable instant: the timestamp itself on PostgreSQL, epoch milliseconds on SQLite."""
        if self.postgresql:
            return column
        # julianday is a double: rounding to the millisecond removes its representation error.
        return f"CAST(ROUND((julianday({column}) - 2440587.5) * 86400000.0) AS INTEGER)"

    def seconds_between(self, later: str, earlier: str) -> str:
        if self.postgresql:
            return f"EXTRACT(EPOCH FROM ({later} - {earlier}))::float8"
        return f"(({later}) - ({earlier})) / 1000.0"

    def instant(self, value: dt.datetime):
        """A parameter comparable with event_time()."""
        return value if self.postgresql else int(value.timestamp() * 1000)

    def duration(self, value: dt.timedelta):
        return value if self.postgresql else int(value.total_seconds() * 1000)

    def days_between(self, later_param: str, earlier_column: str) -> str:
        if self.postgresql:
            return f"({later_param}::date - {earlier_column})"
        return f"CAST(ROUND(julianday({later_param}) - julianday({earlier_column})) AS INTEGER)"

    def ts(self, value: dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)


# The day's distinct players, read once and used by the three statements below.
_DAY_PLAYERS = """
CREATE TEMPORARY TABLE analytics_day_players AS
SELECT game_id, player_id FROM analytics_event
WHERE occurred_at >= %(lo)s AND occurred_at < %(hi)s AND {gf}
GROUP BY game_id, player_id
"""

_PLAYERS = """
INSERT INTO analytics_player (game_id, player_id, first_day)
SELECT game_id, player_id, %(day)s FROM analytics_day_players WHERE 1 = 1
ON CONFLICT (game_id, player_id) DO UPDATE SET first_day = excluded.first_day
WHERE excluded.first_day < analytics_player.first_day
"""

_DAILY = """
INSERT INTO analytics_dailymetrics (
    game_id, day, events, dau, new_players, sessions, single_event_sessions,
    session_length_median_s, session_length_mean_s, ad_impressions, ad_revenue_micros, purchases,
    purchase_revenue_micros, refunds, refund_micros, errors, computed_at)
WITH base AS (
    SELECT game_id, COUNT(*) AS events,
        SUM(CASE WHEN name = 'ad_impression' THEN 1 ELSE 0 END) AS ad_impressions,
        SUM(CASE WHEN name = 'ad_impression' THEN COALESCE(amount_micros, 0) ELSE 0 END) AS ad_revenue,
        SUM(CASE WHEN name = 'purchase' THEN 1 ELSE 0 END) AS purchases,
        SUM(CASE WHEN name = 'purchase' THEN amount_micros ELSE 0 END) AS purchase_revenue,
        SUM(CASE WHEN name = 'refund' THEN 1 ELSE 0 END) AS refunds,
        SUM(CASE WHEN name = 'refund' THEN amount_micros ELSE 0 END) AS refund_amount,
        SUM(CASE WHEN name = 'game_error' THEN 1 ELSE 0 END) AS errors
    FROM analytics_event
    WHERE occurred_at >= %(lo)s AND occurred_at < %(hi)s AND {gf}
    GROUP BY game_id
), active AS (
    SELECT game_id, COUNT(*) AS dau FROM analytics_day_players GROUP BY game_id
), newp AS (
    SELECT game_id, COUNT(*) AS n FROM analytics_player
    WHERE first_day = %(day)s AND {gf}
    GROUP BY game_id
), ev AS (
    SELECT game_id, player_id, {event_time} AS t FROM analytics_event
    WHERE occurred_at >= %(lo_s)s AND occurred_at < %(hi_s)s AND {gf}
), marked AS (
    SELECT game_id, player_id, t,
        CASE WHEN t - LAG(t) OVER (PARTITION BY game_id, player_id ORDER BY t) <= %(idle)s
             THEN 0 ELSE 1 END AS is_start
    FROM ev
), numbered AS (
    SELECT game_id, player_id, t,
        SUM(is_start) OVER (PARTITION BY game_id, player_id ORDER BY t ROWS UNBOUNDED PRECEDING) AS sn
    FROM marked
), sessions AS (
    SELECT game_id, MIN(t) AS started, {length} AS len, COUNT(*) AS n
    FROM numbered GROUP BY game_id, player_id, sn
), day_sessions AS (
    SELECT game_id, len, n FROM sessions WHERE started >= %(lo_t)s AND started < %(hi_t)s
), sess AS (
    SELECT game_id, COUNT(*) AS sessions, SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END) AS singles,
        AVG(len) AS mean_len
    FROM day_sessions GROUP BY game_id
), ranked AS (
    SELECT game_id, len, ROW_NUMBER() OVER (PARTITION BY game_id ORDER BY len) AS rn,
        COUNT(*) OVER (PARTITION BY game_id) AS cnt
    FROM day_sessions
), med AS (
    SELECT game_id, AVG(len) AS median_len FROM ranked
    WHERE rn = (cnt + 1) / 2 OR rn = (cnt + 2) / 2
    GROUP BY game_id
)
SELECT b.game_id, %(day)s, b.events, a.dau, COALESCE(np.n, 0), COALESCE(s.sessions, 0),
    COALESCE(s.singles, 0), m.median_len, s.mean_len, b.ad_impressions, b.ad_revenue,
    b.purchases, b.purchase_revenue, b.refunds, b.refund_amount, b.errors, %(now)s
FROM base b
JOIN active a ON a.game_id = b.game_id
LEFT JOIN newp np ON np.game_id = b.game_id
LEFT JOIN sess s ON s.game_id = b.game_id
LEFT JOIN med m ON m.game_id = b.game_id
"""

_RETENTION = """
INSERT INTO analytics_retention (game_id, cohort_day, day_n, activity_day, players)
SELECT a.game_id, p.first_day, {days_between}, %(day)s, COUNT(*)
FROM analytics_day_players a
JOIN analytics_player p ON p.game_id = a.game_id AND p.player_id = a.player_id
WHERE p.first_day >= %(oldest_cohort)s AND p.first_day <= %(day)s
GROUP BY a.game_id, p.first_day
"""

_FUNNEL = """
INSERT INTO analytics_levelfunnel (
    game_id, day, level, starts, successes, fails, players_started, players_succeeded)
SELECT game_id, %(day)s, level,
    SUM(CASE WHEN name = 'level_start' THEN 1 ELSE 0 END),
    SUM(CASE WHEN name = 'level_end' AND success IS TRUE THEN 1 ELSE 0 END),
    SUM(CASE WHEN name = 'level_end' AND success IS FALSE THEN 1 ELSE 0 END),
    COUNT(DISTINCT CASE WHEN name = 'level_start' THEN player_id END),
    COUNT(DISTINCT CASE WHEN name = 'level_end' AND success IS TRUE THEN player_id END)
FROM analytics_event
WHERE occurred_at >= %(lo)s AND occurred_at < %(hi)s AND {gf}
    AND name IN ('level_start', 'level_end') AND level IS NOT NULL
GROUP BY game_id, level
"""


def _aggregate_group(day: dt.date, group: _Group, *, final: bool = True) -> DayReport:
    started = time.perf_counter()
    dialect = _Dialect()
    lo, hi = day_bounds(day, group.tz)
    params: dict = {
        "day": day,
        "lo": dialect.ts(lo),
        "hi": dialect.ts(hi),
        "lo_s": dialect.ts(lo - limits.SESSION_IDLE),
        "hi_s": dialect.ts(hi + limits.SESSION_LOOKAHEAD),
        "lo_t": dialect.instant(lo),
        "hi_t": dialect.instant(hi),
        "idle": dialect.duration(limits.SESSION_IDLE),
        "oldest_cohort": day - dt.timedelta(days=limits.RETENTION_MAX_DAY),
        "now": dialect.ts(timezone.now()),
    }
    gf = group.sql("game_id", params)
    q = group.q()
    with transaction.atomic(), connection.cursor() as cursor:
        if dialect.postgresql:
            # The day's sorts (sessions, medians, distinct players) fit in memory instead of spilling.
            cursor.execute(f"SET LOCAL work_mem = '{AGGREGATION_WORK_MEM}'")
        DailyMetrics.objects.filter(q, day=day).delete()
        Retention.objects.filter(q, activity_day=day).delete()
        LevelFunnel.objects.filter(q, day=day).delete()
        cursor.execute("DROP TABLE IF EXISTS analytics_day_players")
        cursor.execute(_DAY_PLAYERS.format(gf=gf), params)
        if dialect.postgresql:
            cursor.execute("ANALYZE analytics_day_players")
        cursor.execute(_PLAYERS, params)
        daily = _DAILY.format(
            gf=gf,
            event_time=dialect.event_time("occurred_at"),
            length=dialect.seconds_between("MAX(t)", "MIN(t)"),
        )
        cursor.execute(daily, params)
        cursor.execute(_RETENTION.format(days_between=dialect.days_between("%(day)s", "p.first_day")), params)
        cursor.execute(_FUNNEL.format(gf=gf), params)
        cursor.execute("DROP TABLE analytics_day_players")
        totals = DailyMetrics.objects.filter(q, day=day).values_list("events", flat=True)
        events = sum(totals)
        games = len(totals)
        seconds = time.perf_counter() - started
        if final:
            AggregatedDay.objects.update_or_create(
                day=day,
                timezone=group.tz,
                defaults={"computed_at": timezone.now(), "events": events, "seconds": seconds},
            )
    return DayReport(day=day, timezone=group.tz, events=events, games=games, seconds=seconds)


def _check_day(day: dt.date, tz: str) -> None:
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(tz)).date()
    if day > today:
        raise ApplicationError.for_field("day", f"{day} has not begun yet in {tz}.", code="future_day")
    oldest = today - dt.timedelta(days=settings.ANALYTICS_RETENTION_DAYS - 1)
    if day < oldest:
        # Its events are gone: aggregating again would replace good numbers with zeros.
        raise ApplicationError.for_field(
            "day",
            f"{day} is older than the {settings.ANALYTICS_RETENTION_DAYS} days events are kept.",
            code="day_expired",
        )


def metrics_aggregate(
    *, day_from: dt.date, day_to: dt.date, timezone_name: str | None = None
) -> list[DayReport]:
    """Aggregate every day of [day_from, day_to], oldest first (install cohorts depend on order)."""
    if day_to < day_from:
        raise ApplicationError.for_field("to", "The range ends before it begins.", code="invalid_range")
    reports = []
    for group in _groups(timezone_name):
        day = day_from
        while day <= day_to:
            _check_day(day, group.tz)
            reports.append(_aggregate_group(day, group))
            day += dt.timedelta(days=1)
    for r in reports:
        logger.info(
            "analytics: aggregated %s (%s): %s events in %.2fs", r.day, r.timezone, r.events, r.seconds
        )
    return reports


def metrics_aggregate_recent(*, days: int = limits.REAGGREGATE_DAYS) -> list[DayReport]:
    """The nightly run: the last `days` finished days of every timezone, so late events are counted."""
    reports = []
    for group in _groups():
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(group.tz)).date()
        oldest = today - dt.timedelta(days=settings.ANALYTICS_RETENTION_DAYS - 1)
        day = max(today - dt.timedelta(days=days), oldest)
        while day < today:
            reports.append(_aggregate_group(day, group))
            day += dt.timedelta(days=1)
    return reports


def metrics_aggregate_live(*, now: dt.datetime | None = None) -> list[DayReport]:
    """Today so far, for the games that received events since the last run (one report per timezone).

    Incremental: a watermark per timezone on `received_at` (looked back `limits.LIVE_OVERLAP` for
    transactions that committed late) finds the games with new events today; each of them is recomputed
    from today's raw events (DAU, sessions and medians are not sums, so they cannot be added up). Runs
    of one timezone never overlap: the watermark row is locked for the run.
    """
    now = now or timezone.now()
    reports = []
    for group in _groups():
        day = now.astimezone(zoneinfo.ZoneInfo(group.tz)).date()
        lo, hi = day_bounds(day, group.tz)
        with transaction.atomic():
            LiveWatermark.objects.get_or_create(timezone=group.tz, defaults={"received_until": lo})
            mark = LiveWatermark.objects.select_for_update().get(timezone=group.tz)
            since = max(min(mark.received_until, now), lo) - limits.LIVE_OVERLAP
            touched = list(
                Event.objects.filter(
                    group.q(), occurred_at__gte=lo, occurred_at__lt=hi, received_at__gt=since
                )
                .order_by()
                .values_list("game_id", flat=True)
                .distinct()
            )
            # Events keep the id of a game that may be gone (no foreign key on the events table).
            touched = list(Game.objects.filter(pk__in=touched).values_list("pk", flat=True))
            if touched:
                reports.append(_aggregate_group(day, _Group(group.tz, touched, include=True), final=False))
            mark.received_until = now
            mark.computed_at = timezone.now()
            mark.save(update_fields=["received_until", "computed_at"])
    for r in reports:
        logger.info(
            "analytics: live %s (%s): %s games, %s events in %.2fs",
            r.day,
            r.timezone,
            r.games,
            r.events,
            r.seconds,
        )
    return reports
