"""The playtest's pieces that need no browser: the server, its CSP, the pixel checks."""

import io
import urllib.error
import urllib.request

import pytest
from PIL import Image

from generation.bundle import bundle_build
from generation.playtest import (
    Bot,
    frame_difference,
    mechanic_bot,
    pixel_stddev,
    playtest_run,
    sandbox_csp,
    serve_bundle,
)
from generation.spec import spec_validate
from tests.generation.specs import spec_data


def png(color=(10, 20, 30), noise=False) -> bytes:
    img = Image.new("RGB", (60, 40), color)
    if noise:
        for x in range(0, 60, 3):
            img.putpixel((x, 10), (255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_blank_and_busy_frames():
    assert pixel_stddev(png()) == 0
    assert pixel_stddev(png(noise=True)) > 4
    assert frame_difference(png(), png()) == 0
    assert frame_difference(png(), png(noise=True)) > 0.5


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    return bundle_build(
        spec=spec_validate(spec_data("snake")), out_dir=tmp_path_factory.mktemp("b") / "b"
    ).path


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_server_serves_the_bundle_with_the_sandbox_csp(bundle_dir):
    with serve_bundle(bundle_dir) as base:
        status, headers, body = fetch(f"{base}/bundle/index.html")
        assert status == 200 and b'id="gf-spec"' in body
        assert headers["Content-Security-Policy"] == sandbox_csp(base)
        assert "connect-src 'none'" in headers["Content-Security-Policy"]
        assert "frame-ancestors " + base in headers["Content-Security-Policy"]
        status, _, body = fetch(f"{base}/host.html")
        assert status == 200 and b'sandbox="allow-scripts"' in body
        status, _, body = fetch(f"{base}/static/vendor/phaser/phaser.min.js")
        assert status == 200 and len(body) > 500_000


def test_server_refuses_paths_outside_the_bundle(bundle_dir):
    with serve_bundle(bundle_dir) as base:
        assert fetch(f"{base}/bundle/../../../etc/passwd")[0] == 404
        assert fetch(f"{base}/bundle/%2e%2e/%2e%2e/etc/passwd")[0] == 404
        assert fetch(f"{base}/static/vendor/phaser/package.json")[0] == 404


def test_a_folder_without_manifest_fails_without_a_browser(tmp_path):
    report = playtest_run(bundle_dir=tmp_path)
    assert report.passed is False and "manifest" in report.failures[0]


# --- which bot plays a mechanic ---------------------------------------------------------------------


def test_a_mechanic_is_played_by_the_bot_in_its_package():
    from generation.mechanics.snake.bot import SnakeBot

    assert mechanic_bot("snake") is SnakeBot
    assert mechanic_bot("no-such-mechanic") is Bot


def _fake_package(monkeypatch, tmp_path, name: str, files: dict[str, str]) -> None:
    """A package `generation.mechanics.<name>` in tmp_path, that mechanic_get answers for."""
    import sys
    from types import SimpleNamespace

    import generation.mechanics as package
    from generation import playtest

    for rel, text in files.items():
        (tmp_path / name / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name / rel).write_text(text)
    monkeypatch.setattr(package, "__path__", [str(tmp_path), *package.__path__])
    for module in (f"generation.mechanics.{name}", f"generation.mechanics.{name}.bot"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    stub = SimpleNamespace(bot_path=tmp_path / name / "bot.py")
    monkeypatch.setattr(playtest, "mechanic_get", lambda slug: stub if slug == name else None)


def test_a_package_without_a_bot_is_played_by_the_generic_bot(monkeypatch, tmp_path):
    _fake_package(monkeypatch, tmp_path, "zz_botless", {"__init__.py": ""})
    assert mechanic_bot("zz_botless") is Bot


@pytest.mark.parametrize("body", ["class WrongName: pass\n", "BOT = 42\n", "BOT = object\n"])
def test_a_bot_module_without_a_bot_class_is_refused(monkeypatch, tmp_path, body):
    _fake_package(monkeypatch, tmp_path, "zz_badbot", {"__init__.py": "", "bot.py": body})
    with pytest.raises(RuntimeError, match="must define BOT"):
        mechanic_bot("zz_badbot")


def test_the_playtest_runs_chromiums_headless_shell_when_it_is_installed(monkeypatch, tmp_path):
    from generation import playtest

    def fake(*names):
        for name in names:
            (tmp_path / name).write_text("#!/bin/sh\n")
            (tmp_path / name).chmod(0o755)

    monkeypatch.delenv("PLAYTEST_CHROMIUM_PATH", raising=False)
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    # given only the browser: the playtest runs it
    fake("chromium")
    assert playtest.playtest_chromium_path() == str(tmp_path / "chromium")
    # given the headless shell too: the shell, whatever CHROMIUM_PATH says (the pages' tests use that)
    fake("chromium-headless-shell")
    monkeypatch.setenv("CHROMIUM_PATH", "/opt/chrome/chrome")
    assert playtest.playtest_chromium_path() == str(tmp_path / "chromium-headless-shell")
    assert playtest.chromium_path() == "/opt/chrome/chrome"
    # and PLAYTEST_CHROMIUM_PATH wins over both
    monkeypatch.setenv("PLAYTEST_CHROMIUM_PATH", "/opt/other/chromium")
    assert playtest.playtest_chromium_path() == "/opt/other/chromium"
