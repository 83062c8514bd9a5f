"""The main pages in real Chromium, at a laptop's and a phone's size: screenshots to look at, and the
layout rules every page keeps: nothing wider than the window, no image squashed or cropped, the game's
frame 9:16 and wholly in view.

The screenshots are saved under E2E_SCREENSHOTS_DIR (default var/e2e-screenshots/); the folder is
named at the end of the pytest run.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sites.models import Site
from django.test import Client
from django.utils import timezone

from analytics import aggregation, ingest
from analytics import services as analytics_services
from games import services
from games.models import Game
from generation.designer import spec_from_prompt
from tests.factories import UserFactory, game_publish_played

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"laptop": (1280, 800), "phone": (390, 844)}
# Where the screenshots go; tests/e2e/conftest.py names the folder in pytest's summary.
SCREENSHOTS = Path(
    os.environ.get("E2E_SCREENSHOTS_DIR") or Path(django_settings.BASE_DIR) / "var" / "e2e-screenshots"
)

# Every <img> that is shown: its box against its picture, and the page's width against the window's.
LAYOUT_PROBE = """() => {
  const doc = document.documentElement;
  const images = Array.from(document.images)
    .filter((img) => img.getClientRects().length && img.naturalWidth && img.naturalHeight)
    .map((img) => {
      const box = img.getBoundingClientRect();
      const fit = getComputedStyle(img).objectFit;
      return { src: img.currentSrc || img.src, box: box.width / box.height,
               natural: img.naturalWidth / img.naturalHeight, fit };
    });
  const wide = Array.from(document.body.querySelectorAll("*"))
    .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1)
    .filter((el) => !el.closest(".table-scroll, .opblock-body, pre"))
    .slice(0, 5).map((el) => el.tagName + "." + el.className);
  return { overflow: doc.scrollWidth - doc.clientWidth, wide,
           broken: Array.from(document.images).filter((i) => i.complete && !i.naturalWidth && i.getClientRects().length).map((i) => i.src),
           images };
}"""


def _event(name, ts, player, params=None):
    return {
        "id": str(uuid.uuid4()),
        "name": name,
        "ts": ts.isoformat().replace("+00:00", "Z"),
        "player_id": player,
        "session_id": f"s-{player}",
        "platform": "web",
        "params": params or {},
    }


@pytest.fixture
def site(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "GameFactory"}
    )
    creator = UserFactory(username="maker")
    games = []
    for n, (prompt, mechanic) in enumerate(
        [
            ("a neon snake that gets faster", "snake"),
            ("smash colourful bricks", "breakout"),
            ("a spooky maze", "maze"),
        ]
    ):
        version = game_publish_played(
            creator=creator,
            spec=spec_from_prompt(prompt=prompt, seed=n, mechanic=mechanic),
            origin="studio",
            provenance={"source": "studio", "prompt": prompt},
            changelog="# First version\n\n- **10** levels\n- made in the studio",
        )
        games.append(version.game)
    game = games[0]
    services.game_rate(game=game, user=UserFactory(), stars=4)
    # a few days of numbers, and today's live ones
    today = timezone.now().date()
    rows = []
    for day in range(3, 0, -1):
        for player in range(4 + day):
            ts = dt.datetime.combine(today - dt.timedelta(days=day), dt.time(10, player), tzinfo=dt.UTC)
            rows.append(_event("session_start", ts, f"p{player}"))
            rows.append(_event("level_start", ts + dt.timedelta(seconds=5), f"p{player}", {"level": 1}))
    rows.append(_event("session_start", timezone.now() - dt.timedelta(seconds=30), "today"))
    validated = [
        ingest.event_validate(
            e, earliest=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), latest=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
        for e in rows
    ]
    ingest.events_store(game_id=game.pk, rows=validated, import_mode=True)
    analytics_services.ingest_key_issue(game=game)
    aggregation.metrics_aggregate(day_from=today - dt.timedelta(days=3), day_to=today - dt.timedelta(days=1))
    aggregation.metrics_aggregate_live()
    return {"url": live_server.url, "creator": creator, "game": game}


def _signed_in(browser, base_url: str, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, has_touch=viewport["width"] < 600)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context


def _track(page):
    """Count the page's requests in flight (see _close)."""
    pending: set = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.gf_pending = pending
    return page


def _close(context) -> None:
    """Close once the player's requests are over, and without its last ones (the beacon it sends on
    leaving): a write still running while the test's tables are flushed deadlocks with the TRUNCATE."""
    for page in context.pages:
        for _ in range(100):
            if not page.gf_pending:
                break
            page.wait_for_timeout(100)
    context.route("**/*", lambda route: route.abort())
    for page in context.pages:
        page.goto("about:blank")
    context.close()


def _check_layout(page, label: str) -> None:
    # lazy images below the fold: scroll through the page so they load
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("Array.from(document.images).every((i) => i.complete)", timeout=10000)
    page.evaluate("window.scrollTo(0, 0)")
    probe = page.evaluate(LAYOUT_PROBE)
    assert probe["overflow"] <= 0, f"{label}: {probe['overflow']}px wider than the window: {probe['wide']}"
    assert not probe["broken"], f"{label}: broken images {probe['broken']}"
    for image in probe["images"]:
        assert abs(image["box"] / image["natural"] - 1) < 0.02, f"{label}: {image} is squashed or cropped"


@pytest.mark.parametrize("size", list(SIZES))
def test_the_main_pages_fit_the_window_and_keep_their_images_whole(browser, site, size):
    width, height = SIZES[size]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    game: Game = site["game"]
    pages = [
        ("catalogue", "/"),
        ("game", f"/games/{game.slug}/"),
        ("studio", "/studio/"),
        ("analytics", f"/analytics/games/{game.slug}/"),
        ("docs", "/api/v1/docs/"),
        ("not-found", "/games/no-such-game/"),
    ]
    context = _signed_in(browser, site["url"], site["creator"], {"width": width, "height": height})
    page = _track(context.new_page())
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for name, path in pages:
        response = page.goto(site["url"] + path)
        assert response.status == (404 if name == "not-found" else 200), (name, response.status)
        if name == "docs":
            page.wait_for_selector(".opblock", timeout=15000)
        if name == "game":
            page.wait_for_function("window.GF_PLAYER && window.GF_PLAYER.state().ready", timeout=30000)
        _check_layout(page, f"{name} at {size}")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
    assert errors == []
    _close(context)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844), (844, 390)])
def test_the_game_and_its_touch_controls_are_wholly_in_view(browser, site, width, height):
    # given
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 900)
    page = _track(context.new_page())
    page.goto(f"{site['url']}/games/{site['game'].slug}/")
    page.wait_for_function("window.GF_PLAYER && window.GF_PLAYER.state().play", timeout=30000)
    # when the player is scrolled to (at 1280x800 it is in view as the page opens)
    if width < 900:
        page.evaluate("document.querySelector('.player').scrollIntoView({block: 'end'})")
    box = page.evaluate(
        "(() => { const r = document.querySelector('.player iframe').getBoundingClientRect();"
        " const bar = document.querySelector('.player-bar').getBoundingClientRect();"
        " return {top: r.top, bottom: bar.bottom, width: r.width, height: r.height}; })()"
    )
    # then the whole frame (the canvas draws the touch controls inside it) and its bar are on screen
    assert box["top"] >= 0 and box["bottom"] <= height + 1, box
    assert abs(box["width"] / box["height"] - 9 / 16) < 0.01, box
    page.screenshot(path=str(SCREENSHOTS / f"player-{width}x{height}.png"))
    _close(context)
