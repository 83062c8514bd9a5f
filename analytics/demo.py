"""`seed_demo` hook: simulated players for the demo games, aggregated, so dashboards are not empty."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from analytics import aggregation, services, simulator
from analytics.models import Event
from games.models import Game

DEMO_PLAYERS = 200
DEMO_DAYS = 14
MAX_DEMO_GAMES = 3


def _demo_games() -> list[Game]:
    demo = User.objects.filter(username__iexact="demo").first()
    if not Game.objects.exists() and demo is not None:
        # The catalogue brings its own demo games; until it does, one minimal game to measure.
        Game.objects.create(
            creator=demo,
            title="Demo Runner",
            slug="demo-runner",
            category=Game.Category.ARCADE,
            mechanic="runner",
            spec={},
            origin=Game.Origin.STUDIO,
        )
    qs = Game.objects.exclude(status=Game.Status.DELETED).order_by("created_at")
    if demo is not None and qs.filter(creator=demo).exists():
        qs = qs.filter(creator=demo)
    return list(qs[:MAX_DEMO_GAMES])


def seed_demo(*, stdout=None) -> None:
    """Simulate players over 14 days (200 for the first demo game, 100 for two more) then aggregate."""
    seeded = []
    for n, game in enumerate(_demo_games()):
        if Event.objects.filter(game=game).exists():
            continue  # seeded before: leave its numbers as they are
        public_key, secret = services.ingest_key_issue(game=game)
        # The first game gets the full crowd; the others half, to keep `make run` quick.
        players = DEMO_PLAYERS if n == 0 else DEMO_PLAYERS // 2
        events = simulator.simulated_events(game=game, players=players, days=DEMO_DAYS, seed=7)
        report = simulator.events_send(events=events, public_key=public_key, secret=secret)
        seeded.append((game, players, report))
    if seeded:
        today = timezone.now().date()
        aggregation.metrics_aggregate(
            day_from=today - dt.timedelta(days=DEMO_DAYS), day_to=today - dt.timedelta(days=1)
        )
    if stdout is not None:
        for game, players, report in seeded:
            stdout.write(
                f"Analytics demo: {report.accepted} events of {players} simulated players for "
                f"{game.title!r} (/analytics/games/{game.slug}/)"
            )
