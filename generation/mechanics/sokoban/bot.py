"""The playtest's player for sokoban (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change

from . import grid_with, solve_grid

LETTER_KEY = {"u": "ArrowUp", "d": "ArrowDown", "l": "ArrowLeft", "r": "ArrowRight"}


class SokobanBot(Bot):
    """Plays the solver's solution from the position on screen; replans when a step goes astray."""

    def _plan(self) -> str:
        obs = self.s.observe()
        grid = grid_with(self.s.level_data()["grid"], crates=obs["crates"], player=obs["player"])
        result = solve_grid(grid)
        return result.solution.moves if result.solution else ""

    def probe(self) -> bool:
        plan = self._plan()
        if not plan:
            return False
        before = self.s.observe()["player"]
        self.s.press(LETTER_KEY[plan[0].lower()])
        self.actions += 1
        return wait_change(self.s, lambda: self.s.observe()["player"], before, 400)

    def play(self, deadline: float) -> None:
        steps = {"u": (0, -1), "d": (0, 1), "l": (-1, 0), "r": (1, 0)}
        while time.monotonic() < deadline and not self.done():
            if self.s.status() != "playing":
                self.s.wait(30)
                continue
            plan = self._plan()
            if not plan:
                self.notes.append("the solver found no solution from the position on screen")
                return
            for letter in plan.lower():
                if time.monotonic() > deadline or self.s.status() != "playing":
                    break
                obs = self.s.observe()
                x, y = obs["player"]
                self.s.press(LETTER_KEY[letter])
                self.actions += 1
                dx, dy = steps[letter]
                if not wait_change(self.s, lambda: self.s.observe()["player"], [x, y], 400):
                    break
                if self.s.observe()["player"] != [x + dx, y + dy]:
                    self.notes.append("a step went astray: replanning")
                    break
                self.s.wait(25)


BOT = SokobanBot
