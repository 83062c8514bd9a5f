"""The playtest's player for merge (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import KEY_FOR, Bot, wait_change

from . import choose_move


class MergeBot(Bot):
    """Plays the policy the merge validator proves levels with (merge.choose_move) on the board on screen."""

    def probe(self) -> bool:
        obs = self.s.observe()
        direction = choose_move(obs["board"])
        if direction is None:
            return False
        self.s.press(KEY_FOR[direction])
        self.actions += 1
        return wait_change(self.s, lambda: self.s.observe()["board"], obs["board"], 500)

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status, obs = self.s.frame.evaluate("() => [GF_DEBUG.status, GF_DEBUG.observe()]")
            if status in ("won", "completed", "lost"):
                return
            if status != "playing" or obs["busy"]:
                self.s.wait(20)
                continue
            direction = choose_move(obs["board"])
            if direction is None:
                self.s.wait(50)
                continue
            self.s.press(KEY_FOR[direction])
            self.actions += 1
            self._settle(obs["moves"])

    def _settle(self, moves_before: int) -> None:
        """Wait until the move has landed and the board has settled (slide, merges, the new tile)."""
        for _ in range(40):
            obs = self.s.observe()
            if obs["moves"] != moves_before and not obs["busy"]:
                return
            self.s.wait(15)


BOT = MergeBot
