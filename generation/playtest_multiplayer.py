"""The multiplayer playtest: a bot pair plays a mechanic's multiplayer mode to an outcome.

Two (or more) pages of one headless Chromium each embed the bundle in the sandboxed iframe, as the
playtest's host page does (generation/playtest.py), with the player page's bridge in miniature: the
game's `mp`/`mp_ready` messages are queued on the page, and server frames are posted back to the
game as `mp_frame`. Between the pages stands `Relay`, the relay semantics of the multiplayer wire
contract (multiplayer/README.md) in Python, without the server: every frame gets a strictly
increasing `seq` and a `ts`; `ready` from every seated player starts a round (`session_state` with
`round` incremented); a `game_move` is relayed to everyone (sender included) as `game_update`; with
a turn-based mode a move out of turn is refused (`not_your_turn`) and the turn passes to the next
seat unless `data.keep_turn` (the lowest seat begins each round); `data.kind == "outcome"` is
accepted only from the host during a round and ends it; `data.kind == "state"` is the snapshot.
Outside a round moves are relayed as they come, as the server (multiplayer/services.py) does.

Each mechanic with a mode has its players in `generation/mechanics/<slug>/mpbot.py` as `BOT_PAIR`
(one `MultiplayerBot` class per seat); they play through real keyboard and mouse input.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generation import limits
from generation.mechanics import mechanic_get
from generation.mechanics.base import MultiplayerMode
from generation.playtest import (
    GameSession,
    _Handler,
    browser_launch,
    frame_difference,
)

MP_HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>GameFactory multiplayer playtest</title>
<style>html,body{margin:0;background:#111}iframe{border:0;width:540px;height:960px;display:block}</style>
</head><body>
<iframe id="game" sandbox="allow-scripts" src="/bundle/index.html"></iframe>
<script>
// The player page's bridge in miniature: the relay (Python) drains __mpOut and calls __mpDeliver.
window.__gf = [];
window.__mpOut = [];
window.addEventListener("message", function (e) {
  var frame = document.getElementById("game");
  if (e.source !== frame.contentWindow) return;
  var d = e.data;
  if (!d || d.gf !== 1) return;
  window.__gf.push(d);
  if (d.kind === "mp") window.__mpOut.push({type: "game_move", data: d.data});
  if (d.kind === "mp_ready") window.__mpOut.push({type: "ready", ready: true});
  if (d.kind === "ad") {
    frame.contentWindow.postMessage({gf: 1, kind: "ad_result", placement: d.placement, completed: true}, "*");
  }
});
window.__mpDeliver = function (frames) {
  var frame = document.getElementById("game");
  frames.forEach(function (f) { frame.contentWindow.postMessage({gf: 1, kind: "mp_frame", frame: f}, "*"); });
};
</script>
</body></html>
"""


# --- the relay ------------------------------------------------------------------------------------


@dataclass
class Seat:
    seat: int
    username: str
    user_id: int
    connected: bool = True
    ready: bool = False


