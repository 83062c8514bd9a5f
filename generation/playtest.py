"""The playtest: the quality gate every bundle passes before anyone sees it.

A local HTTP server (a thread on 127.0.0.1, random port) serves a host page that embeds the
bundle in `<iframe sandbox="allow-scripts">`, with the real player page's CSP on the bundle.
Playwright (sync API) drives Debian's Chromium; the report records console errors, whether
the canvas is blank (pixel variance of a screenshot of the iframe), whether input changes
the frame, what a per-mechanic bot achieves (level started, score moved, the expected events
relayed through postMessage, level 1 completed), and frames per second.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.server
import io
import json
import math
import mimetypes
import os
import random
import shutil
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageChops, ImageStat

from generation import limits
from generation.bundle import MANIFEST, phaser_path
from generation.mechanics import mechanic_get
from generation.mechanics.match3 import possible_swaps

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
    "--disable-dev-shm-usage",
]
PHASER_URL_PREFIX = "/static/vendor/phaser/"
MAX_RECORDED_ERRORS = 50
BUNDLE_PREFIX = "/bundle/"


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def sandbox_csp(host_origin: str) -> str:
    """The Content-Security-Policy the player page serves every bundle with."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'none'; "
        f"frame-ancestors {host_origin}"
    )


HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>GameFactory playtest</title>
<style>html,body{margin:0;background:#111}iframe{border:0;width:540px;height:960px;display:block}</style>
</head><body>
<iframe id="game" sandbox="allow-scripts" src="/bundle/index.html"></iframe>
<script>
// What the catalogue's player page does: relay the game's messages, answer its simulated ads.
window.__gf = [];
window.addEventListener("message", function (e) {
  var frame = document.getElementById("game");
  if (e.source !== frame.contentWindow) return;
  var d = e.data;
  if (!d || d.gf !== 1) return;
  window.__gf.push(d);
  if (d.kind === "ad") {
    setTimeout(function () {
      frame.contentWindow.postMessage({gf: 1, kind: "ad_result", placement: d.placement, completed: true}, "*");
    }, 400);
  }
});
</script>
</body></html>
"""


@dataclass
class PlaytestReport:
    """The verdict on one bundle; `passed` is False on any failure listed in `failures`."""

    passed: bool = False
    mechanic: str = ""
    bundle: str = ""
    booted: bool = False
    console_errors: list[str] = field(default_factory=list)
    canvas_nonblank: bool = False
    pixel_stddev: float = 0.0
    input_reacts: bool = False
    input_details: dict = field(default_factory=dict)
    level_started: bool = False
    score_moved: bool = False
    level_completed: bool = False
    final_score: int = 0
    events_seen: dict[str, int] = field(default_factory=dict)
    expected_events: list[str] = field(default_factory=list)
    missing_events: list[str] = field(default_factory=list)
    messages: dict[str, int] = field(default_factory=dict)
    fps: float = 0.0
    # The bundle's custom logic (GF_DEBUG.logic): hooks, calls, failures; empty without logic.js.
    logic: dict = field(default_factory=dict)
    bot: dict = field(default_factory=dict)
    duration_s: float = 0.0
    failures: list[str] = field(default_factory=list)
    # Mid-play (what the canvas checks measured) and at the end of the bot's play.
    screenshot_png: bytes = field(default=b"", repr=False)
    final_png: bytes = field(default=b"", repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("screenshot_png")
        data.pop("final_png")
        data["screenshot_bytes"] = len(self.screenshot_png)
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=1, sort_keys=True)


# --- the local server ---------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    bundle_dir: Path
    host_origin: str

    def log_message(self, *args):  # quiet: the report says what matters
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/plain", csp: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if csp:
            self.send_header("Content-Security-Policy", sandbox_csp(self.host_origin))
            self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):  # noqa: N802 - http.server's naming
        self.do_GET()

    def do_GET(self):  # noqa: N802
        path = unquote(urlsplit(self.path).path)
        if path in ("/", "/host.html"):
            return self._send(200, HOST_PAGE.encode(), "text/html; charset=utf-8")
        if path == "/favicon.ico":
            return self._send(204)
        if path.startswith(PHASER_URL_PREFIX) and path[len(PHASER_URL_PREFIX) :] == "phaser.min.js":
            return self._send(200, phaser_path().read_bytes(), "text/javascript", csp=True)
        if path.startswith(BUNDLE_PREFIX):
            root = self.bundle_dir.resolve()
            target = (root / path[len(BUNDLE_PREFIX) :]).resolve()
            if target.is_file() and target.is_relative_to(root):
                kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                if kind in (
                    "text/html",
                    "text/css",
                    "text/javascript",
                    "application/javascript",
                    "application/json",
                ):
                    kind += "; charset=utf-8"
                return self._send(200, target.read_bytes(), kind, csp=True)
        return self._send(404, b"not found", csp=True)


@contextlib.contextmanager
def serve_bundle(bundle_dir: Path):
    """Serve the host page and the bundle on 127.0.0.1 (random port); yields the base URL."""
    handler = type("PlaytestHandler", (_Handler,), {"bundle_dir": Path(bundle_dir), "host_origin": ""})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    handler.host_origin = base
    thread = threading.Thread(target=server.serve_forever, name="playtest-server", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- images -------------------------------------------------------------------------------------


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def pixel_stddev(png: bytes) -> float:
    """Mean standard deviation of the RGB channels: near 0 for a blank (one-colour) frame."""
    stat = ImageStat.Stat(_image(png))
    return round(sum(stat.stddev) / 3, 2)


def frame_difference(a: bytes, b: bytes) -> float:
    """Mean absolute difference of two screenshots, in 0..255."""
    ia, ib = _image(a), _image(b)
    if ia.size != ib.size:
        ib = ib.resize(ia.size)
    stat = ImageStat.Stat(ImageChops.difference(ia, ib))
    return round(sum(stat.mean) / 3, 3)


# --- the session a bot plays in ---------------------------------------------------------------------


class GameSession:
    """The page, the game's frame and helpers to read the game and press its controls."""

    def __init__(self, page, frame, iframe_locator):
        self.page = page
        self.frame = frame
        self.iframe = iframe_locator
        self._box = None

    def debug(self) -> dict:
        return self.frame.evaluate(
            "() => ({status: GF_DEBUG.status, level: GF_DEBUG.level, score: GF_DEBUG.score, "
            "lives: GF_DEBUG.lives, fps: GF_DEBUG.fps})"
        )

    def observe(self) -> dict:
        return self.frame.evaluate("() => GF_DEBUG.observe()")

    def status(self) -> str:
        return self.frame.evaluate("() => GF_DEBUG.status")

    def level_data(self) -> dict:
        return self.frame.evaluate("() => GF.spec.levels[GF_DEBUG.level - 1]")

    def messages(self) -> list[dict]:
        return self.page.evaluate("() => window.__gf")

    def screenshot(self) -> bytes:
        return self.iframe.screenshot()

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def _canvas_box(self) -> tuple[float, float, float]:
        """Page x, y of the game's (0, 0) and the scale from game pixels to page pixels."""
        if self._box is None:
            frame_box = self.iframe.bounding_box()
            left, top, width = self.frame.evaluate(
                "() => { const r = document.querySelector('canvas').getBoundingClientRect();"
                " return [r.left, r.top, r.width]; }"
            )
            self._box = (frame_box["x"] + left, frame_box["y"] + top, width / limits.GAME_WIDTH)
        return self._box

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        ox, oy, scale = self._canvas_box()
        return ox + x * scale, oy + y * scale

    def click(self, x: float, y: float) -> None:
        self.page.mouse.click(*self.to_page(x, y))

    def move(self, x: float, y: float) -> None:
        self.page.mouse.move(*self.to_page(x, y))

    def wait(self, ms: float) -> None:
        self.page.wait_for_timeout(ms)


# --- bots ------------------------------------------------------------------------------------------

KEY_FOR = {"up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight"}
STEP = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}


