"""The playtest's player for unscramble (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change

from .._words import anagram_index, anagram_key


class UnscrambleBot(Bot):
    """Solves each scramble from the word lists (the one word its letters spell) and taps its tiles."""

    def probe(self) -> bool:
        before = self.s.observe()["typed"]
        self.s.press("Space")  # places the tile under the cursor
        self.actions += 1
        changed = wait_change(self.s, lambda: self.s.observe()["typed"], before, 600)
        self.s.press("Backspace")
        return changed

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            while obs["typed"]:  # start the word afresh
                self.s.press("Backspace")
                obs = self.s.observe()
            words = anagram_index(obs["language"]).get(anagram_key(obs["letters"]), ())
            if len(words) != 1:
                self.notes.append(f"the letters {obs['letters']!r} spell {len(words)} words")
                return
            free = [dict(t, i=i) for i, t in enumerate(obs["tiles"])]
            for letter in words[0]:
                tile = next(t for t in free if t["letter"] == letter)
                free.remove(tile)
                self.s.click(tile["x"], tile["y"])
                self.actions += 1
            wait_change(self.s, lambda: self.s.observe()["index"], obs["index"], 1500)


BOT = UnscrambleBot
