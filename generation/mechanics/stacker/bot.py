"""The playtest's player for stacker (`BOT`): real key presses, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import RealtimeBot

from . import slide


class StackerBot(RealtimeBot):
    """Works out when the slider will next sit wholly over the row below and presses Space in the
    middle of that step, allowing for the page's round trip."""

    def probe(self) -> bool:
        before = self.s.observe()["row"]
        self.s.press("Space")
        self.actions += 1
        self.s.wait(150)
        return self.s.observe()["row"] != before

    def act(self, obs: dict) -> None:
        below = obs["below"]
        if below is None:  # the first row lands anywhere
            self.s.press("Space")
            self.actions += 1
            self.s.wait(120)
            return
        step, since, width = obs["step"], obs["since"], obs["width"]
        lead_ms = 1000 * self.lead()
        for k in range(2 * obs["cols"] + 2):
            x, _ = slide(obs["x"], obs["dir"], k, obs["cols"], width)
            if not below[0] <= x <= below[0] + below[1] - width:
                continue
            middle = k * step - since + step / 2  # ms from the look to the middle of that step
            if middle - lead_ms >= 0:
                self.s.wait(max(0.0, middle - lead_ms))
                self.s.press("Space")
                self.actions += 1
                self.s.wait(80)
                return
        self.s.wait(20)


BOT = StackerBot
