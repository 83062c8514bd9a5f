"""Moderation in real Chromium: a game is reported, three reports hide it, a moderator reviews it
in the admin (playing it in the sandboxed preview) and removes it, the creator is told and appeals.
Every step is in the audit log.
"""

from __future__ import annotations

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client

from accounts.models import User
from games.models import Game
from generation.designer import spec_from_prompt
from moderation.models import Appeal, Case, ModerationAction, Notice
from tests.factories import UserFactory, game_publish_played

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def platform(settings, tmp_path, live_server):
    # A browser test earlier in the process may have closed Celery's producer pools (kombu keeps
    # them in a global registry): start from fresh ones so the eager email tasks can be sent.
    from kombu import pools

    from gamefactory.celery import app as celery_app

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "GameFactory"}
    )
    return live_server.url


def _signed_in(browser, base: str, user):
    """A browser context with `user`'s session (the sign-in page is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    host = base.split("//", 1)[1].split(":", 1)[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return context


def test_report_hide_review_remove_appeal(browser, platform):
    # given: a creator's public game, three players and a moderator (staff in the admin)
    creator = UserFactory(username="creator")
    game = game_publish_played(
        creator=creator,
        spec=spec_from_prompt(prompt="a neon snake", seed=4, mechanic="snake"),
        origin="studio",
        provenance={"test": "moderation"},
        title="Hateful Snake",
    ).game
    players = [UserFactory(username=f"player_{n}") for n in range(3)]
    moderator = UserFactory(username="moderator", role=User.Role.MODERATOR, is_staff=True)
    page_url = f"{platform}/games/{game.slug}/"
    errors: list[str] = []

    # three players report it from its page
    for n, player in enumerate(players):
        context = _signed_in(browser, platform, player)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(page_url)
        page.click("[data-action=report]")
        page.select_option("select[name=reason]", "hate")
        page.fill("textarea[name=details]", f"A slur in the title ({n + 1}).")
        page.click("[data-action=send-report]")
        page.wait_for_selector("text=your report is in")
        if n < 2:
            assert page.locator("[data-reported]").count() == 1
        else:  # the third report hid it: the reporter is back on the catalogue
            assert page.url == f"{platform}/"
        context.close()

    # the third report hid it: gone from the catalogue for everyone else
    game.refresh_from_db()
    assert game.status == Game.Status.MODERATED
    anonymous = browser.new_context()
    assert anonymous.new_page().goto(page_url).status == 404
    anonymous.close()

    # the moderator sees the queue on the admin index, opens the case and plays it in the preview
    context = _signed_in(browser, platform, moderator)
    admin = context.new_page()
    admin.goto(f"{platform}/admin/")
    assert admin.locator("[data-queue-count]").inner_text() == "1"
    admin.click("#moderation-queue >> text=Open cases")
    admin.click("text=Hateful Snake")
    frame_element = admin.wait_for_selector("#moderation-preview iframe")
    assert frame_element.get_attribute("sandbox") == "allow-scripts"
    frame = frame_element.content_frame()
    frame.wait_for_selector("canvas", timeout=30_000)  # the game booted in the sandbox
    admin.fill("#id_note", "A slur in the title.")
    admin.click("[data-decide=delete]")
    admin.wait_for_selector("text=Delete")
    context.close()
    game.refresh_from_db()
    assert game.status == Game.Status.DELETED

    # the creator was told (a notice, pushed and emailed with the link) and appeals from that page
    assert [n.kind for n in Notice.objects.filter(user=creator).order_by("created_at")] == ["held", "removed"]
    assert [m.to for m in mail.outbox] == [[creator.email], [creator.email]]
    link = next(line for line in mail.outbox[1].body.splitlines() if "/moderation/appeals/" in line).split(
        ": ", 1
    )[1]
    context = _signed_in(browser, platform, creator)
    own = context.new_page()
    own.on("pageerror", lambda exc: errors.append(str(exc)))
    own.goto(link)
    notice = own.wait_for_selector("[data-notice=removed]")
    assert "Hateful Snake" in notice.inner_text() and "A slur in the title." in notice.inner_text()
    own.fill("form.appeal-form textarea[name=text]", "It is the name of a snake species, not a slur.")
    own.click("[data-action=send-appeal]")
    own.wait_for_selector("text=Your appeal is in the review queue")
    context.close()

    # then: the appeal is back in the queue, and every step is in the audit log
    case = Case.objects.get()
    assert case.is_open and case.appeal_pending
    assert Appeal.objects.get().appellant == creator
    verbs = list(ModerationAction.objects.filter(case=case).order_by("id").values_list("verb", flat=True))
    assert verbs == [
        "report",
        "report",
        "report",
        "auto_hide",
        "notify",
        "preview",
        "delete",
        "notify",
        "appeal",
    ]
    assert errors == []
