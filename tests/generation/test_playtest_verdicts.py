"""The playtest's verdict cache (generation/verdicts.py): a pass is reused for the same bundle bytes and
engine only; failures are never stored; concurrent writers of one verdict leave one row.

The engine is replaced by a counting fake here (no browser); tests/e2e/test_playtest_verdicts.py plays
real bundles through it.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from generation import playtest, services, verdicts
from generation.bundle import bundle_build
from generation.models import PlaytestVerdict
from generation.spec import spec_validate
from tests.generation.specs import spec_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_verdicts_of_other_tests():
    """Verdicts earlier tests committed from connections outside their transaction (threads or
    processes of their own) would be hits here: each test starts from none."""
    PlaytestVerdict.objects.all().delete()


class FakeEngine:
    """Stands for playtest.playtest_run: counts runs and answers pass or fail."""

    def __init__(self, passed: bool = True) -> None:
        self.passed = passed
        self.runs = 0

    def __call__(self, *, bundle_dir, out_dir=None, seconds=None):
        self.runs += 1
        report = playtest.PlaytestReport(
            passed=self.passed,
            mechanic="snake",
            bundle=str(bundle_dir),
            booted=True,
            canvas_nonblank=self.passed,
            final_score=40,
            events_seen={"level_start": 1},
            failures=[] if self.passed else ["blank canvas (pixel stddev 0.0)"],
            screenshot_png=b"\x89PNG mid",
            final_png=b"\x89PNG end",
            timings={"play": 1.5},
        )
        if out_dir is not None:
            playtest.report_save(report, out_dir)
        return report


@pytest.fixture
def engine(monkeypatch):
    fake = FakeEngine()
    monkeypatch.setattr(playtest, "playtest_run", fake)
    return fake


@pytest.fixture
def bundle(tmp_path):
    return bundle_build(spec=spec_validate(spec_data("snake")), out_dir=tmp_path / "bundle").path


def test_the_same_bundle_is_judged_once_and_the_pass_reused(engine, bundle, tmp_path):
    first = services.playtest_run(bundle_dir=bundle)
    second = services.playtest_run(bundle_dir=bundle, out_dir=tmp_path / "report")
    assert engine.runs == 1
    assert first.passed and not first.cached_from
    assert second.passed and second.cached_from
    assert second.final_score == 40 and second.events_seen == {"level_start": 1}
    assert second.screenshot_png == b"\x89PNG mid" and second.final_png == b"\x89PNG end"
    assert (tmp_path / "report" / "playtest.json").is_file()
    assert (tmp_path / "report" / "playtest.png").read_bytes() == b"\x89PNG mid"
    row = PlaytestVerdict.objects.get()
    assert row.hits == 1 and row.mechanic == "snake" and row.content_hash


def test_identical_bytes_in_another_folder_hit(engine, bundle, tmp_path):
    services.playtest_run(bundle_dir=bundle)
    copy = bundle_build(spec=spec_validate(spec_data("snake")), out_dir=tmp_path / "copy").path
    report = services.playtest_run(bundle_dir=copy)
    assert engine.runs == 1 and report.cached_from and report.bundle == str(copy)


def test_changed_content_is_played_again(engine, bundle):
    services.playtest_run(bundle_dir=bundle)
    scene = bundle / "mechanics" / "snake.js"
    scene.write_text(scene.read_text() + "\n// one more line\n")
    report = services.playtest_run(bundle_dir=bundle)
    assert engine.runs == 2 and not report.cached_from
    new_file = bundle / "extra.txt"
    new_file.write_text("x")
    services.playtest_run(bundle_dir=bundle)
    assert engine.runs == 3


def test_another_time_cap_or_engine_is_played_again(engine, bundle, monkeypatch):
    services.playtest_run(bundle_dir=bundle)
    services.playtest_run(bundle_dir=bundle, seconds=2.0)
    assert engine.runs == 2
    services.playtest_run(bundle_dir=bundle, seconds=2.0)
    assert engine.runs == 2
    monkeypatch.setattr(playtest, "PLAYTEST_VERSION", playtest.PLAYTEST_VERSION + 1)
    services.playtest_run(bundle_dir=bundle, seconds=2.0)
    assert engine.runs == 3
    monkeypatch.setattr(verdicts, "chromium_version", lambda: "Chromium 999")
    services.playtest_run(bundle_dir=bundle, seconds=2.0)
    assert engine.runs == 4


def test_the_engine_fingerprint_covers_the_mechanics_bot():
    fingerprint = verdicts.engine_fingerprint("snake")
    assert fingerprint != verdicts.engine_fingerprint("maze")
    assert fingerprint == verdicts.engine_fingerprint("snake")


def test_a_failure_is_never_stored_and_always_played_again(engine, bundle):
    engine.passed = False
    first = services.playtest_run(bundle_dir=bundle)
    second = services.playtest_run(bundle_dir=bundle)
    assert engine.runs == 2
    assert not first.passed and not second.passed and not second.cached_from
    assert PlaytestVerdict.objects.count() == 0
    # and a pass after a failure is a real run, stored from then on
    engine.passed = True
    assert services.playtest_run(bundle_dir=bundle).passed and engine.runs == 3
    assert services.playtest_run(bundle_dir=bundle).cached_from and engine.runs == 3


def test_verdict_put_refuses_a_failure_and_get_refuses_a_stored_failure(bundle):
    key, content, engine_hash, mechanic = verdicts.verdict_key(bundle_dir=bundle, seconds=None)
    failed = playtest.PlaytestReport(passed=False, mechanic="snake", failures=["no level started"])
    assert not verdicts.verdict_put(
        key, content_hash=content, engine=engine_hash, mechanic=mechanic, seconds=None, report=failed
    )
    # a row that says failed (written by hand, or by an older version) is never served as a pass
    PlaytestVerdict.objects.create(
        key=key, content_hash=content, engine=engine_hash, mechanic=mechanic, report=failed.as_dict()
    )
    assert verdicts.verdict_get(key, bundle_dir=bundle) is None


def test_a_bundle_changed_while_played_is_not_stored(monkeypatch, bundle):
    def engine(*, bundle_dir, out_dir=None, seconds=None):
        (bundle_dir / "index.html").write_text("changed while playing")
        return FakeEngine()(bundle_dir=bundle_dir)

    monkeypatch.setattr(playtest, "playtest_run", engine)
    assert services.playtest_run(bundle_dir=bundle).passed
    assert PlaytestVerdict.objects.count() == 0


def test_old_verdicts_are_not_used_and_are_pruned(engine, bundle, settings):
    services.playtest_run(bundle_dir=bundle)
    PlaytestVerdict.objects.update(created_at=timezone.now() - dt.timedelta(days=31))
    settings.PLAYTEST_VERDICT_CACHE_DAYS = 30
    assert not services.playtest_run(bundle_dir=bundle).cached_from
    assert engine.runs == 2
    assert PlaytestVerdict.objects.count() == 1  # the old row went, the new one is there


def test_the_cache_can_be_switched_off(engine, bundle, settings):
    settings.PLAYTEST_VERDICT_CACHE = False
    services.playtest_run(bundle_dir=bundle)
    services.playtest_run(bundle_dir=bundle)
    assert engine.runs == 2 and PlaytestVerdict.objects.count() == 0


def test_a_bundle_without_manifest_is_not_keyed(tmp_path):
    assert verdicts.verdict_key(bundle_dir=tmp_path, seconds=None) is None
    (tmp_path / "manifest.json").write_text('{"mechanic": "no-such-mechanic"}')
    assert verdicts.verdict_key(bundle_dir=tmp_path, seconds=None) is None
    report = services.playtest_run(bundle_dir=tmp_path)
    assert not report.passed and "unknown mechanic" in report.failures[0]


@pytest.mark.django_db(transaction=True)
def test_writers_of_the_same_verdict_at_once_leave_one_row(bundle):
    key, content, engine_hash, mechanic = verdicts.verdict_key(bundle_dir=bundle, seconds=None)
    report = FakeEngine()(bundle_dir=bundle)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def write():
        try:
            barrier.wait(timeout=10)
            results.append(
                verdicts.verdict_put(
                    key,
                    content_hash=content,
                    engine=engine_hash,
                    mechanic=mechanic,
                    seconds=None,
                    report=report,
                )
            )
        except Exception as exc:  # noqa: BLE001 - the test reports any
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert PlaytestVerdict.objects.filter(key=key).count() == 1
    assert results.count(True) == 1 and len(results) == 4
    assert verdicts.verdict_get(key, bundle_dir=bundle).passed


def test_a_clean_capped_smoke_run_comes_back_with_the_same_failures(monkeypatch, bundle):
    # the core prototype's 2 s smoke: booted, drew, reacted, started; level 1 not finished in 2 s
    runs = []

    def smoke(*, bundle_dir, out_dir=None, seconds=None):
        runs.append(seconds)
        return playtest.PlaytestReport(
            passed=False, mechanic="snake", booted=True, canvas_nonblank=True, input_reacts=True,
            level_started=True, failures=["the bot did not complete level 1"],
        )  # fmt: skip

    monkeypatch.setattr(playtest, "playtest_run", smoke)
    first = services.playtest_run(bundle_dir=bundle, seconds=2.0)
    again = services.playtest_run(bundle_dir=bundle, seconds=2.0)
    assert runs == [2.0]
    assert again.cached_from and again.passed is False
    assert again.failures == first.failures == ["the bot did not complete level 1"]
    # without a cap the same failure is the full verdict's: never stored, played again
    services.playtest_run(bundle_dir=bundle)
    services.playtest_run(bundle_dir=bundle)
    assert runs == [2.0, None, None]


@pytest.mark.parametrize(
    "broken",
    [
        {"console_errors": ["uncaught: boom"]},
        {"booted": False},
        {"canvas_nonblank": False},
        {"input_reacts": False},
        {"level_started": False},
    ],
)
def test_a_capped_run_with_a_real_failure_is_never_stored(monkeypatch, bundle, broken):
    runs = []

    def smoke(*, bundle_dir, out_dir=None, seconds=None):
        runs.append(seconds)
        fields = {"booted": True, "canvas_nonblank": True, "input_reacts": True, "level_started": True}
        return playtest.PlaytestReport(passed=False, mechanic="snake", failures=["x"], **{**fields, **broken})

    monkeypatch.setattr(playtest, "playtest_run", smoke)
    services.playtest_run(bundle_dir=bundle, seconds=2.0)
    services.playtest_run(bundle_dir=bundle, seconds=2.0)
    assert runs == [2.0, 2.0] and PlaytestVerdict.objects.count() == 0
