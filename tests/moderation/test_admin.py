"""The review queue in the Django admin: order, filters, preview, decisions, bulk actions, audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from games.models import Game
from moderation import services
from moderation.models import Case, ModerationAction
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/case/"


def _report(user, game, reason="hate"):
    return services.report_create(reporter=user, content_type="game", content_id=game.pk, reason=reason)


@pytest.fixture
def staff_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def three_cases(publish, creator):
    """An old case with one report, a newer one with three, a profile reported for spam."""
    old = publish(creator, title="Old One")
    busy = publish(creator, title="Busy One")
    _report(UserFactory(), old)
    for _ in range(2):
        _report(UserFactory(), busy, reason="harassment")
    _report(UserFactory(), busy, reason="spam")
    person = UserFactory(username="spammer")
    services.report_create(reporter=UserFactory(), content_type="user", content_id=person.pk, reason="spam")
    return old, busy, person


def _titles(response) -> list[str]:
    return [case.title for case in response.context["cl"].result_list]


def test_the_queue_is_open_cases_oldest_first_or_most_reported_first(staff_client, three_cases):
    # when
    bare = staff_client.get(QUEUE)
    oldest = staff_client.get(QUEUE + "?status__exact=open")
    busiest = staff_client.get(QUEUE + "?status__exact=open&order=most_reported")
    # then
    assert bare.status_code == 302 and "status__exact=open" in bare["Location"]
    assert _titles(oldest) == ["Old One", "Busy One", "spammer"]
    assert _titles(busiest)[0] == "Busy One"


def test_the_queue_filters_by_type_reason_and_scanner_label(staff_client, three_cases, creator, settings):
    # given: a game held by the scanner
    settings.MODERATION_THRESHOLDS = {**settings.MODERATION_THRESHOLDS, "title": {"hold": 0.6, "refuse": 2.0}}
    from games.services import game_update

    game_update(game=Game.objects.get(title="Old One"), user=creator, title="Damn Hard Level")
    # when
    users = staff_client.get(QUEUE + "?status__exact=open&content_type__exact=user")
    spam = staff_client.get(QUEUE + "?status__exact=open&reason=spam")
    profanity = staff_client.get(QUEUE + "?status__exact=open&label=profanity")
    # then
    assert _titles(users) == ["spammer"]
    assert sorted(_titles(spam)) == ["Busy One", "spammer"]
    assert _titles(profanity) == ["Old One"]


def test_the_case_page_previews_the_game_in_the_sandboxed_player(staff_client, three_cases, moderator):
    # given
    old, busy, _ = three_cases
    Game.objects.filter(pk=busy.pk).update(status=Game.Status.MODERATED)
    case = Case.objects.get(content_id=str(busy.pk))
    # when
    response = staff_client.get(reverse("admin:moderation_case_change", args=[case.pk]))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'sandbox="allow-scripts"' in page and f"/play/{busy.current_version_id}/" in page
    assert "/~" in page  # a moderated game plays only through a grant
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert ModerationAction.objects.filter(case=case, verb="preview", actor=moderator).exists()
    # and the bundle answers the grant, not the open address
    src = page.split('<iframe src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert staff_client.get(src).status_code == 200
    open_url = f"/play/{busy.current_version_id}/{busy.current_version.bundle_hash}/index.html"
    assert staff_client.get(open_url).status_code == 404


def test_deciding_on_the_case_page(staff_client, three_cases, moderator):
    # given
    _, busy, _ = three_cases
    case = Case.objects.get(content_id=str(busy.pk))
    # when
    response = staff_client.post(
        reverse("admin:moderation_case_decide", args=[case.pk]), {"action": "delete", "note": "Harassment."}
    )
    again = staff_client.post(
        reverse("admin:moderation_case_decide", args=[case.pk]), {"action": "dismiss"}, follow=True
    )
    # then
    assert response.status_code == 302
    busy.refresh_from_db()
    assert busy.status == Game.Status.DELETED
    assert "already been decided" in again.content.decode()
    assert case.decisions.count() == 1


def test_bulk_actions_call_the_services(staff_client, three_cases):
    # given
    old, busy, person = three_cases
    cases = Case.objects.filter(content_type="game")
    # when
    response = staff_client.post(
        QUEUE + "?status__exact=open",
        {"action": "bulk_hide", "_selected_action": [str(c.pk) for c in cases]},
        follow=True,
    )
    staff_client.post(
        QUEUE + "?status__exact=open",
        {"action": "bulk_suspend", "_selected_action": [str(Case.objects.get(content_type="user").pk)]},
    )
    # then
    assert response.status_code == 200
    assert set(Game.objects.filter(pk__in=[old.pk, busy.pk]).values_list("status", flat=True)) == {
        "moderated"
    }
    person.refresh_from_db()
    assert person.status == User.Status.SUSPENDED
    assert not Case.objects.filter(status="open").exists()


def test_the_audit_log_is_read_only_in_the_admin(staff_client, three_cases):
    # given
    entry = ModerationAction.objects.first()
    # when
    listing = staff_client.get("/admin/moderation/moderationaction/")
    change = staff_client.post(
        reverse("admin:moderation_moderationaction_change", args=[entry.pk]), {"reason": "x"}
    )
    delete = staff_client.post(
        reverse("admin:moderation_moderationaction_delete", args=[entry.pk]), {"post": "yes"}
    )
    add = staff_client.get("/admin/moderation/moderationaction/add/")
    # then
    assert listing.status_code == 200 and "report" in listing.content.decode()
    assert change.status_code == 403 and delete.status_code == 403 and add.status_code == 403
    assert ModerationAction.objects.filter(pk=entry.pk, reason=entry.reason).exists()


def test_the_admin_index_shows_the_queue_length_and_age(staff_client, three_cases):
    # when
    response = staff_client.get("/admin/")
    # then
    page = response.content.decode()
    assert 'data-queue-length="3"' in page
    assert "Oldest waiting" in page


def test_people_who_are_not_moderators_do_not_see_the_queue(client, three_cases):
    # given: staff without the moderator role is still staff (is_moderator includes staff); a plain user is not
    client.force_login(UserFactory(is_staff=False))
    # when / then
    assert client.get(QUEUE + "?status__exact=open").status_code == 302  # to the admin login
