"""The playtest's player for rhythm (`BOT`): real key presses, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import RealtimeBot

KEYS = ("ArrowLeft", "ArrowDown", "ArrowUp", "ArrowRight")


class RhythmBot(RealtimeBot):
    """Waits for the next note (or chord) to reach the line, allowing for the page's round trip,
    and presses its lanes' keys; looks again while the note is still far off."""

    def probe(self) -> bool:
        before = self.s.observe()["presses"]
        self.s.press(KEYS[0])
        self.actions += 1
        self.s.wait(100)
        return self.s.observe()["presses"] != before

    def act(self, obs: dict) -> None:
        upcoming = [note for note in obs["upcoming"] if note[0] >= obs["clock"] - obs["window"] / 2]
        if not upcoming:
            self.s.wait(30)
            return
        at = upcoming[0][0]
        delay = at - obs["clock"] - self.lead()
        if delay > 0.25:  # far off: look again closer to it, when the clock is fresher
            self.s.wait(1000 * min(delay - 0.15, 0.4))
            return
        if delay > 0:
            self.s.wait(1000 * delay)
        for lane in sorted({lane for t, lane in upcoming if abs(t - at) < 1e-6}):
            self.s.press(KEYS[lane])
            self.actions += 1
        self.s.wait(40)


BOT = RhythmBot
