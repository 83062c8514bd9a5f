"""Custom logic in real Chromium: the runtime calls logic.js's hooks, and survives their failures.

The bundle is served by the playtest's server (the player page's sandbox and CSP) and played
through real input. Marked `e2e` by tests/e2e/conftest.py (skipped when Chromium is missing).
"""

import time

import pytest

from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from generation.playtest import GameSession, mechanic_bot, playtest_run, serve_bundle

pytestmark = pytest.mark.e2e

# Every hook leaves a trace in ctx.state (GF_DEBUG.logic.state shows it); two change the score.
LOGIC = """"use strict";
const hooks = {
  onStart(ctx) { ctx.state.started = ctx.status; ctx.say("Good luck!"); },
  onLevelStart(ctx, level) { ctx.state.level = level; ctx.addScore(7); },
  onScore(ctx, points) {
    ctx.state.seen = points;
    ctx.state.added = (ctx.state.added ?? 0) + points * 3;
    return points * 3;
  },
  onInput(ctx, input) { ctx.state.input = `${input.action}:${input.pressed}`; },
  onTick(ctx, dt) {
    ctx.state.ticks = (ctx.state.ticks ?? 0) + 1;
    ctx.state.clock = ctx.timeLeft === null || ctx.timeLeft >= 0;
    ctx.state.dtOk = (ctx.state.dtOk ?? true) && dt > 0 && dt <= 100;
  },
  onLevelEnd(ctx, result) { ctx.state.ended = [result.level, result.success]; },
};
"""

# Hooks that fail: at boot, every frame, and by writing to the frozen ctx.
FAILING_LOGIC = """"use strict";
const hooks = {
  onStart(ctx) {
    throw new Error("start boom");
  },
  onLevelStart(ctx, level) { ctx.addScore(7); },
  onTick(ctx, dt) {
    throw new Error("tick boom");
  },
  onInput(ctx, input) {
    ctx.score = 1000000;
  },
};
"""


def _bundle(tmp_path, logic_js):
    spec = spec_from_prompt(prompt="a neon snake that gets faster", mechanic="snake")
    return bundle_build(spec=spec, out_dir=tmp_path / "b", logic_js=logic_js)


def _open(browser, base) -> GameSession:
    page = browser.new_page(viewport={"width": 540, "height": 960})
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{base}/host.html")
    page.wait_for_function("() => window.__gf.some(m => m.kind === 'ready')")
    frame = next(f for f in page.frames if f.url.endswith("/bundle/index.html"))
    return GameSession(page, frame, page.locator("#game"))


def _start(s: GameSession) -> None:
    s.click(270, 480)  # the title screen's "Play"
    s.frame.wait_for_function("() => GF_DEBUG.status === 'playing'")


def _logic(s: GameSession) -> dict:
    return s.frame.evaluate("() => GF_DEBUG.logic")


def _events(s: GameSession, name: str) -> list[dict]:
    return [
        m["event"]["params"]
        for m in s.messages()
        if m.get("kind") == "analytics" and m["event"]["name"] == name
    ]


