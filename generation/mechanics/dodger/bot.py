"""The playtest's player for dodger (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math

from generation.playtest import RealtimeBot


class DodgerBot(RealtimeBot):
    """Looks a second ahead: of the places the ship can reach, points the mouse at the one hit last
    (or never), the nearest first; the ship follows the pointer."""

    HORIZON_S = 1.1
    STEP_S = 0.05
    MARGIN = 8

    def probe(self) -> bool:
        obs = self.s.observe()
        ox, oy = obs["origin"]
        target = obs["ship"] - 120 if obs["ship"] > obs["width"] / 2 else obs["ship"] + 120
        self.s.move(ox + target, oy + obs["y"])
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["ship"] - obs["ship"]) > 10

    def act(self, obs: dict) -> None:
        ox, oy = obs["origin"]
        self.s.move(ox + self._choose(obs), oy + obs["y"])
        self.actions += 1
        self.s.wait(10)

    def _first_hit(self, obs: dict, target: float) -> float:
        """Seconds until a rock hits the ship heading for `target` (inf: not within the horizon)."""
        hw, hh = obs["half"]
        x, y, speed = obs["ship"], obs["y"], obs["speed"]
        latency = max(0.06, self.lead())
        t = 0.0
        while t <= self.HORIZON_S:
            step = speed * max(0.0, t - latency)
            sx = x + max(-step, min(step, target - x))
            for rx, ry, r, vx, vy in obs["rocks"]:
                cx, cy = rx + vx * t, ry + vy * t
                dx = cx - max(sx - hw, min(sx + hw, cx))
                dy = cy - max(y - hh, min(y + hh, cy))
                if dx * dx + dy * dy < (r + self.MARGIN) ** 2:
                    return t
            t += self.STEP_S
        return math.inf

    def _choose(self, obs: dict) -> float:
        hw, x, width = obs["half"][0], obs["ship"], obs["width"]

        def rank(c: float) -> tuple[float, float]:
            edge = min(c - hw, width - hw - c)
            return min(self._first_hit(obs, c), 99.0), -abs(c - x) - (40 if edge < 30 else 0)

        return max((hw + i * 12.0 for i in range(int((width - 2 * hw) // 12) + 1)), key=rank)


BOT = DodgerBot
