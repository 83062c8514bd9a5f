"""Staff: sessions in the admin (live filter, participants, the end action); the count on /readyz and
the `multiplayer_sessions` gauge."""

from __future__ import annotations

import pytest

from gamefactory import metrics
from multiplayer import services
from multiplayer.models import MultiplayerSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_live_sessions_with_their_players_and_ends_them(client, staff, battle_game, creator):
    # given a live session with two players and an ended one
    live = services.session_create(user=creator, game=battle_game)
    guest = UserFactory()
    services.session_join(user=guest, session_id=live.pk)
    ended = services.session_create(user=creator, game=battle_game)
    services.session_end(session_id=ended.pk)
    client.force_login(staff)
    # when staff look at live sessions
    page = client.get("/admin/multiplayer/multiplayersession/?live=yes")
    assert page.status_code == 200
    assert live.session_code in page.content.decode() and ended.session_code not in page.content.decode()
    detail = client.get(f"/admin/multiplayer/multiplayersession/{live.pk}/change/")
    assert detail.status_code == 200 and guest.username in detail.content.decode()
    # and end it
    response = client.post(
        "/admin/multiplayer/multiplayersession/",
        {"action": "end_sessions", "_selected_action": [str(live.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    live.refresh_from_db()
    assert live.status == MultiplayerSession.Status.COMPLETED and live.current_players == 0
    assert not live.participants.filter(is_active=True).exists()


def test_readyz_and_the_gauge_count_live_sessions(client, battle_game, creator):
    services.session_create(user=creator, game=battle_game)
    services.session_create(user=creator, game=battle_game)
    done = services.session_create(user=creator, game=battle_game)
    services.session_end(session_id=done.pk)
    assert client.get("/readyz").json()["multiplayer_sessions"] == 2
    assert "multiplayer_sessions 2.0" in metrics.exposition().decode()
