"""Every mechanic, built from a prompt, passes the playtest in real Chromium; broken games do not.

Marked `e2e` by tests/e2e/conftest.py (skipped when Chromium is missing).
"""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from generation.limits import PLAYTEST_DRAW_EVERY
from generation.mechanics import mechanic_registry
from generation.playtest import playtest_run, serve_bundle

pytestmark = pytest.mark.e2e

PROMPTS = {
    "snake": "a neon snake that gets faster",
    "breakout": "smash candy bricks with a bouncing ball",
    "maze": "a spooky maze with ghosts",
    "match3": "match three gems in a crystal cave",
    "golf": "a golf game where you launch a ball into the hole",
}


@pytest.mark.parametrize("slug", list(mechanic_registry()))
def test_every_mechanic_passes_the_playtest(slug, tmp_path):
    # given a game of the mechanic, designed from a prompt and bundled
    spec = spec_from_prompt(prompt=PROMPTS.get(slug, f"a {slug} game"), mechanic=slug)
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "bundle")
    # when it is playtested
    report = playtest_run(bundle_dir=bundle.path, out_dir=tmp_path / "report")
    # then it boots, draws, reacts, plays, reports its events, with no error
    assert report.passed, (report.failures, report.console_errors, report.input_details)
    assert report.console_errors == []
    assert report.canvas_nonblank and report.input_reacts
    assert report.level_started and report.score_moved
    assert report.messages.get("ready") == 1
    assert not report.missing_events
    if spec.definition.bot.completes_level:
        assert report.level_completed, "the bot should finish level 1"
    assert report.fps > 0
    assert report.bot["drawn_every"] == PLAYTEST_DRAW_EVERY  # the bot played with a third of the frames drawn
    assert (tmp_path / "report" / "playtest.json").is_file()
    assert (tmp_path / "report" / "playtest.png").read_bytes()[:4] == b"\x89PNG"


def _break(bundle, code: str) -> None:
    """Replace the mechanic's scene with `code` (the manifest is not consulted by the browser)."""
    (bundle.path / f"mechanics/{bundle.spec.mechanic}.js").write_text(code)


def test_a_game_that_throws_fails_the_playtest(tmp_path):
    # given a snake bundle whose scene throws when the level is built
    bundle = bundle_build(spec=spec_from_prompt(prompt="a snake", mechanic="snake"), out_dir=tmp_path / "b")
    _break(bundle, 'GF.registerMechanic("snake", class extends GF.MechanicScene {'
                   ' buildLevel() { throw new Error("boom"); } });')  # fmt: skip
    # when playtested
    report = playtest_run(bundle_dir=bundle.path, seconds=2)
    # then it fails, naming the error, which the game also reported as an event
    assert report.passed is False
    assert any("boom" in e for e in report.console_errors), report.console_errors
    assert report.events_seen.get("game_error", 0) >= 1


def test_a_game_that_reaches_for_the_network_fails_the_playtest(tmp_path):
    # given a maze whose scene also tries to phone home
    bundle = bundle_build(spec=spec_from_prompt(prompt="a maze", mechanic="maze"), out_dir=tmp_path / "b")
    scene = (bundle.path / "mechanics/maze.js").read_text()
    _break(bundle, scene + '\nfetch("http://127.0.0.1:9/steal").catch(function () {});\n')
    # when playtested: the sandbox's CSP refuses the request and says so on the console
    report = playtest_run(bundle_dir=bundle.path, seconds=2)
    assert report.passed is False
    assert any("Content Security Policy" in e or "connect-src" in e for e in report.console_errors), (
        report.console_errors
    )


def test_a_game_that_never_starts_fails_the_playtest(tmp_path):
    # given a bundle whose scene registers under another name: the runtime cannot boot it
    bundle = bundle_build(spec=spec_from_prompt(prompt="a snake", mechanic="snake"), out_dir=tmp_path / "b")
    _break(bundle, 'GF.registerMechanic("other", class extends GF.MechanicScene {});')
    report = playtest_run(bundle_dir=bundle.path, seconds=2)
    assert report.passed is False and report.booted is False
    assert "did not boot" in report.failures[0]