class Relay:
    """The wire contract's relay for one session, in memory: `receive` returns the frames to deliver."""

    def __init__(self, mode: MultiplayerMode, usernames: list[str], host_seat: int = 0) -> None:
        if not mode.min_players <= len(usernames) <= mode.max_players:
            raise ValueError(f"{mode.name} plays with {mode.min_players}..{mode.max_players} players")
        self.mode = mode
        self.seats = [Seat(i, name, 1000 + i) for i, name in enumerate(usernames)]
        self.host_seat = host_seat
        self.seq = 0
        self.round = 0
        self.round_over = False
        self.result: dict | None = None
        self.turn_seat: int | None = None
        self.snapshot: dict | None = None
        self.errors: list[dict] = []
        self.moves = 0

    # Frames -----------------------------------------------------------------------------------

    def _frame(self, type_: str, **payload) -> dict:
        self.seq += 1
        return {"type": type_, "seq": self.seq, "ts": int(time.time() * 1000), **payload}

    def players(self) -> list[dict]:
        return [
            {"user_id": s.user_id, "username": s.username, "seat": s.seat, "connected": s.connected,
             "ready": s.ready, "is_host": s.seat == self.host_seat}
            for s in self.seats
        ]  # fmt: skip

    def state_for(self, seat: int) -> dict:
        """One player's `session_state` (its own `you`; the seq is shared by the broadcast)."""
        return {
            "type": "session_state",
            "you": {"user_id": self.seats[seat].user_id, "seat": seat, "is_host": seat == self.host_seat},
            "players": self.players(),
            "round": self.round,
            "round_over": self.round_over,
            "result": self.result,
            "turn_seat": self.turn_seat,
            "snapshot": self.snapshot,
            "missed": [],
        }

    def _states(self) -> list[tuple[int, dict]]:
        self.seq += 1
        ts = int(time.time() * 1000)
        return [(s.seat, {**self.state_for(s.seat), "seq": self.seq, "ts": ts}) for s in self.seats]

    def _all(self, frame: dict) -> list[tuple[int, dict]]:
        return [(s.seat, frame) for s in self.seats]

    def _error(self, seat: int, code: str, message: str, field_: str | None = None) -> list[tuple[int, dict]]:
        payload = {"code": code, "message": message}
        if field_:
            payload["field"] = field_
        frame = self._frame("error", **payload)
        self.errors.append({"seat": seat, **payload})
        return [(seat, frame)]

    # Messages -----------------------------------------------------------------------------------

    def connect(self, seat: int) -> list[tuple[int, dict]]:
        """A player's socket opened: it gets the session's state."""
        self.seats[seat].connected = True
        self.seq += 1
        return [(seat, {**self.state_for(seat), "seq": self.seq, "ts": int(time.time() * 1000)})]

    def receive(self, seat: int, message: dict) -> list[tuple[int, dict]]:
        """What the relay sends (to which seat) for one client message from `seat`."""
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return self._error(seat, "invalid_message", "A message is a JSON object with a type.", "type")
        kind = message["type"]
        if kind == "ping":
            return [(seat, self._frame("pong"))]
        if kind == "ready":
            return self._ready(seat, message.get("ready") is not False)
        if kind == "game_move":
            return self._move(seat, message.get("data"))
        return self._error(seat, "unknown_type", f"Unknown message type {kind!r}.", "type")

    def _ready(self, seat: int, ready: bool) -> list[tuple[int, dict]]:
        if self.round and not self.round_over:
            return self._error(seat, "round_active", "The round is being played.", "ready")
        self.seats[seat].ready = ready
        if len(self.seats) >= self.mode.min_players and all(s.ready for s in self.seats):
            self.round += 1
            self.round_over = False
            self.result = None
            self.snapshot = None
            # As the server does: the lowest seat begins every round.
            self.turn_seat = self.seats[0].seat if self.mode.turn_based else None
            for s in self.seats:
                s.ready = False
        return self._states()

    def _move(self, seat: int, data) -> list[tuple[int, dict]]:
        if not isinstance(data, dict):
            return self._error(seat, "invalid_move", "data must be an object.", "data")
        playing = self.round > 0 and not self.round_over
        if len(json.dumps(data)) > 4096:
            return self._error(seat, "frame_too_large", "A move is at most 4096 bytes.", "data")
        kind = data.get("kind")
        if kind == "outcome":
            if not playing:
                return self._error(seat, "no_round", "No round is being played.", "data")
            if seat != self.host_seat:
                return self._error(
                    seat, "not_authoritative", "Only the host reports the outcome.", "data.kind"
                )
            winner = data.get("winner_seat")
            if winner is not None and not (isinstance(winner, int) and 0 <= winner < len(self.seats)):
                return self._error(seat, "invalid_move", "winner_seat is not a seat.", "data.winner_seat")
            scores = data.get("scores") if isinstance(data.get("scores"), dict) else {}
            self.round_over = True
            self.result = {"winner_seat": winner, "scores": scores}
            self.turn_seat = None
            return self._states()
        # Outside a round moves go through, turns or not (as on the server).
        if playing and self.mode.turn_based and seat != self.turn_seat:
            return self._error(seat, "not_your_turn", "It is another player's turn.", "data")
        if kind == "state":
            self.snapshot = data
        self.moves += 1
        out = self._all(
            self._frame("game_update", from_seat=seat, from_user=self.seats[seat].user_id, data=data)
        )
        if playing and self.mode.turn_based and not data.get("keep_turn"):
            self.turn_seat = (seat + 1) % len(self.seats)
            out += self._states()
        return out


# --- the bots' side ---------------------------------------------------------------------------------


