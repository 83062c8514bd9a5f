"""The "Play with friends" pages: start, join (by code, link or list), the room, leave; and the game
page's button, shown only for a game whose spec plays multiplayer."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from games.models import GameVersion
from multiplayer.models import MultiplayerSession
from tests.factories import UserFactory
from tests.multiplayer.conftest import make_game

pytestmark = pytest.mark.django_db


def _together(game):
    return reverse("multiplayer:together", args=[game.slug])


def test_the_pages_need_a_signed_in_player(client, battle_game):
    response = client.get(_together(battle_game))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_a_solo_game_has_no_together_page(client, creator):
    solo = make_game(creator, multiplayer=False)
    client.force_login(creator)
    assert client.get(_together(solo)).status_code == 404


def test_starting_a_session_leads_to_its_room_with_the_code_and_the_socket(client, creator, battle_game):
    version = GameVersion.objects.create(
        game=battle_game, number=1, spec=battle_game.spec, bundle_hash="0" * 64, created_by=creator
    )
    battle_game.current_version = version
    battle_game.save(update_fields=["current_version"])
    client.force_login(creator)
    page = client.get(_together(battle_game))
    assert page.status_code == 200 and b"Start a session" in page.content
    response = client.post(_together(battle_game), {"action": "create", "max_players": "3"})
    session = MultiplayerSession.objects.get(game=battle_game)
    assert response.status_code == 302 and response["Location"] == reverse(
        "multiplayer:room", args=[battle_game.slug, session.pk]
    )
    assert session.max_players == 3 and session.host == creator
    room = client.get(response["Location"])
    assert room.status_code == 200
    assert session.session_code.encode() in room.content
    assert f'data-mp-ws="/ws/multiplayer/{session.pk}"'.encode() in room.content
    assert "frame-src" in room["Content-Security-Policy"]


def test_a_friend_joins_by_the_shared_code_and_both_are_listed(client, creator, battle_game):
    client.force_login(creator)
    client.post(_together(battle_game), {"action": "create"})
    session = MultiplayerSession.objects.get(game=battle_game)
    friend = UserFactory()
    client.force_login(friend)
    # the shared link fills the code in; joining is a POST
    link = client.get(f"{_together(battle_game)}?code={session.session_code.lower()}")
    assert f'value="{session.session_code}"'.encode() in link.content
    response = client.post(_together(battle_game), {"action": "join_code", "code": session.session_code})
    room = client.get(response["Location"])
    assert room.status_code == 200
    assert creator.username.encode() in room.content and friend.username.encode() in room.content


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"action": "join_code", "code": "ZZZZZZ"}, 404, b"No live session has this code."),
        ({"action": "create", "max_players": "many"}, 400, b"A whole number."),
        ({"action": "create", "max_players": "9"}, 400, b"This game plays with 2 to 4 players."),
        ({"action": "explode"}, 400, b"Create or join."),
    ],
)
def test_bad_input_is_answered_on_the_page_with_the_reason(
    client, creator, battle_game, data, status, message
):
    client.force_login(creator)
    response = client.post(_together(battle_game), data)
    assert response.status_code == status and message in response.content


def test_someone_not_seated_is_sent_to_join_first_and_leaving_frees_the_seat(client, creator, battle_game):
    client.force_login(creator)
    client.post(_together(battle_game), {"action": "create"})
    session = MultiplayerSession.objects.get(game=battle_game)
    room = reverse("multiplayer:room", args=[battle_game.slug, session.pk])
    stranger = UserFactory()
    client.force_login(stranger)
    response = client.get(room)
    assert response.status_code == 302 and f"code={session.session_code}" in response["Location"]
    client.force_login(creator)
    left = client.post(reverse("multiplayer:leave", args=[battle_game.slug, session.pk]))
    assert left.status_code == 302
    assert not session.participants.filter(user=creator, is_active=True).exists()


def test_the_game_page_button_is_only_for_a_multiplayer_game(creator, battle_game):
    template = Template("{% load multiplayer_tags %}{% play_with_friends game %}")
    shown = template.render(Context({"game": battle_game}))
    assert "Play with friends" in shown and _together(battle_game) in shown
    solo = make_game(creator, multiplayer=False)
    assert "Play with friends" not in template.render(Context({"game": solo}))
