"""The playtest: the quality gate every bundle passes before anyone sees it.

A local HTTP server (a thread on 127.0.0.1, random port) serves a host page that embeds the
bundle in `<iframe sandbox="allow-scripts">`, with the real player page's CSP on the bundle.
Playwright (sync API) drives Debian's Chromium; the report records console errors, whether
the canvas is blank (pixel variance of a screenshot of the iframe), whether input changes
the frame, what the mechanic's bot achieves (level started, score moved, the expected events
relayed through postMessage, level 1 completed), and frames per second.

This module is the engine, the generic bot (`Bot`) and what bots share (`RealtimeBot`,
`bfs_path`, `wait_change`, `KEY_FOR`, `STEP`); each mechanic's own bot is `BOT` in its package's
`bot.py`, found by `mechanic_bot(slug)`.

Speed without a weaker gate: the Playwright driver and Chromium stay up between the runs of a
process, in its playtest thread (`PLAYTEST_REUSE_BROWSER`, on by default; closed when idle), and
every run gets a fresh browser context (no cookies, storage or cache shared between bundles);
waits are on conditions (the game's status, its messages, a changed frame) with the old fixed
pauses as upper bounds. `report.timings` says where the seconds went. The verdict cache (a passed
verdict reused for identical bundle content and the same engine) lives in `generation.verdicts`.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import contextlib
import http.server
import importlib
import io
import json
import mimetypes
import os
import queue
import random
import shutil
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageChops, ImageStat

from generation import limits
from generation.bundle import MANIFEST, phaser_path
from generation.mechanics import mechanic_get

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
# Bump when the judging changes in a way the sources the verdict cache fingerprints do not show.
PLAYTEST_VERSION = 2
# A kept browser is replaced after this many runs (bounds what a long-lived Chromium accumulates).
BROWSER_MAX_RUNS = 40
PHASER_URL_PREFIX = "/static/vendor/phaser/"
MAX_RECORDED_ERRORS = 50
BUNDLE_PREFIX = "/bundle/"


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def playtest_chromium_path() -> str:
    """The browser the playtests run: PLAYTEST_CHROMIUM_PATH, else Chromium's headless shell when it
    is installed (Debian: chromium-headless-shell, the old headless mode as its own binary, which
    Playwright also runs for headless), else `chromium_path()`.

    The shell renders with the same Blink, V8 and Skia as the browser, but without the browser's
    window machinery: a fresh context boots and passes the checks for about 40% less CPU (1.6 instead
    of 2.9 core-seconds here), which the factory pays three times per game. Drawing costs the same.
    """
    return (
        os.environ.get("PLAYTEST_CHROMIUM_PATH") or shutil.which("chromium-headless-shell") or chromium_path()
    )


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
    # Seconds per phase: browser (start or reuse), boot, checks, play, settle.
    timings: dict[str, float] = field(default_factory=dict)
    # Set when the verdict was reused (generation.verdicts): when the run it copies was made.
    cached_from: str = ""
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
        self._cdp = None
        self._clip = None
        self.drawn_every = 1  # the game draws one frame in this many (draw_every)

    def debug(self) -> dict:
        return self.frame.evaluate(
            "() => ({status: GF_DEBUG.status, level: GF_DEBUG.level, score: GF_DEBUG.score, "
            "lives: GF_DEBUG.lives, fps: GF_DEBUG.fps})"
        )

    def observe(self) -> dict:
        return self.frame.evaluate("() => GF_DEBUG.observe()")

    def observe_next_frame(self) -> tuple[dict, float]:
        """The game's state just after its next frame, and the seconds the page waited for it.

        A game's state changes once a frame: a bot that looks more often reads the same state again
        (and pays a round trip through the driver for it); one that looks once a frame, just after
        the frame's update, reads each state when it is newest. Bounded by 100 ms (a stalled page);
        an `observe()` that throws fails the call, as a direct one does.
        """
        data = self.frame.evaluate(
            "() => new Promise((done, fail) => { const t0 = performance.now(); let sent = false;"
            " const send = () => { if (sent) return; sent = true;"
            " try { done([GF_DEBUG.observe(), performance.now() - t0]); } catch (e) { fail(e); } };"
            " requestAnimationFrame(send); setTimeout(send, 100); })"
        )
        return data[0], data[1] / 1000

    def status(self) -> str:
        return self.frame.evaluate("() => GF_DEBUG.status")

    def level_data(self) -> dict:
        return self.frame.evaluate("() => GF.spec.levels[GF_DEBUG.level - 1]")

    def messages(self) -> list[dict]:
        return self.page.evaluate("() => window.__gf")

    def screenshot(self) -> bytes:
        """The game's frame as last drawn, as PNG: the page's composited output, clipped to the
        frame's box. Straight from the DevTools protocol with fast PNG compression (the pixels are
        the same; lossless either way): a third of the CPU of Playwright's element screenshot, which
        also styles every frame for the shot and scrolls the element into view first."""
        if self._cdp is None:
            box = self.iframe.bounding_box()
            self._clip = {
                "x": box["x"],
                "y": box["y"],
                "width": box["width"],
                "height": box["height"],
                "scale": 1,
            }
            self._cdp = self.page.context.new_cdp_session(self.page)
        if self.drawn_every > 1:
            # The game draws one frame in n: draw the next one, so the shot shows the game as it is.
            self.frame.evaluate(
                "() => new Promise(done => { GF_DEBUG.drawEvery(1); requestAnimationFrame(() => done()); })"
            )
        try:
            shot = self._cdp.send(
                "Page.captureScreenshot", {"format": "png", "clip": self._clip, "optimizeForSpeed": True}
            )
        finally:
            if self.drawn_every > 1:
                self.frame.evaluate("(n) => GF_DEBUG.drawEvery(n)", self.drawn_every)
        return base64.b64decode(shot["data"])

    def draw_every(self, n: int) -> int:
        """Draw the game's canvas on one frame in `n` from now on (the game's update runs on every
        frame); the n in force. A bot reads the game's state, not its pixels, and `screenshot()`
        draws the frame it shoots. A bundle whose runtime has no `drawEvery` draws every frame."""
        self.drawn_every = int(
            self.frame.evaluate(
                "(n) => (typeof GF_DEBUG.drawEvery === 'function' ? GF_DEBUG.drawEvery(n) : 1)", n
            )
        )
        return self.drawn_every

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
        _check_abandoned()
        self.page.wait_for_timeout(ms)


# --- bots ------------------------------------------------------------------------------------------
#
# The generic `Bot` plays any mechanic a little. A mechanic's own bot lives in its package,
# `generation/mechanics/<slug>/bot.py`, as `BOT` (a subclass of `Bot` or `RealtimeBot`), and may use
# the helpers below; `mechanic_bot(slug)` finds it.

KEY_FOR = {"up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight"}
STEP = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}
GENERIC = "generic"


class Bot:
    """Plays one mechanic through real input; `probe` proves input changes the game.

    As it is, the generic bot: it probes with `BotHints.probe` and then presses keys and taps a
    little. A mechanic's bot overrides `probe` and `play`, reading `GF_DEBUG.observe()` through
    `self.s` (a `GameSession`) and sending real keyboard and mouse input; `actions` and `notes` go in
    the report.
    """

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


class RealtimeBot(Bot):
    """A bot for a game that moves on its own: one look per frame of the game (a page round trip,
    just after the frame's update), and it acts ahead by the time a round trip takes (smoothed): on
    a busy machine that can be 100 ms or more, and a bot that ignores it jumps late. The scenes'
    `observe()` says whether a level is being played."""

    def __init__(self, session: GameSession, hints) -> None:
        super().__init__(session, hints)
        self.rtt = 0.03

    def lead(self) -> float:
        """Seconds between what the bot sees and when its input lands in the game."""
        return 1.5 * self.rtt

    def play(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            obs, waited = self.s.observe_next_frame()
            # The round trip, not the wait for the frame: the state is as new as the frame.
            self.rtt = 0.7 * self.rtt + 0.3 * min(0.5, max(0.0, time.monotonic() - started - waited))
            if obs.get("playing"):
                self.act(obs)
            elif self.done():
                return
            else:
                self.s.wait(30)

    def act(self, obs: dict) -> None:
        raise NotImplementedError


def bfs_path(start, goal_test, passable, width, height, wrap=False):
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


def wait_change(session: GameSession, read, before, timeout_ms: float = 600) -> bool:
    """Poll `read()` until it differs from `before` (True) or the timeout passes (False)."""
    waited = 0.0
    while waited < timeout_ms:
        if read() != before:
            return True
        session.wait(20)
        waited += 20
    return False


def mechanic_bot(slug: str) -> type[Bot]:
    """The bot that plays `slug`: `BOT` from `generation/mechanics/<slug>/bot.py`, else the generic `Bot`.

    Raises RuntimeError when the package has a bot.py without a `Bot` subclass named `BOT`.
    """
    definition = mechanic_get(slug)
    if definition is None or not definition.bot_path.is_file():
        return Bot
    bot = getattr(importlib.import_module(f"generation.mechanics.{slug}.bot"), "BOT", None)
    if not (isinstance(bot, type) and issubclass(bot, Bot)):
        raise RuntimeError(f"generation/mechanics/{slug}/bot.py must define BOT, a generation.playtest.Bot")
    return bot


# --- the run ------------------------------------------------------------------------------------


def _wait_for(predicate, timeout_s: float, page, every_ms: float = 50) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        _check_abandoned()
        page.wait_for_timeout(every_ms)
    return False


class PlaytestAbandoned(Exception):
    """The caller of a run in the playtest thread stopped waiting for it."""


def _check_abandoned() -> None:
    if threading.current_thread() is _RUNNER.thread and _RUNNER.abandoned.is_set():
        raise PlaytestAbandoned("the caller stopped waiting for this playtest")


def playtest_run(
    *, bundle_dir: Path | str, out_dir: Path | str | None = None, seconds: float | None = None
) -> PlaytestReport:
    """Play the bundle in headless Chromium and judge it; with `out_dir`, save playtest.json/.png there.

    `seconds` caps the bot's play time (default: the mechanic's `BotHints.max_seconds`).
    """
    kwargs = {"bundle_dir": bundle_dir, "out_dir": out_dir, "seconds": seconds}
    if browser_reuse_enabled():
        # The process's playtest thread, where the browser is kept between runs.
        return _RUNNER.call(_playtest_run, reuse=True, **kwargs)
    if _event_loop_running():
        # Playwright's sync API refuses to start inside a running event loop (an async caller, or
        # another sync Playwright session in this thread): play in a thread of our own instead.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="playtest") as pool:
            return pool.submit(_playtest_run, reuse=False, **kwargs).result()
    return _playtest_run(reuse=False, **kwargs)


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


# --- the browser: one per run, or kept in the process's playtest thread -------------------------


def _setting(name: str, default):
    """A Django setting when Django is configured, else the environment, else `default`."""
    value = None
    with contextlib.suppress(Exception):  # no Django, or its settings not configured
        from django.conf import settings

        value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return value


def browser_reuse_enabled() -> bool:
    """PLAYTEST_REUSE_BROWSER: keep Playwright and Chromium up between runs (on by default)."""
    value = _setting("PLAYTEST_REUSE_BROWSER", "1")
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def browser_launch(pw):
    """The playtests' browser, launched through Playwright instance `pw` (theirs: this module's runs,
    the multiplayer playtest, the tests that drive a GameSession)."""
    return pw.chromium.launch(executable_path=playtest_chromium_path(), args=CHROMIUM_ARGS, headless=True)


class _KeptBrowser:
    """Playwright's driver and Chromium, kept between runs; used by the playtest thread only."""

    def __init__(self) -> None:
        self.playwright = None
        self.browser = None
        self.runs = 0

    def get(self):
        if self.browser is not None and (not self.browser.is_connected() or self.runs >= BROWSER_MAX_RUNS):
            self.close()
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = browser_launch(self.playwright)
            self.runs = 0
        self.runs += 1
        return self.browser

    def close(self) -> None:
        browser, playwright = self.browser, self.playwright
        self.browser = self.playwright = None
        with contextlib.suppress(Exception):  # already gone: nothing to close
            if browser is not None:
                browser.close()
        with contextlib.suppress(Exception):
            if playwright is not None:
                playwright.stop()