class Bot:
    """Plays one mechanic through real input; `probe` proves input changes the game."""

    def __init__(self, session: GameSession, hints):
        self.s = session
        self.hints = hints
        self.actions = 0
        self.notes: list[str] = []

    def probe(self) -> bool:
        kind, arg = self.hints.probe
        watch = self.hints.probe_watch
        before = self.s.observe()
        if kind == "key":
            self.s.press(arg)
        else:
            self.s.click(limits.GAME_WIDTH / 2, limits.GAME_HEIGHT / 2)
        self.actions += 1
        self.s.wait(250)
        after = self.s.observe()
        return (before.get(watch) != after.get(watch)) if watch else before != after

    def done(self) -> bool:
        return self.s.status() in ("won", "completed", "lost")

    def play(self, deadline: float) -> None:
        """Generic play: a little of every control, until the level ends or time is up."""
        rng = random.Random(0)
        while time.monotonic() < deadline and not self.done():
            choice = rng.random()
            if choice < 0.6:
                self.s.press(rng.choice(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Space"]))
            else:
                self.s.click(rng.uniform(60, 480), rng.uniform(200, 700))
            self.actions += 1
            self.s.wait(150)


def _bfs_path(start, goal_test, passable, width, height, wrap=False):
    """Directions from start to the nearest cell satisfying goal_test (BFS), or None."""
    queue = deque([start])
    came = {start: None}
    while queue:
        cell = queue.popleft()
        if cell != start and goal_test(cell):
            path = []
            while came[cell] is not None:
                prev, direction = came[cell]
                path.append(direction)
                cell = prev
            return list(reversed(path))
        for direction, (dx, dy) in STEP.items():
            nx, ny = cell[0] + dx, cell[1] + dy
            if wrap:
                nx, ny = nx % width, ny % height
            if not (0 <= nx < width and 0 <= ny < height) or (nx, ny) in came or not passable((nx, ny)):
                continue
            came[(nx, ny)] = (cell, direction)
            queue.append((nx, ny))
    return None


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
                path = _bfs_path(nxt, lambda c: c == food, free, width, height, wrap)
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


class BreakoutBot(Bot):
    """Moves the paddle under where the ball will land, angled towards the lowest brick."""

    MAX_BOUNCE = math.radians(62)

    def probe(self) -> bool:
        obs = self.s.observe()
        x, y = obs["paddle"][0], obs["paddle"][1]
        self.s.move(x, y)
        target = 140 if x > 270 else 400
        self.s.move(target, y)
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["paddle"][0] - x) > 20

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            if status != "playing":
                self.s.wait(30)
                continue
            obs = self.s.observe()
            px, py, pw = obs["paddle"]
            left, top, right, _ = obs["bounds"]
            if obs["attached"]:
                self.s.click(px + 17, py)  # slightly off-centre: an angled launch
                self.actions += 1
                self.s.wait(50)
                continue
            bx, by = obs["ball"]
            vx, vy = obs["vel"]
            if vy > 0:
                land = self._landing(bx, by, vx, vy, py - 20, left + 9, right - 9)
                target = self._aim(land, py, obs["bricks"], pw)
            else:
                target = bx
            self.s.move(max(left, min(right, target)), py)
            self.actions += 1
            self.s.wait(12)

    @staticmethod
    def _landing(x, y, vx, vy, floor_y, lo, hi):
        t = (floor_y - y) / vy
        x = x + vx * t
        width = hi - lo
        x = (x - lo) % (2 * width)
        return lo + (x if x <= width else 2 * width - x)

    def _aim(self, land_x, paddle_y, bricks, paddle_w):
        if not bricks:
            return land_x
        bx, by = min(bricks, key=lambda b: (-b[1], abs(b[0] - land_x)))[:2]
        angle = math.atan2(bx - land_x, paddle_y - by)
        offset = max(-0.85, min(0.85, angle / self.MAX_BOUNCE))
        return land_x - offset * paddle_w / 2


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

            to_coin = _bfs_path(player, lambda c: c in coins, passable, width, height) if coins else None
            to_exit = _bfs_path(player, lambda c: c == exit_cell, passable, width, height)
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
        free = _bfs_path(player, lambda c: c == exit_cell, open_cell, width, height)
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


class Match3Bot(Bot):
    """Taps the two gems of the swap that clears the most, then waits for the board to settle."""

    def _cell(self, obs, r, c):
        x0, y0, cell = obs["grid"]
        return x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell

    def probe(self) -> bool:
        obs = self.s.observe()
        self.s.click(*self._cell(obs, 0, 0))
        self.actions += 1
        self.s.wait(100)
        changed = self.s.observe()["selected"] != obs["selected"]
        self.s.click(*self._cell(obs, 0, 0))  # tap again: deselect
        self.actions += 1
        self.s.wait(100)
        return changed

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            swaps = possible_swaps([list(row) for row in obs["board"]])
            if not swaps:
                self.s.wait(100)
                continue
            (r1, c1), (r2, c2), _ = max(swaps, key=lambda s: (s[2], s[0][0]))
            self.s.click(*self._cell(obs, r1, c1))
            self.s.wait(40)
            self.s.click(*self._cell(obs, r2, c2))
            self.actions += 2
            self.s.wait(200)


BOTS: dict[str, type[Bot]] = {
    "generic": Bot,
    "snake": SnakeBot,
    "breakout": BreakoutBot,
    "maze": MazeBot,
    "match3": Match3Bot,
}


# --- bots for sokoban, memory, merge, mathquiz (added with those mechanics) -------------------------

LETTER_KEY = {"u": "ArrowUp", "d": "ArrowDown", "l": "ArrowLeft", "r": "ArrowRight"}


def _wait_change(session: GameSession, read, before, timeout_ms: float = 600) -> bool:
    """Poll `read()` until it differs from `before` (True) or the timeout passes (False)."""
    waited = 0.0
    while waited < timeout_ms:
        if read() != before:
            return True
        session.wait(20)
        waited += 20
    return False


class SokobanBot(Bot):
    """Plays the solver's solution from the position on screen; replans when a step goes astray."""

    def _plan(self) -> str:
        from generation.mechanics import sokoban

        obs = self.s.observe()
        grid = sokoban.grid_with(self.s.level_data()["grid"], crates=obs["crates"], player=obs["player"])
        result = sokoban.solve_grid(grid)
        return result.solution.moves if result.solution else ""

    def probe(self) -> bool:
        plan = self._plan()
        if not plan:
            return False
        before = self.s.observe()["player"]
        self.s.press(LETTER_KEY[plan[0].lower()])
        self.actions += 1
        return _wait_change(self.s, lambda: self.s.observe()["player"], before, 400)

    def play(self, deadline: float) -> None:
        steps = {"u": (0, -1), "d": (0, 1), "l": (-1, 0), "r": (1, 0)}
        while time.monotonic() < deadline and not self.done():
            if self.s.status() != "playing":
                self.s.wait(30)
                continue
            plan = self._plan()
            if not plan:
                self.notes.append("the solver found no solution from the position on screen")
                return
            for letter in plan.lower():
                if time.monotonic() > deadline or self.s.status() != "playing":
                    break
                obs = self.s.observe()
                x, y = obs["player"]
                self.s.press(LETTER_KEY[letter])
                self.actions += 1
                dx, dy = steps[letter]
                if not _wait_change(self.s, lambda: self.s.observe()["player"], [x, y], 400):
                    break
                if self.s.observe()["player"] != [x + dx, y + dy]:
                    self.notes.append("a step went astray: replanning")
                    break
                self.s.wait(25)


class MemoryBot(Bot):
    """Perfect memory: remembers every face it has seen, turns known pairs, otherwise a new card."""

    def _click(self, obs, index: int) -> None:
        x0, y0, cw, ch, gap = obs["grid"]
        r, c = divmod(index, obs["cols"])
        self.s.click(x0 + c * (cw + gap) + cw / 2, y0 + r * (ch + gap) + ch / 2)
        self.actions += 1

    def play(self, deadline: float) -> None:
        known: dict[int, int] = {}
        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            cards = obs["cards"]
            for i, card in enumerate(cards):
                if card["state"] == "up":
                    known[i] = card["face"]
                elif card["state"] == "matched":
                    known.pop(i, None)
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            down = [i for i, card in enumerate(cards) if card["state"] == "down"]
            unseen = [i for i in down if i not in known]
            pick = None
            if obs["open"]:
                first = obs["open"][0]
                mate = [i for i in down if known.get(i) == known.get(first) and i != first]
                pick = mate[0] if mate else (unseen[0] if unseen else (down[0] if down else None))
            else:
                faces: dict[int, int] = {}
                for i in down:
                    if i in known:
                        if known[i] in faces:
                            pick = faces[known[i]]
                            break
                        faces[known[i]] = i
                if pick is None:
                    pick = unseen[0] if unseen else (down[0] if down else None)
            if pick is None:
                self.s.wait(40)
                continue
            self._click(obs, pick)
            _wait_change(self.s, lambda i=pick: self.s.observe()["cards"][i]["state"], "down", 400)


class MergeBot(Bot):
    """Plays the policy the merge validator proves levels with (merge.choose_move) on the board on screen."""

    def probe(self) -> bool:
        from generation.mechanics.merge import choose_move

        obs = self.s.observe()
        direction = choose_move(obs["board"])
        if direction is None:
            return False
        self.s.press(KEY_FOR[direction])
        self.actions += 1
        return _wait_change(self.s, lambda: self.s.observe()["board"], obs["board"], 500)

    def play(self, deadline: float) -> None:
        from generation.mechanics.merge import choose_move

        while time.monotonic() < deadline:
            status, obs = self.s.frame.evaluate("() => [GF_DEBUG.status, GF_DEBUG.observe()]")
            if status in ("won", "completed", "lost"):
                return
            if status != "playing" or obs["busy"]:
                self.s.wait(20)
                continue
            direction = choose_move(obs["board"])
            if direction is None:
                self.s.wait(50)
                continue
            self.s.press(KEY_FOR[direction])
            self.actions += 1
            self._settle(obs["moves"])

    def _settle(self, moves_before: int) -> None:
        """Wait until the move has landed and the board has settled (slide, merges, the new tile)."""
        for _ in range(40):
            obs = self.s.observe()
            if obs["moves"] != moves_before and not obs["busy"]:
                return
            self.s.wait(15)


class MathQuizBot(Bot):
    """Reads the question on screen, works the answer out and taps its button."""

    def play(self, deadline: float) -> None:
        from generation.mechanics.mathquiz import compute

        while time.monotonic() < deadline:
            status = self.s.status()
            if status in ("won", "completed", "lost"):
                return
            obs = self.s.observe()
            if status != "playing" or obs["busy"]:
                self.s.wait(40)
                continue
            a, op, b = obs["question"]
            answer = compute(a, op, b)
            if answer not in obs["choices"]:
                self.notes.append(f"no button shows {a} {op} {b} = {answer}")
                return
            x, y, _, _ = obs["buttons"][obs["choices"].index(answer)]
            self.s.click(x, y)
            self.actions += 1
            _wait_change(self.s, lambda: self.s.observe()["index"], obs["index"], 600)


BOTS.update(sokoban=SokobanBot, memory=MemoryBot, merge=MergeBot, mathquiz=MathQuizBot)
# --- end of the bots for sokoban, memory, merge, mathquiz --------------------------------------------

# --- bots for runner, platformer, flappy, dodger (added with those mechanics) -----------------------


class _RealtimeBot(Bot):
    """A bot for a game that moves on its own: one page round trip per look, and it acts ahead by
    the time a look takes (smoothed): on a busy machine that can be 100 ms or more, and a bot that
    ignores it jumps late. The scenes' `observe()` says whether a level is being played."""

    def __init__(self, session: GameSession, hints) -> None:
        super().__init__(session, hints)
        self.rtt = 0.03

    def lead(self) -> float:
        """Seconds between what the bot sees and when its input lands in the game."""
        return 1.5 * self.rtt

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            obs = self.s.observe()
            self.rtt = 0.7 * self.rtt + 0.3 * min(0.5, time.monotonic() - started)
            if obs.get("playing"):
                self.act(obs)
            elif self.done():
                return
            else:
                self.s.wait(30)

    def act(self, obs: dict) -> None:
        raise NotImplementedError


class RunnerBot(_RealtimeBot):
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
        from generation.mechanics.runner import RunnerLevel, RunnerParams, runner_plan

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


class PlatformerBot(_RealtimeBot):
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
        from generation.mechanics import platformer as pf

        if self.level_no != obs["level"]:
            self.level = pf.PlatformerLevel.model_validate(self.s.level_data())
            self.params = pf.PlatformerParams.model_validate(self.s.frame.evaluate("() => GF.spec.params"))
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
        route = pf.platformer_route(self.level, self.params, at=(x, y))
        if len(route) < 2:
            if not route:
                self.notes.append(f"no route from ({x:.0f}, {y:.0f})")
            self.aim = self.level.goal[0]
            self._steer(x, self.aim, 2)
            self.s.wait(4)
            return
        takeoff, land = pf.hop_points(route[0], route[1], self.params)
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


class FlappyBot(_RealtimeBot):
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
        from generation.mechanics.flappy import FlappyLevel, FlappyParams, Flight, pilot_aims

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


class DodgerBot(_RealtimeBot):
    """Looks a second ahead: of the places the ship can reach, points the mouse at the one hit last
    (or never), the nearest first; the ship follows the pointer."""

    HORIZON_S = 1.1
    STEP_S = 0.05
    MARGIN = 8

    def probe(self) -> bool:
        obs = self.s.observe()
        ox, oy = obs["origin"]
        target = obs["ship"] - 120 if obs["ship"] > obs["width"] / 2 else obs["ship"] + 120
        self.s.move(ox + target, oy + obs["y"])
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["ship"] - obs["ship"]) > 10

    def act(self, obs: dict) -> None:
        ox, oy = obs["origin"]
        self.s.move(ox + self._choose(obs), oy + obs["y"])
        self.actions += 1
        self.s.wait(10)

    def _first_hit(self, obs: dict, target: float) -> float:
        """Seconds until a rock hits the ship heading for `target` (inf: not within the horizon)."""
        hw, hh = obs["half"]
        x, y, speed = obs["ship"], obs["y"], obs["speed"]
        latency = max(0.06, self.lead())
        t = 0.0
        while t <= self.HORIZON_S:
            step = speed * max(0.0, t - latency)
            sx = x + max(-step, min(step, target - x))
            for rx, ry, r, vx, vy in obs["rocks"]:
                cx, cy = rx + vx * t, ry + vy * t
                dx = cx - max(sx - hw, min(sx + hw, cx))
                dy = cy - max(y - hh, min(y + hh, cy))
                if dx * dx + dy * dy < (r + self.MARGIN) ** 2:
                    return t
            t += self.STEP_S
        return math.inf

    def _choose(self, obs: dict) -> float:
        hw, x, width = obs["half"][0], obs["ship"], obs["width"]

        def rank(c: float) -> tuple[float, float]:
            edge = min(c - hw, width - hw - c)
            return min(self._first_hit(obs, c), 99.0), -abs(c - x) - (40 if edge < 30 else 0)

        return max((hw + i * 12.0 for i in range(int((width - 2 * hw) // 12) + 1)), key=rank)


BOTS.update(runner=RunnerBot, platformer=PlatformerBot, flappy=FlappyBot, dodger=DodgerBot)
# --- end of the bots for runner, platformer, flappy, dodger ------------------------------------------

# --- the run ------------------------------------------------------------------------------------


def _wait_for(predicate, timeout_s: float, page) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        page.wait_for_timeout(50)
    return False


def playtest_run(
    *, bundle_dir: Path | str, out_dir: Path | str | None = None, seconds: float | None = None
) -> PlaytestReport:
    """Play the bundle in headless Chromium and judge it; with `out_dir`, save playtest.json/.png there.

    `seconds` caps the bot's play time (default: the mechanic's `BotHints.max_seconds`).
    """
    if _event_loop_running():
        # Playwright's sync API refuses to start inside a running event loop (an async caller, or
        # another sync Playwright session in this thread): play in a thread of our own instead.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="playtest") as pool:
            return pool.submit(
                _playtest_run, bundle_dir=bundle_dir, out_dir=out_dir, seconds=seconds
            ).result()
    return _playtest_run(bundle_dir=bundle_dir, out_dir=out_dir, seconds=seconds)


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _playtest_run(
    *, bundle_dir: Path | str, out_dir: Path | str | None, seconds: float | None
) -> PlaytestReport:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    bundle_dir = Path(bundle_dir)
    report = PlaytestReport(bundle=str(bundle_dir))
    try:
        manifest = json.loads((bundle_dir / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        report.failures.append(f"no readable manifest.json: {exc}")
        return report
    report.mechanic = manifest.get("mechanic", "")
    definition = mechanic_get(report.mechanic)
    if definition is None:
        report.failures.append(f"unknown mechanic {report.mechanic!r}")
        return report
    hints = definition.bot
    report.expected_events = list(hints.expected_events)

    with serve_bundle(bundle_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            _run_in_browser(report, browser, base, hints, seconds)
        except PlaywrightError as exc:
            report.failures.append(f"browser: {str(exc).splitlines()[0][:300]}")
        finally:
            browser.close()
    return _finish(report, started, out_dir)


def _run_in_browser(report: PlaytestReport, browser, base: str, hints, seconds: float | None) -> None:
    console_errors = report.console_errors
    page = browser.new_page(viewport={"width": limits.GAME_WIDTH, "height": limits.GAME_HEIGHT})

    def record(message: str) -> None:
        if len(console_errors) < MAX_RECORDED_ERRORS:
            console_errors.append(message[:500])

    page.on("console", lambda m: m.type == "error" and record(f"console: {m.text}"))
    page.on("pageerror", lambda e: record(f"uncaught: {e}"))
    page.goto(f"{base}/host.html", wait_until="load")
    frame = next((f for f in page.frames if f.url.endswith("/bundle/index.html")), None)
    first_error_at: list[float] = []

    def ready_or_broken() -> bool:
        if any(m.get("kind") == "ready" for m in page.evaluate("() => window.__gf")):
            return True
        # A game that throws while booting will not recover: stop waiting a second after.
        if console_errors and not first_error_at:
            first_error_at.append(time.monotonic())
        return bool(first_error_at) and time.monotonic() - first_error_at[0] > 1.0

    _wait_for(ready_or_broken, limits.PLAYTEST_BOOT_TIMEOUT_S, page)
    report.booted = frame is not None and any(
        m.get("kind") == "ready" for m in page.evaluate("() => window.__gf")
    )
    if not report.booted:
        report.failures.append("the game did not boot (no ready message)")
        report.screenshot_png = page.screenshot()
        if frame is not None:
            _collect_messages(report, page.evaluate("() => window.__gf"))
        return
    session = GameSession(page, frame, page.locator("#game"))
    try:
        _play(report, session, hints, seconds)
    finally:
        _collect(report, session)


def _play(report: PlaytestReport, s: GameSession, hints, seconds: float | None) -> None:
    s.wait(300)
    title_a = s.screenshot()
    s.wait(400)
    title_b = s.screenshot()
    # Tap the title screen: the game must start and the frame must change.
    s.click(limits.GAME_WIDTH / 2, limits.GAME_HEIGHT / 2)
    _wait_for(lambda: s.status() in ("ready", "playing"), 3, s.page)
    s.wait(350)
    started_frame = s.screenshot()
    idle = frame_difference(title_a, title_b)
    start_diff = frame_difference(title_b, started_frame)
    starts = start_diff > max(limits.PLAYTEST_MIN_FRAME_DIFF, 3 * idle)
    _wait_for(lambda: s.status() == "playing", 3, s.page)
    bot = BOTS.get(hints.strategy, Bot)(s, hints)
    probe = bot.probe() if s.status() == "playing" else False
    report.input_details = {"idle_diff": idle, "start_diff": start_diff, "start_changed_frame": starts,
                            "probe": list(hints.probe), "probe_changed_state": probe}  # fmt: skip
    report.input_reacts = bool(starts and probe)
    s.wait(400)
    mid = report.screenshot_png = s.screenshot()
    report.pixel_stddev = pixel_stddev(mid)
    report.canvas_nonblank = report.pixel_stddev >= limits.PLAYTEST_MIN_PIXEL_STDDEV
    budget = min(seconds if seconds is not None else hints.max_seconds, limits.PLAYTEST_MAX_SECONDS)
    if report.console_errors:
        budget = min(budget, 1.0)  # already failed: no need to play it out
    fps_samples = [s.debug()["fps"]]
    bot.play(time.monotonic() + budget)
    fps_samples.append(s.debug()["fps"])
    report.fps = round(sum(fps_samples) / len(fps_samples), 1)
    report.bot = {
        "strategy": hints.strategy,
        "actions": bot.actions,
        "seconds_budget": budget,
        "notes": bot.notes,
    }
    s.wait(300)  # let the last events (level_end, score) arrive
    report.final_png = s.screenshot()


def _collect(report: PlaytestReport, s: GameSession) -> None:
    _collect_messages(report, s.messages())
    debug = s.debug()
    report.final_score = int(debug["score"])
    report.score_moved = report.final_score > 0 or "score" in report.events_seen
    logic = s.frame.evaluate("() => GF_DEBUG.logic || null")
    report.logic = logic if logic and logic.get("loaded") else {}


def _collect_messages(report: PlaytestReport, messages: list[dict]) -> None:
    """Count the relayed messages and events; errors the game reported count as console errors."""
    kinds: dict[str, int] = {}
    events: dict[str, int] = {}
    completed = False
    for message in messages:
        kinds[message.get("kind", "?")] = kinds.get(message.get("kind", "?"), 0) + 1
        event = message.get("event") or {}
        name = event.get("name")
        if message.get("kind") == "analytics" and isinstance(name, str):
            events[name] = events.get(name, 0) + 1
            params = event.get("params") or {}
            if name == "level_end" and params.get("success") is True and params.get("level") == 1:
                completed = True
            if name == "game_error":
                report.console_errors.append(f"game_error: {params.get('message')}")
    report.messages = kinds
    report.events_seen = events
    report.missing_events = [name for name in report.expected_events if name not in events]
    report.level_started = "level_start" in events
    report.level_completed = completed


def _finish(report: PlaytestReport, started: float, out_dir) -> PlaytestReport:
    report.duration_s = round(time.monotonic() - started, 2)
    if report.booted:
        checks = [
            (not report.console_errors, f"{len(report.console_errors)} console error(s)"),
            (report.canvas_nonblank, f"blank canvas (pixel stddev {report.pixel_stddev})"),
            (report.input_reacts, "input does not change the game"),
            (not report.missing_events, f"missing events: {', '.join(report.missing_events)}"),
            (report.level_started, "no level started"),
            (report.score_moved, "the score never moved"),
        ]
        definition = mechanic_get(report.mechanic)
        if definition is not None and definition.bot.completes_level:
            checks.append((report.level_completed, "the bot did not complete level 1"))
        report.failures.extend(message for ok, message in checks if not ok)
    report.passed = report.booted and not report.failures
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "playtest.json").write_text(report.to_json())
        if report.screenshot_png:
            (out / "playtest.png").write_bytes(report.screenshot_png)
        if report.final_png:
            (out / "playtest-final.png").write_bytes(report.final_png)
    return report


__all__ = ["BOTS", "Bot", "GameSession", "PlaytestReport", "playtest_run", "sandbox_csp", "serve_bundle"]
