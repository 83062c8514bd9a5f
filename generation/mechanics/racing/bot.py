"""The playtest's player for racing (`BOT`): real arrow keys, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math

from generation.playtest import RealtimeBot


class RacingBot(RealtimeBot):
    """Plans the lanes of the rows ahead with the validator's search (how many lane changes fit
    before each row) and steps one lane towards the plan's first lane."""

    def probe(self) -> bool:
        obs = self.s.observe()
        self.s.press("ArrowLeft" if obs["lane"] > 0 else "ArrowRight")
        self.actions += 1
        self.s.wait(150)
        return self.s.observe()["lane"] != obs["lane"]

    def _plan(self, obs: dict) -> int:
        """The lane to be in when the first row ahead passes."""
        speed, window, step_s = obs["speed"], obs["window"], obs["lane_ms"] / 1000
        latency = max(0.06, self.lead())
        sets: list[dict[int, int]] = []  # per row: lane -> the lane of the row before
        here = {obs["lane"]: obs["lane"]}
        ahead_start = None
        for _, rel, row in obs["ahead"]:
            start = rel - window  # pixels of road before the car reaches this row
            if ahead_start is None:
                moves = max(0, math.floor((start / speed - latency) / step_s)) if start > 0 else 0
            else:
                moves = max(0, math.floor(((start - ahead_start) / speed - 2 * window / speed) / step_s))
            ahead_start = start
            nxt = {}
            for lane in range(obs["lanes"]):
                if row[lane] == "x":
                    continue
                near = [was for was in here if abs(was - lane) <= moves]
                if near:
                    nxt[lane] = min(near, key=lambda was: abs(was - lane))
            if not nxt:
                break
            sets.append(nxt)
            here = nxt
        if not sets:
            return obs["lane"]
        lane = min(sets[-1], key=lambda ln: abs(ln - obs["lane"]))
        for level in reversed(sets[1:]):
            lane = level[lane]
        return lane

    def act(self, obs: dict) -> None:
        want = self._plan(obs)
        if want != obs["lane"]:
            self.s.press("ArrowLeft" if want < obs["lane"] else "ArrowRight")
            self.actions += 1
        self.s.wait(15)


BOT = RacingBot
