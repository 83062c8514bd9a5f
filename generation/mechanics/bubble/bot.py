"""The playtest's player for bubble (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math
import time

from generation.playtest import Bot

from . import LOSE_ROW, MIN_AIM, fly, shot_value

ANGLES = 90


class BubbleBot(Bot):
    """Flies the loaded bubble along many aims (the scenes' own steps, `fly`), and clicks along the
    aim whose landing cell pops the most, else sits beside its own colour, else stays high."""

    def probe(self) -> bool:
        obs = self.s.observe()
        ox, oy = obs["origin"]
        sx, sy = obs["shooter"]
        self.s.move(ox + sx - 200, oy + sy - 120)
        self.actions += 1
        self.s.wait(150)
        return abs(self.s.observe()["aim"] - obs["aim"]) > 0.05

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or not obs.get("playing") or obs["flying"]:
                self.s.wait(40)
                continue
            angle = self._choose(obs)
            ox, oy = obs["origin"]
            sx, sy = obs["shooter"]
            self.s.click(ox + sx + 220 * math.cos(angle), oy + sy - 220 * math.sin(angle))
            self.actions += 1
            self.s.wait(250)

    @staticmethod
    def _choose(obs: dict) -> float:
        grid, colour = obs["grid"], obs["current"]
        best, best_value = math.pi / 2, None
        for k in range(ANGLES + 1):
            angle = MIN_AIM + 0.02 + (math.pi - 2 * MIN_AIM - 0.04) * k / ANGLES
            row, col = fly(grid, angle)
            value = (-1, 0, 0) if row >= LOSE_ROW else shot_value(grid, row, col, colour)
            if best_value is None or value > best_value:
                best, best_value = angle, value
        return best


BOT = BubbleBot
