"""`/ws/notifications`: who may listen, and what a generation pushes while it runs."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken

from gamefactory.asgi import application
from gamefactory.notifications import notify_user
from games import services
from games.models import GenerationRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def connect(path, headers=()):
    ws = WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])
    connected, code = await ws.connect()
    return ws, connected, code


async def test_anonymous_sockets_are_closed():
    ws, connected, code = await connect("/ws/notifications")
    assert not connected and code == 4401


async def test_a_bad_token_is_closed():
    ws, connected, code = await connect("/ws/notifications?token=not-a-jwt")
    assert not connected and code == 4401


async def test_a_jwt_client_gets_its_own_notifications_after_commit():
    # given
    me, other = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    ws, connected, _ = await connect(f"/ws/notifications?token={AccessToken.for_user(me)}")
    assert connected
    assert (await ws.receive_json_from())["type"] == "hello"

    # when: a push inside a transaction that rolls back, one for someone else, then one that commits
    @sync_to_async
    def pushes():
        try:
            with transaction.atomic():
                notify_user(user_id=me.pk, event={"type": "never"})
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        notify_user(user_id=other.pk, event={"type": "not-for-me"})
        with transaction.atomic():
            notify_user(user_id=me.pk, event={"type": "hello-again", "n": 1})

    await pushes()
    # then: only the committed one, only for me
    assert await ws.receive_json_from(timeout=2) == {"type": "hello-again", "n": 1}
    assert await ws.receive_nothing(timeout=0.2)
    await ws.disconnect()


async def test_a_session_signed_page_listens_too(client):
    user = await sync_to_async(UserFactory)()
    await sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    ws, connected, _ = await connect("/ws/notifications", headers=[(b"cookie", cookie)])
    assert connected
    hello = await ws.receive_json_from()
    assert hello == {"type": "hello", "user_id": str(user.pk)}
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from() == {"type": "pong"}
    await ws.send_json_to({"type": "subscribe"})
    reply = await ws.receive_json_from()
    assert reply["type"] == "error" and reply["error"]["code"] == "unknown_type"
    await ws.disconnect()


async def test_a_generation_pushes_its_progress_and_its_end(settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    user = await sync_to_async(UserFactory)()
    ws, connected, _ = await connect(f"/ws/notifications?token={AccessToken.for_user(user)}")
    await ws.receive_json_from()
    request = await sync_to_async(GenerationRequest.objects.create)(
        user=user, prompt="a snake in a neon city"
    )
    # when
    await sync_to_async(services.generation_run)(request_id=request.pk)
    # then
    events = []
    while True:
        event = await ws.receive_json_from(timeout=30)
        events.append(event)
        if event["status"] == "failed" or event["playtest"]["status"] in ("passed", "failed"):
            break
    progress = [e["progress"] for e in events]
    assert progress == sorted(progress) and progress[-1] == 100
    # the game is shown as soon as it exists ("checking"), then the playtest's verdict arrives
    assert [e["stage"] for e in events] == ["designing", "building", "checking", "done"]
    assert events[2]["type"] == "generation.checking" and events[2]["game_id"]
    final = events[-1]
    assert final["type"] == "generation.completed" and final["request_id"] == str(request.pk)
    assert final["playtest"] == {"status": "passed", "attempts": 1, "reason": ""}
    await sync_to_async(request.refresh_from_db)()
    assert final["game_id"] == str(request.result_game_id) and request.status == "completed"
    await ws.disconnect()
