"""Seats are reserved race-free across connections: 20 simultaneous joins to 4 seats seat exactly 4."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from gamefactory.errors import ApplicationError
from multiplayer import services
from multiplayer.models import MultiplayerSession, SessionParticipant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_joins_seat_exactly_four(battle_game, creator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # given a 4-seat session with its host, and 20 players at the door
    session = services.session_create(user=creator, game=battle_game, max_players=4)
    players = [UserFactory() for _ in range(20)]
    barrier = threading.Barrier(len(players))
    outcomes: list[str] = []
    lock = threading.Lock()

    def join(user):
        barrier.wait()
        try:
            services.session_join(user=user, session_id=session.pk)
            outcome = "seated"
        except ApplicationError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    # when they all join at once, each on its own database connection
    threads = [threading.Thread(target=join, args=(u,)) for u in players]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # then 3 more are seated (4 with the host), the rest told it is full
    assert sorted(outcomes).count("seated") == 3
    assert outcomes.count("session_full") == 17
    session.refresh_from_db()
    seats = sorted(
        SessionParticipant.objects.filter(session=session, is_active=True).values_list("seat", flat=True)
    )
    assert session.current_players == 4 and seats == [0, 1, 2, 3]
    assert MultiplayerSession.objects.get(pk=session.pk).is_full
