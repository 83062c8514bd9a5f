"""`/ws/multiplayer/<id>` and `/ws/lobby`: who may connect, what is relayed, every bad input."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from gamefactory.content import ContentVerdict
from multiplayer import services
from multiplayer.models import MultiplayerSession, SessionParticipant
from tests.factories import UserFactory
from tests.multiplayer.conftest import make_game
from tests.multiplayer.wsclient import connect, drain, until

pytestmark = pytest.mark.django_db(transaction=True)


def scanner(*, kind, text, field, user=None):
    if "badword" in text:
        return ContentVerdict(action="refuse", reason="Not on this platform.")
    if "maybe" in text:
        return ContentVerdict(action="hold", reason="Waiting for a moderator.")
    return ContentVerdict()


@sync_to_async
def table(game, players=2, **kwargs):
    """A session of `game` with `players` seated; returns (session, [users])."""
    users = [UserFactory() for _ in range(players)]
    session = services.session_create(user=users[0], game=game, **kwargs)
    for user in users[1:]:
        services.session_join(user=user, code=session.session_code)
    return session, users


async def seated(session, user, **kwargs):
    ws, connected, code = await connect(f"/ws/multiplayer/{session.pk}", user=user, **kwargs)
    assert connected, code
    state = await until(ws, "session_state")
    return ws, state


async def test_moves_are_relayed_to_everyone_with_server_numbers(battle_game):
    # given two seated players
    session, (a, b) = await table(battle_game)
    ws_a, state_a = await seated(session, a)
    ws_b, state_b = await seated(session, b)
    assert state_a["you"] == {"user_id": str(a.pk), "seat": 0, "is_host": True}
    assert state_b["you"]["seat"] == 1 and state_b["session"]["session_code"] == session.session_code
    assert {p["seat"] for p in state_b["players"]} == {0, 1}
    # when A moves, claiming a sequence number of its own
    await ws_a.send_json_to({"type": "game_move", "data": {"x": 3}, "seq": 999999, "client_seq": 7})
    # then both get the move, numbered by the server, with A's client_seq echoed
    got_a = await until(ws_a, "game_update")
    got_b = await until(ws_b, "game_update")
    assert got_a == got_b
    assert got_b["from_seat"] == 0 and got_b["data"] == {"x": 3} and got_b["client_seq"] == 7
    assert got_b["seq"] < 999999 and got_b["seq"] > state_b["seq"] and got_b["ts"] > 0
    # and every frame's seq increases
    await ws_b.send_json_to({"type": "game_move", "data": {"y": 1}})
    second = await until(ws_a, "game_update")
    assert second["seq"] > got_a["seq"]
    await ws_a.send_json_to({"type": "ping", "client_seq": 3})
    pong = await until(ws_a, "pong")
    assert pong["client_seq"] == 3 and "seq" in pong and "ts" in pong
    await ws_a.disconnect(timeout=10)
    await ws_b.disconnect(timeout=10)


async def test_who_may_connect(battle_game):
    session, (a, b) = await table(battle_game)
    stranger = await sync_to_async(UserFactory)()
    path = f"/ws/multiplayer/{session.pk}"
    assert (await connect(path))[2] == 4401  # anonymous
    assert (await connect(path + "?token=not-a-jwt"))[2] == 4401
    assert (await connect(path, user=stranger))[2] == 4403  # not seated
    assert (await connect("/ws/multiplayer/7f1d1a9e-0000-4000-8000-000000000000", user=a))[2] == 4404
    # a foreign browser Origin is refused, even with a valid token
    ws, connected, _ = await connect(
        path, user=a, origin=False, headers=[(b"origin", b"https://evil.example")]
    )
    assert not connected


async def test_a_native_client_without_origin_uses_its_jwt_in_a_subprotocol(battle_game):
    session, (a, b) = await table(battle_game)
    token = str(AccessToken.for_user(b))
    # the ["gamefactory", "<jwt>"] form
    ws, connected, _ = await connect(
        f"/ws/multiplayer/{session.pk}", origin=False, subprotocols=["gamefactory", token]
    )
    assert connected
    assert (await until(ws, "session_state"))["you"]["seat"] == 1
    await ws.disconnect(timeout=10)
    # the access_token.<jwt> form
    ws, connected, _ = await connect(
        f"/ws/multiplayer/{session.pk}", origin=False, subprotocols=[f"access_token.{token}"]
    )
    assert connected
    await ws.disconnect(timeout=10)


async def test_without_origin_a_cookie_alone_does_not_sign_in(battle_game, client):
    session, (a, b) = await table(battle_game)
    await sync_to_async(client.force_login)(a)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    # with our Origin the page's cookie signs in
    ws, connected, _ = await connect(f"/ws/multiplayer/{session.pk}", headers=[(b"cookie", cookie)])
    assert connected
    await ws.disconnect(timeout=10)
    # without one it is ignored: a native client must bring its JWT
    _, connected, code = await connect(
        f"/ws/multiplayer/{session.pk}", origin=False, headers=[(b"cookie", cookie)]
    )
    assert not connected and code == 4401


@pytest.mark.parametrize("path", ["/ws/nowhere", "/ws/multiplayer/not-a-uuid", "/"])
async def test_an_unknown_path_closes_cleanly_with_an_error_frame(path):
    ws, connected, _ = await connect(path)
    assert connected
    frame = await ws.receive_json_from(timeout=2)
    assert frame["type"] == "error" and frame["error"]["code"] == "not_found"
    assert (await ws.receive_output(timeout=2)) == {"type": "websocket.close", "code": 4404}


async def test_bad_frames_get_error_frames_and_the_socket_stays(battle_game, settings):
    session, (a, b) = await table(battle_game)
    ws, _ = await seated(session, a)
    await drain(ws)
    cases = [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"type": "teleport"}', "unknown_type"),
        ('{"type": 5}', "unknown_type"),
        ('{"type": "game_move", "data": "win"}', "invalid"),
        ('{"type": "chat_message", "text": ""}', "required"),
        ('{"type": "chat_message", "text": "' + "a" * 501 + '"}', "too_long"),
        ('{"type": "ready", "ready": "yes"}', "invalid"),
        ('{"type": "game_move", "data": {"kind": "outcome", "winner_seat": 0}}', "no_round"),
    ]
    for raw, code in cases:
        await ws.send_to(text_data=raw)
        frame = await until(ws, "error")
        assert frame["code"] == code, (raw, frame)
        assert frame["error"]["code"] == code and "seq" in frame and "ts" in frame
    await ws.send_to(bytes_data=b"\x00\x01binary")
    assert (await until(ws, "error"))["code"] == "binary_not_supported"
    # a 1 MB frame
    await ws.send_to(text_data='{"type": "game_move", "data": {"pad": "' + "x" * (1 << 20) + '"}}')
    assert (await until(ws, "error"))["code"] == "frame_too_large"
    # still open and working
    await ws.send_json_to({"type": "ping"})
    assert (await until(ws, "pong"))["type"] == "pong"
    await ws.disconnect(timeout=10)


async def test_a_flood_is_refused_then_closed(battle_game, settings):
    settings.MULTIPLAYER_RATE_PER_S = 30
    settings.MULTIPLAYER_RATE_BURST = 60
    settings.MULTIPLAYER_MAX_STRIKES = 20
    session, (a, b) = await table(battle_game)
    ws, _ = await seated(session, a)
    # 1,000 messages as fast as possible
    for _ in range(1000):
        await ws.send_to(text_data='{"type": "ping"}')
    frames, closed = [], None
    while closed is None:
        out = await ws.receive_output(timeout=5)
        if out["type"] == "websocket.close":
            closed = out["code"]
        else:
            import json

            frames.append(json.loads(out["text"]))
    assert closed == 4429
    codes = [f.get("code") for f in frames if f["type"] == "error"]
    assert codes.count("rate_limited") == 20
    # the burst and what the rate refilled while the flood was read (slower on a loaded machine)
    assert 60 <= sum(f["type"] == "pong" for f in frames) < 500


async def test_repeated_oversized_frames_close_the_socket(battle_game, settings):
    settings.MULTIPLAYER_MAX_STRIKES = 3
    session, (a, b) = await table(battle_game)
    ws, _ = await seated(session, a)
    for _ in range(3):
        await ws.send_to(text_data="x" * 5000)
    seen = []
    while True:
        out = await ws.receive_output(timeout=5)
        if out["type"] == "websocket.close":
            break
        seen.append(out)
    assert out["code"] == 4413 and len(seen) >= 3


async def test_chat_goes_through_moderation(battle_game, settings):
    settings.CONTENT_SCANNER = "tests.multiplayer.test_consumers.scanner"
    session, (a, b) = await table(battle_game)
    ws_a, _ = await seated(session, a)
    ws_b, _ = await seated(session, b)
    await drain(ws_b)
    await ws_a.send_json_to({"type": "chat_message", "text": "you badword"})
    refused = await until(ws_a, "error")
    assert refused["code"] == "content_refused" and refused["field"] == "text"
    await ws_a.send_json_to({"type": "chat_message", "text": "maybe this"})
    assert (await until(ws_a, "error"))["code"] == "content_refused"
    await ws_a.send_json_to({"type": "chat_message", "text": "  good game  "})
    chat = await until(ws_b, "chat_message")
    assert chat["text"] == "good game" and chat["from_seat"] == 0 and chat["username"] == a.username
    # neither refused line reached B
    assert not [f for f in await drain(ws_b) if f["type"] == "chat_message"]
    await ws_a.disconnect(timeout=10)
    await ws_b.disconnect(timeout=10)


async def test_ready_starts_a_round_and_only_the_host_declares_the_outcome(battle_game):
    session, (a, b) = await table(battle_game)
    ws_a, _ = await seated(session, a)
    ws_b, _ = await seated(session, b)
    await ws_a.send_json_to({"type": "ready", "ready": True})
    state = await until(ws_b, "session_state")
    assert state["round"] == 0 and next(p for p in state["players"] if p["seat"] == 0)["ready"]
    await ws_b.send_json_to({"type": "ready"})
    state = await until(ws_b, "session_state")
    assert state["round"] == 1 and state["session"]["status"] == "active" and not state["round_over"]
    # a client cannot declare itself the winner
    await ws_b.send_json_to({"type": "game_move", "data": {"kind": "outcome", "winner_seat": 1}})
    assert (await until(ws_b, "error"))["code"] == "not_authoritative"
    # the host's bad result names the field
    await ws_a.send_json_to({"type": "game_move", "data": {"kind": "outcome", "winner_seat": 7}})
    assert (await until(ws_a, "error"))["field"] == "data.winner_seat"
    # the host's outcome ends the round
    await ws_a.send_json_to(
        {"type": "game_move", "data": {"kind": "outcome", "winner_seat": 1, "scores": {"0": 3, "1": 5}}}
    )
    state = await until(ws_b, "session_state")
    assert state["round_over"] and state["result"] == {"winner_seat": 1, "scores": {"0": 3, "1": 5}}
    # rematch: ready again
    await ws_a.send_json_to({"type": "ready"})
    await ws_b.send_json_to({"type": "ready"})
    for _ in range(3):
        state = await until(ws_a, "session_state")
        if state["round"] == 2:
            break
    assert state["round"] == 2 and not state["round_over"] and state["result"] is None
    await ws_a.disconnect(timeout=10)
    await ws_b.disconnect(timeout=10)


async def test_turn_based_moves_out_of_turn_are_refused(duel_game):
    session, (a, b) = await table(duel_game)
    ws_a, _ = await seated(session, a)
    ws_b, _ = await seated(session, b)
    await ws_a.send_json_to({"type": "ready"})
    await ws_b.send_json_to({"type": "ready"})
    state = await until(ws_a, "session_state")
    while state["round"] != 1:
        state = await until(ws_a, "session_state")
    assert state["turn_seat"] == 0
    await ws_b.send_json_to({"type": "game_move", "data": {"flip": 3}})
    assert (await until(ws_b, "error"))["code"] == "not_your_turn"
    await ws_a.send_json_to({"type": "game_move", "data": {"flip": 1}, "client_seq": 1})
    update = await until(ws_b, "game_update")
    assert update["turn_seat"] == 1 and update["from_seat"] == 0
    assert (await until(ws_b, "session_state"))["turn_seat"] == 1
    await ws_a.send_json_to({"type": "game_move", "data": {"flip": 2}})
    assert (await until(ws_a, "error"))["code"] == "not_your_turn"
    await ws_b.send_json_to({"type": "game_move", "data": {"flip": 2, "keep_turn": True}})
    assert (await until(ws_a, "game_update"))["turn_seat"] == 1
    await ws_a.disconnect(timeout=10)
    await ws_b.disconnect(timeout=10)


async def test_moves_from_a_player_who_left_are_refused(battle_game):
    session, (a, b, _c) = await table(battle_game, players=3)
    ws_b, _ = await seated(session, b)
    await sync_to_async(services.session_leave)(user=b, session_id=session.pk)
    left = await until(ws_b, "player_left")
    assert left["player"]["user_id"] == str(b.pk)
    await until(ws_b, "session_state")
    await ws_b.send_json_to({"type": "game_move", "data": {"x": 1}})
    assert (await until(ws_b, "error"))["code"] == "not_seated"
    await ws_b.disconnect(timeout=10)


async def test_the_same_player_in_two_tabs_keeps_one_seat_and_the_newer_socket_wins(battle_game):
    session, (a, b) = await table(battle_game)
    first, _ = await seated(session, b)
    second, state = await seated(session, b)
    assert (await first.receive_output(timeout=3)).get("type") in ("websocket.send", "websocket.close")
    closed = None
    for _ in range(10):
        out = await first.receive_output(timeout=3)
        if out["type"] == "websocket.close":
            closed = out["code"]
            break
    assert closed == 4409
    assert (
        await sync_to_async(
            SessionParticipant.objects.filter(session=session, user=b, is_active=True).count
        )()
        == 1
    )
    # the older socket's close did not mark the player gone
    await asyncio.sleep(0.2)
    assert (
        await sync_to_async(
            SessionParticipant.objects.filter(session=session, user=b, connected=True).count
        )()
        == 1
    )
    await second.send_json_to({"type": "ping"})
    assert (await until(second, "pong"))["type"] == "pong"
    await second.disconnect(timeout=10)


async def test_a_reconnect_within_grace_keeps_the_seat_and_gets_what_it_missed(battle_game, settings):
    settings.MULTIPLAYER_RECONNECT_GRACE_S = 5
    session, (a, b) = await table(battle_game)
    ws_a, _ = await seated(session, a)
    ws_b, _ = await seated(session, b)
    await ws_a.send_json_to({"type": "game_move", "data": {"kind": "state", "board": [1]}})
    last_seen = (await until(ws_b, "game_update"))["seq"]
    # when B drops
    await ws_b.disconnect(timeout=10)
    presence = await until(ws_a, "presence")
    while presence["connected"]:
        presence = await until(ws_a, "presence")
    assert presence["player"]["seat"] == 1 and presence["grace_s"] == 5
    # and moves happen while it is away
    await ws_a.send_json_to({"type": "game_move", "data": {"kind": "state", "board": [1, 2]}})
    await ws_a.send_json_to({"type": "chat_message", "text": "where did you go"})
    await until(ws_a, "chat_message")
    # then B comes back within the grace, to its seat, with the snapshot and the missed frames
    ws_b, connected, _ = await connect(f"/ws/multiplayer/{session.pk}?last_seq={last_seen}", user=b)
    assert connected
    state = await until(ws_b, "session_state")
    assert state["you"]["seat"] == 1
    assert state["snapshot"] == {"kind": "state", "board": [1, 2]}
    missed = [f["type"] for f in state["missed"]]
    assert "game_update" in missed and "chat_message" in missed
    assert all(f["seq"] > last_seen for f in state["missed"])
    # past the old grace period it is still seated
    await asyncio.sleep(0.1)
    assert await sync_to_async(SessionParticipant.objects.filter(user=b, is_active=True).exists)()
    await ws_a.disconnect(timeout=10)
    await ws_b.disconnect(timeout=10)


async def test_a_host_that_disconnects_mid_game_leaves_after_the_grace_and_the_host_moves(
    battle_game, settings
):
    settings.MULTIPLAYER_RECONNECT_GRACE_S = 0.5
    session, (a, b) = await table(battle_game)
    ws_a, _ = await seated(session, a)
    ws_b, _ = await seated(session, b)
    await ws_a.send_json_to({"type": "ready"})
    await ws_b.send_json_to({"type": "ready"})
    state = await until(ws_b, "session_state")
    while state["round"] != 1:
        state = await until(ws_b, "session_state")
    # when the host drops and does not come back
    await ws_a.disconnect(timeout=10)
    left = await until(ws_b, "player_left", timeout=5)
    assert left["player"]["seat"] == 0 and left["reason"] == "timeout"
    state = await until(ws_b, "session_state")
    # then B hosts, and the round is over for lack of players
    assert state["you"]["is_host"] and state["session"]["host"] == str(b.pk)
    assert state["round_over"] and state["result"]["reason"] == "players_left"
    await ws_b.disconnect(timeout=10)


async def test_the_reaper_expires_seats_whose_process_died(battle_game, settings):
    settings.MULTIPLAYER_RECONNECT_GRACE_S = 0.2
    session, (a, b) = await table(battle_game)

    @sync_to_async
    def died_long_ago():
        from django.utils import timezone

        SessionParticipant.objects.filter(session=session, user=b).update(
            connected=False, disconnected_at=timezone.now() - timezone.timedelta(seconds=5)
        )
        return services.sessions_reap()

    assert await died_long_ago() == 1
    assert not await sync_to_async(SessionParticipant.objects.filter(user=b, is_active=True).exists)()


async def test_the_lobby_shows_open_sessions_live(battle_game, creator):
    open_one, _ = await table(battle_game)
    await table(battle_game, is_private=True)
    ws, connected, _ = await connect(f"/ws/lobby?game={battle_game.pk}")
    assert connected
    lobby = await ws.receive_json_from(timeout=3)
    assert lobby["type"] == "lobby" and [s["id"] for s in lobby["sessions"]] == [str(open_one.pk)]
    # when a session is made and another fills and starts
    fresh, _ = await table(battle_game, players=1)
    update = await until(ws, "lobby_update")
    assert update["session_id"] == str(fresh.pk) and update["open"] and "seq" in update
    await sync_to_async(services.session_end)(session_id=fresh.pk)
    closed = await until(ws, "lobby_update")
    while closed["session_id"] != str(fresh.pk) or closed["open"]:
        closed = await until(ws, "lobby_update")
    assert closed["open"] is False
    await ws.disconnect(timeout=10)


async def test_the_lobby_of_a_hidden_game_or_a_bad_id_is_refused(creator):
    hidden = await sync_to_async(make_game)(creator, is_public=False)
    assert (await connect(f"/ws/lobby?game={hidden.pk}"))[2] == 4404
    ws, connected, _ = await connect("/ws/lobby?game=nope")
    frame = await ws.receive_json_from(timeout=2)
    assert frame["type"] == "error" and frame["field"] == "game"


async def test_an_admin_ending_the_session_closes_the_sockets(battle_game):
    session, (a, b) = await table(battle_game)
    ws_a, _ = await seated(session, a)
    await sync_to_async(services.session_end)(session_id=session.pk)
    await until(ws_a, "session_ended")
    out = await ws_a.receive_output(timeout=3)
    while out["type"] != "websocket.close":
        out = await ws_a.receive_output(timeout=3)
    assert out["code"] == 4410
    gone = await sync_to_async(lambda: MultiplayerSession.objects.get(pk=session.pk).status)()
    assert gone == "completed"
