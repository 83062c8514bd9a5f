"""Playing together through the real server: two browsers (two users) meet on "Play with friends",
play a memory duel to its end over `/ws/multiplayer/<id>`, one of them drops and comes back within
the grace period in its seat; a native-style client (no Origin, a JWT in ?token=) joins by code.

Websockets need ASGI, so the server here is a real uvicorn process (gamefactory.asgi) on the test
database, beside pytest's own; the pages are screenshotted at a laptop's and a phone's size.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from generation.designer import spec_from_prompt
from generation.mechanics.memory.mpbot import MemoryDuelBot
from generation.playtest import GameSession
from multiplayer.models import MultiplayerSession, SessionParticipant
from tests.e2e.test_screens import SCREENSHOTS
from tests.factories import UserFactory, game_publish_played

pytestmark = pytest.mark.django_db(transaction=True)

# The websocket side is the `mpserver` branch's (multiplayer/consumers.py): without it, nothing to play through.
pytest.importorskip(
    "multiplayer.consumers", reason="the multiplayer websocket consumer is not in this branch"
)

ROOT = Path(django_settings.BASE_DIR)
PORTS = range(9240, 9260)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 9240-9259")


@pytest.fixture
def asgi_server(settings, tmp_path):
    """uvicorn serving gamefactory.asgi on the test database (and this run's media folder)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    var = tmp_path / "var"
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    settings.SITE_URL = url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "VAR_DIR": str(var),
        # the same keys as this process: its session cookies and JWTs are good there
        "SECRET_KEY": django_settings.SECRET_KEY,
        "SITE_URL": url,
        "STATIC_MANIFEST": "0",
        "DEBUG": "0",
        "MULTIPLAYER_RECONNECT_GRACE_S": "30",
        "PYTHONPATH": str(ROOT),
    }
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    log = open(tmp_path / "uvicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [uvicorn, "gamefactory.asgi:application", "--host=127.0.0.1", f"--port={port}", "--lifespan=off"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((tmp_path / "uvicorn.log").read_text()[-3000:]) from None
                time.sleep(0.2)
        yield {"url": url, "log": tmp_path / "uvicorn.log"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def duel(asgi_server):
    """A published memory game that plays a duel, and its two players."""
    creator = UserFactory(username="maker")
    spec = spec_from_prompt(prompt="a memory game to play with friends", mechanic="memory", seed=3)
    assert spec.multiplayer
    # published as every studio game is: a draft, played headless, then public through the gate
    version = game_publish_played(
        creator=creator, spec=spec, origin="studio", provenance={"source": "studio"}, changelog="First"
    )
    return {
        **asgi_server,
        "game": version.game,
        "alice": UserFactory(username="alice"),
        "bob": UserFactory(username="bob"),
    }


def _context(browser, base_url: str, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, has_touch=viewport["width"] < 600)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
    return context


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def _session(page) -> GameSession:
    frame = next(f for f in page.frames if "/play/" in f.url and f != page.main_frame)
    return GameSession(page, frame, page.locator("#player iframe"))


def _wait(page, predicate, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)


def test_two_browsers_play_a_duel_to_the_end_and_a_drop_keeps_the_seat(browser, duel):
    base, game = duel["url"], duel["game"]
    errors: list[str] = []
    alice_ctx = _context(browser, base, duel["alice"], {"width": 1280, "height": 800})
    bob_ctx = _context(browser, base, duel["bob"], {"width": 390, "height": 844})
    alice, bob = alice_ctx.new_page(), bob_ctx.new_page()
    for page in (alice, bob):
        page.on("pageerror", lambda e: errors.append(str(e)))
    # the game page offers "Play with friends"
    alice.goto(f"{base}/games/{game.slug}/")
    _shot(alice, "multiplayer-game-page-laptop")
    alice.click("[data-action=play-with-friends]")
    alice.wait_for_url(f"**/play/{game.slug}/together/")
    _shot(alice, "multiplayer-together-laptop")
    # bob is on the same page already: open sessions appear there live (/ws/lobby)
    bob.goto(f"{base}/play/{game.slug}/together/")
    bob.wait_for_function("document.querySelector('[data-no-sessions]').hidden === false")
    # alice starts a session for two and lands in its room, with a code to share
    alice.select_option("#id_max_players", "2")
    alice.click("[data-form=create] button[type=submit]")
    alice.wait_for_selector("[data-room]")
    code = alice.inner_text("[data-code]").strip()
    share = alice.input_value("[data-share-url]")
    assert len(code) == 6 and share.endswith(f"?code={code}")
    session_id = alice.url.rstrip("/").split("/")[-1]
    bob.wait_for_selector(f"[data-session='{session_id}']", timeout=15000)
    assert "alice" in bob.inner_text(f"[data-session='{session_id}']")
    # bob opens the shared link and joins
    bob.goto(share)
    assert bob.input_value("#id_code") == code
    _shot(bob, "multiplayer-together-phone")
    bob.click("[data-form=join-code] button[type=submit]")
    bob.wait_for_selector("[data-room]")
    # both rooms list both players, live (alice's learnt of bob over the socket)
    for page in (alice, bob):
        page.wait_for_function(
            "document.querySelectorAll('[data-players] li.here').length === 2", timeout=20000
        )
    assert "bob" in alice.inner_text("[data-players]")
    _shot(alice, "multiplayer-room-laptop")
    _shot(bob, "multiplayer-room-phone")
    session = MultiplayerSession.objects.get(game=game)
    seats = {
        p.user.username: p.seat for p in SessionParticipant.objects.filter(session=session, is_active=True)
    }
    assert seats == {"alice": 0, "bob": 1}
    # both are ready (alice with the page's button, bob with the game's own): the round starts
    alice.click("[data-ready]")
    games = {"alice": _session(alice), "bob": _session(bob)}
    _wait(bob, lambda: games["bob"].frame.evaluate("() => GF_DEBUG.status") == "lobby", 20, "bob's lobby")
    MemoryDuelBot(games["bob"], 1).ready()
    bots = [MemoryDuelBot(games["alice"], 0), MemoryDuelBot(games["bob"], 1)]
    _wait(
        alice, lambda: games["alice"].frame.evaluate("() => GF_DEBUG.multiplayer.round") == 1, 20, "round 1"
    )
    # they play; midway bob's connection drops and comes back (within the grace period)
    dropped = reconnected = False
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for bot in bots:
            bot.step()
        states = [g.frame.evaluate("() => GF_DEBUG.multiplayer") for g in games.values()]
        if all(s["roundOver"] for s in states):
            break
        found = games["alice"].observe().get("found", 0)
        if not dropped and found >= 2:
            bob.evaluate("() => window.GF_PLAYER.mpDrop()")
            dropped = True
            _wait(alice, lambda: "reconnecting" in alice.inner_text("[data-players]") or
                  bob.evaluate("() => !!(window.GF_PLAYER.mp.socket && window.GF_PLAYER.mp.socket.readyState === 1)"),
                  10, "the drop to be seen or healed")  # fmt: skip
        if dropped and not reconnected:
            reconnected = bob.evaluate(
                "() => !!(window.GF_PLAYER.mp.socket && window.GF_PLAYER.mp.socket.readyState === 1)"
            )
        alice.wait_for_timeout(60)
    assert dropped and reconnected, "bob should have dropped and reconnected"
    # bob kept seat 1, and the round ended with the host's outcome in both games and rooms
    assert SessionParticipant.objects.get(session=session, user=duel["bob"]).seat == 1
    assert SessionParticipant.objects.get(session=session, user=duel["bob"]).is_active
    results = [g.frame.evaluate("() => GF_DEBUG.multiplayer") for g in games.values()]
    assert all(r["roundOver"] for r in results), results
    assert results[0]["result"] == results[1]["result"] and results[0]["result"]["scores"]
    pairs = sum(results[0]["result"]["scores"].values())
    assert pairs == len(games["alice"].observe()["cards"]) // 2
    for page in (alice, bob):
        page.wait_for_function("/round 1/.test(document.querySelector('[data-room-status]').textContent)")
    _shot(alice, "multiplayer-round-over-laptop")
    _shot(bob, "multiplayer-round-over-phone")
    # a rematch: alice from the room, bob from the game's own Rematch button; round 2 starts for both
    alice.click("[data-ready]")
    games["bob"].press("Space")
    for g in games.values():
        _wait(alice, lambda g=g: g.frame.evaluate("() => GF_DEBUG.multiplayer.round") == 2, 20, "round 2")
    assert all(g.frame.evaluate("() => GF_DEBUG.multiplayer.roundOver") is False for g in games.values())
    assert errors == []
    alice_ctx.close()
    bob_ctx.close()


def test_a_native_client_joins_by_code_with_a_jwt_and_no_origin(duel):
    from rest_framework_simplejwt.tokens import RefreshToken
    from websockets.sync.client import connect

    base, game = duel["url"], duel["game"]
    tokens = {name: str(RefreshToken.for_user(duel[name]).access_token) for name in ("alice", "bob")}

    def post(path: str, body: dict, user: str = "bob") -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{base}{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {tokens[user]}"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    # alice hosts (through the API, as an app would); bob's app joins with the code she shares
    status, created = post("/api/v1/multiplayer/sessions", {"game": str(game.pk), "max_players": 2}, "alice")
    assert status == 201, created
    code = created["session_code"]
    token = tokens["bob"]
    status, wrong = post("/api/v1/multiplayer/sessions/join", {"code": "ZZZZZZ"})
    assert status == 404 and "code" in wrong["error"]["fields"]
    status, joined = post("/api/v1/multiplayer/sessions/join", {"code": code.lower()})
    assert status == 200, joined
    ws_url = base.replace("http://", "ws://") + joined["ws_url"] + f"?token={token}"

    # the sync client: no event loop of its own (Playwright's owns this thread); no Origin header
    with connect(ws_url, origin=None, open_timeout=10) as ws:
        state = json.loads(ws.recv(timeout=10))
        ws.send(json.dumps({"type": "ping"}))
        pong = json.loads(ws.recv(timeout=10))
        while pong.get("type") != "pong":
            pong = json.loads(ws.recv(timeout=10))
    frames = {"state": state, "pong": pong}
    state = frames["state"]
    assert state["type"] == "session_state" and state["you"]["seat"] == 1 and not state["you"]["is_host"]
    assert {p["username"] for p in state["players"]} == {"alice", "bob"}
    assert isinstance(state["seq"], int) and isinstance(frames["pong"]["seq"], int)
    assert frames["pong"]["seq"] >= state["seq"]
