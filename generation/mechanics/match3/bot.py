"""The playtest's player for match3 (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot

from . import possible_swaps


class Match3Bot(Bot):
    """Taps the two gems of the swap that clears the most, then waits for the board to settle."""

    def _cell(self, obs, r, c):
        x0, y0, cell = obs["grid"]
        return x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell

    def probe(self) -> bool:
        obs = self.s.observe()
        self.s.click(*self._cell(obs, 0, 0))
        self.actions += 1
        self.s.wait(100)
        changed = self.s.observe()["selected"] != obs["selected"]
        self.s.click(*self._cell(obs, 0, 0))  # tap again: deselect
        self.actions += 1
        self.s.wait(100)
        return changed

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            swaps = possible_swaps([list(row) for row in obs["board"]])
            if not swaps:
                self.s.wait(100)
                continue
            (r1, c1), (r2, c2), _ = max(swaps, key=lambda s: (s[2], s[0][0]))
            self.s.click(*self._cell(obs, r1, c1))
            self.s.wait(40)
            self.s.click(*self._cell(obs, r2, c2))
            self.actions += 2
            self.s.wait(200)


BOT = Match3Bot
