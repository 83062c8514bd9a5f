"""Uniqueness races from 20 threads at once, on real connections (PostgreSQL in CI).

Each thread has its own client and so its own database connection; a barrier lines them up.
Losers get a 400 naming the field, never a 500, and nothing extra is written.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connections
from rest_framework.test import APIClient

from accounts.models import User
from gamefactory.api.throttles import AuthThrottle
from gamefactory.errors import unique_violation_error
from games.models import Game, GameVersion, Rating
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


@pytest.fixture(autouse=True)
def _fast(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # 20 requests from one address: this test is about the database, not the throttle
    monkeypatch.setitem(AuthThrottle.THROTTLE_RATES, "auth", None)
    monkeypatch.setitem(AuthThrottle.THROTTLE_RATES, "api_calls", None)


def _all_at_once(call) -> list:
    barrier = threading.Barrier(THREADS)

    def run(i):
        try:
            barrier.wait(timeout=30)
            return call(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def _game(owner) -> Game:
    game = Game.objects.create(
        id=uuid.uuid4(),
        creator=owner,
        title="Race",
        category="arcade",
        slug=f"race-{uuid.uuid4().hex[:8]}",
        spec={},
    )
    version = GameVersion.objects.create(game=game, number=1, spec={}, bundle_hash="0" * 64, created_by=owner)
    Game.objects.filter(pk=game.pk).update(current_version=version)
    return game


def test_twenty_registrations_of_one_username_make_one_account():
    # when
    def register(i):
        body = {"username": "racer", "email": f"racer{i}@example.com", "password": "a-long-passphrase-1"}
        return APIClient().post("/api/v1/auth/register", body, format="json")

    responses = _all_at_once(register)
    # then
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [400] * (THREADS - 1), codes
    for r in responses:
        if r.status_code == 400:
            assert list(r.json()["error"]["fields"]) == ["username"], r.json()
    assert User.objects.filter(username__iexact="racer").count() == 1
    assert User.objects.count() == 1


def test_twenty_ratings_by_one_player_leave_one_rating():
    # given
    owner, player = UserFactory(), UserFactory()
    game = _game(owner)

    def rate(i):
        client = APIClient()
        client.force_authenticate(player)
        return client.post(f"/api/v1/games/{game.pk}/rate", {"stars": 1 + i % 5}, format="json")

    # when
    responses = _all_at_once(rate)
    # then: every answer is a clean one, and the game counts one vote
    assert {r.status_code for r in responses} <= {200, 400}, [r.status_code for r in responses]
    for r in responses:
        if r.status_code == 400:
            assert r.json()["error"]["fields"], r.json()
    game.refresh_from_db()
    assert Rating.objects.filter(game=game).count() == 1
    assert game.rating_count == 1
    assert game.rating_sum == Rating.objects.get(game=game).stars


def test_twenty_forks_at_once_are_twenty_clean_answers():
    # given
    owner, player = UserFactory(), UserFactory()
    game = _game(owner)

    def fork(i):
        client = APIClient()
        client.force_authenticate(player)
        return client.post(f"/api/v1/games/{game.pk}/fork", {"title": "Mine"}, format="json")

    # when
    responses = _all_at_once(fork)
    # then: each fork that was answered 201 exists once, and nothing else was made
    created = [r for r in responses if r.status_code == 201]
    assert {r.status_code for r in responses} <= {201, 400}, [r.status_code for r in responses]
    assert Game.objects.filter(forked_from=game).count() == len(created)
    assert GameVersion.objects.filter(game__forked_from=game).count() == len(created)


def test_a_unique_violation_is_mapped_to_its_field():
    # given two accounts racing for a username in two letter cases (the constraint is on lower())
    UserFactory(username="Casey")
    # when
    try:
        UserFactory(username="casey")
    except IntegrityError as exc:
        error = unique_violation_error(exc)
    else:
        pytest.fail("the database let two accounts share a username")
    # then
    assert error is not None
    assert list(error.fields) == ["username"]
    assert error.status_code == 400