class _PlaytestThread:
    """One daemon thread per process that runs the playtests and owns the kept browser.

    Playwright's sync objects belong to the thread that made them, so the kept browser lives here;
    callers (any thread, with or without an event loop) wait for their run. Runs of one process are
    played one after the other. The browser is closed after PLAYTEST_BROWSER_IDLE_S idle seconds.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.jobs: queue.Queue = queue.Queue()
        self.kept = _KeptBrowser()
        self.abandoned = threading.Event()
        self.pid = 0

    def call(self, fn, /, **kwargs):
        if threading.current_thread() is self.thread:
            return fn(**kwargs)
        with self.lock:
            if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
                # First use, or a forked child: its parent's thread and driver are not its own.
                self.jobs, self.kept, self.pid = queue.Queue(), _KeptBrowser(), os.getpid()
                self.thread = threading.Thread(target=self._serve, name="playtest-browser", daemon=True)
                self.thread.start()
            future: concurrent.futures.Future = concurrent.futures.Future()
            self.jobs.put((fn, kwargs, future))
        try:
            return future.result()
        except BaseException:
            # The caller gave up (a task's time limit, an interrupt): the run stops at its next wait.
            if not future.cancel():
                self.abandoned.set()
            raise

    def _serve(self) -> None:
        while True:
            try:
                fn, kwargs, future = self.jobs.get(timeout=float(_setting("PLAYTEST_BROWSER_IDLE_S", 300)))
            except queue.Empty:
                self.kept.close()
                continue
            if not future.set_running_or_notify_cancel():
                continue
            self.abandoned.clear()
            try:
                future.set_result(fn(**kwargs))
            except BaseException as exc:  # handed to the caller, who raises it
                future.set_exception(exc)

    def close(self, timeout: float = 10.0) -> None:
        if self.thread is None or not self.thread.is_alive() or self.pid != os.getpid():
            return
        with contextlib.suppress(concurrent.futures.TimeoutError):
            future: concurrent.futures.Future = concurrent.futures.Future()
            self.jobs.put((self.kept.close, {}, future))
            future.result(timeout=timeout)


_RUNNER = _PlaytestThread()


def browser_close() -> None:
    """Close this process's kept browser, if any (worker shutdown, process exit, tests)."""
    _RUNNER.close()


