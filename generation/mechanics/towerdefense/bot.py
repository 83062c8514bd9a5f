"""The playtest's player for tower defense (`BOT`): real clicks, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot

from . import best_cell


class TowerDefenseBot(Bot):
    """Builds as the validator's steady defence does: whenever the gold allows, a tower on the
    free cell that covers the most path."""

    def probe(self) -> bool:
        obs = self.s.observe()
        before = len(obs["towers"])
        self._build(obs)
        self.s.wait(150)
        return len(self.s.observe()["towers"]) != before

    def _build(self, obs: dict) -> bool:
        cell = best_cell(obs["path"], {tuple(t) for t in obs["towers"]}, obs["reach"])
        if cell is None:
            return False
        ox, oy = obs["origin"]
        self.s.click(ox + (cell[0] + 0.5) * obs["cell"], oy + (cell[1] + 0.5) * obs["cell"])
        self.actions += 1
        return True

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status == "playing" and obs.get("playing") and obs["gold"] >= obs["cost"] and self._build(obs):
                self.s.wait(120)
                continue
            self.s.wait(150)


BOT = TowerDefenseBot
