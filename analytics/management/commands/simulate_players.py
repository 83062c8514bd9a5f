"""`simulate_players --game SLUG --players 1000 --days 30`: realistic players through the real endpoint."""

import uuid

from django.core.management.base import BaseCommand, CommandError

from analytics import services, simulator
from games.models import Game


class Command(BaseCommand):
    help = (
        "Simulate players of a game (sessions, levels, retention, ads, purchases) and send their events "
        "through POST /api/v1/events: in-process by default, or to a running server with --url."
    )

    def add_arguments(self, parser):
        parser.add_argument("--game", required=True, help="the game's slug (or id)")
        parser.add_argument("--players", type=int, default=1000)
        parser.add_argument("--days", type=int, default=30, help="days of installs, ending today")
        parser.add_argument(
            "--seed", type=int, default=1, help="same seed, same events (sent twice, counted once)"
        )
        parser.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8000")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, game, players, days, seed, url, batch_size, **options):
        found = Game.objects.filter(slug=game).first()
        if found is None:
            try:
                found = Game.objects.filter(pk=uuid.UUID(game)).first()
            except ValueError:
                found = None
        if found is None:
            raise CommandError(f"No game with slug or id {game!r}.")
        if players < 1 or days < 1:
            raise CommandError("--players and --days must be at least 1.")
        public_key, secret = services.ingest_key_issue(game=found)
        events = simulator.simulated_events(game=found, players=players, days=days, seed=seed)
        self.stdout.write(f"Sending {len(events)} events of {players} players over {days} days…")
        report = simulator.events_send(
            events=events, public_key=public_key, secret=secret, url=url, batch_size=batch_size
        )
        self.stdout.write(
            f"{report.requests} requests in {report.seconds:.1f} s: {report.accepted} accepted, "
            f"{report.duplicates} duplicates, {report.rejected} rejected "
            f"{dict(report.reject_codes) or ''}".rstrip()
        )
        if report.rejected:
            self.stdout.write(self.style.WARNING("Some events were rejected; see the codes above."))
        self.stdout.write(
            "Run `python manage.py aggregate_metrics --from <first day> --to <yesterday>` to see them in the dashboard."
        )
