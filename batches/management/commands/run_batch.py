"""`manage.py run_batch --games 10 --brief "..."`: start a batch and follow it to the end.

By default the batch runs on the Celery workers (start them: `make run`, or the Procfile's worker)
and this command only watches; `--inline` runs every step in this process instead.
"""

from __future__ import annotations

import json
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from batches import inline, limits, selectors, services
from batches.models import Batch, Production
from gamefactory.errors import ApplicationError

BAR_WIDTH = limits.STEP_COUNT
GLYPHS = {
    "done": "█",
    "running": "▶",
    "pending": "·",
    "retrying": "↻",
    "failed": "✗",
    "cancelled": "-",
    "todo": " ",
    "stale": "░",
}


class Command(BaseCommand):
    help = "Start a batch of games and follow it: one progress bar per game, until every game is done."

    def add_arguments(self, parser):
        parser.add_argument("--games", type=int, default=10, help="How many games (1-100).")
        parser.add_argument("--brief", required=True, help="What the games should be.")
        parser.add_argument("--name", default="")
        parser.add_argument("--theme", default="")
        parser.add_argument("--genres", default="", help="Mechanics or genres, comma separated.")
        parser.add_argument("--audience", default="")
        parser.add_argument("--provider", default="local")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--allow-repeats", action="store_true")
        parser.add_argument(
            "--user", default="", help="Staff username the batch is made by (default: first superuser)."
        )
        parser.add_argument(
            "--faults",
            default="",
            help='Fault injection for every game, JSON by step: {"3": {"mode": "raise", "times": 3}}.',
        )
        parser.add_argument(
            "--inline", action="store_true", help="Run the steps in this process, not on workers."
        )
        parser.add_argument(
            "--timeout", type=float, default=1800, help="Stop following after this many seconds."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between two progress refreshes."
        )

    def handle(self, *args, **options):
        user = self._user(options["user"])
        brief = {
            "name": options["name"],
            "brief": options["brief"],
            "count": options["games"],
            "theme": options["theme"],
            "genres": options["genres"],
            "audience": options["audience"],
            "provider": options["provider"],
            "allow_repeats": options["allow_repeats"],
            "seed": options["seed"],
        }
        if options["faults"]:
            try:
                brief["faults"] = json.loads(options["faults"])
            except ValueError as exc:
                raise CommandError(f"--faults is not JSON: {exc}") from exc
        started = time.monotonic()
        if options["inline"]:
            with inline.inline_dispatch():
                batch = self._create(user, brief)
                self.stdout.write(f"Batch {batch.name} ({batch.pk}): {batch.count} game(s), running inline.")
                inline.drain(on_progress=lambda: self._render(batch, started, final=False))
        else:
            batch = self._create(user, brief)
            self.stdout.write(f"Batch {batch.name} ({batch.pk}): {batch.count} game(s), on the workers.")
            self._follow(batch, started, timeout=options["timeout"], interval=options["interval"])
        batch.refresh_from_db()
        counts = self._render(batch, started, final=True)
        if counts.get("published", 0) != batch.count:
            raise CommandError(f"Not every game was published: {counts}.")

    def _user(self, username: str):
        users = get_user_model().objects.filter(is_staff=True, status="active")
        user = (
            users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        )
        if user is None:
            raise CommandError("No staff user to make the batch as: create a superuser or pass --user.")
        return user

    def _create(self, user, brief) -> Batch:
        try:
            return services.batch_create(created_by=user, **brief)
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc

    def _follow(self, batch: Batch, started: float, *, timeout: float, interval: float) -> None:
        while time.monotonic() - started < timeout:
            close_old_connections()
            if not Production.objects.filter(batch=batch).exclude(state__in=Production.TERMINAL).exists():
                return
            self._render(batch, started, final=False)
            time.sleep(interval)
        raise CommandError(f"Still running after {timeout:.0f} s; the workers may be down (see `make run`).")

    def _render(self, batch: Batch, started: float, *, final: bool) -> dict:
        batch = selectors.batch_get(batch_id=batch.pk)
        lines = []
        counts: dict[str, int] = {}
        for production in batch.productions.all():
            segments = selectors.production_segments(production)
            bar = "".join(GLYPHS.get(s["state"], "?") for s in segments)
            counts[production.state] = counts.get(production.state, 0) + 1
            title = (production.title or production.concept.get("mechanic", ""))[:28]
            lines.append(f"  {production.index:>3} [{bar}] {production.label:<16} {title}")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        lines.append(f"  {elapsed:6.1f}s  {summary}")
        if sys.stdout.isatty() and not final:
            self.stdout.write("\x1b[2J\x1b[H" + "\n".join(lines))
        elif final:
            self.stdout.write("\n".join(lines))
        self.stdout.flush()
        return counts
