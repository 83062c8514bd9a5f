"""Aggregate (or re-aggregate) days of analytics events: `aggregate_metrics --from 2026-11-01 --to 2026-11-20`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from analytics import aggregation
from gamefactory.errors import ApplicationError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Compute daily metrics (DAU, sessions, retention, funnel, revenue) for a range of days; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="date_from", type=_date, help="first day (default: yesterday, UTC)"
        )
        parser.add_argument("--to", dest="date_to", type=_date, help="last day (default: the first day)")
        parser.add_argument("--timezone", help="only the games reported in this timezone")

    def handle(self, *args, date_from=None, date_to=None, timezone=None, **options):
        yesterday = _today() - dt.timedelta(days=1)
        date_from = date_from or yesterday
        date_to = date_to or date_from
        try:
            reports = aggregation.metrics_aggregate(
                day_from=date_from, day_to=date_to, timezone_name=timezone
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for r in reports:
            self.stdout.write(
                f"{r.day} {r.timezone:<12} {r.games:>6} games {r.events:>10} events {r.seconds:8.2f} s"
            )
        self.stdout.write(self.style.SUCCESS(f"Aggregated {len(reports)} day(s)."))


def _today() -> dt.date:
    return timezone.now().date()
