"""The playtest's player for mathquiz (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change

from . import compute


class MathQuizBot(Bot):
    """Reads the question on screen, works the answer out and taps its button."""

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            a, op, b = obs["question"]
            answer = compute(a, op, b)
            if answer not in obs["choices"]:
                self.notes.append(f"no button shows {a} {op} {b} = {answer}")
                return
            x, y, _, _ = obs["buttons"][obs["choices"].index(answer)]
            self.s.click(x, y)
            self.actions += 1
            wait_change(self.s, lambda: self.s.observe()["index"], obs["index"], 600)


BOT = MathQuizBot
