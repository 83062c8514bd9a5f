"""Reports, auto-hide, decisions everywhere, appeals, notices and the audit log."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.models import User
from gamefactory.errors import ApplicationError
from games import access, selectors
from games.models import Game
from moderation import services
from moderation.models import Appeal, Case, Decision, ModerationAction, Notice, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _report(user, game, reason="hate"):
    return services.report_create(reporter=user, content_type="game", content_id=game.pk, reason=reason)


def _verbs(case):
    return list(ModerationAction.objects.filter(case=case).order_by("id").values_list("verb", flat=True))


def test_third_distinct_reporter_hides_the_game_and_tells_the_creator(
    game, reporters, django_capture_on_commit_callbacks, settings
):
    # given
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    pushed = []
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _report(reporters[0], game)
        _report(reporters[1], game, reason="harassment")
    game.refresh_from_db()
    assert game.status == Game.Status.ACTIVE
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _report(reporters[2], game)
        pushed = callbacks
    # then
    game.refresh_from_db()
    case = Case.objects.get()
    assert game.status == Game.Status.MODERATED
    assert case.held and case.report_count == 3 and case.reason_list == ["hate", "harassment"]
    assert not selectors.game_list().filter(pk=game.pk).exists()
    assert not access.game_is_open(game)
    assert access.play_url_for(game=game, version=game.current_version, user=game.creator) is not None
    notice = Notice.objects.get()
    assert notice.kind == Notice.Kind.HELD and notice.user == game.creator
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [game.creator.email]
    assert "hidden while a moderator reviews it" in mail.outbox[0].subject
    assert pushed  # the push and the email were sent after commit
    assert _verbs(case) == ["report", "report", "report", "auto_hide", "notify"]


def test_the_email_is_sent_once_even_if_the_task_runs_twice(game, reporters, settings):
    # given
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    _report(reporters[0], game)
    notice = Notice.objects.get()
    # when
    first = services.notice_email_send(notice_id=notice.pk)
    second = services.notice_email_send(notice_id=notice.pk)
    # then
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_a_moderator_removes_it_and_the_creator_appeals_once(game, reporters, moderator, settings):
    # given
    settings.MODERATION_AUTO_HIDE_REPORTS = 3
    for person in reporters:
        _report(person, game)
    case = Case.objects.get()
    # when
    decision = services.case_decide(
        case=case, moderator=moderator, action="delete", note="Hate speech in the title."
    )
    appeal = services.appeal_create(decision=decision, user=game.creator, text="It is a quote from a book.")
    # then
    game.refresh_from_db()
    assert game.status == Game.Status.DELETED
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.APPROVED}
    case.refresh_from_db()
    assert case.is_open and case.appeal_pending  # back in the queue
    with pytest.raises(ApplicationError) as again:
        services.appeal_create(decision=decision, user=game.creator, text="Please!")
    assert again.value.status_code == 409 and again.value.code == "already_appealed"
    # and the moderator grants it
    services.case_decide(case=case, moderator=moderator, action="restore")
    game.refresh_from_db()
    appeal.refresh_from_db()
    assert game.status == Game.Status.ACTIVE and appeal.status == Appeal.Status.GRANTED
    assert _verbs(case) == [
        "report", "report", "report", "auto_hide", "notify", "delete", "notify", "appeal", "restore", "notify",
    ]  # fmt: skip
    kinds = list(Notice.objects.order_by("created_at").values_list("kind", flat=True))
    assert kinds == ["held", "removed", "restored"]


def test_a_decided_case_cannot_be_decided_again(game, reporters, moderator):
    # given
    report = _report(reporters[0], game)
    services.report_decide(report=report, moderator=moderator, action="dismiss")
    # when
    with pytest.raises(ApplicationError) as caught:
        services.report_decide(report=report, moderator=moderator, action="hide")
    # then
    assert caught.value.status_code == 409
    assert Decision.objects.count() == 1
    game.refresh_from_db()
    assert game.status == Game.Status.ACTIVE


def test_dismissing_a_held_game_brings_it_back(game, reporters, moderator, settings):
    # given
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    _report(reporters[0], game)
    _report(reporters[1], game)
    # when
    services.case_decide(case=Case.objects.get(), moderator=moderator, action="dismiss")
    # then
    game.refresh_from_db()
    assert game.status == Game.Status.ACTIVE
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.REJECTED}
    assert Notice.objects.filter(kind=Notice.Kind.CLEARED).exists()


def test_suspending_the_creator_hides_the_game_and_blacklists_their_tokens(game, reporters, moderator):
    # given
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
    from rest_framework_simplejwt.tokens import RefreshToken

    RefreshToken.for_user(game.creator)
    _report(reporters[0], game)
    # when
    services.case_decide(case=Case.objects.get(), moderator=moderator, action="suspend")
    # then
    game.refresh_from_db()
    game.creator.refresh_from_db()
    assert game.status == Game.Status.MODERATED
    assert game.creator.status == User.Status.SUSPENDED and not game.creator.is_active
    assert BlacklistedToken.objects.filter(token__user=game.creator).count() == 1


def test_hiding_a_profile_clears_what_it_shows(reporters, moderator):
    # given
    person = UserFactory(display_name="Rude Name", bio="rude bio")
    services.report_create(
        reporter=reporters[0], content_type="user", content_id=person.pk, reason="harassment"
    )
    # when
    services.case_decide(case=Case.objects.get(), moderator=moderator, action="hide")
    # then
    person.refresh_from_db()
    assert (person.display_name, person.bio) == ("", "")


def test_only_moderators_decide(game, reporters):
    # given
    _report(reporters[0], game)
    # when
    with pytest.raises(ApplicationError) as caught:
        services.case_decide(case=Case.objects.get(), moderator=reporters[1], action="hide")
    # then
    assert caught.value.status_code == 403


def test_only_the_creator_appeals_and_only_a_takedown(game, reporters, moderator):
    # given
    _report(reporters[0], game)
    dismissed = services.case_decide(case=Case.objects.get(), moderator=moderator, action="dismiss")
    # when / then
    with pytest.raises(ApplicationError) as not_appealable:
        services.appeal_create(decision=dismissed, user=game.creator, text="?")
    assert not_appealable.value.code == "not_appealable"
    _report(reporters[1], game)
    hidden = services.case_decide(
        case=Case.objects.filter(status="open").get(), moderator=moderator, action="hide"
    )
    with pytest.raises(ApplicationError) as stranger:
        services.appeal_create(decision=hidden, user=reporters[0], text="I object")
    assert stranger.value.status_code == 404


def test_the_audit_log_is_append_only(game, reporters):
    # given
    _report(reporters[0], game)
    entry = ModerationAction.objects.get()
    # when / then: in Python
    entry.reason = "changed"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    # and in the database itself
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            ModerationAction.objects.filter(pk=entry.pk).update(reason="changed")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            ModerationAction.objects.filter(pk=entry.pk).delete()


def test_the_creator_page_link_in_notices_points_at_the_appeals_page(
    game, reporters, settings, django_capture_on_commit_callbacks
):
    # given
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _report(reporters[0], game)
    # then
    assert reverse("moderation:appeals") in mail.outbox[0].body


def test_a_notice_whose_email_could_not_be_enqueued_is_sent_by_the_sweeper(
    game, reporters, settings, django_capture_on_commit_callbacks, monkeypatch
):
    # given: the broker refuses the task
    from datetime import timedelta

    from moderation import tasks

    settings.MODERATION_AUTO_HIDE_REPORTS = 1

    def broker_down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.notice_email_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        _report(reporters[0], game)  # the request still succeeds
    assert mail.outbox == []
    Notice.objects.update(created_at=Notice.objects.get().created_at - timedelta(minutes=5))
    # when
    tasks.notices_email_pending_task()
    tasks.notices_email_pending_task()
    # then
    assert len(mail.outbox) == 1
