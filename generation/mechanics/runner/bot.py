"""The playtest's player for runner (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import GameSession, RealtimeBot

from . import RunnerLevel, RunnerParams, runner_plan


class RunnerBot(RealtimeBot):
    """Jumps where the runner's own search says (runner.runner_plan): the middle of each safe window."""

    def __init__(self, session: GameSession, hints) -> None:
        super().__init__(session, hints)
        self.plan: list[tuple[float, float, float]] = []
        self.planned_for = None

    def probe(self) -> bool:
        before = self.s.observe()["y"]
        self.s.press("Space")  # the first input starts the run, with a jump (the start is clear)
        self.actions += 1
        self.s.wait(120)
        return self.s.observe()["y"] != before

    def act(self, obs: dict) -> None:
        if not obs["started"]:
            self.s.press("Space")
            self.actions += 1
            return
        if obs["airborne"] or obs["frozen"]:
            self.s.wait(4)
            return
        if self.planned_for != obs["level"]:
            level = RunnerLevel.model_validate(self.s.level_data())
            params = RunnerParams.model_validate(self.s.frame.evaluate("() => GF.spec.params"))
            self.plan, self.planned_for = runner_plan(level, params), obs["level"]
        x = obs["x"]
        jump = next((p for p in self.plan if p[2] >= x), None)
        # Press early by the time a look and a key press take: the jump lands mid-window.
        if jump and x + obs["speed"] * self.lead() >= jump[0]:
            self.s.press("Space")
            self.actions += 1
            self.s.wait(30)
        else:
            self.s.wait(4)


BOT = RunnerBot
