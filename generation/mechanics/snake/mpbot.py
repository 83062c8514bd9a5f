"""The multiplayer playtest's players for snake's battle (`BOT_PAIR`): arrow keys, one look per step."""

from __future__ import annotations

from generation.playtest import KEY_FOR, STEP
from generation.playtest_multiplayer import MultiplayerBot

from .bot import SnakeBot


class SnakeBattleBot(MultiplayerBot):
    """The solo bot's choice (shortest safe way to the food, no small pockets), with the other snakes'
    bodies as walls and the cells next to their heads avoided (a head-on crash ends both)."""

    def __init__(self, session, seat: int) -> None:
        super().__init__(session, seat)
        self.solo = SnakeBot(session, None)
        self.last_board = -1
        self.walls: set | None = None

    def step(self) -> None:
        state = self.s.frame.evaluate("() => ({status: GF_DEBUG.status, obs: GF_DEBUG.observe()})")
        obs = state["obs"]
        if state["status"] != "playing" or not obs.get("battle") or not obs["alive"]:
            return
        if obs["board"] == self.last_board:
            return
        self.last_board = obs["board"]
        if self.walls is None:
            self.walls = {tuple(w) for w in self.s.level_data()["walls"]}
        blocked = set(self.walls)
        for other in obs["others"]:
            if not other["alive"]:
                continue
            cells = [tuple(c) for c in other["body"]]
            blocked.update(cells)
            hx, hy = cells[0]
            blocked.update((hx + dx, hy + dy) for dx, dy in STEP.values())
        direction = self.solo._decide(obs, blocked)
        if direction and direction != obs["dir"]:
            self.s.press(KEY_FOR[direction])
            self.actions += 1


BOT_PAIR = (SnakeBattleBot, SnakeBattleBot)