atexit.register(browser_close)


@contextlib.contextmanager
def _browser(reuse: bool):
    """A browser for one run: the playtest thread's kept one, or one of its own, closed after."""
    if not reuse:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = browser_launch(pw)
            try:
                yield browser
            finally:
                browser.close()
        return
    browser = _RUNNER.kept.get()
    try:
        yield browser
    except BaseException:
        if not browser.is_connected():
            _RUNNER.kept.close()  # it crashed: the next run starts a new one
        raise


def _playtest_run(
    *, bundle_dir: Path | str, out_dir: Path | str | None, seconds: float | None, reuse: bool
) -> PlaytestReport:
    from playwright.sync_api import Error as PlaywrightError

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

    clock = _Clock(report)
    with serve_bundle(bundle_dir) as base:
        try:
            with _browser(reuse) as browser:
                clock.lap("browser")
                # A fresh context per run: nothing (storage, cache, service workers) carries over.
                context = browser.new_context(
                    viewport={"width": limits.GAME_WIDTH, "height": limits.GAME_HEIGHT}
                )
                try:
                    _run_in_browser(report, context, base, hints, seconds, clock)
                finally:
                    with contextlib.suppress(PlaywrightError):
                        context.close()
        except PlaywrightError as exc:
            report.failures.append(f"browser: {str(exc).splitlines()[0][:300]}")
    return _finish(report, started, out_dir)


