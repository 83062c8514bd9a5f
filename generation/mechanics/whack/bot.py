"""The playtest's player for whack (`BOT`): real mouse clicks, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot


class WhackBot(Bot):
    """Taps every mole that is up, never a bomb."""

    def probe(self) -> bool:
        before = self.s.observe()["cursor"]
        self.s.press("ArrowRight" if before % 2 == 0 else "ArrowLeft")
        self.actions += 1
        self.s.wait(150)
        return self.s.observe()["cursor"] != before

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline and not self.done():
            obs = self.s.observe()
            if not obs.get("playing"):
                self.s.wait(30)
                continue
            moles = [(x, y) for x, y, kind in obs["holes"] if kind == 1]
            for x, y in moles:
                self.s.click(x, y)
                self.actions += 1
            self.s.wait(20 if moles else 40)


BOT = WhackBot
