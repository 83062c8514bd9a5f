"""The playtest's player for platformer (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import GameSession, RealtimeBot

from . import PlatformerLevel, PlatformerParams, hop_points, platformer_route


class PlatformerBot(RealtimeBot):
    """Follows the validator's route (platformer.platformer_route) foothold by foothold: walks to the
    take-off point, jumps holding the key to the top of the arc, steers in the air onto the next one."""

    def __init__(self, session: GameSession, hints) -> None:
        super().__init__(session, hints)
        self.held: str | None = None
        self.jumping = False
        self.aim: float | None = None
        self.level_no = None

    def probe(self) -> bool:
        before = self.s.observe()["x"]
        self.s.page.keyboard.down("ArrowRight")
        self.s.wait(150)
        self.s.page.keyboard.up("ArrowRight")
        self.actions += 1
        return self.s.observe()["x"] != before

    def _hold(self, key: str | None) -> None:
        if key == self.held:
            return
        if self.held:
            self.s.page.keyboard.up(self.held)
        if key:
            self.s.page.keyboard.down(key)
        self.held = key

    def _steer(self, x: float, target: float, tolerance: float) -> None:
        key = "ArrowRight" if x < target - tolerance else "ArrowLeft" if x > target + tolerance else None
        self._hold(key)

    def play(self, deadline: float) -> None:
        try:
            super().play(deadline)
        finally:
            self._hold(None)
            if self.jumping:
                self.s.page.keyboard.up("Space")

    def act(self, obs: dict) -> None:
        if self.level_no != obs["level"]:
            self.level = PlatformerLevel.model_validate(self.s.level_data())
            self.params = PlatformerParams.model_validate(self.s.frame.evaluate("() => GF.spec.params"))
            self.level_no = obs["level"]
        x, y = obs["x"], obs["y"]
        if self.jumping and obs["vy"] <= 0:  # the top of the arc: let go of the jump key
            self.s.page.keyboard.up("Space")
            self.jumping = False
        if not obs["grounded"]:
            if self.aim is not None:
                self._steer(x, self.aim, 5)
            self.s.wait(4)
            return
        route = platformer_route(self.level, self.params, at=(x, y))
        if len(route) < 2:
            if not route:
                self.notes.append(f"no route from ({x:.0f}, {y:.0f})")
            self.aim = self.level.goal[0]
            self._steer(x, self.aim, 2)
            self.s.wait(4)
            return
        takeoff, land = hop_points(route[0], route[1], self.params)
        direction = 1 if land >= x else -1
        enemy_ahead = any(abs(ey - y) < 2 and 0 < (ex - x) * direction < 70 for ex, ey in obs["enemies"])
        seen = x + obs["vx"] * self.lead()  # where the player is when the key arrives
        if abs(seen - takeoff) > 7 and not enemy_ahead:
            self._steer(x, takeoff, 7)
            self.s.wait(4)
            return
        # Over an enemy in the way: a jump that comes down further along the same foothold.
        self.aim = land if not enemy_ahead else max(route[0].lo, min(route[0].hi, x + direction * 120))
        self._steer(x, self.aim, 2)
        self.s.page.keyboard.down("Space")
        self.jumping = True
        self.actions += 1
        self.s.wait(40)


BOT = PlatformerBot
