"""The playtest's player for spelling (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change

from .._words import lexicon


class SpellingBot(Bot):
    """Knows the dictionary: taps the one choice that is a word."""

    def play(self, deadline: float) -> None:
        words = lexicon(self.s.frame.evaluate("() => GF.spec.params.language || 'en'"))
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            right = [i for i, choice in enumerate(obs["choices"]) if choice in words]
            if len(right) != 1:
                self.notes.append(f"{len(right)} of {obs['choices']} are words")
                return
            x, y, _, _ = obs["buttons"][right[0]]
            self.s.click(x, y)
            self.actions += 1
            wait_change(self.s, lambda: self.s.observe()["index"], obs["index"], 1200)


BOT = SpellingBot
