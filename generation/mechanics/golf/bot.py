"""The playtest's player for golf (`BOT`): real mouse drags, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math
import time

from generation.playtest import Bot

from . import GolfLevel
from .course import plan_putts, putt_aim

# The drag is made around the middle of the game, so that neither end leaves the canvas.
MIDDLE = (270.0, 480.0)


class GolfBot(Bot):
    """Plays the validator's own plan (course.plan_putts: straight putts that touch nothing), one
    drag per putt, planned again from wherever the ball came to rest."""

    def probe(self) -> bool:
        before = self.s.observe()["power"]
        self._press(MIDDLE)
        self.s.move(MIDDLE[0], MIDDLE[1] + 70)
        self.s.wait(120)
        changed = abs(self.s.observe()["power"] - before) > 0.05
        self.s.move(MIDDLE[0], MIDDLE[1])  # let back to where it began: no putt
        self.s.page.mouse.up()
        self.actions += 1
        self.s.wait(80)
        return changed

    def play(self, deadline: float) -> None:
        level = GolfLevel.model_validate(self.s.level_data())
        max_putt = float(self.s.frame.evaluate("() => GF.spec.params.max_putt"))
        plan = plan_putts(level, max_putt) or []
        self.notes.append(f"plan of {len(plan)} putts")
        while time.monotonic() < deadline:
            if self.s.status() in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if not obs.get("ready"):
                self.s.wait(60)
                continue
            ox, oy = obs["origin"]
            cell = obs["cell"]
            here = ((obs["ball"][0] - ox) / cell, (obs["ball"][1] - oy) / cell)
            plan = plan_putts(level, max_putt, start=here) or plan
            if not plan:
                self.notes.append("no plan left")
                return
            target = plan.pop(0)
            self._putt(*putt_aim(here, target, max_putt), obs["pull"])
            self.s.wait(250)

    def _press(self, at: tuple[float, float]) -> None:
        self.s.move(*at)
        self.s.page.mouse.down()

    def _putt(self, angle: float, power: float, pull: float) -> None:
        """Pull back against the aim by power x the full pull, through the middle, and let go."""
        length = power * pull
        dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
        self._press((MIDDLE[0] + dx, MIDDLE[1] + dy))
        self.s.move(MIDDLE[0], MIDDLE[1])
        self.s.move(MIDDLE[0] - dx, MIDDLE[1] - dy)
        self.s.page.mouse.up()
        self.actions += 1


BOT = GolfBot
