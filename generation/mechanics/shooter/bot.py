"""The playtest's player for the shooter (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import RealtimeBot


class ShooterBot(RealtimeBot):
    """Points the ship under the lowest invader, where it will be when a shot gets there, and steps
    aside from any bomb that would hit it within the next second."""

    HORIZON_S = 1.0
    MARGIN = 10

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

    def _aim(self, obs: dict) -> float:
        """Where the lowest invader nearest the ship will be when a shot fired now reaches it."""
        if not obs["aliens"]:
            return obs["ship"]
        x, y, _ = max(obs["aliens"], key=lambda a: (round(a[1]), -abs(a[0] - obs["ship"])))
        flight = (obs["y"] - y) / obs["shot_speed"] + self.lead()
        left, _, width = obs["box"]
        shift = obs["march"] * flight
        if not 0 <= left + shift <= obs["width"] - width:  # it turns at the edge first: aim where it is
            shift = 0
        return x + shift

    def _danger(self, obs: dict, target: float) -> float:
        """How soon a bomb hits the ship heading for `target` (0 = never within the horizon)."""
        hw, hh = obs["half"]
        x, y, speed = obs["ship"], obs["y"], obs["speed"]
        latency = max(0.06, self.lead())
        soonest = 0.0
        for bx, by, vy in obs["bombs"]:
            if by > y + hh:
                continue
            t = max(0.0, (y - hh - by - 10) / vy)
            if t > self.HORIZON_S:
                continue
            step = speed * max(0.0, t - latency)
            sx = x + max(-step, min(step, target - x))
            if abs(bx - sx) < hw + 10 + self.MARGIN:
                soonest = max(soonest, self.HORIZON_S + 1 - t)
        return soonest

    def _choose(self, obs: dict) -> float:
        hw, width = obs["half"][0], obs["width"]
        aim = self._aim(obs)
        candidates = [hw + i * 8.0 for i in range(int((width - 2 * hw) // 8) + 1)]
        return min(candidates, key=lambda c: (self._danger(obs, c), abs(c - aim)))


BOT = ShooterBot