@pytest.mark.django_db
def test_generate_game_command_builds_and_playtests(tmp_path):
    # the "done when": a neon snake that gets faster, playtested
    out = StringIO()
    call_command(
        "generate_game",
        "a neon snake that gets faster",
        "--playtest",
        "--out",
        str(tmp_path / "g"),
        stdout=out,
    )
    text = out.getvalue()
    assert f"Bundle: {tmp_path / 'g'}" in text
    assert "snake" in text and "Playtest: " in text and "PASSED" in text
    assert (tmp_path / "g" / "vendor" / "phaser.min.js").is_file()
    assert (tmp_path / "g-playtest" / "playtest.json").is_file()


@pytest.mark.django_db
def test_generate_game_command_refuses_a_bad_prompt(tmp_path):
    with pytest.raises(CommandError, match="prompt"):
        call_command("generate_game", "   ", "--out", str(tmp_path / "g"), stdout=StringIO())


def test_sandbox_protocol_ads_and_multiplayer(tmp_path, browser):
    # given a multiplayer snake with the default ad placements, served as the player page would
    spec = spec_from_prompt(prompt="a snake to play with friends", mechanic="snake")
    assert spec.multiplayer
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "b")
    with serve_bundle(bundle.path) as base:
        page = browser.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}/host.html")
        page.wait_for_function("() => window.__gf.some(m => m.kind === 'ready')")
        game = next(f for f in page.frames if f.url.endswith("/bundle/index.html"))
        # when the game shows a rewarded ad (the host answers with ad_result)
        result = game.evaluate("() => GF.ads.show('continue_rewarded')")
        # and sends, then receives, a multiplayer message
        game.evaluate(
            "() => { window.got = []; GF.multiplayer.on(d => window.got.push(d)); GF.multiplayer.send({hi: 1}); }"
        )
        page.evaluate(
            "() => document.getElementById('game').contentWindow.postMessage({gf: 1, kind: 'mp', data: {type: 'score', score: 42}}, '*')"
        )
        game.wait_for_function("() => window.got.length === 1")
        messages = page.evaluate("() => window.__gf")
        got = game.evaluate("() => window.got")
        page.close()
    # then the protocol is exactly the documented one
    assert result == {"completed": True}
    assert {"gf": 1, "kind": "ad", "placement": "continue_rewarded"} in messages
    impressions = [m for m in messages if m["kind"] == "analytics" and m["event"]["name"] == "ad_impression"]
    assert impressions[-1]["event"]["params"] == {"placement": "continue_rewarded", "format": "rewarded"}
    assert isinstance(impressions[-1]["event"]["ts"], int)
    assert {"gf": 1, "kind": "mp", "data": {"hi": 1}} in messages
    assert got == [{"type": "score", "score": 42}]
    assert {"gf": 1, "kind": "ready"} in messages
    assert all(set(m) <= {"gf", "kind", "event", "placement", "data"} for m in messages)
    assert errors == []


def _with_session(bundle, ready: str, use):
    """Open `bundle` in the playtest's host page in the playtest's browser, wait until `ready` (a JS
    expression in the game's frame) holds, and return `use(session, page)`. In a thread of its own:
    Playwright's sync API refuses a thread whose asyncio loop runs (earlier tests of the session can
    leave one in the main thread), as playtest_run does."""
    import concurrent.futures

    from playwright.sync_api import sync_playwright

    from generation import limits
    from generation.playtest import GameSession, browser_launch

    def run():
        with serve_bundle(bundle) as base, sync_playwright() as pw:
            browser = browser_launch(pw)
            try:
                viewport = {"width": limits.GAME_WIDTH, "height": limits.GAME_HEIGHT}
                page = browser.new_context(viewport=viewport).new_page()
                page.goto(f"{base}/host.html", wait_until="load")
                frame = next(f for f in page.frames if f.url.endswith("/bundle/index.html"))
                frame.wait_for_function(f"() => {ready}")
                return use(GameSession(page, frame, page.locator("#game")), page)
            finally:
                browser.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_the_sessions_screenshot_is_the_frames_pixels(tmp_path):
    """GameSession.screenshot (the DevTools capture, clipped to the frame) shows what Playwright's
    element screenshot shows, pixel for pixel, at the frame's size."""
    from PIL import Image, ImageChops

    # given a frame that draws a still picture with detail in every corner
    bundle = tmp_path / "still"
    bundle.mkdir()
    (bundle / "index.html").write_text(
        '<!doctype html><body style="margin:0"><canvas width="540" height="960"></canvas>'
        '<script src="draw.js"></script>'
    )
    (bundle / "draw.js").write_text(
        "const c = document.querySelector('canvas').getContext('2d');"
        "for (let y = 0; y < 960; y += 8) for (let x = 0; x < 540; x += 8) {"
        " c.fillStyle = `rgb(${x % 256},${y % 256},${(x * y) % 256})`; c.fillRect(x, y, 8, 8); }"
    )
    # when both are taken
    ours, theirs = _with_session(
        bundle,
        "document.readyState === 'complete'",
        lambda session, page: (session.screenshot(), page.locator("#game").screenshot()),
    )
    ours = Image.open(io.BytesIO(ours)).convert("RGB")
    theirs = Image.open(io.BytesIO(theirs)).convert("RGB")
    # then they are the same picture
    assert ours.size == theirs.size == (540, 960)
    assert ImageChops.difference(ours, theirs).getbbox() is None


