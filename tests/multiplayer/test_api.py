"""The seed's multiplayer API: hosting, joining (by id and by code), leaving, listing; every refusal."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from games.models import Game
from multiplayer import services
from multiplayer.models import MultiplayerSession, SessionParticipant
from tests.factories import UserFactory
from tests.multiplayer.conftest import make_game

pytestmark = pytest.mark.django_db

URL = "/api/v1/multiplayer/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def host(game, user=None, **body):
    user = user or UserFactory()
    response = client_for(user).post(URL + "sessions", {"game": str(game.pk), **body}, format="json")
    assert response.status_code == 201, response.json()
    return user, response.json()


def test_hosting_a_multiplayer_game_seats_the_host_at_zero(battle_game):
    # when
    user, session = host(battle_game, max_players=3)
    # then
    assert session["status"] == "waiting" and session["max_players"] == 3 and session["current_players"] == 1
    assert session["host"] == str(user.pk) and session["mode"] == "battle" and session["turn_based"] is False
    assert [(p["username"], p["seat"]) for p in session["participants"]] == [(user.username, 0)]
    assert len(session["session_code"]) == 6 and session["ws_url"] == f"/ws/multiplayer/{session['id']}"
    assert session["join_url"].endswith(f"?code={session['session_code']}")


def test_max_players_defaults_to_what_the_mode_supports(battle_game):
    _, session = host(battle_game)
    assert session["max_players"] == 4


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"max_players": 5}, "max_players", 400),  # the mode plays 2..4
        ({"max_players": 1}, "max_players", 400),
        ({"max_players": 9}, "max_players", 400),
        ({"max_players": "many"}, "max_players", 400),
        ({"is_private": "perhaps"}, "is_private", 400),
    ],
)
def test_bad_create_input_names_the_field(battle_game, body, field, status):
    response = client_for(UserFactory()).post(
        URL + "sessions", {"game": str(battle_game.pk), **body}, format="json"
    )
    assert response.status_code == status
    assert field in response.json()["error"]["fields"]


def test_a_solo_game_cannot_host(creator):
    solo = make_game(creator, multiplayer=False)
    response = client_for(creator).post(URL + "sessions", {"game": str(solo.pk)}, format="json")
    assert response.status_code == 400
    assert (
        response.json()["error"]["code"] == "not_multiplayer" and "game" in response.json()["error"]["fields"]
    )


def test_a_mechanic_without_modes_cannot_host_even_if_the_spec_asks(creator):
    game = make_game(creator, mechanic="maze")
    response = client_for(creator).post(URL + "sessions", {"game": str(game.pk)}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_multiplayer"


@pytest.mark.parametrize("change", [{"is_public": False}, {"status": Game.Status.MODERATED}])
def test_a_hidden_or_moderated_game_cannot_host(creator, change):
    game = make_game(creator, **change)
    response = client_for(creator).post(URL + "sessions", {"game": str(game.pk)}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_available"


def test_unknown_game_and_missing_fields(battle_game):
    client = client_for(UserFactory())
    assert (
        client.post(
            URL + "sessions", {"game": "7f1d1a9e-0000-4000-8000-000000000000"}, format="json"
        ).status_code
        == 404
    )
    response = client.post(URL + "sessions", {}, format="json")
    assert response.status_code == 400 and "game" in response.json()["error"]["fields"]
    response = client.post(URL + "sessions", [1, 2], format="json")
    assert response.status_code == 400


def test_anonymous_callers_are_refused(battle_game):
    response = APIClient().post(URL + "sessions", {"game": str(battle_game.pk)}, format="json")
    assert response.status_code in (401, 403)


def test_joining_takes_the_next_free_seat_and_twice_is_one_seat(battle_game):
    _, session = host(battle_game)
    guest = client_for(UserFactory())
    first = guest.post(URL + f"sessions/{session['id']}/join")
    again = guest.post(URL + f"sessions/{session['id']}/join")
    assert first.status_code == again.status_code == 200
    assert [p["seat"] for p in again.json()["participants"]] == [0, 1]
    assert again.json()["current_players"] == 2


def test_a_full_session_refuses(battle_game):
    _, session = host(battle_game, max_players=2)
    assert client_for(UserFactory()).post(URL + f"sessions/{session['id']}/join").status_code == 200
    response = client_for(UserFactory()).post(URL + f"sessions/{session['id']}/join")
    assert response.status_code == 409 and response.json()["error"]["code"] == "session_full"


def test_an_ended_session_refuses_and_its_code_is_expired(battle_game):
    user, session = host(battle_game)
    services.session_end(session_id=session["id"])
    response = client_for(UserFactory()).post(URL + f"sessions/{session['id']}/join")
    assert response.status_code == 409 and response.json()["error"]["code"] == "session_ended"
    response = client_for(UserFactory()).post(
        URL + "sessions/join", {"code": session["session_code"]}, format="json"
    )
    assert response.status_code == 404 and "code" in response.json()["error"]["fields"]


def test_a_private_session_is_joined_by_code_only_and_seen_by_its_players_only(battle_game):
    _, session = host(battle_game, is_private=True)
    stranger = client_for(UserFactory())
    response = stranger.post(URL + f"sessions/{session['id']}/join")
    assert response.status_code == 403 and response.json()["error"]["code"] == "private"
    assert stranger.get(URL + f"sessions/{session['id']}").status_code == 404
    assert stranger.get(URL + "active").json()["count"] == 0
    # the code is the way in, lower case and with a dash too
    code = session["session_code"]
    response = stranger.post(
        URL + "sessions/join", {"code": f" {code[:3].lower()}-{code[3:]} "}, format="json"
    )
    assert response.status_code == 200 and response.json()["current_players"] == 2
    assert stranger.get(URL + f"sessions/{session['id']}").status_code == 200


@pytest.mark.parametrize("code", ["", "ZZZZZZ", "AB", "O0O0O0", 12345, None])
def test_a_wrong_code_is_a_404_or_400_on_code(code):
    UserFactory()
    response = client_for(UserFactory()).post(URL + "sessions/join", {"code": code}, format="json")
    assert response.status_code in (400, 404)
    assert "code" in response.json()["error"]["fields"]


def test_leaving_moves_the_host_and_the_last_one_out_ends_it(battle_game):
    owner, session = host(battle_game)
    guest = UserFactory()
    client_for(guest).post(URL + f"sessions/{session['id']}/join")
    # when the host leaves
    response = client_for(owner).post(URL + f"sessions/{session['id']}/leave")
    # then the guest hosts
    assert response.status_code == 200 and response.json()["host"] == str(guest.pk)
    assert response.json()["current_players"] == 1
    # and leaving twice is refused
    again = client_for(owner).post(URL + f"sessions/{session['id']}/leave")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_seated"
    # the last one out completes it
    last = client_for(guest).post(URL + f"sessions/{session['id']}/leave")
    assert last.json()["status"] == "completed" and last.json()["ended_at"]


def test_unknown_sessions_are_404(battle_game):
    client = client_for(UserFactory())
    missing = "7f1d1a9e-0000-4000-8000-000000000000"
    assert client.get(URL + f"sessions/{missing}").status_code == 404
    assert client.post(URL + f"sessions/{missing}/join").status_code == 404
    assert client.post(URL + f"sessions/{missing}/leave").status_code == 404


def test_active_lists_live_public_sessions_of_visible_games(
    battle_game, creator, django_assert_max_num_queries
):
    host(battle_game)
    host(battle_game, is_private=True)
    hidden = make_game(creator)
    _, gone = host(hidden)
    Game.objects.filter(pk=hidden.pk).update(is_public=False)
    _, ended = host(battle_game)
    services.session_end(session_id=ended["id"])
    other = make_game(creator)
    host(other)
    client = APIClient()
    with django_assert_max_num_queries(4):
        everything = client.get(URL + "active").json()
    assert everything["count"] == 2
    of_game = client.get(URL + "active", {"game": str(battle_game.pk)}).json()
    assert of_game["count"] == 1 and of_game["results"][0]["game"] == str(battle_game.pk)
    bad = client.get(URL + "active", {"game": "nope"})
    assert bad.status_code == 400 and "game" in bad.json()["error"]["fields"]


def test_codes_are_unique_among_live_sessions_by_the_database(battle_game, monkeypatch):
    # given a live session, and a code generator that first draws that same code
    _, first = host(battle_game)
    draws = iter([first["session_code"], "QQQQQQ"])
    monkeypatch.setattr(services, "code_new", lambda: next(draws))
    # when another session is made
    _, second = host(battle_game)
    # then the collision was retried, not inserted
    assert second["session_code"] == "QQQQQQ"
    # and a completed session's code may be drawn again
    services.session_end(session_id=second["id"])
    monkeypatch.setattr(services, "code_new", lambda: "QQQQQQ")
    _, third = host(battle_game)
    assert third["session_code"] == "QQQQQQ"
    assert MultiplayerSession.objects.filter(session_code="QQQQQQ").count() == 2
    assert SessionParticipant.objects.filter(session_id=third["id"], seat=0).exists()
