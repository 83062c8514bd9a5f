import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import User
from analytics import aggregation, demo
from analytics.models import DailyMetrics, Event, LevelFunnel
from analytics.selectors import metrics_for_game
from games.models import Game, Play
from tests.analytics.conftest import make_game

pytestmark = pytest.mark.django_db


def simulate(game, *args):
    out = io.StringIO()
    call_command("simulate_players", "--game", game.slug, *args, stdout=out)
    return out.getvalue()


def test_simulated_players_go_through_the_endpoint_and_give_a_retention_curve(game):
    # when
    output = simulate(game, "--players", "60", "--days", "12")
    # then
    assert " 0 rejected" in output, output
    stored = Event.objects.filter(game=game).count()
    assert stored > 60 * 10
    names = set(Event.objects.filter(game=game).values_list("name", flat=True))
    assert {"session_start", "level_start", "level_end", "ad_impression", "session_end"} <= names
    today = timezone.now().date()
    aggregation.metrics_aggregate(day_from=today - dt.timedelta(days=11), day_to=today - dt.timedelta(days=1))
    numbers = metrics_for_game(game=game, date_from=today - dt.timedelta(days=11), date_to=today)
    curve = {p["day"]: p["rate"] for p in numbers["retention_curve"]}
    assert curve[0] == 1.0 and 0 < curve[1] < 1
    assert LevelFunnel.objects.filter(game=game, level=1).exists()


def test_simulating_again_with_the_same_seed_counts_nothing_twice(game):
    # given
    simulate(game, "--players", "20", "--days", "3")
    stored = Event.objects.filter(game=game).count()
    # when
    output = simulate(game, "--players", "20", "--days", "3")
    # then
    assert Event.objects.filter(game=game).count() == stored
    assert " 0 accepted" in output and f"{stored} duplicates" in output


def test_pass_rates_follow_the_mechanic(user):
    # given
    easy = make_game(user, mechanic="quiz")
    hard = make_game(user, mechanic="flappy")
    for game in (easy, hard):
        simulate(game, "--players", "80", "--days", "2")
    today = timezone.now().date()
    aggregation.metrics_aggregate(day_from=today - dt.timedelta(days=1), day_to=today)

    # then
    def rate(game):
        levels = metrics_for_game(game=game, date_from=today - dt.timedelta(days=1), date_to=today)["funnel"]
        return levels[0]["success_rate"]

    assert rate(easy) > rate(hard)


def test_an_unknown_game_is_an_error():
    with pytest.raises(CommandError):
        call_command("simulate_players", "--game", "no-such-game", stdout=io.StringIO())


def test_the_demo_seeder_makes_a_game_only_when_there_is_none_and_fills_it():
    # given
    User.objects.create_user("demo", "demo@example.com", "x")
    # when
    demo.seed_demo(stdout=io.StringIO())
    # then
    game = Game.objects.get()
    assert (game.title, game.mechanic, game.creator.username) == ("Demo Runner", "runner", "demo")
    assert DailyMetrics.objects.filter(game=game).count() >= 10
    assert Event.objects.filter(game=game).values("player_id").distinct().count() > 150
    # when seeded again
    before = Event.objects.count()
    demo.seed_demo(stdout=io.StringIO())
    # then
    assert Game.objects.count() == 1 and Event.objects.count() == before


def test_the_demo_records_one_play_per_simulated_session_once():
    # given
    User.objects.create_user("demo", "demo@example.com", "x")
    # when
    demo.seed_demo(stdout=io.StringIO())
    demo.seed_demo(stdout=io.StringIO())
    # then the catalogue shows the simulated players' plays, from the records
    game = Game.objects.get()
    sessions = Event.objects.filter(game=game).values("player_id", "session_id").distinct().count()
    assert sessions > 150
    assert Play.objects.filter(game=game).count() == sessions == game.play_count
    play = Play.objects.filter(game=game, completed=True).exclude(score=None).first()
    assert play is not None and play.anonymous_id.startswith("sim-") and play.duration_ms > 0
