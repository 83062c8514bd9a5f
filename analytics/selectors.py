"""Reads of the analytics app: keys, games of a batch, and the daily numbers shaped for readers.

The readers' selectors (`@replica_reading`) read the read replica when there is one; the keys (read by
ingestion, right after they are issued) always read the primary.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from analytics import keys, limits
from analytics.models import (
    AggregatedDay,
    DailyMetrics,
    Event,
    GameReporting,
    IngestKey,
    LevelFunnel,
    Retention,
)
from gamefactory.db import replica_reading
from games.models import Game

# Every metric a reader can ask for, in the order tables and CSV show them.
DAILY_METRICS = (
    "dau",
    "new_players",
    "sessions",
    "single_event_sessions",
    "session_length_median_s",
    "session_length_mean_s",
    "retention_d1",
    "retention_d7",
    "retention_d30",
    "ad_impressions",
    "ad_revenue_micros",
    "purchases",
    "purchase_revenue_micros",
    "refunds",
    "refund_micros",
    "revenue_micros",
    "arpdau_micros",
    "errors",
    "events",
)
SECTIONS = ("retention_curve", "funnel")
METRIC_NAMES = DAILY_METRICS + SECTIONS

_STORED = (
    "events",
    "dau",
    "new_players",
    "sessions",
    "single_event_sessions",
    "session_length_median_s",
    "session_length_mean_s",
    "ad_impressions",
    "ad_revenue_micros",
    "purchases",
    "purchase_revenue_micros",
    "refunds",
    "refund_micros",
    "errors",
)
_SUMMED = (
    "events",
    "new_players",
    "sessions",
    "single_event_sessions",
    "ad_impressions",
    "ad_revenue_micros",
    "purchases",
    "purchase_revenue_micros",
    "refunds",
    "refund_micros",
    "errors",
)


# --- keys -------------------------------------------------------------------------------------


def ingest_key_find(*, public_key: str) -> IngestKey | None:
    """The key a request names (any state: the caller tells revoked from expired), with its game's status."""
    if not public_key or len(public_key) > 100:
        return None
    return (
        IngestKey.objects.select_related("game")
        .only("id", "game_id", "salt", "expires_at", "revoked_at", "game__status")
        .filter(public_hash=keys.public_hash(public_key))
        .first()
    )


# Ingestion looks keys up in this process first: a revocation reaches every server within this time.
KEY_CACHE_SECONDS = 10
_key_cache: dict[str, tuple[float, IngestKey | None]] = {}


def ingest_key_find_cached(*, public_key: str) -> IngestKey | None:
    now = time.monotonic()
    hit = _key_cache.get(public_key)
    if hit is not None and hit[0] > now:
        return hit[1]
    key = ingest_key_find(public_key=public_key)
    if len(_key_cache) > 10_000:
        _key_cache.clear()  # bounded: unknown keys sent at random must not grow it forever
    _key_cache[public_key] = (now + KEY_CACHE_SECONDS, key)
    return key


def ingest_key_cache_clear() -> None:
    _key_cache.clear()


def ingest_key_public(*, game: Game) -> str | None:
    """The game's current public key (for the player page and bundles), or None if none was issued."""
    key = IngestKey.objects.filter(game=game, expires_at__isnull=True, revoked_at__isnull=True).first()
    return keys.public_key_for(key.salt) if key else None


def ingest_key_list(*, game: Game) -> list[IngestKey]:
    return list(IngestKey.objects.filter(game=game).order_by("-created_at"))


# --- games ------------------------------------------------------------------------------------


def games_of_batch(batch_id) -> list[Game]:
    """The games a factory batch made. Until batches.Batch exists, read from the game's provenance."""
    return list(Game.objects.filter(provenance__batch_id=str(batch_id)).order_by("title"))


def game_timezone(*, game: Game) -> str:
    reporting = GameReporting.objects.filter(game=game).first()
    return reporting.timezone if reporting else "UTC"


@replica_reading
def games_editable(*, user) -> list[Game]:
    """Games whose numbers this user may read: all for staff, their own otherwise."""
    qs = Game.objects.exclude(status=Game.Status.DELETED).order_by("title")
    if not user.is_staff:
        qs = qs.filter(creator=user)
    return list(qs)


