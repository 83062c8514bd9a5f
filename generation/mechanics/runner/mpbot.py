"""The multiplayer playtest's players for runner's race (`BOT_PAIR`): the Space key, one look per step."""

from __future__ import annotations

import time

from generation.playtest_multiplayer import MultiplayerBot

from .bot import RunnerBot


class RunnerRaceBot(MultiplayerBot):
    """The solo bot's jumps (runner_plan: the middle of each safe window), one look at a time."""

    def __init__(self, session, seat: int) -> None:
        super().__init__(session, seat)
        self.solo = RunnerBot(session, None)

    def step(self) -> None:
        started = time.monotonic()
        obs = self.s.observe()
        self.solo.rtt = 0.7 * self.solo.rtt + 0.3 * min(0.5, time.monotonic() - started)
        if not obs.get("race") or not obs.get("playing") or obs.get("finished") or not obs.get("started"):
            return
        before = self.solo.actions
        self.solo.act(obs)
        self.actions += self.solo.actions - before


BOT_PAIR = (RunnerRaceBot, RunnerRaceBot)