def test_hooks_run_and_change_the_game(tmp_path, browser):
    # given a snake whose logic.js adds 7 points when a level starts and triples every score
    bundle = _bundle(tmp_path, LOGIC)
    with serve_bundle(bundle.path) as base:
        s = _open(browser, base)
        try:
            # then onStart ran once the game booted, on the title screen
            booted = _logic(s)
            assert booted["loaded"] is True
            assert booted["hooks"] == sorted(
                ["onStart", "onLevelStart", "onScore", "onInput", "onTick", "onLevelEnd"]
            )
            assert booted["calls"] == {"onStart": 1} and booted["state"] == {"started": "title"}

            # when the level starts: onLevelStart's 7 points reach the HUD's score and the platform
            _start(s)
            s.frame.wait_for_function("() => GF_DEBUG.score === 7")
            s.page.wait_for_function(
                "() => window.__gf.some(m => m.kind === 'analytics' && m.event.name === 'score'"
                " && m.event.params.delta === 7 && m.event.params.score === 7)"
            )

            # when a key is pressed: onInput hears the action
            turn = "ArrowUp" if s.observe()["dir"] in ("left", "right") else "ArrowLeft"
            s.press(turn)
            s.frame.wait_for_function("() => GF_DEBUG.logic.state.input !== undefined")

            # when the snake eats (its bot plays until the score moves past the 7)
            bot = mechanic_bot("snake")(s, bundle.spec.definition.bot)
            deadline = time.monotonic() + 25
            while s.debug()["score"] <= 7 and time.monotonic() < deadline:
                bot.play(time.monotonic() + 0.5)
            state = _logic(s)["state"]
            score = s.debug()["score"]
        finally:
            errors = s.page.errors
            s.page.close()

    # then every point the mechanic scored went through onScore, tripled
    assert state["seen"] == bundle.spec.scoring.base_points
    assert score == 7 + state["added"] and state["added"] % 3 == 0 and state["added"] > 0
    assert state["level"] == 1 and state["input"] in ("up:true", "left:true", "up:false", "left:false")
    assert state["ticks"] > 10 and state["dtOk"] is True and state["clock"] is True
    assert errors == []


def test_a_failing_hook_is_a_game_error_and_the_game_goes_on(tmp_path, browser):
    # given a snake whose logic.js throws at boot, on every frame and on every key
    bundle = _bundle(tmp_path, FAILING_LOGIC)
    with serve_bundle(bundle.path) as base:
        s = _open(browser, base)
        try:
            # when it is started and played a little
            _start(s)
            s.frame.wait_for_function("() => GF_DEBUG.logic.disabled.includes('onTick')")
            head = s.observe()["head"]
            turn = "ArrowUp" if s.observe()["dir"] in ("left", "right") else "ArrowLeft"
            s.press(turn)
            s.frame.wait_for_function("(head) => GF_DEBUG.observe().head.join() !== head.join()", arg=head)
            s.wait(1200)  # the coalesced score event
            logic = _logic(s)
            debug = s.debug()
            errors = _events(s, "game_error")
            scores = _events(s, "score")
        finally:
            page_errors = s.page.errors
            s.page.close()

    # then each failure is a game_error from logic.js, with the hook, the message and its line
    assert {"message": "onStart: start boom", "source": "logic.js", "line": 4} in errors
    tick_errors = [e for e in errors if e["message"] == "onTick: tick boom"]
    assert tick_errors and all(
        e == {"message": "onTick: tick boom", "source": "logic.js", "line": 8} for e in tick_errors
    )
    # a hook failing on every frame is switched off after a few failures, not reported 60 times a second
    assert len(tick_errors) == 5 and logic["disabled"] == ["onTick"]
    assert any(
        e["message"].startswith("onInput: ") and "score" in e["message"] and e["line"] == 11 for e in errors
    ), errors
    # and the game went on: playing, the snake moving, the other hook's points kept, ctx unchanged
    assert debug["status"] == "playing" and debug["score"] == 7
    assert scores and scores[0]["delta"] == 7
    assert logic["calls"]["onLevelStart"] == 1
    # nothing escaped to the console as an uncaught error
    assert page_errors == []


def test_the_playtest_passes_good_logic_and_fails_broken_logic(tmp_path):
    # given the same game with logic that works, and with logic that throws
    good = _bundle(tmp_path / "good", LOGIC)
    broken = _bundle(tmp_path / "broken", FAILING_LOGIC)

    # when both are playtested
    passed = playtest_run(bundle_dir=good.path)
    failed = playtest_run(bundle_dir=broken.path, seconds=2)

    # then the quality gate passes the first (its hooks ran) and refuses the second, saying why
    assert passed.passed, (passed.failures, passed.console_errors)
    assert passed.logic["calls"]["onLevelStart"] >= 1 and passed.logic["errors"] == 0
    assert passed.final_score >= 7
    assert failed.passed is False
    assert any(e == "game_error: onStart: start boom" for e in failed.console_errors), failed.console_errors
    assert failed.logic["errors"] >= 1
