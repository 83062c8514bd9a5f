"""The playtest's player for typing (`BOT`): real key presses, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change


class TypingBot(Bot):
    """Reads the word on screen and types its next letters on the real keyboard."""

    def probe(self) -> bool:
        obs = self.s.observe()
        self.s.press(obs["word"][obs["typed"]])  # the next letter: the word moves on by one
        self.actions += 1
        return wait_change(self.s, lambda: self.s.observe()["typed"], obs["typed"], 600)

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            for letter in obs["word"][obs["typed"] :]:
                self.s.press(letter)
                self.actions += 1
            wait_change(self.s, lambda: self.s.observe()["index"], obs["index"], 600)


BOT = TypingBot
