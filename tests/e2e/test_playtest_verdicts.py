"""The faster playtest keeps the gate: real bundles in real Chromium, through generation.services.

One kept browser plays a good game, a broken one and the good one again: the broken one fails every
time (never served from the cache), the good one's pass is reused only while its bytes are the same.
"""

import pytest

from generation import playtest, services
from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from generation.models import PlaytestVerdict

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _no_verdicts_of_other_tests():
    """Verdicts earlier tests committed from connections outside their transaction (threads or
    processes of their own) would be hits here: each test starts from none."""
    PlaytestVerdict.objects.all().delete()


@pytest.fixture
def engine_runs(monkeypatch):
    """Counts the runs the real engine makes (the cache answers the others)."""
    runs = []
    real = playtest.playtest_run

    def counted(**kwargs):
        runs.append(kwargs["bundle_dir"])
        return real(**kwargs)

    monkeypatch.setattr(playtest, "playtest_run", counted)
    yield runs
    playtest.browser_close()


def test_a_broken_bundle_fails_every_time_and_a_pass_is_reused_only_for_the_same_bytes(engine_runs, tmp_path):
    good = bundle_build(spec=spec_from_prompt(prompt="a snake", mechanic="snake"), out_dir=tmp_path / "good")
    broken = bundle_build(
        spec=spec_from_prompt(prompt="a snake", mechanic="snake"), out_dir=tmp_path / "broken"
    )
    (broken.path / "mechanics/snake.js").write_text(
        'GF.registerMechanic("snake", class extends GF.MechanicScene { buildLevel() { throw new Error("boom"); } });'
    )
    # a good game passes, played for real, in a browser the process keeps
    first = services.playtest_run(bundle_dir=good.path)
    assert first.passed and not first.cached_from, first.failures
    assert first.timings["browser"] >= 0 and first.timings["play"] > 0
    # the broken one fails, and fails again: a failure is never stored, it is played each time
    for _ in range(2):
        report = services.playtest_run(bundle_dir=broken.path, seconds=2)
        assert report.passed is False and not report.cached_from
        assert any("boom" in e for e in report.console_errors), report.console_errors
    # the good one again: the same bytes, the stored pass; nothing of the broken run leaked into it
    again = services.playtest_run(bundle_dir=good.path)
    assert again.passed and again.cached_from and again.screenshot_png[:4] == b"\x89PNG"
    assert len(engine_runs) == 3
    assert PlaytestVerdict.objects.count() == 1
    # one byte changed in the good game: played again, for real, in the same kept browser
    (good.path / "index.html").write_bytes((good.path / "index.html").read_bytes() + b"\n")
    changed = services.playtest_run(bundle_dir=good.path)
    assert changed.passed and not changed.cached_from and len(engine_runs) == 4
    assert changed.timings["browser"] < 1.0  # the kept browser: no second launch


def test_without_the_kept_browser_the_verdicts_are_the_same(engine_runs, tmp_path, settings):
    settings.PLAYTEST_REUSE_BROWSER = False
    settings.PLAYTEST_VERDICT_CACHE = False
    bundle = bundle_build(spec=spec_from_prompt(prompt="a maze", mechanic="maze"), out_dir=tmp_path / "b")
    assert services.playtest_run(bundle_dir=bundle.path).passed
    (bundle.path / "mechanics/maze.js").write_text(
        'GF.registerMechanic("other", class extends GF.MechanicScene {});'
    )
    report = services.playtest_run(bundle_dir=bundle.path, seconds=2)
    assert report.passed is False and report.booted is False
