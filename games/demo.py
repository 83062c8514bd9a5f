"""`seed_demo` hook: one playable demo game per mechanic, by the `demo` user, so `make run` opens on a
catalogue worth browsing. Safe to run again: games already made are kept as they are."""

from __future__ import annotations

import logging

from accounts.models import User
from games import services
from games.models import Game

logger = logging.getLogger(__name__)


def seed_demo(*, stdout=None) -> None:
    from generation.selectors import mechanic_definitions as mechanic_registry
    from generation.services import spec_from_prompt

    demo = User.objects.filter(username__iexact="demo").first()
    if demo is None:
        return
    made = []
    for slug, definition in mechanic_registry().items():
        if not definition.js_path.is_file() or not definition.example_prompts:
            continue  # a mechanic still being written
        if Game.objects.filter(creator=demo, provenance__source="demo", provenance__mechanic=slug).exists():
            continue
        prompt = definition.example_prompts[0]
        try:
            spec = spec_from_prompt(prompt=prompt, seed=7, mechanic=slug)
            version = services.game_publish(
                creator=demo,
                spec=spec,
                origin=Game.Origin.STUDIO,
                provenance={"source": "demo", "mechanic": slug, "prompt": prompt},
            )
        except Exception:  # one broken mechanic must not stop `make run`
            logger.exception("games: no demo game for %s", slug)
            continue
        made.append(version.game)
    if stdout is not None:
        for game in made:
            stdout.write(f"Catalogue demo: {game.title!r} (/games/{game.slug}/)")
