"""The studio's quality gate in real Chromium: the game is shown at once with "checking it plays…",
then the verdict arrives on the open page (htmx, and /ws/notifications where it connects), and the
publish button opens only then. Screenshots at a laptop's and a phone's size."""

from __future__ import annotations

import threading

import pytest
from django.contrib.sites.models import Site
from django.db import connection

from games import services
from games.models import GenerationRequest
from tests.e2e.test_screens import SCREENSHOTS, SIZES, _check_layout, _close, _signed_in, _track
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def studio_site(settings, tmp_path, live_server, monkeypatch):
    from games import tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "GameFactory"}
    )
    # The test runs the task itself, in a thread, as a worker would.
    monkeypatch.setattr(tasks.game_generate_task, "delay", lambda *a, **k: None)
    return {"url": live_server.url, "creator": UserFactory(username="maker")}


def _run_in_worker(request_id) -> threading.Thread:
    def work():
        try:
            services.generation_run(request_id=request_id)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


@pytest.mark.parametrize("size", list(SIZES))
def test_the_studio_shows_the_game_while_it_is_checked_then_the_verdict(browser, studio_site, size):
    width, height = SIZES[size]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    creator = studio_site["creator"]
    request = services.generation_request_create(user=creator, prompt="a neon snake that gets faster", seed=5)
    context = _signed_in(browser, studio_site["url"], creator, {"width": width, "height": height})
    page = _track(context.new_page())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # when: a worker makes the game
    worker = _run_in_worker(request.pk)
    try:
        page.goto(f"{studio_site['url']}/studio/{request.pk}/")
        # then: the game appears with "checking it plays…" and a publish button that is off ...
        page.wait_for_selector('[data-verdict="checking"]', timeout=60000)
        assert page.locator("[data-action=publish]").is_disabled()
        assert page.locator("iframe").count() == 1
        # the creator can play it meanwhile: the verdict polls on its own, the game is not reloaded
        player = page.locator("iframe").element_handle()
        page.wait_for_function("window.GF_PLAYER && window.GF_PLAYER.state().ready", timeout=30000)
        page.wait_for_timeout(2500)
        if page.locator('[data-verdict="checking"]').count():
            assert player.evaluate("(e) => e.isConnected"), "the preview was reloaded while checking"
        _check_layout(page, f"studio checking at {size}")
        page.screenshot(path=str(SCREENSHOTS / f"studio-checking-{size}.png"), full_page=True)
        # ... and the verdict replaces it on the open page, with publishing open
        page.wait_for_selector('[data-verdict="passed"]', timeout=120000)
        # (the verdict first, then the block once, with the publish button on)
        page.wait_for_selector("button[data-action=publish]:not([disabled])", timeout=15000)
        _check_layout(page, f"studio verdict at {size}")
        page.screenshot(path=str(SCREENSHOTS / f"studio-verdict-{size}.png"), full_page=True)
    finally:
        worker.join(timeout=180)
    request = GenerationRequest.objects.get(pk=request.pk)
    assert request.playtest_status == "passed" and request.result_version.playtest_passed
    assert errors == []
    _close(context)
