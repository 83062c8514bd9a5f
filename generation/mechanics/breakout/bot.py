"""The playtest's player for breakout (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math
import time

from generation.playtest import Bot


class BreakoutBot(Bot):
    """Moves the paddle under where the ball will land, angled towards the lowest brick."""

    MAX_BOUNCE = math.radians(62)

    def probe(self) -> bool:
        obs = self.s.observe()
        x, y = obs["paddle"][0], obs["paddle"][1]
        self.s.move(x, y)
        target = 140 if x > 270 else 400
        self.s.move(target, y)
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["paddle"][0] - x) > 20

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            if status != "playing":
                self.s.wait(30)
                continue
            obs = self.s.observe()
            px, py, pw = obs["paddle"]
            left, top, right, _ = obs["bounds"]
            if obs["attached"]:
                self.s.click(px + 17, py)  # slightly off-centre: an angled launch
                self.actions += 1
                self.s.wait(50)
                continue
            bx, by = obs["ball"]
            vx, vy = obs["vel"]
            if vy > 0:
                land = self._landing(bx, by, vx, vy, py - 20, left + 9, right - 9)
                target = self._aim(land, py, obs["bricks"], pw)
            else:
                target = bx
            self.s.move(max(left, min(right, target)), py)
            self.actions += 1
            self.s.wait(12)

    @staticmethod
    def _landing(x, y, vx, vy, floor_y, lo, hi):
        t = (floor_y - y) / vy
        x = x + vx * t
        width = hi - lo
        x = (x - lo) % (2 * width)
        return lo + (x if x <= width else 2 * width - x)

    def _aim(self, land_x, paddle_y, bricks, paddle_w):
        if not bricks:
            return land_x
        bx, by = min(bricks, key=lambda b: (-b[1], abs(b[0] - land_x)))[:2]
        angle = math.atan2(bx - land_x, paddle_y - by)
        offset = max(-0.85, min(0.85, angle / self.MAX_BOUNCE))
        return land_x - offset * paddle_w / 2


BOT = BreakoutBot
