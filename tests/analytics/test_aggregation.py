"""Each metric against a small fixture whose numbers are counted by hand (in the comments)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from analytics import aggregation, services
from analytics.models import AggregatedDay, DailyMetrics, LevelFunnel, Player, Retention
from analytics.selectors import metrics_for_game
from gamefactory.errors import ApplicationError
from tests.analytics.conftest import at, make_event, make_game, store

pytestmark = pytest.mark.django_db


@pytest.fixture
def base():
    """Day 0 of the fixture: far enough back for D30 to be over, recent enough to be kept."""
    return timezone.now().date() - dt.timedelta(days=40)


def day(base, n):
    return base + dt.timedelta(days=n)


@pytest.fixture
def played(game, base):
    """
    Alice  day0 10:00 start, 10:10 L1 start, 10:20 L1 passed, 10:50 score (exactly 30 min idle: same
           session, 50 min long); 11:21 start (31 min idle: a new session of one event, 0 s).
           day1 09:00 (one event: a session of 0 s). day7 15:00.
    Bob    day0 23:50 start; day1 00:10 L1 start, 00:15 L1 failed: one session of 25 min that
           began on day0 (it is day0's, not day1's).
    Carol  day1 12:00 start, 12:05 purchase $4.99, 12:06 ad ($0.002), 12:07 error: 7 min.
    """
    d0, d1, d7 = day(base, 0), day(base, 1), day(base, 7)
    store(
        game,
        make_event("session_start", ts=at(d0, 10, 0), player="alice"),
        make_event("level_start", ts=at(d0, 10, 10), player="alice", params={"level": 1}),
        make_event("level_end", ts=at(d0, 10, 20), player="alice", params={"level": 1, "success": True}),
        make_event("score", ts=at(d0, 10, 50), player="alice", params={"value": 120}),
        make_event("session_start", ts=at(d0, 11, 21), player="alice"),
        make_event("session_start", ts=at(d1, 9, 0), player="alice"),
        make_event("session_start", ts=at(d7, 15, 0), player="alice"),
        make_event("session_start", ts=at(d0, 23, 50), player="bob"),
        make_event("level_start", ts=at(d1, 0, 10), player="bob", params={"level": 1}),
        make_event("level_end", ts=at(d1, 0, 15), player="bob", params={"level": 1, "success": False}),
        make_event("session_start", ts=at(d1, 12, 0), player="carol"),
        make_event(
            "purchase",
            ts=at(d1, 12, 5),
            player="carol",
            params={"item": "gems", "amount_cents": 499, "currency": "USD"},
        ),
        make_event(
            "ad_impression",
            ts=at(d1, 12, 6),
            player="carol",
            params={"placement": "end", "ad_type": "interstitial", "revenue_micros": 2000},
        ),
        make_event("game_error", ts=at(d1, 12, 7), player="carol", params={"message": "boom"}),
    )
    return game


def aggregate(base, first, last):
    return aggregation.metrics_aggregate(day_from=day(base, first), day_to=day(base, last))


def test_day_zero_by_hand(played, base):
    # when
    aggregate(base, 0, 0)
    # then
    m = DailyMetrics.objects.get(game=played, day=day(base, 0))
    assert (m.events, m.dau, m.new_players) == (6, 2, 2)
    # sessions: Alice 3000 s and 0 s, Bob 1500 s (runs past midnight)
    assert (m.sessions, m.single_event_sessions) == (3, 1)
    assert m.session_length_mean_s == pytest.approx(1500.0)
    assert m.session_length_median_s == pytest.approx(1500.0)
    assert list(
        LevelFunnel.objects.filter(game=played).values_list("level", "starts", "successes", "fails")
    ) == [(1, 1, 1, 0)]


def test_day_one_by_hand(played, base):
    # when
    aggregate(base, 0, 1)
    # then
    m = DailyMetrics.objects.get(game=played, day=day(base, 1))
    assert (m.dau, m.new_players) == (3, 1)
    # sessions that start on day 1: Alice 0 s, Carol 420 s; Bob's continues day 0's
    assert (m.sessions, m.single_event_sessions) == (2, 1)
    assert m.session_length_mean_s == pytest.approx(210.0)
    assert m.session_length_median_s == pytest.approx(210.0)
    assert (m.purchases, m.purchase_revenue_micros) == (1, 4_990_000)
    assert (m.ad_impressions, m.ad_revenue_micros) == (1, 2000)
    assert m.errors == 1
    funnel = LevelFunnel.objects.get(game=played, day=day(base, 1))
    assert (funnel.level, funnel.starts, funnel.successes, funnel.fails) == (1, 1, 0, 1)
    # ARPDAU: (4.99 + 0.002) / 3 players
    numbers = metrics_for_game(game=played, date_from=day(base, 1), date_to=day(base, 1))
    assert numbers["days"][0]["arpdau_micros"] == 1_664_000
    assert numbers["days"][0]["revenue_micros"] == 4_992_000


def test_retention_by_install_cohort(played, base):
    # when
    aggregate(base, 0, 30)
    # then: cohort day0 = Alice, Bob: both back on day1, Alice on day7, nobody on day30
    cohort0 = dict(
        Retention.objects.filter(game=played, cohort_day=day(base, 0)).values_list("day_n", "players")
    )
    assert cohort0 == {0: 2, 1: 2, 7: 1}
    numbers = metrics_for_game(game=played, date_from=day(base, 0), date_to=day(base, 1))
    d0, d1 = numbers["days"]
    assert (d0["retention_d1"], d0["retention_d7"], d0["retention_d30"]) == (1.0, 0.5, 0.0)
    # cohort day1 = Carol, never seen again
    assert (d1["retention_d1"], d1["retention_d7"]) == (0.0, 0.0)
    curve = {p["day"]: p["rate"] for p in numbers["retention_curve"]}
    assert curve[0] == 1.0 and curve[1] == pytest.approx(2 / 3, abs=1e-4)
    assert curve[7] == pytest.approx(1 / 3, abs=1e-4)
    assert numbers["totals"]["retention_d1"] == pytest.approx(0.6667, abs=1e-4)


def test_retention_is_unknown_until_its_day_is_aggregated(played, base):
    # given: day0 aggregated, day1 not yet
    aggregate(base, 0, 0)
    # when
    numbers = metrics_for_game(game=played, date_from=day(base, 0), date_to=day(base, 1))
    # then
    d0, d1 = numbers["days"]
    assert d0["dau"] == 2 and d0["retention_d1"] is None
    assert d1["dau"] is None  # not aggregated: unknown, not zero


def test_aggregating_again_replaces_the_rows(played, base):
    # given
    aggregate(base, 0, 7)
    before = {
        "daily": list(
            DailyMetrics.objects.order_by("day").values_list("day", "dau", "sessions", "new_players")
        ),
        "retention": list(
            Retention.objects.order_by("cohort_day", "day_n").values_list("cohort_day", "day_n", "players")
        ),
        "funnel": list(LevelFunnel.objects.order_by("day").values_list("day", "level", "starts")),
        "players": Player.objects.count(),
    }
    # when
    aggregate(base, 0, 7)
    aggregate(base, 3, 5)
    # then
    after = {
        "daily": list(
            DailyMetrics.objects.order_by("day").values_list("day", "dau", "sessions", "new_players")
        ),
        "retention": list(
            Retention.objects.order_by("cohort_day", "day_n").values_list("cohort_day", "day_n", "players")
        ),
        "funnel": list(LevelFunnel.objects.order_by("day").values_list("day", "level", "starts")),
        "players": Player.objects.count(),
    }
    assert after == before
    assert AggregatedDay.objects.filter(timezone="UTC").count() == 8


def test_a_late_event_is_counted_when_its_day_is_aggregated_again(played, base):
    # given
    aggregate(base, 0, 1)
    store(played, make_event("session_start", ts=at(day(base, 1), 18, 0), player="eve"))
    # when
    aggregate(base, 1, 1)
    # then
    m = DailyMetrics.objects.get(game=played, day=day(base, 1))
    assert (m.dau, m.new_players, m.sessions) == (4, 2, 3)


def test_an_earlier_day_aggregated_later_moves_the_install_cohort(played, base):
    # given: day1 first, so Alice and Bob look new on day1
    aggregate(base, 1, 1)
    assert DailyMetrics.objects.get(game=played, day=day(base, 1)).new_players == 3
    # when: the range is aggregated in order
    aggregate(base, 0, 1)
    # then
    assert DailyMetrics.objects.get(game=played, day=day(base, 1)).new_players == 1
    assert Player.objects.get(game=played, player_id="alice").first_day == day(base, 0)


def test_games_are_kept_apart(played, base, user):
    # given
    other = make_game(user)
    store(other, make_event("session_start", ts=at(day(base, 0), 12), player="alice"))
    # when
    aggregate(base, 0, 0)
    # then
    assert DailyMetrics.objects.get(game=played, day=day(base, 0)).dau == 2
    assert DailyMetrics.objects.get(game=other, day=day(base, 0)).dau == 1


def test_a_game_reported_in_its_own_timezone_counts_its_local_days(game, base):
    # given: Tokyo is UTC+9 all year; 20:00 UTC on day0 is 05:00 on day1 in Tokyo
    services.game_reporting_set(game=game, timezone_name="Asia/Tokyo")
    store(game, make_event("session_start", ts=at(day(base, 0), 20), player="kenji"))
    # when
    aggregate(base, 0, 1)
    # then
    assert list(DailyMetrics.objects.filter(game=game).values_list("day", "dau")) == [(day(base, 1), 1)]
    assert AggregatedDay.objects.filter(timezone="Asia/Tokyo").count() == 2
    assert (
        metrics_for_game(game=game, date_from=day(base, 1), date_to=day(base, 1))["timezone"] == "Asia/Tokyo"
    )


def test_an_unknown_timezone_is_refused(game):
    with pytest.raises(ApplicationError):
        services.game_reporting_set(game=game, timezone_name="Mars/Olympus")


def test_days_whose_events_are_gone_or_not_begun_are_refused(game):
    # given
    today = timezone.now().date()
    # when / then
    with pytest.raises(ApplicationError) as old:
        aggregation.metrics_aggregate(
            day_from=today - dt.timedelta(days=400), day_to=today - dt.timedelta(days=400)
        )
    assert old.value.code == "day_expired"
    with pytest.raises(ApplicationError) as future:
        aggregation.metrics_aggregate(
            day_from=today + dt.timedelta(days=2), day_to=today + dt.timedelta(days=2)
        )
    assert future.value.code == "future_day"


def test_the_command_backfills_a_range(played, base):
    # when
    call_command("aggregate_metrics", "--from", str(day(base, 0)), "--to", str(day(base, 1)), stdout=_Sink())
    # then
    assert DailyMetrics.objects.filter(game=played).count() == 2


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("aggregate_metrics", "--from", "yesterday", stdout=_Sink())


def test_the_nightly_run_aggregates_the_last_eight_days(game):
    # given
    yesterday = timezone.now().date() - dt.timedelta(days=1)
    store(game, make_event("session_start", ts=at(yesterday, 12), player="zoe"))
    # when
    reports = aggregation.metrics_aggregate_recent()
    # then
    assert [r.day for r in reports] == [yesterday - dt.timedelta(days=n) for n in range(7, -1, -1)]
    assert DailyMetrics.objects.get(game=game, day=yesterday).dau == 1


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
