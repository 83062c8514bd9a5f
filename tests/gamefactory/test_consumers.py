import pytest
from channels.testing import WebsocketCommunicator

from gamefactory.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def test_health_echo_through_the_real_asgi_app():
    # given
    ws = WebsocketCommunicator(application, "/ws/health", headers=ORIGIN)
    connected, _ = await ws.connect()
    assert connected
    assert (await ws.receive_json_from())["type"] == "hello"
    # when
    await ws.send_json_to({"ping": 1, "text": "héllo"})
    # then
    assert await ws.receive_json_from() == {"type": "echo", "data": {"ping": 1, "text": "héllo"}}
    await ws.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [("not json", "bad_json"), ("[1, 2]", "bad_frame"), ('"x"' + " " * 70000, "frame_too_large")],
)
async def test_bad_frames_get_an_error_frame_and_keep_the_socket(frame, code):
    ws = WebsocketCommunicator(application, "/ws/health", headers=ORIGIN)
    await ws.connect()
    await ws.receive_json_from()
    await ws.send_to(text_data=frame)
    reply = await ws.receive_json_from()
    assert reply["type"] == "error"
    assert reply["error"]["code"] == code
    # still open and working
    await ws.send_json_to({"ok": True})
    assert (await ws.receive_json_from())["type"] == "echo"
    await ws.disconnect()


async def test_foreign_origin_is_refused():
    ws = WebsocketCommunicator(application, "/ws/health", headers=[(b"origin", b"http://evil.example")])
    connected, _ = await ws.connect()
    assert not connected
