"""The newcomer's journey in real Chromium: sign up, make a game in the studio and watch it being
made, play it in the page, publish, rate, fork, and find both in the catalogue by search.

The generation runs in a real Celery worker (a thread of this process, on an in-memory broker),
so the studio page really waits for it; the game runs in the sandboxed player and its
analytics events go through the page's relay into the analytics ingestion.
"""

from __future__ import annotations

import re

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.contrib.sites.models import Site
from django.db import connection, connections

from gamefactory.celery import app as celery_app
from games.models import Game, GenerationRequest, Play, Rating
from generation.designer import spec_from_prompt
from tests.factories import UserFactory, game_publish_played

pytestmark = pytest.mark.django_db(transaction=True)


def _reset_producers() -> None:
    """Forget the app's connection and producer pools (Celery has no public call for this)."""
    from kombu import pools

    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps the closed pools in a global registry; a later .delay() would acquire from one
    pools.reset()


@pytest.fixture
def celery_worker(settings, live_server):
    """A real worker thread; the broker is in memory so no other process can take our tasks.

    On SQLite the test database lives in memory: like the live server's threads, the worker's
    thread uses the test's own connection (a second connection would meet table locks).
    """
    saved = (
        celery_app.conf.task_always_eager,
        celery_app.conf.broker_url,
        celery_app.conf.broker_transport_options,
    )
    # Eager tasks earlier in this process opened a producer pool on the configured broker: drop it,
    # so this test's messages go to the in-memory broker and never to a shared one.
    _reset_producers()
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"
    celery_app.conf.broker_transport_options = {}
    shared = (
        connections["default"] if connection.vendor == "sqlite" and connection.is_in_memory_db() else None
    )

    def use_shared_connection(**kwargs):
        connections["default"] = shared

    if shared is not None:
        shared.inc_thread_sharing()
        task_prerun.connect(use_shared_connection, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        if shared is not None:
            task_prerun.disconnect(use_shared_connection)
            shared.dec_thread_sharing()
        _reset_producers()
        (
            celery_app.conf.task_always_eager,
            celery_app.conf.broker_url,
            celery_app.conf.broker_transport_options,
        ) = saved


@pytest.fixture
def platform(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Other transactional tests flush every table, the migrations' Site row included.
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "GameFactory"}
    )
    return live_server.url


def test_newcomer_journey(browser, platform, celery_worker):
    # given: a catalogue that already holds someone else's game
    game_publish_played(
        creator=UserFactory(),
        spec=spec_from_prompt(prompt="a maze", seed=5, mechanic="maze"),
        origin="studio",
        provenance={"test": "decoy"},
        title="Unrelated Maze",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # sign up
    page.goto(f"{platform}/accounts/signup/")
    page.fill("#id_username", "newcomer")
    page.fill("#id_email", "newcomer@example.com")
    page.fill("#id_password", "a-fine-password-42")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{platform}/")
    assert "Welcome" in page.content()

    # the studio: an example prompt fills the box, then our own prompt is sent
    page.click("nav >> text=Studio")
    page.wait_for_url(f"{platform}/studio/")
    page.locator("[data-prompt]").first.click()
    assert page.input_value("#id_prompt")
    page.fill("#id_prompt", "a snake in a neon city that gets faster")
    page.select_option("#id_template", "snake")
    page.click("#studio-form button[type=submit]")
    page.wait_for_url(re.compile(r"/studio/[0-9a-f-]{36}/$"))

    # watch it generate: the page shows progress until the worker is done, then the game
    seen = set()
    for _ in range(600):
        # one look at the block, as the page has it now (htmx swaps it while we watch)
        status, has_progress = page.evaluate(
            "(() => { const g = document.getElementById('generation');"
            " return [g.dataset.status, !!g.querySelector('progress')]; })()"
        )
        seen.add(status)
        if status in ("completed", "failed"):
            break
        assert has_progress
        page.wait_for_timeout(100)
    assert status == "completed", page.inner_text("#generation")
    assert seen & {"pending", "processing"}, seen  # the page was there before the game was
    generation = GenerationRequest.objects.get(user__username="newcomer")
    assert generation.progress == 100 and generation.result_game is not None

    # play it in the page: the sandboxed game boots and says "ready"; the page starts a play
    frame = page.locator("iframe[sandbox='allow-scripts']")
    assert frame.count() == 1
    page.wait_for_function("window.GF_PLAYER && window.GF_PLAYER.state().play", timeout=30000)
    frame.click()
    for key in ("Space", "Enter", "ArrowUp", "ArrowRight", "ArrowDown", "ArrowLeft"):
        page.keyboard.press(key)
        page.wait_for_timeout(150)
    assert Play.objects.filter(game=generation.result_game).count() == 1

    # publish it: it lands on its public page
    page.click("[data-action=publish]")
    page.wait_for_url(re.compile(r"/games/[a-z0-9-]+/$"))
    game = Game.objects.get(pk=generation.result_game_id)
    assert game.is_public
    title = game.title

    # the game page plays it too, and relays the game's analytics events to the ingestion
    page.wait_for_function("window.GF_PLAYER && window.GF_PLAYER.state().play", timeout=30000)
    page.wait_for_function(
        "window.GF_PLAYER.state().queued + window.GF_PLAYER.state().sent > 0", timeout=20000
    )
    page.evaluate("window.GF_PLAYER.flush(true)")
    page.wait_for_function("window.GF_PLAYER.state().sent > 0", timeout=20000)
    from analytics.models import Event

    assert Event.objects.filter(game=game).exists()

    # rate it (htmx swaps the widget in place)
    page.click("#rating button[value='5']")
    page.wait_for_selector("#rating legend:has-text('Your rating: 5')")
    assert Rating.objects.get(game=game).stars == 5
    assert page.inner_text("[data-rating]") == "5.00"

    # fork it
    page.click("[data-action=fork]")
    page.wait_for_url(re.compile(r"/games/[a-z0-9-]+/$"))
    fork = Game.objects.get(forked_from=game)
    assert fork.creator.username == "newcomer" and page.locator("h1").inner_text() == f"{title} (remix)"

    # find both in the catalogue by search (htmx updates the grid without a reload), among others
    page.click("nav >> text=Catalogue")
    page.wait_for_url(f"{platform}/")
    page.wait_for_selector("#grid .game-card")  # the click returns before the new page has loaded
    assert page.locator("#grid .game-card").count() == 3
    page.fill("#id_q", title)
    page.wait_for_function(
        "(t) => document.querySelectorAll('#grid .game-card').length === 2 && document.querySelector('#grid').textContent.includes(t + ' (remix)')",
        arg=title,
        timeout=10000,
    )
    cards = page.locator("#grid .game-card-title").all_inner_texts()
    assert sorted(cards) == sorted([title, f"{title} (remix)"])
    page.wait_for_url(re.compile(r"\?q="))  # the search is in the address, shareable
    assert errors == []
    context.close()
