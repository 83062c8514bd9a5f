"""Across processes, on Redis, through real uvicorn servers: a session carried by two ASGI processes,
a native client joining by code, and idle sockets that stay up while every idle timer fires."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from rest_framework_simplejwt.tokens import AccessToken
from websockets.asyncio.client import connect

from multiplayer import services
from tests.factories import UserFactory
from tests.multiplayer.servers import Servers, server_env

pytestmark = [pytest.mark.realserver, pytest.mark.django_db(transaction=True)]

PORT_A, PORT_B = 9111, 9112
# The servers' idle timers, shortened from production's (a 30 s Redis health check, uvicorn's 20 s
# websocket ping with a 20 s timeout) so that each fires several times within the idle hold, which
# also outlasts the list layer's socket timeout (CHANNEL_LAYER_SOCKET_TIMEOUT_S, 15 s).
HEALTH_CHECK_S = 2
WS_PING_S = 5
IDLE_HOLD_S = 20


@pytest.fixture
def servers(tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis: several processes share the session")
    pool = Servers(
        tmp_path,
        server_env(
            CHANNEL_LAYER_HEALTH_CHECK_S=str(HEALTH_CHECK_S),
            UVICORN_WS_PING_INTERVAL=str(WS_PING_S),
            UVICORN_WS_PING_TIMEOUT=str(WS_PING_S),
        ),
    )
    try:
        yield pool
    finally:
        pool.stop()


def _post(port: int, path: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


async def _until(ws, kind: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic())))
        if frame["type"] == kind:
            return frame


async def test_two_processes_carry_one_session_and_a_native_client_joins_by_code(
    servers, battle_game, creator
):
    # given two uvicorn processes on the same Redis and database
    await sync_to_async(servers.start)(PORT_A, PORT_B)
    guest = await sync_to_async(UserFactory)()
    host_token, guest_token = str(AccessToken.for_user(creator)), str(AccessToken.for_user(guest))
    # when the host has a session (made here: the servers' mechanics declare no modes in this branch)
    # and a native client (JWT, no Origin) joins it by code over REST on B
    made = await sync_to_async(services.session_create)(user=creator, game=battle_game)
    session = {"id": str(made.pk), "session_code": made.session_code}
    joined = await sync_to_async(_post)(
        PORT_B, "/api/v1/multiplayer/sessions/join", guest_token, {"code": session["session_code"]}
    )
    assert joined["id"] == session["id"] and joined["current_players"] == 2
    path = f"/ws/multiplayer/{session['id']}"
    async with (
        connect(f"ws://127.0.0.1:{PORT_A}{path}?token={host_token}") as ws_a,
        connect(f"ws://127.0.0.1:{PORT_B}{path}", subprotocols=["gamefactory", guest_token]) as ws_b,
    ):
        assert (await _until(ws_a, "session_state"))["you"]["seat"] == 0
        assert (await _until(ws_b, "session_state"))["you"]["seat"] == 1
        # then messages cross between the processes, both ways, numbered by one counter
        await ws_a.send(json.dumps({"type": "game_move", "data": {"from": "A"}}))
        from_a = await _until(ws_b, "game_update")
        await ws_b.send(json.dumps({"type": "chat_message", "text": "hello from B"}))
        from_b = await _until(ws_a, "chat_message")
        assert from_a["data"] == {"from": "A"} and from_b["text"] == "hello from B"
        assert from_b["seq"] > from_a["seq"]


async def test_idle_sockets_stay_up_on_redis(servers, battle_game, creator):
    # given sockets on a real server over the Redis channel layer: two players and the echo route
    await sync_to_async(servers.start)(PORT_A)
    guest = await sync_to_async(UserFactory)()
    session, _ = await sync_to_async(
        lambda: (services.session_create(user=creator, game=battle_game), None)
    )()
    await sync_to_async(services.session_join)(user=guest, session_id=session.pk)
    base = f"ws://127.0.0.1:{PORT_A}"
    tokens = [str(AccessToken.for_user(u)) for u in (creator, guest)]
    sockets = [await connect(f"{base}/ws/multiplayer/{session.pk}?token={t}") for t in tokens]
    sockets.append(await connect(f"{base}/ws/health"))
    for ws in sockets[:2]:
        await _until(ws, "session_state")
    # when nothing is sent for longer than any idle timer of the server and its Redis connections
    # (the health check runs ~10 times, uvicorn pings each socket ~4 times)
    await asyncio.sleep(IDLE_HOLD_S)
    # then no socket was dropped, and each still answers
    assert all(ws.close_code is None for ws in sockets), [ws.close_code for ws in sockets]
    for ws in sockets[:2]:
        await ws.send(json.dumps({"type": "ping"}))
        assert (await _until(ws, "pong"))["type"] == "pong"
    await sockets[0].send(json.dumps({"type": "game_move", "data": {"after": "idle"}}))
    assert (await _until(sockets[1], "game_update"))["data"] == {"after": "idle"}
    for ws in sockets:
        await ws.close()