class MultiplayerBot:
    """One seat's player. `step()` looks once and acts at most once, and returns soon: the pair and the
    relay take turns in one loop. `ready()` presses the lobby's (or the round-over panel's) button."""

    def __init__(self, session: GameSession, seat: int) -> None:
        self.s = session
        self.seat = seat
        self.actions = 0
        self.notes: list[str] = []
        self.focused = False

    def mp(self) -> dict:
        return self.s.frame.evaluate("() => GF_DEBUG.multiplayer")

    def ready(self) -> None:
        if not self.focused:
            # In view (a phone's page may have it below the fold), then focused: a click on the
            # panel's backdrop does nothing else there.
            self.s.iframe.scroll_into_view_if_needed()
            self.s._box = None
            self.s.click(limits.GAME_WIDTH / 2, 40)
            self.focused = True
        self.s.press("Space")
        self.actions += 1

    def step(self) -> None:
        raise NotImplementedError


def mechanic_bot_pair(slug: str) -> tuple[type[MultiplayerBot], ...]:
    """`BOT_PAIR` from `generation/mechanics/<slug>/mpbot.py`: one bot class per seat."""
    try:
        module = importlib.import_module(f"generation.mechanics.{slug}.mpbot")
    except ModuleNotFoundError as exc:
        raise LookupError(f"{slug} has no multiplayer bots (mpbot.py)") from exc
    pair = getattr(module, "BOT_PAIR", None)
    if not (isinstance(pair, tuple) and pair and all(issubclass(b, MultiplayerBot) for b in pair)):
        raise RuntimeError(
            f"generation/mechanics/{slug}/mpbot.py must define BOT_PAIR, MultiplayerBot classes"
        )
    return pair


# --- the run ------------------------------------------------------------------------------------------


@dataclass
class MultiplayerReport:
    passed: bool = False
    mechanic: str = ""
    mode: str = ""
    players: int = 0
    booted: bool = False
    rounds_started: int = 0
    outcome: dict | None = None
    # What each game showed at the end: status and the result it received.
    finals: list[dict] = field(default_factory=list)
    moves: int = 0
    frames: int = 0
    relay_errors: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bot_actions: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    failures: list[str] = field(default_factory=list)
    screenshots: list[bytes] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("screenshots")
        return data