def test_a_look_after_the_next_frame_returns_the_state_or_the_games_error(tmp_path):
    from playwright.sync_api import Error as PlaywrightError

    # given a frame whose observe() answers once, then throws
    bundle = tmp_path / "looks"
    bundle.mkdir()
    (bundle / "index.html").write_text('<!doctype html><body><script src="debug.js"></script>')
    (bundle / "debug.js").write_text(
        "let calls = 0; window.GF_DEBUG = { observe() {"
        " if (++calls > 1) throw new Error('observe broke'); return {playing: true, calls}; } };"
    )

    def look_twice(session, page):
        first = session.observe_next_frame()
        try:
            session.observe_next_frame()
        except PlaywrightError as exc:
            return first, str(exc)
        return first, None

    # when it is looked at twice
    (state, waited), error = _with_session(bundle, "!!window.GF_DEBUG", look_twice)
    # then the first look is the state after a frame (a frame is at most 100 ms away)
    assert state == {"playing": True, "calls": 1} and 0 <= waited <= 0.2
    # and the second fails with the game's error instead of waiting forever
    assert error is not None and "observe broke" in error


# Counts, over `frames` animation frames of the game's page, the frames the game stepped (logic.js's
# onTick) and the frames it drew (Phaser's canvas renderer clears the whole canvas before drawing).
COUNT_FRAMES = """async ([every, frames]) => {
  const ctx = document.querySelector("canvas").getContext("2d");
  const clear = ctx.clearRect;
  let drawn = 0;
  ctx.clearRect = function (...args) { drawn += 1; return clear.apply(this, args); };
  const ticks = () => GF_DEBUG.logic.calls.onTick || 0;
  const set = GF_DEBUG.drawEvery(every);
  const before = ticks();
  for (let i = 0; i < frames; i++) await new Promise(r => requestAnimationFrame(r));
  const stepped = ticks() - before;
  ctx.clearRect = clear;
  return {set, drawn, stepped};
}"""


def test_drawing_one_frame_in_three_still_steps_the_game_every_frame(tmp_path):
    # given a game being played, whose logic.js counts the frames it is stepped on
    spec = spec_from_prompt(prompt="dodge the falling rocks", mechanic="dodger")
    logic = '"use strict";\nconst hooks = { onTick(ctx, dt) { ctx.state.ticks = (ctx.state.ticks || 0) + 1; } };\n'
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "b", logic_js=logic)

    def count(session, page):
        session.click(270, 480)  # the title: start
        session.frame.wait_for_function("() => GF_DEBUG.status === 'playing'")
        every = [session.frame.evaluate(COUNT_FRAMES, [n, 60]) for n in (1, 3)]
        return every, session.frame.evaluate("() => GF_DEBUG.drawEvery(99)")

    # when 60 frames are counted drawing every frame, then one in three
    (every_frame, one_in_three), capped = _with_session(bundle.path, "GF_DEBUG.status === 'title'", count)
    # then every frame steps the game either way (a frame or two of slack for the rAF order)
    assert every_frame["set"] == 1 and one_in_three["set"] == 3
    for counted in (every_frame, one_in_three):
        assert 58 <= counted["stepped"] <= 61, counted
    # and a third of them are drawn
    assert 58 <= every_frame["drawn"] <= 61, every_frame
    assert 19 <= one_in_three["drawn"] <= 21, one_in_three
    # and the knob is bounded
    assert capped == 10
