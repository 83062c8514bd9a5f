"""The multiplayer playtest's players for mathquiz's duel (`BOT_PAIR`): real clicks, one look per step."""

from __future__ import annotations

import random

from generation.playtest_multiplayer import MultiplayerBot

from . import compute


class MathQuizDuelBot(MultiplayerBot):
    """Works the answer out and taps it; now and then (seeded by its seat) it taps a wrong one, as a
    hurried player does, so the duel has both a race and lock-outs."""

    WRONG_SHARE = 0.25

    def __init__(self, session, seat: int) -> None:
        super().__init__(session, seat)
        self.rng = random.Random(seat)

    def step(self) -> None:
        state = self.s.frame.evaluate("() => ({status: GF_DEBUG.status, obs: GF_DEBUG.observe()})")
        obs = state["obs"]
        if state["status"] != "playing" or not obs.get("duel") or obs["busy"] or obs["sent"]:
            return
        a, op, b = obs["question"]
        answer = compute(a, op, b)
        choices = obs["choices"]
        wrong = [i for i, value in enumerate(choices) if value != answer]
        if answer not in choices or (wrong and self.rng.random() < self.WRONG_SHARE):
            pick = self.rng.choice(wrong)
        else:
            pick = choices.index(answer)
        x, y, _, _ = obs["buttons"][pick]
        self.s.click(x, y)
        self.actions += 1


BOT_PAIR = (MathQuizDuelBot, MathQuizDuelBot)
