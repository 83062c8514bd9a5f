"""The playtest's player for wordsearch (`BOT`): real mouse drags, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change

from . import occurrences


class WordsearchBot(Bot):
    """Reads the grid, finds each listed word in it (any direction) and drags across it."""

    def _drag(self, geometry, start, end) -> None:
        x0, y0, cell, _ = geometry
        page = self.s.page
        sx, sy = self.s.to_page(x0 + start[1] * cell + cell / 2, y0 + start[0] * cell + cell / 2)
        ex, ey = self.s.to_page(x0 + end[1] * cell + cell / 2, y0 + end[0] * cell + cell / 2)
        page.mouse.move(sx, sy)
        page.mouse.down()
        page.mouse.move((sx + ex) / 2, (sy + ey) / 2, steps=3)
        page.mouse.move(ex, ey, steps=3)
        page.mouse.up()
        self.actions += 1

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing":
                self.s.wait(40)
                continue
            left = [w for w in obs["words"] if w not in obs["found"]]
            if not left:
                self.s.wait(40)
                continue
            word = left[0]
            spots = occurrences(obs["grid"], word)
            if len(spots) != 1:
                self.notes.append(f"{word!r} is in the grid {len(spots)} times")
                return
            r, c, dr, dc = spots[0]
            self._drag(obs["geometry"], (r, c), (r + dr * (len(word) - 1), c + dc * (len(word) - 1)))
            wait_change(self.s, lambda: len(self.s.observe()["found"]), len(obs["found"]), 600)


BOT = WordsearchBot
