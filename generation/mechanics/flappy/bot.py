"""The playtest's player for flappy (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import GameSession, RealtimeBot

from . import FlappyLevel, FlappyParams, Flight, pilot_aims


class FlappyBot(RealtimeBot):
    """Flies like the validator's test pilot (flappy.pilot_aims): flaps whenever the bird, by the
    time the key lands, would sink below the pilot's aim for the next pipe."""

    LOOKAHEAD_S = 0.05  # about the time a key press takes to arrive

    def __init__(self, session: GameSession, hints) -> None:
        super().__init__(session, hints)
        self.aims: list[float] = []
        self.aims_for = None

    def probe(self) -> bool:
        before = self.s.observe()["y"]
        self.s.press("Space")
        self.actions += 1
        self.s.wait(150)
        return self.s.observe()["y"] != before

    def act(self, obs: dict) -> None:
        if self.aims_for != obs["level"]:
            level = FlappyLevel.model_validate(self.s.level_data())
            params = FlappyParams.model_validate(self.s.frame.evaluate("() => GF.spec.params"))
            self.aims, self.aims_for = pilot_aims(level, Flight.of(level, params)), obs["level"]
        t = max(self.LOOKAHEAD_S, self.lead())
        ahead = obs["y"] + obs["vy"] * t + obs["gravity"] * t * t / 2
        aim = self.aims[min(obs["passed"], len(self.aims) - 1)]
        if obs["waiting"] or (ahead > aim and obs["vy"] > -obs["flap"] * 0.25):
            self.s.press("Space")
            self.actions += 1
            self.s.wait(25)
        else:
            self.s.wait(4)


BOT = FlappyBot
