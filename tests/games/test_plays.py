"""Plays: one per play session, counted from the records, the same on the card, the page and the API;
the creator's tests in the studio's preview are recorded apart."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from games import limits, selectors, services
from games.models import Game, Play
from tests.factories import UserFactory
from tests.games.conftest import assert_error

pytestmark = pytest.mark.django_db


def play_url(game):
    return f"/api/v1/games/{game.pk}/play"


def age(play: Play, by: dt.timedelta) -> None:
    """As if the play's last sign of life was `by` ago."""
    Play.objects.filter(pk=play.pk).update(last_seen_at=timezone.now() - by)


# --- sessions ---------------------------------------------------------------------------------


def test_a_reload_within_the_session_continues_the_play(api, user, publish):
    # given
    game = publish(user)
    first = api.post(play_url(game), {"anonymous_id": "browser-1"}, format="json")
    # when the page is reloaded: the same browser starts again
    again = api.post(play_url(game), {"anonymous_id": "browser-1"}, format="json")
    # then
    assert first.status_code == 201 and first.json()["resumed"] is False
    assert again.status_code == 200 and again.json()["resumed"] is True
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["play_count"] == 1
    assert Play.objects.filter(game=game).count() == 1


def test_a_start_after_the_idle_gap_is_a_new_play(user, publish):
    # given
    game = publish(user)
    player = UserFactory()
    play = services.play_start(game=game, user=player)
    age(play, limits.PLAY_SESSION_IDLE + dt.timedelta(seconds=1))
    # when
    second = services.play_start(game=game, user=player)
    # then
    game.refresh_from_db()
    assert second.pk != play.pk and second.resumed is False
    assert game.play_count == 2 == Play.objects.filter(game=game).count()


def test_finishing_a_level_keeps_the_session_alive(user, publish):
    # given a play whose start is old but whose last level ended a minute ago
    game = publish(user)
    player = UserFactory()
    play = services.play_start(game=game, user=player)
    age(play, limits.PLAY_SESSION_IDLE * 2)
    services.play_finish(play=play, user=player, duration_ms=60_000, score=10)
    # when
    again = services.play_start(game=game, user=player)
    # then
    assert again.pk == play.pk and again.resumed is True


def test_other_players_and_other_games_are_other_plays(user, publish):
    game, other_game = publish(user), publish(user)
    services.play_start(game=game, anonymous_id="a")
    services.play_start(game=game, anonymous_id="b")
    services.play_start(game=game, user=UserFactory())
    services.play_start(game=other_game, anonymous_id="a")
    assert Game.objects.get(pk=game.pk).play_count == 3
    assert Game.objects.get(pk=other_game.pk).play_count == 1


# --- the creator's tests ----------------------------------------------------------------------


def test_the_creators_tests_are_recorded_apart_from_plays(auth_api, user, publish):
    # given
    game = publish(user, is_public=False)
    # when the creator plays the preview in the studio
    r = auth_api.post(play_url(game), {"test": True}, format="json")
    # then
    assert r.status_code == 201 and r.json()["is_test"] is True and r.json()["play_count"] == 0
    assert Game.objects.get(pk=game.pk).play_count == 0
    assert selectors.game_test_count(game=game) == 1
    # and a play of the same creator on the game page is a play, not the test going on
    r = auth_api.post(play_url(game), {}, format="json")
    assert r.status_code == 201 and r.json()["is_test"] is False and r.json()["play_count"] == 1


def test_only_the_creator_records_tests(api, user, publish):
    game = publish(user)
    stranger = UserFactory()
    api.force_authenticate(stranger)
    error = assert_error(api.post(play_url(game), {"test": True}, format="json"), 403, field="test")
    assert error["code"] == "permission_denied"
    assert not Play.objects.filter(game=game).exists()


def test_a_test_flag_that_is_not_a_boolean_is_a_400(auth_api, user, publish):
    game = publish(user)
    assert_error(auth_api.post(play_url(game), {"test": "maybe"}, format="json"), 400, field="test")


def test_the_creator_sees_their_tests_on_the_game_page(client, user, publish):
    # given
    game = publish(user)
    services.play_start(game=game, user=user, test=True)
    # when / then
    client.force_login(user)
    html = client.get(f"/games/{game.slug}/").content.decode()
    assert "1 test by you" in html and 'data-play-count="0"' in html
    # a visitor does not
    client.logout()
    assert "by you" not in client.get(f"/games/{game.slug}/").content.decode()


# --- one count everywhere -----------------------------------------------------------------------


def test_the_count_comes_from_the_records_and_agrees_on_card_page_and_api(client, api, user, publish):
    # given a count that drifted from the records (as before plays were sessions)
    game = publish(user, title="Counted Game")
    services.play_start(game=game, anonymous_id="only-one")
    Game.objects.filter(pk=game.pk).update(play_count=14)
    # when it is recounted
    assert services.game_play_count_refresh(game=game) == 1
    # then the card, the page and the API say the same, in the singular
    card = client.get("/").content.decode()
    page = client.get(f"/games/{game.slug}/").content.decode()
    assert re.search(r"Counted Game.*?1 play\b", card, re.S), card
    assert "1 play<" in page and "1 plays" not in page and "1 plays" not in card
    assert api.get(f"/api/v1/games/{game.pk}").json()["play_count"] == 1


def test_imported_plays_are_recorded_with_their_times_and_counted(user, publish):
    game = publish(user)
    started = timezone.now() - dt.timedelta(days=3)
    count = services.plays_import(
        game=game,
        plays=[
            {"anonymous_id": "sim-1", "started_at": started, "duration_ms": 90_000, "score": 40},
            {"anonymous_id": "sim-2", "started_at": started, "completed": True},
        ],
    )
    assert count == 2 and Game.objects.get(pk=game.pk).play_count == 2
    play = Play.objects.get(game=game, anonymous_id="sim-1")
    assert play.started_at == started and play.last_seen_at == started + dt.timedelta(seconds=90)
    assert selectors.plays_exist(game=game, anonymous_id_prefix="sim-")
    assert not selectors.plays_exist(game=game, anonymous_id_prefix="real-")
