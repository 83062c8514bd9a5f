"""The playtest's player for trivia (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change

from . import truth
from .countries import by_code


class TriviaBot(Bot):
    """Knows the world from the country data: looks the answer up and taps its button."""

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            country = by_code().get(obs["country"])
            right = truth(obs["kind"], country, obs["language"]) if country else None
            if right not in obs["choices"]:
                self.notes.append(f"no button shows the answer to {obs['shown']!r}")
                return
            x, y, _, _ = obs["buttons"][obs["choices"].index(right)]
            self.s.click(x, y)
            self.actions += 1
            wait_change(self.s, lambda: self.s.observe()["index"], obs["index"], 1200)


BOT = TriviaBot
