"""The playtest's player for the catcher (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import RealtimeBot


class CatcherBot(RealtimeBot):
    """Of the places the basket can head for, points the mouse at the one that catches the most good
    things soonest over the next moments without catching a bad one."""

    HORIZON_S = 1.6
    MARGIN = 10

    def probe(self) -> bool:
        obs = self.s.observe()
        ox, oy = obs["origin"]
        target = obs["basket"] - 120 if obs["basket"] > obs["width"] / 2 else obs["basket"] + 120
        self.s.move(ox + target, oy + obs["y"])
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["basket"] - obs["basket"]) > 10

    def act(self, obs: dict) -> None:
        ox, oy = obs["origin"]
        self.s.move(ox + self._choose(obs), oy + obs["y"])
        self.actions += 1
        self.s.wait(10)

    def _value(self, obs: dict, target: float) -> float:
        x, speed, reach = obs["basket"], obs["speed"], obs["reach"]
        latency = max(0.06, self.lead())
        value = 0.0
        for tx, ty, vy, bad in obs["things"]:
            t = (obs["y"] - ty) / vy
            if t < 0 or t > self.HORIZON_S:
                continue
            step = speed * max(0.0, t - latency)
            at = x + max(-step, min(step, target - x))
            gap = abs(tx - at)
            if bad and gap < reach + self.MARGIN:
                value -= 100 / (0.2 + t)
            elif not bad and gap <= reach - 8:
                value += 1 / (0.3 + t)
        return value

    def _choose(self, obs: dict) -> float:
        half, x, width = obs["half"], obs["basket"], obs["width"]
        candidates = [half + i * 8.0 for i in range(int((width - 2 * half) // 8) + 1)]
        return max(candidates, key=lambda c: (self._value(obs, c), -abs(c - x)))


BOT = CatcherBot