class _Clock:
    """Splits a run's seconds into the report's phases."""

    def __init__(self, report: PlaytestReport) -> None:
        self.report = report
        self.last = time.monotonic()

    def lap(self, phase: str) -> None:
        now = time.monotonic()
        timings = self.report.timings
        timings[phase] = round(timings.get(phase, 0.0) + now - self.last, 2)
        self.last = now


def _run_in_browser(
    report: PlaytestReport, context, base: str, hints, seconds: float | None, clock: _Clock
) -> None:
    console_errors = report.console_errors
    page = context.new_page()

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

    _wait_for(ready_or_broken, limits.PLAYTEST_BOOT_TIMEOUT_S, page, every_ms=25)
    report.booted = frame is not None and any(
        m.get("kind") == "ready" for m in page.evaluate("() => window.__gf")
    )
    clock.lap("boot")
    if not report.booted:
        report.failures.append("the game did not boot (no ready message)")
        report.screenshot_png = page.screenshot()
        if frame is not None:
            _collect_messages(report, page.evaluate("() => window.__gf"))
        return
    session = GameSession(page, frame, page.locator("#game"))
    try:
        _play(report, session, hints, seconds, clock)
    finally:
        _collect(report, session)
        clock.lap("settle")


# Frames the game draws before the title is judged, and the polls of the waits below.
TITLE_SETTLE_FRAMES = 6
IDLE_GAP_MS = 400  # between the two title frames: how much the title moves on its own
START_MAX_MS = 350  # a tap's effect must show within this long (as it had to before)
MID_MAX_MS = 400
SETTLE_MAX_MS = 300


