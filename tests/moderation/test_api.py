"""The seed's moderation API, and every "bad input" of the issue: a 4xx with the reason."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from accounts.models import User
from games.models import Game
from moderation.models import Case, Decision, Report
from tests.factories import UserFactory
from tests.games.conftest import assert_error

pytestmark = pytest.mark.django_db


def _body(game, **extra):
    return {"content_type": "game", "content_id": str(game.pk), "reason": "hate", **extra}


def test_a_user_reports_a_game(game, api_for, reporters):
    # when
    response = api_for(reporters[0]).post(
        "/api/v1/reports", _body(game, details="A slur in the title."), format="json"
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["reason"] == "hate" and body["item_title"] == game.title
    assert Report.objects.get().reporter == reporters[0]


def test_report_spam_is_throttled(api_for, publish, creator, monkeypatch):
    # given
    from moderation.api import ReportThrottle

    monkeypatch.setattr(ReportThrottle, "rate", "3/hour", raising=False)
    spammer = api_for(UserFactory())
    games = [publish(creator, title=f"Game {n}") for n in range(4)]
    # when
    answers = [spammer.post("/api/v1/reports", _body(g), format="json") for g in games]
    # then
    assert [a.status_code for a in answers[:3]] == [201, 201, 201]
    error = assert_error(answers[3], 429, code="throttled")
    assert "retry_after" in error
    assert Report.objects.count() == 3


def test_reporting_your_own_content_is_refused(game, api_for):
    # when
    response = api_for(game.creator).post("/api/v1/reports", _body(game), format="json")
    # then
    error = assert_error(response, 400, field="content_id", code="own_content")
    assert "your own" in error["message"]


def test_reporting_the_same_item_twice_is_refused(game, api_for, reporters):
    # given
    client = api_for(reporters[0])
    client.post("/api/v1/reports", _body(game), format="json")
    # when
    response = client.post("/api/v1/reports", _body(game, reason="spam"), format="json")
    # then
    assert_error(response, 409, field="content_id", code="already_reported")
    assert Report.objects.count() == 1


def test_reasons_out_of_the_list_are_refused(game, api_for, reporters):
    # when
    response = api_for(reporters[0]).post(
        "/api/v1/reports", _body(game, reason="i-dont-like-it"), format="json"
    )
    # then
    error = assert_error(response, 400, field="reason", code="invalid_choice")
    assert "spam" in error["message"]


def test_a_100_kb_report_text_is_refused(game, api_for, reporters):
    # when
    response = api_for(reporters[0]).post(
        "/api/v1/reports", _body(game, details="x" * 100_000), format="json"
    )
    # then
    error = assert_error(response, 400, field="details", code="too_long")
    assert "2000" in error["message"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "content_id", "status", "code"),
    [
        ("game", "7d1c4d4e-0000-4000-8000-000000000000", 404, "not_found"),
        ("game", "not-a-uuid", 404, "not_found"),
        ("comment", "1", 400, "invalid_choice"),
        ("listing", "7d1c4d4e-0000-4000-8000-000000000000", 404, "not_found"),
        ("chat_message", "7d1c4d4e-0000-4000-8000-000000000000", 400, "unsupported"),
    ],
)
def test_reporting_missing_content_is_a_clear_4xx(api_for, reporters, content_type, content_id, status, code):
    # when
    response = api_for(reporters[0]).post(
        "/api/v1/reports",
        {"content_type": content_type, "content_id": content_id, "reason": "spam"},
        format="json",
    )
    # then
    assert_error(response, status, code=code)


def test_reporting_deleted_content_is_a_clear_4xx(game, api_for, reporters):
    # given
    Game.objects.filter(pk=game.pk).update(status=Game.Status.DELETED)
    # when
    response = api_for(reporters[0]).post("/api/v1/reports", _body(game), format="json")
    # then
    assert_error(response, 410, field="content_id", code="content_deleted")


def test_anonymous_cannot_report(game, api):
    assert_error(api.post("/api/v1/reports", _body(game), format="json"), 401)


def test_a_non_moderator_calling_the_admin_api_is_refused(game, api_for, reporters):
    # given
    report = api_for(reporters[0]).post("/api/v1/reports", _body(game), format="json").json()
    client = api_for(reporters[1])
    # when
    listing = client.get("/api/v1/admin/reports")
    deciding = client.put(f"/api/v1/admin/reports/{report['id']}", {"action": "hide"}, format="json")
    scanning = client.post("/api/v1/content/scan", {"text": "hello"}, format="json")
    # then
    for response in (listing, deciding, scanning):
        assert_error(response, 403, code="permission_denied")
    game.refresh_from_db()
    assert game.status == Game.Status.ACTIVE


def test_moderators_list_reports_in_a_pinned_number_of_queries(
    game, api_for, moderator, publish, creator, django_assert_num_queries
):
    # given
    for n in range(4):
        other = publish(creator, title=f"Other {n}")
        for person in (UserFactory(), UserFactory()):
            api_for(person).post("/api/v1/reports", _body(other), format="json")
    client = api_for(moderator)
    # when
    with django_assert_num_queries(2):  # count, page (with case, reporter, moderator joined)
        response = client.get("/api/v1/admin/reports?status=pending")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    assert body["results"][0]["case"]["report_count"] == 2


def test_a_moderator_decides_a_report_and_a_second_decision_is_a_conflict(
    game, api_for, moderator, reporters
):
    # given
    report = api_for(reporters[0]).post("/api/v1/reports", _body(game), format="json").json()
    api_for(reporters[1]).post("/api/v1/reports", _body(game), format="json")
    client = api_for(moderator)
    # when
    first = client.put(
        f"/api/v1/admin/reports/{report['id']}", {"action": "hide", "note": "slur"}, format="json"
    )
    second = client.put(f"/api/v1/admin/reports/{report['id']}", {"action": "delete"}, format="json")
    # then
    assert first.status_code == 200, first.content
    assert first.json()["action"] == "hide"
    error = assert_error(second, 409, code="already_decided")
    assert "already been decided" in error["message"]
    game.refresh_from_db()
    assert game.status == Game.Status.MODERATED  # not deleted by the second call
    assert Decision.objects.count() == 1
    assert set(Report.objects.values_list("status", flat=True)) == {"approved"}


def test_an_unknown_decision_is_refused(game, api_for, moderator, reporters):
    report = api_for(reporters[0]).post("/api/v1/reports", _body(game), format="json").json()
    response = api_for(moderator).put(
        f"/api/v1/admin/reports/{report['id']}", {"action": "nuke"}, format="json"
    )
    assert_error(response, 400, field="action")


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_once_make_one_decision(publish, creator, api_for):
    # given
    game = publish(creator, title="Contested")
    report = api_for(UserFactory()).post("/api/v1/reports", _body(game), format="json").json()
    moderators = [UserFactory(role=User.Role.MODERATOR) for _ in range(2)]
    barrier = threading.Barrier(2)
    codes = []

    def act(person, action):
        try:
            client = api_for(person)
            barrier.wait()
            codes.append(
                client.put(
                    f"/api/v1/admin/reports/{report['id']}", {"action": action}, format="json"
                ).status_code
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(m, a)) for m, a in zip(moderators, ("hide", "delete"), strict=True)
    ]
    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert sorted(codes) == [200, 409]
    assert Decision.objects.count() == 1
    assert Case.objects.get().status == Case.Status.DECIDED


def test_staff_scan_a_text(staff_api):
    # when
    response = staff_api.post("/api/v1/content/scan", {"text": "fuck this", "kind": "title"}, format="json")
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["action"] == "refuse" and "wordlist" in body["labels"] and body["scores"]["wordlist"] == 1.0


def test_staff_scan_a_game_by_id(staff_api, publish, creator):
    # given
    game = publish(creator, title="Neon Snake")
    Game.objects.filter(pk=game.pk).update(description="a shitty game")
    # when
    response = staff_api.post("/api/v1/content/scan", {"game_id": str(game.pk)}, format="json")
    # then
    body = response.json()
    assert response.status_code == 200 and body["action"] == "refuse"
    assert {part["kind"] for part in body["parts"]} == {"title", "description", "upload"}


def test_a_10_mb_scan_request_is_refused(staff_api):
    # when
    response = staff_api.post("/api/v1/content/scan", {"text": "a" * (10 * 1024 * 1024)}, format="json")
    # then
    assert_error(response, 413, code="request_too_large")


def test_a_scan_over_the_character_limit_is_refused(staff_api, settings):
    settings.MODERATION_SCAN_MAX_CHARS = 1000
    response = staff_api.post("/api/v1/content/scan", {"text": "a" * 1001}, format="json")
    assert_error(response, 400, field="text")


def test_a_scan_needs_a_text_or_a_game(staff_api):
    assert_error(staff_api.post("/api/v1/content/scan", {}, format="json"), 400, field="text")
    assert_error(
        staff_api.post(
            "/api/v1/content/scan", {"game_id": "7d1c4d4e-0000-4000-8000-000000000000"}, format="json"
        ),
        404,
        field="game_id",
    )


def test_the_creator_appeals_through_the_api(game, api_for, moderator, reporters):
    # given
    report = api_for(reporters[0]).post("/api/v1/reports", _body(game), format="json").json()
    decision = (
        api_for(moderator)
        .put(f"/api/v1/admin/reports/{report['id']}", {"action": "hide"}, format="json")
        .json()
    )
    client = api_for(game.creator)
    # when
    first = client.post(
        "/api/v1/appeals", {"decision_id": decision["id"], "text": "It is satire."}, format="json"
    )
    second = client.post("/api/v1/appeals", {"decision_id": decision["id"], "text": "Again"}, format="json")
    stranger = api_for(reporters[1]).post(
        "/api/v1/appeals", {"decision_id": decision["id"], "text": "x"}, format="json"
    )
    # then
    assert first.status_code == 201, first.content
    assert_error(second, 409, code="already_appealed")
    assert_error(stranger, 404)
    assert client.get("/api/v1/appeals").json()["results"][0]["status"] == "pending"


def test_my_reports(game, api_for, reporters):
    client = api_for(reporters[0])
    client.post("/api/v1/reports", _body(game), format="json")
    assert client.get("/api/v1/reports").json()["results"][0]["item_title"] == game.title
