"""`seed_demo` hook: one playable demo game per mechanic (or per mechanic DEMO_GAME_MECHANICS names),
by the `demo` user, so `make run` opens on a catalogue worth browsing, and ratings from a few demo
players. Safe to run again: games already made are kept as they are, and a game that has ratings gets
no more.

Plays come from the analytics demo (`analytics.demo`), which simulates players and records a play for
each of their sessions.
"""

from __future__ import annotations

import logging
import random

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import User
from games import services
from games.models import Game

logger = logging.getLogger(__name__)

# Demo players who rate the demo games: accounts with no usable password (nobody signs in as them).
DEMO_RATERS = (
    "ava", "ben", "chloe", "dev", "emma", "farid", "grace", "hugo", "ines", "jonas", "kemi", "leo",
    "maya", "nils", "olga", "pablo",
)  # fmt: skip
RATERS_PER_GAME = (5, 14)


def _raters() -> list[User]:
    raters = []
    for name in DEMO_RATERS:
        user = User.objects.filter(username=f"player-{name}").first()
        if user is None:
            user = User(username=f"player-{name}", email=f"player-{name}@gamefactory.local")
            user.display_name = name.title()
            user.set_unusable_password()
            user.save()
        raters.append(user)
    return raters


def ratings_seed(*, games: list[Game]) -> int:
    """A few demo players rate each game that has no rating yet (same stars on every run)."""
    pending = [g for g in games if g.rating_count == 0]
    if not pending:
        return 0
    raters = _raters()
    made = 0
    for game in pending:
        rng = random.Random(f"ratings:{game.slug}")
        # Each game its own reputation: mostly 4s and 5s for some, a wider spread for others.
        weights = [1, 2, rng.randint(3, 8), rng.randint(6, 14), rng.randint(5, 16)]
        for user in rng.sample(raters, rng.randint(*RATERS_PER_GAME)):
            stars = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
            services.game_rate(game=game, user=user, stars=stars)
            made += 1
    return made


def demo_mechanics() -> dict:
    """The mechanics the demo makes a game of, by slug: those DEMO_GAME_MECHANICS names, or all of them."""
    from generation.selectors import mechanic_definitions

    registry = mechanic_definitions()
    chosen = settings.DEMO_GAME_MECHANICS
    if not chosen:
        return registry
    unknown = sorted(set(chosen) - set(registry))
    if unknown:
        # a typo would otherwise seed a demo without the game it was meant to show
        raise ImproperlyConfigured(
            f"DEMO_GAME_MECHANICS names no mechanic {', '.join(unknown)}; the mechanics are: "
            + ", ".join(registry)
        )
    return {slug: definition for slug, definition in registry.items() if slug in chosen}


def seed_demo(*, stdout=None) -> None:
    from generation.services import spec_from_prompt

    demo = User.objects.filter(username__iexact="demo").first()
    if demo is None:
        return
    made = []
    for slug, definition in demo_mechanics().items():
        if not definition.js_path.is_file() or not definition.example_prompts:
            continue  # a mechanic still being written
        if Game.objects.filter(creator=demo, provenance__source="demo", provenance__mechanic=slug).exists():
            continue
        prompt = definition.example_prompts[0]
        try:
            spec = spec_from_prompt(prompt=prompt, seed=7, mechanic=slug)
            # A draft first: like every studio game, it is public only once its playtest passed.
            version = services.game_publish(
                creator=demo,
                spec=spec,
                origin=Game.Origin.STUDIO,
                provenance={"source": "demo", "mechanic": slug, "prompt": prompt},
                is_public=False,
            )
        except Exception:  # one broken mechanic must not stop `make run`
            logger.exception("games: no demo game for %s", slug)
            continue
        made.append(version)
    published = _play_and_publish(demo=demo, versions=made, stdout=stdout)
    rated = ratings_seed(
        games=list(Game.objects.filter(creator=demo, provenance__source="demo", is_public=True))
    )
    if stdout is not None:
        for game in published:
            stdout.write(f"Catalogue demo: {game.title!r} (/games/{game.slug}/)")
        if rated:
            stdout.write(f"Catalogue demo: {rated} ratings by {len(DEMO_RATERS)} demo players")


def _play_and_publish(*, demo: User, versions: list, stdout=None) -> list[Game]:
    """Each demo draft is played headless (the real playtest, two at a time) and published if it passed.

    A demo game that fails stays a draft of the demo user, and the reason is printed: the demo
    catalogue shows only games that passed, like everyone else's.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from games.services.playtests import playtest_record, version_verdict

    def play(version):
        try:
            return version, version_verdict(version=version)
        finally:
            connection.close()  # this thread's own connection, if it opened one

    published = []
    with ThreadPoolExecutor(max_workers=DEMO_PLAYTESTS_AT_ONCE) as pool:
        results = list(pool.map(play, versions))
    for version, verdict in results:
        playtest_record(version=version, verdict=verdict)
        game = version.game
        if verdict.get("passed"):
            services.game_update(game=game, user=demo, is_public=True)
            published.append(game)
        elif stdout is not None:
            reasons = "; ".join(verdict.get("failures") or []) or "failed"
            stdout.write(f"Catalogue demo: {game.title!r} stays a draft: its playtest failed ({reasons})")
    return published


# Chromium instances at once while seeding (the machine may be small).
DEMO_PLAYTESTS_AT_ONCE = 2
