"""A mobile client's whole journey through the API with a JWT, as the issue's "done when" says."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_mobile_client_signs_up_generates_plays_rates_forks_and_finds_both(
    django_capture_on_commit_callbacks,
):
    # given: a new account, signed in with a bearer token only (no session)
    app = APIClient()
    r = app.post(
        "/api/v1/auth/register",
        {"username": "mobile_newbie", "email": "m@example.com", "password": "a-fine-password-42"},
        format="json",
    )
    assert r.status_code == 201, r.content
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {r.json()['access']}")

    # when: a prompt becomes a game
    with django_capture_on_commit_callbacks(execute=True):
        r = app.post(
            "/api/v1/ai/generate-game",
            {"prompt": "a comet dodging snake in space", "template": "snake"},
            format="json",
        )
    assert r.status_code == 202, r.content
    status = app.get(f"/api/v1/ai/generation/{r.json()['id']}").json()
    assert status["status"] == "completed", status
    game_id = status["result_game"]["id"]
    title = app.get(f"/api/v1/games/{game_id}").json()["title"]

    # it is a private draft until published
    assert app.get("/api/v1/games?q=" + title).json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):  # what a real commit runs: cache refresh
        assert app.put(f"/api/v1/games/{game_id}", {"is_public": True}, format="json").status_code == 200

    # when: played, scored, rated
    play = app.post(f"/api/v1/games/{game_id}/play", {}, format="json")
    assert play.status_code == 201
    done = app.post(
        f"/api/v1/games/{game_id}/play",
        {"play_id": play.json()["id"], "score": 120, "duration_ms": 30000},
        format="json",
    )
    assert done.json()["score"] == 120
    with django_capture_on_commit_callbacks(execute=True):
        assert app.post(f"/api/v1/games/{game_id}/rate", {"stars": 5}, format="json").json()["rating"] == 5.0

    # when: forked
    with django_capture_on_commit_callbacks(execute=True):
        fork = app.post(f"/api/v1/games/{game_id}/fork", {}, format="json")
    assert fork.status_code == 201

    # then: both are found by search, anonymously too
    found = APIClient().get("/api/v1/games", {"q": title}).json()
    assert sorted(g["id"] for g in found["results"]) == sorted([game_id, fork.json()["id"]])
    original = next(g for g in found["results"] if g["id"] == game_id)
    assert (original["play_count"], original["rating"], original["rating_count"]) == (1, 5.0, 1)
