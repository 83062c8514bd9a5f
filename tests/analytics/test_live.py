"""Today, live: an incremental aggregate of today's raw events, merged with the nightly rows."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from analytics import aggregation, selectors, tasks
from analytics.models import AggregatedDay, DailyMetrics, Event, LiveWatermark
from tests.analytics.conftest import EVENTS, make_event, make_game, store

pytestmark = pytest.mark.django_db


def just_now(seconds=5) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def today_of(entry: dict) -> dict:
    return entry["days"][-1]


def test_todays_events_show_live_before_the_night(game):
    # given two players today
    store(
        game,
        make_event(ts=just_now(), player="a"),
        make_event("level_start", ts=just_now(), player="b", params={"level": 1}),
    )
    today = timezone.now().date()
    before = selectors.metrics_for_game(game=game, date_from=today, date_to=today)
    # when the live aggregate runs
    reports = aggregation.metrics_aggregate_live()
    # then today has numbers, marked live, and is not taken for a finished day
    entry = selectors.metrics_for_game(game=game, date_from=today, date_to=today)
    assert today_of(before)["dau"] is None and today_of(before)["live"] is False
    assert today_of(entry)["dau"] == 2 and today_of(entry)["events"] == 2 and today_of(entry)["live"] is True
    assert entry["totals"]["new_players"] == 2 and entry["live_at"] is not None
    assert today_of(entry)["retention_d1"] is None
    assert not AggregatedDay.objects.filter(day=today).exists()
    assert [(r.day, r.games, r.events) for r in reports] == [(today, 1, 2)]


def test_only_games_with_new_events_are_computed_again(user):
    # given two games computed once
    quiet, busy = make_game(user), make_game(user)
    store(quiet, make_event(ts=just_now(), player="q"))
    store(busy, make_event(ts=just_now(), player="b1"))
    aggregation.metrics_aggregate_live()
    # ... long ago, as far as the watermark can tell
    Event.objects.update(received_at=timezone.now() - dt.timedelta(hours=1))
    quiet_row = DailyMetrics.objects.get(game=quiet)
    # when only the busy game gets an event, and the live aggregate runs again
    store(busy, make_event(ts=just_now(), player="b2"))
    reports = aggregation.metrics_aggregate_live()
    # then
    assert [r.games for r in reports] == [1]
    assert DailyMetrics.objects.get(game=quiet).computed_at == quiet_row.computed_at
    assert DailyMetrics.objects.get(game=busy).dau == 2
    assert LiveWatermark.objects.get(timezone="UTC").received_until >= timezone.now() - dt.timedelta(
        minutes=1
    )


def test_a_run_with_nothing_new_changes_nothing(game):
    store(game, make_event(ts=just_now(), player="a"))
    aggregation.metrics_aggregate_live()
    Event.objects.update(received_at=timezone.now() - dt.timedelta(hours=1))
    assert aggregation.metrics_aggregate_live() == []


def test_the_nightly_run_replaces_the_live_numbers_with_the_final_day(game):
    # given today's live numbers
    today = timezone.now().date()
    store(game, make_event(ts=just_now(), player="a"))
    aggregation.metrics_aggregate_live()
    # when the day is aggregated for good
    aggregation.metrics_aggregate(day_from=today, day_to=today)
    # then
    entry = selectors.metrics_for_game(game=game, date_from=today, date_to=today)
    assert today_of(entry)["live"] is False and today_of(entry)["dau"] == 1 and entry["live_at"] is None
    assert DailyMetrics.objects.filter(game=game, day=today).count() == 1


def test_after_a_real_play_the_dashboards_headline_numbers_move(user, game, key_pair):
    # given the creator's dashboard, before anyone played today
    browser = Client()
    browser.force_login(user)
    summary = f"/analytics/games/{game.slug}/summary/"
    before = browser.get(summary).content.decode()
    # when a player's page relays the game's events, as player.js does, and the minute's task runs
    session = str(uuid.uuid4())
    events = [
        make_event(name, ts=just_now(), player="browser-1", session_id=session, params=params)
        for name, params in (
            ("session_start", {}),
            ("level_start", {"level": 1}),
            ("level_end", {"level": 1, "success": True, "score": 300}),
            ("game_error", {"message": "boom"}),
        )
    ]
    r = Client().post(
        EVENTS, {"events": events}, content_type="application/json", HTTP_X_INGEST_KEY=key_pair[0]
    )
    assert r.status_code == 202 and r.json()["accepted"] == 4, r.content
    tasks.metrics_aggregate_live_task.delay()
    # then
    after = browser.get(summary).content.decode()
    assert 'id="sum-sessions">0<' in before and 'id="sum-errors">0<' in before and "so far" not in before
    assert 'id="sum-sessions">1<' in after and 'id="sum-new">1<' in after and 'id="sum-errors">1<' in after
    assert "Includes today so far" in after
    page = browser.get(f"/analytics/games/{game.slug}/").content.decode()
    assert 'hx-get="/analytics/games/' in page and "live</span>" in page


def test_the_summary_is_the_creators_only(client, game):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(f"/analytics/games/{game.slug}/summary/").status_code == 403


def test_events_of_a_game_that_is_gone_are_skipped(user):
    # given a game removed from the database after its events came (events keep no foreign key)
    gone, kept = make_game(user), make_game(user)
    store(gone, make_event(ts=just_now(), player="a"))
    store(kept, make_event(ts=just_now(), player="b"))
    gone.delete()
    # when / then
    reports = aggregation.metrics_aggregate_live()
    assert [r.games for r in reports] == [1] and DailyMetrics.objects.get().game_id == kept.pk
