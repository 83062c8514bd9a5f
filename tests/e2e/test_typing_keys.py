"""Typing in real Chromium: letter keys type, and are not the runtime's shortcuts (P pause, M mute, WASD)."""

import pytest

from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from generation.playtest import serve_bundle
from generation.spec import spec_validate

pytestmark = pytest.mark.e2e


def test_letter_keys_type_instead_of_pausing_or_muting(tmp_path, browser):
    # given a typing game whose first word is one with p, m, w, a, s and d in it
    spec = spec_from_prompt(prompt="a typing game", mechanic="typing")
    data = spec.model_dump(mode="json")
    data["levels"][0]["words"][0] = "swamped"
    spec = spec_validate(data)
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "b")
    with serve_bundle(bundle.path) as base:
        page = browser.new_page()
        page.goto(f"{base}/bundle/index.html")
        page.wait_for_function("() => window.GF_DEBUG && GF_DEBUG.status !== undefined")
        for _ in range(6):
            if page.evaluate("() => GF_DEBUG.status") == "playing":
                break
            page.keyboard.press("Space")
            page.wait_for_timeout(600)
        assert page.evaluate("() => GF_DEBUG.status") == "playing"
        # when the player types the word on the keyboard
        for letter in "swamp":
            page.keyboard.press(letter)
        page.wait_for_timeout(200)
        obs = page.evaluate("() => GF_DEBUG.observe()")
        status = page.evaluate("() => GF_DEBUG.status")
        page.close()
    # then every letter typed (p did not pause, m did not mute, w/a/s/d moved nothing)
    assert status == "playing"
    assert (obs["word"], obs["typed"]) == ("swamped", 5)
