"""Pages: the report button on game pages and profiles, My reports, appeals, the creator's notice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from games.models import Game
from moderation import services
from moderation.models import Appeal, Case, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_game_page_has_a_report_button_for_others_only(client, game, reporters):
    # given
    url = reverse("games:detail", args=[game.slug])
    # when
    anonymous = client.get(url).content.decode()
    client.force_login(game.creator)
    own = client.get(url).content.decode()
    client.force_login(reporters[0])
    other = client.get(url).content.decode()
    # then
    assert "data-report-box" not in anonymous and "data-report-box" not in own
    assert "data-report-box" in other and 'name="reason"' in other


def test_reporting_from_the_game_page(client, game, reporters):
    # given
    client.force_login(reporters[0])
    url = reverse("games:detail", args=[game.slug])
    # when
    response = client.post(
        reverse("moderation:report"),
        {
            "content_type": "game",
            "content_id": str(game.pk),
            "reason": "hate",
            "details": "slur",
            "next": url,
        },
        follow=True,
    )
    # then
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "your report is in" in page and "data-reported" in page
    assert Report.objects.get().reporter == reporters[0]


def test_the_page_says_why_a_report_was_refused(client, game):
    client.force_login(game.creator)
    response = client.post(
        reverse("moderation:report"),
        {"content_type": "game", "content_id": str(game.pk), "reason": "hate"},
        follow=True,
    )
    assert "You cannot report your own content." in response.content.decode()


def test_a_profile_page_has_a_report_button(client, reporters):
    # given
    person = UserFactory(display_name="Someone", bio="I make games")
    client.force_login(reporters[0])
    # when
    page = client.get(reverse("accounts:public_profile", args=[person.username])).content.decode()
    # then
    assert "Someone" in page and "I make games" in page and "data-report-box" in page
    assert 'value="user"' in page


def test_a_suspended_profile_is_gone(client):
    person = UserFactory(status="suspended")
    assert client.get(reverse("accounts:public_profile", args=[person.username])).status_code == 404


def test_my_reports_lists_what_i_reported_and_its_outcome(client, game, reporters, moderator):
    # given
    report = services.report_create(
        reporter=reporters[0], content_type="game", content_id=game.pk, reason="spam"
    )
    services.report_decide(report=report, moderator=moderator, action="dismiss")
    client.force_login(reporters[0])
    # when
    page = client.get(reverse("moderation:reports")).content.decode()
    # then
    assert game.title in page and "Spam or advertising" in page and "Dismissed" in page


def test_the_creator_sees_a_clear_notice_and_appeals_from_the_appeals_page(
    client, game, reporters, moderator, settings
):
    # given: reported by three people, hidden, then removed by a moderator
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    for person in reporters:
        services.report_create(reporter=person, content_type="game", content_id=game.pk, reason="hate")
    client.force_login(game.creator)
    held = client.get(reverse("games:detail", args=[game.slug])).content.decode()
    decision = services.case_decide(
        case=Case.objects.get(), moderator=moderator, action="hide", note="Slur in the title."
    )
    # when
    removed = client.get(reverse("games:detail", args=[game.slug])).content.decode()
    appeals = client.get(reverse("moderation:appeals")).content.decode()
    sent = client.post(
        reverse("moderation:appeal", args=[decision.pk]), {"text": "It is the name of a band."}, follow=True
    )
    # then
    assert "Hidden while a moderator reviews it" in held
    assert (
        "Hidden by a moderator" in removed
        and "Slur in the title." in removed
        and 'data-action="appeal"' in removed
    )
    assert f'id="decision-{decision.pk}"' in appeals and "Send appeal" in appeals
    assert "Your appeal is in the review queue" in sent.content.decode()
    assert Appeal.objects.get().text == "It is the name of a band."
    again = client.get(reverse("games:detail", args=[game.slug])).content.decode()
    assert "Your appeal is with a moderator" in again
    # nobody else finds the game
    client.force_login(reporters[0])
    assert client.get(reverse("games:detail", args=[game.slug])).status_code == 404
    assert game.title not in client.get("/?q=Neon").content.decode()
    assert Game.objects.get(pk=game.pk).status == "moderated"


def test_moderation_pages_need_a_sign_in(client):
    for name in ("moderation:reports", "moderation:appeals"):
        assert client.get(reverse(name)).status_code == 302
