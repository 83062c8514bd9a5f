"""The playtest's player for snake (`BOT`): real keyboard and mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

import time
from typing import ClassVar

from generation.playtest import KEY_FOR, STEP, Bot, bfs_path


class SnakeBot(Bot):
    """Shortest safe way to the food, avoiding pockets smaller than itself and turns that kill when late.

    A key press takes effect at the snake's next step; when the browser answers slowly the turn
    lands one cell later, so among equally short moves the bot prefers those that survive that.
    """

    OPPOSITE: ClassVar[dict[str, str]] = {"up": "down", "down": "up", "left": "right", "right": "left"}

    def probe(self) -> bool:
        before = self.s.observe()["dir"]
        turn = "ArrowUp" if before in ("left", "right") else "ArrowLeft"
        self.s.press(turn)
        self.actions += 1
        self.s.wait(60)
        return self.s.observe()["dir"] != before

    def play(self, deadline: float) -> None:
        level = self.s.level_data()
        walls = {tuple(w) for w in level["walls"]}
        last_head = None
        while time.monotonic() < deadline:
            state = self.s.frame.evaluate("() => ({status: GF_DEBUG.status, obs: GF_DEBUG.observe()})")
            if state["status"] in ("won", "completed", "lost"):
                return
            if state["status"] != "playing":
                self.s.wait(30)
                continue
            obs = state["obs"]
            head = tuple(obs["head"])
            if head == last_head:
                self.s.wait(4)
                continue
            last_head = head
            direction = self._decide(obs, walls)
            if direction and direction != obs["dir"]:
                self.s.press(KEY_FOR[direction])
                self.actions += 1

    def _decide(self, obs, walls):
        width, height, wrap = obs["width"], obs["height"], obs["wrap"]
        body = [tuple(c) for c in obs["body"]]
        blocked = walls | set(body[:-1])
        head, current = body[0], obs["dir"]
        food = tuple(obs["food"]) if obs["food"] else None

        def step(cell, direction):
            if cell is None:
                return None
            x, y = cell[0] + STEP[direction][0], cell[1] + STEP[direction][1]
            if wrap:
                return x % width, y % height
            return (x, y) if 0 <= x < width and 0 <= y < height else None

        def free(cell):
            return cell is not None and cell not in blocked

        candidates = []
        for direction in STEP:
            nxt = step(head, direction)
            if direction == self.OPPOSITE[current] or not free(nxt):
                continue
            if food is None:
                distance = 0
            elif nxt == food:
                distance = 1
            else:
                path = bfs_path(nxt, lambda c: c == food, free, width, height, wrap)
                distance = len(path) + 1 if path is not None else None
            room = len(self._flood(nxt, free, width, height, wrap))
            straight = step(head, current)
            late_safe = direction == current or (free(straight) and free(step(straight, direction)))
            candidates.append((direction, distance, room, late_safe))
        if not candidates:
            return None
        needed = min(len(body) + 2, 60)

        def cost(candidate):
            _, distance, room, late_safe = candidate
            return (room < needed, distance is None, (distance or 0) + (0 if late_safe else 2), -room)

        return min(candidates, key=cost)[0]

    @staticmethod
    def _flood(start, passable, width, height, wrap):
        seen = {start}
        stack = [start]
        while stack and len(seen) < 400:
            x, y = stack.pop()
            for dx, dy in STEP.values():
                nx, ny = x + dx, y + dy
                if wrap:
                    nx, ny = nx % width, ny % height
                if 0 <= nx < width and 0 <= ny < height and (nx, ny) not in seen and passable((nx, ny)):
                    seen.add((nx, ny))
                    stack.append((nx, ny))
        return seen


BOT = SnakeBot
