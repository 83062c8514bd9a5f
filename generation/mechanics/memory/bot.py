"""The playtest's player for memory (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import Bot, wait_change


class MemoryBot(Bot):
    """Perfect memory: remembers every face it has seen, turns known pairs, otherwise a new card."""

    def _click(self, obs, index: int) -> None:
        x0, y0, cw, ch, gap = obs["grid"]
        r, c = divmod(index, obs["cols"])
        self.s.click(x0 + c * (cw + gap) + cw / 2, y0 + r * (ch + gap) + ch / 2)
        self.actions += 1

    def play(self, deadline: float) -> None:
        known: dict[int, int] = {}
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            cards = obs["cards"]
            for i, card in enumerate(cards):
                if card["state"] == "up":
                    known[i] = card["face"]
                elif card["state"] == "matched":
                    known.pop(i, None)
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            down = [i for i, card in enumerate(cards) if card["state"] == "down"]
            unseen = [i for i in down if i not in known]
            pick = None
            if obs["open"]:
                first = obs["open"][0]
                mate = [i for i in down if known.get(i) == known.get(first) and i != first]
                pick = mate[0] if mate else (unseen[0] if unseen else (down[0] if down else None))
            else:
                faces: dict[int, int] = {}
                for i in down:
                    if i in known:
                        if known[i] in faces:
                            pick = faces[known[i]]
                            break
                        faces[known[i]] = i
                if pick is None:
                    pick = unseen[0] if unseen else (down[0] if down else None)
            if pick is None:
                self.s.wait(40)
                continue
            self._click(obs, pick)
            wait_change(self.s, lambda i=pick: self.s.observe()["cards"][i]["state"], "down", 400)


BOT = MemoryBot