def _handler_for(bundle_dir: Path):
    class MultiplayerHandler(_Handler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            if unquote(urlsplit(self.path).path) == "/mp.html":
                return self._send(200, MP_HOST_PAGE.encode(), "text/html; charset=utf-8")
            return super().do_GET()

    MultiplayerHandler.bundle_dir = Path(bundle_dir)
    MultiplayerHandler.host_origin = ""
    return MultiplayerHandler


@contextlib.contextmanager
def _serve(bundle_dir: Path):
    handler = _handler_for(bundle_dir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    handler.host_origin = base
    thread = threading.Thread(target=server.serve_forever, name="mp-playtest-server", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def playtest_multiplayer(
    *, bundle_dir: Path | str, players: int = 2, seconds: float = 60.0, rounds: int = 1,
    out_dir: Path | str | None = None,
) -> MultiplayerReport:  # fmt: skip
    """Play the bundle's multiplayer mode with its bot pair until the host reports `rounds` outcomes."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    bundle_dir = Path(bundle_dir)
    report = MultiplayerReport(players=players)
    manifest = json.loads((bundle_dir / "manifest.json").read_text())
    report.mechanic = manifest.get("mechanic", "")
    definition = mechanic_get(report.mechanic)
    if definition is None or not definition.multiplayer_modes:
        report.failures.append(f"{report.mechanic!r} has no multiplayer mode")
        return report
    mode = definition.multiplayer_modes[0]
    report.mode = mode.name
    relay = Relay(mode, [f"bot{i + 1}" for i in range(players)])
    pair = mechanic_bot_pair(report.mechanic)
    with _serve(bundle_dir) as base, sync_playwright() as pw:
        browser = browser_launch(pw)
        try:
            _run(report, browser, base, relay, pair, seconds, rounds)
        except PlaywrightError as exc:
            report.failures.append(f"browser: {str(exc).splitlines()[0][:300]}")
        finally:
            browser.close()
    report.relay_errors = relay.errors
    report.moves = relay.moves
    report.frames = relay.seq
    report.outcome = relay.result
    report.duration_s = round(time.monotonic() - started, 2)
    if report.booted:
        checks = [
            (not report.console_errors, f"{len(report.console_errors)} console error(s)"),
            (report.rounds_started >= rounds, f"{report.rounds_started} round(s) started of {rounds}"),
            (relay.round_over and relay.result is not None, "no outcome was reported by the host"),
            (
                all(f.get("status") == "over" for f in report.finals),
                "not every game shows the round's end",
            ),
        ]
        report.failures.extend(message for ok, message in checks if not ok)
    report.passed = report.booted and not report.failures
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "playtest-multiplayer.json").write_text(json.dumps(report.as_dict(), indent=1))
        for i, png in enumerate(report.screenshots):
            (out / f"playtest-multiplayer-{i}.png").write_bytes(png)
    return report


def _run(report, browser, base, relay: Relay, pair, seconds: float, rounds: int) -> None:
    pages = []
    for seat in range(len(relay.seats)):
        context = browser.new_context(viewport={"width": limits.GAME_WIDTH, "height": limits.GAME_HEIGHT})
        page = context.new_page()
        page.on("console", lambda m, seat=seat: m.type == "error" and _record(report, f"{seat}: {m.text}"))
        page.on("pageerror", lambda e, seat=seat: _record(report, f"{seat} uncaught: {e}"))
        page.goto(f"{base}/mp.html", wait_until="load")
        pages.append(page)
    deadline = time.monotonic() + limits.PLAYTEST_BOOT_TIMEOUT_S
    while time.monotonic() < deadline and not all(_booted(p) for p in pages):
        pages[0].wait_for_timeout(50)
    report.booted = all(_booted(p) for p in pages)
    if not report.booted:
        report.failures.append("a game did not boot (no ready message)")
        return
    sessions = []
    for page in pages:
        frame = next(f for f in page.frames if f.url.endswith("/bundle/index.html"))
        sessions.append(GameSession(page, frame, page.locator("#game")))
    for seat in range(len(pages)):
        _deliver(pages, relay.connect(seat))
    bots = [pair[seat % len(pair)](sessions[seat], seat) for seat in range(len(pages))]
    before = sessions[0].screenshot()
    deadline = time.monotonic() + seconds
    mid_taken = False
    asked_ready = [0] * len(bots)
    turn = 0
    while time.monotonic() < deadline:
        # Each pass another seat looks first: no seat is always the quicker one.
        turn += 1
        order = list(enumerate(bots))
        order = order[turn % len(order) :] + order[: turn % len(order)]
        for seat, bot in order:
            _pump(pages, relay)
            info = bot.mp()
            playing_round = info["round"] > 0 and not info["roundOver"]
            if not playing_round:
                # In the lobby or after a round: ready (once per round).
                if asked_ready[seat] <= info["round"] and relay.round < rounds:
                    bot.ready()
                    asked_ready[seat] = info["round"] + 1
                continue
            bot.step()
        report.rounds_started = relay.round
        if not mid_taken and relay.moves >= 12 and not relay.round_over:
            # Mid-round, what each player sees (the rivals' ghosts, the shared board).
            mid_taken = True
            report.screenshots += [s.screenshot() for s in sessions]
        if relay.round_over and relay.round >= rounds:
            break
    # Let the last frames arrive and the games show them.
    for _ in range(10):
        _pump(pages, relay)
        pages[0].wait_for_timeout(50)
    report.rounds_started = relay.round
    for seat, s in enumerate(sessions):
        info = s.frame.evaluate("() => ({status: GF_DEBUG.status, mp: GF_DEBUG.multiplayer})")
        report.finals.append({"seat": seat, "status": info["status"], "result": info["mp"]["result"]})
        report.screenshots.append(s.screenshot())
    report.bot_actions = [b.actions for b in bots]
    report.notes = [n for b in bots for n in b.notes][:20]
    if frame_difference(before, report.screenshots[0]) < limits.PLAYTEST_MIN_FRAME_DIFF:
        report.failures.append("the game's frame did not change while playing")


def _record(report: MultiplayerReport, message: str) -> None:
    if len(report.console_errors) < 50:
        report.console_errors.append(message[:500])


def _booted(page) -> bool:
    return bool(page.evaluate("() => window.__gf.some(m => m.kind === 'ready')"))


def _pump(pages, relay: Relay) -> None:
    """Carry every waiting client message through the relay and deliver what it answers."""
    for seat, page in enumerate(pages):
        for message in page.evaluate("() => window.__mpOut.splice(0)"):
            _deliver(pages, relay.receive(seat, message))


def _deliver(pages, deliveries: list[tuple[int, dict]]) -> None:
    by_seat: dict[int, list[dict]] = {}
    for seat, frame in deliveries:
        by_seat.setdefault(seat, []).append(frame)
    for seat, frames in by_seat.items():
        pages[seat].evaluate("(frames) => window.__mpDeliver(frames)", frames)


__all__ = ["MultiplayerBot", "MultiplayerReport", "Relay", "mechanic_bot_pair", "playtest_multiplayer"]