def _animation_frames(s: GameSession, count: int) -> None:
    """Wait until the game has drawn `count` more frames (bounded by a second)."""
    s.frame.evaluate(
        "(n) => new Promise(done => { let left = n; const t = setTimeout(done, 1000);"
        " const tick = () => (--left <= 0 ? (clearTimeout(t), done()) : requestAnimationFrame(tick));"
        " requestAnimationFrame(tick); })",
        count,
    )


def _play(report: PlaytestReport, s: GameSession, hints, seconds: float | None, clock: _Clock) -> None:
    # From here the game draws one frame in PLAYTEST_DRAW_EVERY; every screenshot draws its frame.
    s.draw_every(limits.PLAYTEST_DRAW_EVERY)
    _animation_frames(s, TITLE_SETTLE_FRAMES)
    title_a = s.screenshot()
    s.wait(IDLE_GAP_MS)
    title_b = s.screenshot()
    idle = frame_difference(title_a, title_b)
    threshold = max(limits.PLAYTEST_MIN_FRAME_DIFF, 3 * idle)
    # Tap the title screen: the game must start and the frame must change.
    tapped = time.monotonic()
    s.click(limits.GAME_WIDTH / 2, limits.GAME_HEIGHT / 2)
    _wait_for(lambda: s.status() in ("ready", "playing"), 3, s.page, every_ms=25)
    # The frame after the tap: as soon as it differs enough from the title, at the latest when the
    # old fixed pause (350 ms after the game left its title) would have ended.
    started_frame = _frame_when(
        s, lambda png: frame_difference(title_b, png) > threshold, START_MAX_MS, since=tapped
    )
    start_diff = frame_difference(title_b, started_frame)
    starts = start_diff > threshold
    _wait_for(lambda: s.status() == "playing", 3, s.page, every_ms=25)
    bot_class = mechanic_bot(report.mechanic)
    bot = bot_class(s, hints)
    probe = bot.probe() if s.status() == "playing" else False
    report.input_details = {"idle_diff": idle, "start_diff": start_diff, "start_changed_frame": starts,
                            "probe": list(hints.probe), "probe_changed_state": probe}  # fmt: skip
    report.input_reacts = bool(starts and probe)
    # Mid-play: the canvas is judged on a frame of the game being played (up to the old pause).
    mid = report.screenshot_png = _frame_when(
        s, lambda png: pixel_stddev(png) >= limits.PLAYTEST_MIN_PIXEL_STDDEV, MID_MAX_MS, first_ms=150
    )
    report.pixel_stddev = pixel_stddev(mid)
    report.canvas_nonblank = report.pixel_stddev >= limits.PLAYTEST_MIN_PIXEL_STDDEV
    clock.lap("checks")
    budget = min(seconds if seconds is not None else hints.max_seconds, limits.PLAYTEST_MAX_SECONDS)
    if report.console_errors:
        budget = min(budget, 1.0)  # already failed: no need to play it out
    fps_samples = [s.debug()["fps"]]
    bot.play(time.monotonic() + budget)
    fps_samples.append(s.debug()["fps"])
    report.fps = round(sum(fps_samples) / len(fps_samples), 1)
    report.bot = {
        "strategy": report.mechanic if bot_class is not Bot else GENERIC,
        "actions": bot.actions,
        "seconds_budget": budget,
        "drawn_every": s.drawn_every,
        "notes": bot.notes,
    }
    clock.lap("play")
    _settle(s)
    report.final_png = s.screenshot()


