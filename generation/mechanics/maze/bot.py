"""The playtest's player for maze (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time

from generation.playtest import KEY_FOR, STEP, Bot, bfs_path


class MazeBot(Bot):
    """Walks the BFS path, picking up coins on the way when they are close, giving ghosts a wide berth."""

    def _next_step(self, obs, grid):
        width, height = obs["width"], obs["height"]
        player = tuple(obs["player"])
        exit_cell = tuple(obs["exit"])
        coins = {tuple(c) for c in obs["coins"]}
        ghosts = {tuple(g) for g in obs["ghosts"]}
        near_ghosts = ghosts | {(x + dx, y + dy) for x, y in ghosts for dx, dy in STEP.values()}

        def open_cell(cell):
            return grid[cell[1]][cell[0]] != "#"

        for avoid in (near_ghosts, ghosts):

            def passable(cell, avoid=avoid):
                return open_cell(cell) and cell not in avoid

            to_coin = bfs_path(player, lambda c: c in coins, passable, width, height) if coins else None
            to_exit = bfs_path(player, lambda c: c == exit_cell, passable, width, height)
            if to_coin and (to_exit is None or len(to_coin) <= 6) and not ghosts & {tuple(c) for c in coins}:
                return to_coin[0]
            if to_exit:
                return to_exit[0]
        if ghosts:
            # cornered: step to the open neighbour farthest from the nearest ghost (or stay put)
            def distance(cell):
                return min(abs(cell[0] - gx) + abs(cell[1] - gy) for gx, gy in ghosts)

            options = [
                (distance((player[0] + dx, player[1] + dy)), direction)
                for direction, (dx, dy) in STEP.items()
                if open_cell((player[0] + dx, player[1] + dy))
            ]
            best = max(options, default=None)
            return best[1] if best and best[0] > distance(player) else None
        free = bfs_path(player, lambda c: c == exit_cell, open_cell, width, height)
        return free[0] if free else None

    def probe(self) -> bool:
        grid = self.s.level_data()["grid"]
        obs = self.s.observe()
        step = self._next_step(obs, grid)
        if step is None:
            return False
        self.s.press(KEY_FOR[step])
        self.actions += 1
        self.s.wait(120)
        return self.s.observe()["player"] != obs["player"]

    def play(self, deadline: float) -> None:
        grid = self.s.level_data()["grid"]
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            if status != "playing":
                self.s.wait(30)
                continue
            obs = self.s.observe()
            step = self._next_step(obs, grid)
            if step is None:
                self.s.wait(50)
                continue
            self.s.press(KEY_FOR[step])
            self.actions += 1
            self.s.wait(35)


BOT = MazeBot
