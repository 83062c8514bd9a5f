"""`seed_demo` hook: simulated players for the demo games, aggregated, so dashboards are not empty.

Every demo game gets a crowd (200 players over 14 days for the first, 100 for the next two, a small one
for the rest, to keep `make run` quick), and the catalogue gets their plays: one play per simulated
session, read back from the stored events, so the cards, the game pages and the dashboards tell the
same story.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from analytics import aggregation, services, simulator
from analytics.models import Event
from games import selectors as games_selectors
from games import services as games_services
from games.models import Game

DEMO_PLAYERS = 200
DEMO_DAYS = 14
# Crowds after the first game's DEMO_PLAYERS: the next games' (then SMALL_CROWD for every other one).
CROWDS = (DEMO_PLAYERS // 2, DEMO_PLAYERS // 2)
SMALL_CROWD = 30
MAX_DEMO_GAMES = 12
SIMULATED_PREFIX = "sim-"  # simulator.player_events names its players so


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


def _crowd(n: int) -> int:
    if n == 0:
        return DEMO_PLAYERS
    return CROWDS[n - 1] if n - 1 < len(CROWDS) else SMALL_CROWD


def plays_from_events(*, game: Game) -> list[dict]:
    """One play per simulated session of the game's stored events: start, length, best score, completion."""
    sessions: dict[tuple[str, str], dict] = {}
    rows = (
        Event.objects.filter(game=game, player_id__startswith=SIMULATED_PREFIX)
        .order_by("occurred_at")
        .values_list("player_id", "session_id", "occurred_at", "name", "success", "params")
    )
    for player_id, session_id, occurred_at, name, success, params in rows.iterator(chunk_size=2000):
        play = sessions.setdefault(
            (player_id, session_id),
            {"anonymous_id": player_id, "started_at": occurred_at, "last": occurred_at, "score": None},
        )
        play["last"] = occurred_at
        if name == "level_end" and success:
            play["completed"] = True
        score = (
            params.get("score") if name == "level_end" else params.get("value") if name == "score" else None
        )
        if isinstance(score, int) and not isinstance(score, bool):
            play["score"] = score if play["score"] is None else max(play["score"], score)
    plays = []
    for play in sessions.values():
        last = play.pop("last")
        play["duration_ms"] = int((last - play["started_at"]).total_seconds() * 1000)
        plays.append(play)
    return plays


def seed_demo(*, stdout=None) -> None:
    """Simulate players of every demo game, aggregate their days, and record their plays."""
    seeded = []
    played = []
    for n, game in enumerate(_demo_games()):
        if not Event.objects.filter(game=game).exists():
            public_key, secret = services.ingest_key_issue(game=game)
            players = _crowd(n)
            events = simulator.simulated_events(game=game, players=players, days=DEMO_DAYS, seed=7)
            report = simulator.events_send(events=events, public_key=public_key, secret=secret)
            seeded.append((game, players, report))
        if not games_selectors.plays_exist(game=game, anonymous_id_prefix=SIMULATED_PREFIX):
            played.append((game, games_services.plays_import(game=game, plays=plays_from_events(game=game))))
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
        for game, count in played:
            stdout.write(f"Catalogue demo: {count} plays of {game.title!r} from its simulated sessions")
