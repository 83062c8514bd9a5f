"""The playtest's player for asteroids (`BOT`): real mouse clicks, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math

from generation.playtest import RealtimeBot


class AsteroidsBot(RealtimeBot):
    """Clicks where the most pressing rock will be when a shot gets there: the ship turns to it and
    fires. Rocks coming at the ship go first, then the quickest to hit."""

    def probe(self) -> bool:
        obs = self.s.observe()
        (sx, sy), (ox, oy) = obs["ship"], obs["origin"]
        self.s.click(ox + sx + 150, oy + sy)  # to the right: the ship turns from pointing up
        self.actions += 1
        self.s.wait(250)
        return abs(self.s.observe()["angle"] - obs["angle"]) > 5

    @staticmethod
    def _intercept(dx: float, dy: float, vx: float, vy: float, speed: float) -> float:
        """Seconds until a shot at `speed` meets a rock at (dx, dy) moving (vx, vy) from the ship."""
        a = vx * vx + vy * vy - speed * speed
        b = 2 * (dx * vx + dy * vy)
        c = dx * dx + dy * dy
        disc = b * b - 4 * a * c
        if a >= 0 or disc < 0:
            return math.hypot(dx, dy) / speed
        return max(0.0, (-b - math.sqrt(disc)) / (2 * a))

    def act(self, obs: dict) -> None:
        if not obs["rocks"]:
            self.s.wait(30)
            return
        (sx, sy), (ox, oy) = obs["ship"], obs["origin"]
        lead = self.lead() + 0.05
        best = None
        for x, y, vx, vy, r in obs["rocks"]:
            dx, dy = x + vx * lead - sx, y + vy * lead - sy
            t = self._intercept(dx, dy, vx, vy, obs["shot_speed"])
            ax, ay = dx + vx * t, dy + vy * t
            turn = (
                abs((math.degrees(math.atan2(ay, ax)) - obs["angle"] + 540) % 360 - 180) / obs["turn_speed"]
            )
            # closest approach to the ship within the next two seconds: a threat goes first
            tc = max(0.0, min(2.0, -(dx * vx + dy * vy) / max(1e-6, vx * vx + vy * vy)))
            miss = math.hypot(dx + vx * tc, dy + vy * tc) - r
            score = t + turn - (3.0 if miss < 60 else 0.0)
            if best is None or score < best[0]:
                best = (score, ax, ay)
        _, ax, ay = best
        norm = max(1e-6, math.hypot(ax, ay))
        reach = min(norm, 180.0)  # click near the ship, inside the field: only the direction counts
        self.s.click(ox + sx + ax / norm * reach, oy + sy + ay / norm * reach)
        self.actions += 1
        self.s.wait(15)


BOT = AsteroidsBot
