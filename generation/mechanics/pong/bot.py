"""The playtest's player for pong (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import math

from generation.playtest import RealtimeBot

from . import BALL_R, MAX_BOUNCE, SHOT_OFFSET, reflect


class PongBot(RealtimeBot):
    """Serves, then meets every ball where it will arrive, hitting it with the end of the paddle
    that sends it farthest from the computer's paddle."""

    def probe(self) -> bool:
        obs = self.s.observe()
        ox, oy = obs["origin"]
        target = obs["player"] - 120 if obs["player"] > obs["field"][0] / 2 else obs["player"] + 120
        self.s.move(ox + target, oy + obs["player_hit_y"])
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["player"] - obs["player"]) > 10

    def act(self, obs: dict) -> None:
        ox, oy = obs["origin"]
        width = obs["field"][0]
        y = oy + obs["player_hit_y"] + 10
        if obs["serving"]:
            self.s.click(ox + obs["player"], y)
            self.actions += 1
            self.s.wait(60)
            return
        bx, by = obs["ball"]
        vx, vy = obs["vel"]
        if vy > 0:
            t = (obs["player_hit_y"] - by) / vy
            arrive = reflect(bx + vx * max(0.0, t), BALL_R, width - BALL_R)
            offset = self._offset(obs, arrive, width)
            target = arrive - offset * obs["player_w"] / 2
        else:
            target = width / 2 + (bx - width / 2) * 0.5  # halfway between the middle and the ball
        self.s.move(ox + target, y)
        self.actions += 1
        self.s.wait(10)

    @staticmethod
    def _offset(obs: dict, arrive: float, width: float) -> float:
        """Of the offsets the bot can hit, the one whose return lands farthest from the middle."""
        speed = obs["speed"]
        travel = obs["player_hit_y"] - obs["cpu_hit_y"]
        best, best_gap = 0.0, -1.0
        for k in range(-3, 4):  # not quite the paddle's ends: a little lag must not miss the ball
            offset = 0.75 * SHOT_OFFSET * k / 3
            angle = offset * MAX_BOUNCE
            flight = travel / (speed * math.cos(angle))
            landing = reflect(arrive + speed * math.sin(angle) * flight, BALL_R, width - BALL_R)
            gap = abs(landing - width / 2)  # the computer drifts back to the middle meanwhile
            if gap > best_gap:
                best, best_gap = offset, gap
        return best


BOT = PongBot