@replica_reading
def events_recent(*, game: Game, limit: int = 20, since: dt.datetime | None = None) -> list[Event]:
    """The latest events of a game (by event time, within the last day): 'are my events arriving?'."""
    since = since or timezone.now() - dt.timedelta(days=1)
    return list(
        Event.objects.filter(game=game, occurred_at__gte=since)
        .order_by("-occurred_at")
        .only("name", "occurred_at", "received_at", "player_id", "platform", "build", "params")[:limit]
    )


@replica_reading
def events_count_since(*, game: Game, since: dt.datetime) -> int:
    return Event.objects.filter(game=game, occurred_at__gte=since).count()


# --- metrics ----------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _arpdau(revenue: int, dau: int) -> int | None:
    if not dau:
        return None
    return int((Decimal(revenue) / Decimal(dau)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    return [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]


@replica_reading
def metrics_for_games(
    *, games: list[Game], date_from: dt.date, date_to: dt.date, metrics: list[str] | None = None
) -> list[dict]:
    """The numbers of several games over [date_from, date_to], in a fixed number of queries.

    Days not aggregated yet have null values (unknown), aggregated days without events have zeros.
    Today (and a finished day the nightly run has not reached yet) has the live aggregate's numbers so
    far: such a day says `"live": true`, and the entry's `live_at` says when they were computed.
    Retention dN of a date is the rate of its install cohort, null until day date+N is aggregated.
    """
    wanted = list(metrics or METRIC_NAMES)
    daily_wanted = [m for m in DAILY_METRICS if m in wanted]
    ids = [g.pk for g in games]
    tz_of = {
        game_id: tz
        for game_id, tz in GameReporting.objects.filter(game_id__in=ids).values_list("game_id", "timezone")
    }
    horizon = date_to + dt.timedelta(days=limits.RETENTION_MAX_DAY)
    aggregated: dict[str, set[dt.date]] = defaultdict(set)
    for day, tz in AggregatedDay.objects.filter(day__gte=date_from, day__lte=horizon).values_list(
        "day", "timezone"
    ):
        aggregated[tz].add(day)

    rows: dict = defaultdict(dict)
    computed: dict = {}
    for row in DailyMetrics.objects.filter(game_id__in=ids, day__gte=date_from, day__lte=date_to).values(
        "game_id", "day", "computed_at", *_STORED
    ):
        computed[(row["game_id"], row["day"])] = row.pop("computed_at")
        rows[row["game_id"]][row["day"]] = row

    cohorts: dict = defaultdict(lambda: defaultdict(dict))
    if {"retention_d1", "retention_d7", "retention_d30", "retention_curve"} & set(wanted):
        for game_id, cohort_day, day_n, players in Retention.objects.filter(
            game_id__in=ids, cohort_day__gte=date_from, cohort_day__lte=date_to
        ).values_list("game_id", "cohort_day", "day_n", "players"):
            cohorts[game_id][cohort_day][day_n] = players

    funnels: dict = defaultdict(list)
    if "funnel" in wanted:
        for row in (
            LevelFunnel.objects.filter(game_id__in=ids, day__gte=date_from, day__lte=date_to)
            .values("game_id", "level")
            .annotate(
                starts=Sum("starts"),
                successes=Sum("successes"),
                fails=Sum("fails"),
                players_started=Sum("players_started"),
                players_succeeded=Sum("players_succeeded"),
            )
            .order_by("game_id", "level")
        ):
            level: dict[str, Any] = dict(row)
            level["success_rate"] = _rate(level["successes"], level["successes"] + level["fails"])
            funnels[level.pop("game_id")].append(level)

    out = []
    for game in games:
        tz = tz_of.get(game.pk, "UTC")
        done = aggregated[tz]
        game_rows = rows[game.pk]
        game_cohorts = cohorts[game.pk]
        days = []
        live_at = None
        for day in _days(date_from, date_to):
            stored = game_rows.get(day)
            known = stored is not None or day in done
            live = stored is not None and day not in done
            if live:
                live_at = max(filter(None, (live_at, computed.get((game.pk, day)))), default=None)
            values: dict = {"date": day.isoformat(), "live": live}
            base = stored or {name: 0 for name in _STORED}
            if stored is None:
                base["session_length_median_s"] = base["session_length_mean_s"] = None
            revenue = base["ad_revenue_micros"] + base["purchase_revenue_micros"] - base["refund_micros"]
            derived = {**base, "revenue_micros": revenue, "arpdau_micros": _arpdau(revenue, base["dau"])}
            cohort = game_cohorts.get(day, {})
            for n in limits.RETENTION_DAYS_SHOWN:
                size = cohort.get(0, 0)
                derived[f"retention_d{n}"] = (
                    _rate(cohort.get(n, 0), size) if (day + dt.timedelta(days=n)) in done else None
                )
            for name in daily_wanted:
                values[name] = derived[name] if known else None
            days.append(values)

        entry: dict = {
            "game": {"id": str(game.pk), "slug": game.slug, "title": game.title},
            "timezone": tz,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "days": days,
            "live_at": live_at.isoformat() if live_at else None,
            "totals": _totals(game_rows.values(), game_cohorts, done, daily_wanted),
        }
        if "retention_curve" in wanted:
            entry["retention_curve"] = _retention_curve(game_cohorts, done)
        if "funnel" in wanted:
            entry["funnel"] = funnels[game.pk]
        out.append(entry)
    return out


def _totals(stored_rows, cohorts, done: set[dt.date], wanted: list[str]) -> dict:
    stored_rows = list(stored_rows)
    totals: dict = {name: sum(r[name] for r in stored_rows) for name in _SUMMED}
    player_days = sum(r["dau"] for r in stored_rows)
    totals["dau"] = round(player_days / len(stored_rows), 1) if stored_rows else 0
    sessions = totals["sessions"]
    totals["session_length_mean_s"] = (
        round(sum((r["session_length_mean_s"] or 0) * r["sessions"] for r in stored_rows) / sessions, 1)
        if sessions
        else None
    )
    # A median of medians would mislead: over a range only the mean is given.
    totals["session_length_median_s"] = None
    revenue = totals["ad_revenue_micros"] + totals["purchase_revenue_micros"] - totals["refund_micros"]
    totals["revenue_micros"] = revenue
    totals["arpdau_micros"] = _arpdau(revenue, player_days)
    for n in limits.RETENTION_DAYS_SHOWN:
        retained = size = 0
        for cohort_day, by_n in cohorts.items():
            if cohort_day + dt.timedelta(days=n) in done:
                retained += by_n.get(n, 0)
                size += by_n.get(0, 0)
        totals[f"retention_d{n}"] = _rate(retained, size)
    return {name: totals[name] for name in wanted}


def _retention_curve(cohorts, done: set[dt.date]) -> list[dict]:
    """Day n: players of the range's cohorts active n days after install / the size of those cohorts."""
    curve = []
    for n in range(limits.RETENTION_MAX_DAY + 1):
        retained = size = 0
        for cohort_day, by_n in cohorts.items():
            if cohort_day + dt.timedelta(days=n) in done:
                retained += by_n.get(n, 0)
                size += by_n.get(0, 0)
        if size:
            curve.append(
                {"day": n, "rate": _rate(retained, size), "players": retained, "cohort_players": size}
            )
    return curve


def metrics_for_game(
    *, game: Game, date_from: dt.date, date_to: dt.date, metrics: list[str] | None = None
) -> dict:
    """One game's numbers over a date range (the factory reads these at its step 12)."""
    return metrics_for_games(games=[game], date_from=date_from, date_to=date_to, metrics=metrics)[0]


@replica_reading
def games_for_reader(*, user, game_refs: list[str] | None = None, batch_id=None) -> list[Game]:
    """The games named by id or slug, or of a batch, that this user may read; unknown ones are skipped."""
    if batch_id is not None:
        games = games_of_batch(batch_id)
    else:
        refs = game_refs or []
        uuids: list[str] = []
        slugs: list[str] = []
        for ref in refs:
            (uuids if _is_uuid(ref) else slugs).append(ref)
        games = list(Game.objects.filter(Q(pk__in=uuids) | Q(slug__in=slugs)).order_by("title"))
    return [g for g in games if user.is_staff or g.can_edit(user)]


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def standard_events() -> dict:
    """The standard event taxonomy every game sends, by name (analytics/taxonomy.py)."""
    from analytics.taxonomy import STANDARD_EVENTS

    return STANDARD_EVENTS


def taxonomy_as_dict() -> dict:
    from analytics.taxonomy import taxonomy_as_dict as as_dict

    return as_dict()