def _frame_when(s: GameSession, good, max_ms: float, *, since: float | None = None, first_ms: float = 0):
    """Screenshots until `good(png)` or `max_ms` (from `since`, default now) passed; the last one."""
    deadline = (since if since is not None else time.monotonic()) + max_ms / 1000
    if first_ms:
        s.wait(first_ms)
    while True:
        png = s.screenshot()
        left = deadline - time.monotonic()
        if good(png) or left <= 0:
            return png
        s.wait(min(80.0, left * 1000))


def _settle(s: GameSession) -> None:
    """Let the last events arrive: after a level's end, until its level_end is relayed (and the score
    flushed with it); after a play that ran out of time, the old fixed pause."""
    if s.status() not in ("won", "completed", "lost"):
        s.wait(SETTLE_MAX_MS)
        return
    _wait_for(
        lambda: any(
            (m.get("event") or {}).get("name") == "level_end"
            for m in s.messages()
            if m.get("kind") == "analytics"
        ),
        SETTLE_MAX_MS / 1000,
        s.page,
        every_ms=25,
    )
    _animation_frames(s, 2)  # the end panel drawn for the final screenshot


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
        report_save(report, out_dir)
    return report


def report_save(report: PlaytestReport, out_dir: Path | str) -> None:
    """Write playtest.json, playtest.png (mid-play) and playtest-final.png into `out_dir`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "playtest.json").write_text(report.to_json())
    if report.screenshot_png:
        (out / "playtest.png").write_bytes(report.screenshot_png)
    if report.final_png:
        (out / "playtest-final.png").write_bytes(report.final_png)


__all__ = [
    "KEY_FOR",
    "PLAYTEST_VERSION",
    "STEP",
    "Bot",
    "GameSession",
    "PlaytestReport",
    "RealtimeBot",
    "bfs_path",
    "browser_close",
    "browser_launch",
    "browser_reuse_enabled",
    "mechanic_bot",
    "playtest_chromium_path",
    "playtest_run",
    "report_save",
    "sandbox_csp",
    "serve_bundle",
    "wait_change",
]
