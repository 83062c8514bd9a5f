"""`/ws/multiplayer/<session id>` (a seated player's socket) and `/ws/lobby?game=<uuid>`.

The consumer parses, checks limits and permission, calls a service, and relays; every frame it sends
carries the session's `seq` and `ts` (README.md). Broadcast frames arrive through the session's group
and are delivered in `seq` order: two processes may hand frames to the layer in another order than
they were numbered, so a frame that arrives early waits (at most REORDER_WAIT_S) for the ones before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings

from gamefactory.consumers import BaseJsonConsumer, socket_user
from gamefactory.content import content_check
from gamefactory.errors import ApplicationError
from games import selectors as games_selectors
from multiplayer import relay, selectors, services

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_SEATED = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_REPLACED = 4409
CLOSE_ENDED = 4410
CLOSE_TOO_LARGE = 4413
CLOSE_RATE_LIMITED = 4429
REORDER_WAIT_S = 0.3
CHAT_MAX_CHARS = 500
CLIENT_SEQ_MAX = 2**53


def _client_seq(content: dict) -> dict:
    value = content.get("client_seq")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= CLIENT_SEQ_MAX:
        return {"client_seq": value}
    return {}


class _Limits:
    """A token bucket per socket, and the strikes it earned by breaking the limits."""

    def __init__(self) -> None:
        self.rate = settings.MULTIPLAYER_RATE_PER_S
        self.burst = settings.MULTIPLAYER_RATE_BURST
        self.tokens = float(self.burst)
        self.at = time.monotonic()
        self.strikes = 0

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class _Frames(BaseJsonConsumer):
    """Error frames in the contract's shape: top-level code/message/field, and the platform's `error`."""

    delivered = 0

    async def send_error(self, exc: ApplicationError, **extra) -> None:
        field = next(iter(exc.fields), None)
        frame = {"type": "error", "seq": self.delivered, "ts": relay.now_ms(), "code": exc.code,
                 "message": exc.message, **exc.as_dict(), **extra}  # fmt: skip
        if field:
            frame["field"] = field
        await self.send_json(frame)

    async def send_json(self, content, close=False):
        await self.send(text_data=json.dumps(content, separators=(",", ":"), default=str), close=close)


class MultiplayerConsumer(_Frames):
    async def connect(self):
        self.session_id = None
        self.participant_id = None
        self.seated = False
        user, subprotocol = await socket_user(self.scope)
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        try:
            participant, replaced = await database_sync_to_async(services.participant_connect)(
                session_id=session_id, user=user, channel=self.channel_name
            )
        except ApplicationError as exc:
            codes = {"not_found": CLOSE_NOT_FOUND, "session_ended": CLOSE_ENDED}
            await self.close(code=codes.get(exc.code, CLOSE_NOT_SEATED))
            return
        self.session_id, self.participant_id = session_id, participant.pk
        self.seat, self.seated, self.is_host, self.turn_based = participant.seat, True, False, False
        self.limits = _Limits()
        self.pending: dict[int, dict] = {}
        self.reorder_task: asyncio.Task | None = None
        self.snapshot_saved_at = 0.0
        self.group = relay.session_group(session_id)
        # The number before joining the group: every frame after it comes through the group or, if it
        # was sent before the group_add took effect, from the history read below (duplicates dropped).
        joined_at = await relay.acurrent_seq("session", session_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept(subprotocol)
        if replaced:
            await self.channel_layer.send(replaced, {"type": "mp.replaced"})
        await self._send_state(joined_at)
        for frame in await relay.amissed(session_id, after=joined_at):
            await self.mp_frame({"frame": frame})
        state_player = {"user_id": str(user.pk), "username": user.username, "seat": self.seat}
        await relay.apublish(
            session_id,
            {"type": "presence", "player": state_player, "connected": True,
             "grace_s": settings.MULTIPLAYER_RECONNECT_GRACE_S},
        )  # fmt: skip

    async def _send_state(self, current: int) -> None:
        """`session_state` to this socket only: the snapshot and the frames after `?last_seq=`."""
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        raw_last = (query.get("last_seq") or [""])[0]
        last_seq = int(raw_last) if raw_last.isdigit() else None
        state = await database_sync_to_async(selectors.session_state_get)(session_id=self.session_id)
        self.turn_based = state["session"]["turn_based"]
        live = await relay.asnapshot_get(self.session_id)
        if live is not None and not state["round_over"]:
            state["snapshot"] = live
        missed = await relay.amissed(self.session_id, after=last_seq) if last_seq is not None else []
        self.delivered = current
        state.update(seq=current, ts=relay.now_ms(), missed=[f for f in missed if f["seq"] <= current])
        await self.send_json(self._personal(state))
        if raw_last and last_seq is None:
            await self.send_error(ApplicationError.for_field("last_seq", "A whole number.", code="invalid"))

    def _personal(self, frame: dict) -> dict:
        if frame.get("type") != "session_state":
            return frame
        me = str(self.user.pk)
        mine = next((p for p in frame["players"] if p["user_id"] == me), None)
        self.seated = mine is not None and frame["session"]["status"] != "completed"
        if mine is not None:
            self.seat, self.is_host = mine["seat"], mine["is_host"]
        you = {
            "user_id": me,
            "seat": mine["seat"] if mine else None,
            "is_host": bool(mine and mine["is_host"]),
        }
        return {**frame, "you": you}

    async def disconnect(self, code):
        if getattr(self, "reorder_task", None) is not None:
            self.reorder_task.cancel()
        if self.session_id is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        at = await database_sync_to_async(services.participant_disconnect)(
            participant_id=self.participant_id, channel=self.channel_name
        )
        if at is None:
            return  # a newer socket of this player took over, or the player had left
        grace = settings.MULTIPLAYER_RECONNECT_GRACE_S
        player = {"user_id": str(self.user.pk), "username": self.user.username, "seat": self.seat}
        await relay.apublish(
            self.session_id, {"type": "presence", "player": player, "connected": False, "grace_s": grace}
        )
        # The seat is given up after the grace unless a socket came back; if this process dies first, the
        # beat reconciler (tasks.sessions_reap_task) does it.
        asyncio.get_running_loop().create_task(_expire_after(grace, self.participant_id, at))

    # --- from the client ---------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self.limits.take():
            return await self._strike(
                ApplicationError("Too many messages; slow down.", code="rate_limited"), CLOSE_RATE_LIMITED
            )
        if text_data is None:
            return await self.send_error(
                ApplicationError("Only text frames carrying JSON are accepted.", code="binary_not_supported")
            )
        cap = settings.MULTIPLAYER_MAX_FRAME_BYTES
        if len(text_data) > cap or len(text_data.encode()) > cap:
            return await self._strike(
                ApplicationError(f"Frames are limited to {cap} bytes.", code="frame_too_large"),
                CLOSE_TOO_LARGE,
            )
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            return await self.send_error(
                ApplicationError("The frame is not valid JSON.", code="invalid_json")
            )
        if not isinstance(content, dict):
            return await self.send_error(
                ApplicationError("The frame must be a JSON object.", code="invalid_json")
            )
        try:
            await self.receive_json(content)
        except ApplicationError as exc:
            await self.send_error(exc, **_client_seq(content))

    async def _strike(self, exc: ApplicationError, close_code: int) -> None:
        self.limits.strikes += 1
        await self.send_error(exc)
        if self.limits.strikes >= settings.MULTIPLAYER_MAX_STRIKES:
            await self.close(code=close_code)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        handler = {
            "ping": self._ping,
            "game_move": self._game_move,
            "chat_message": self._chat,
            "ready": self._ready,
        }.get(kind if isinstance(kind, str) else "")
        if handler is None:
            raise ApplicationError.for_field(
                "type", "One of: game_move, chat_message, ready, ping.", code="unknown_type"
            )
        await handler(content)

    async def _ping(self, content):
        await self.send_json(
            {"type": "pong", "seq": self.delivered, "ts": relay.now_ms(), **_client_seq(content)}
        )

    def _require_seat(self) -> None:
        if not self.seated:
            raise ApplicationError("You are not seated in this session.", code="not_seated")

    async def _game_move(self, content):
        self._require_seat()
        data = content.get("data")
        if not isinstance(data, dict):
            raise ApplicationError.for_field("data", "The move must be a JSON object.", code="invalid")
        kind = data.get("kind")
        if kind == "outcome":
            await database_sync_to_async(services.round_finish)(
                session_id=self.session_id, user=self.user, data=data
            )
            return  # the session_state with round_over and the result follows
        frame = {"type": "game_update", "from_seat": self.seat, "from_user": str(self.user.pk), "data": data,
                 **_client_seq(content)}  # fmt: skip
        turn_changed = False
        if self.turn_based:
            turn = await database_sync_to_async(services.move_take_turn)(
                session_id=self.session_id, seat=self.seat, keep_turn=data.get("keep_turn") is True
            )
            if turn is not None:
                frame["turn_seat"] = turn
                turn_changed = data.get("keep_turn") is not True
        if kind == "state":
            await self._keep_snapshot(data)
        await relay.apublish(self.session_id, frame)
        if turn_changed:
            state = await database_sync_to_async(selectors.session_state_get)(session_id=self.session_id)
            await relay.apublish(self.session_id, state)

    async def _keep_snapshot(self, data: dict) -> None:
        await relay.asnapshot_set(self.session_id, data)
        now = time.monotonic()
        if now - self.snapshot_saved_at >= settings.MULTIPLAYER_SNAPSHOT_SAVE_S:
            self.snapshot_saved_at = now
            await database_sync_to_async(services.snapshot_save)(session_id=self.session_id, snapshot=data)

    async def _chat(self, content):
        self._require_seat()
        text = content.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApplicationError.for_field("text", "Say something.", code="required")
        text = text.strip()
        if len(text) > CHAT_MAX_CHARS:
            raise ApplicationError.for_field("text", f"At most {CHAT_MAX_CHARS} characters.", code="too_long")
        verdict = await database_sync_to_async(content_check)(
            kind="chat", text=text, field="text", user=self.user
        )
        if not verdict.allowed:  # a chat line cannot wait for review: held is refused too
            reason = verdict.reason or "This message is not allowed."
            raise ApplicationError.for_field("text", reason, code="content_refused")
        await relay.apublish(
            self.session_id,
            {"type": "chat_message", "from_seat": self.seat, "from_user": str(self.user.pk),
             "username": self.user.username, "text": text, **_client_seq(content)},
        )  # fmt: skip

    async def _ready(self, content):
        self._require_seat()
        ready = content.get("ready", True)
        if not isinstance(ready, bool):
            raise ApplicationError.for_field("ready", "true or false.", code="invalid")
        await database_sync_to_async(services.participant_ready)(
            session_id=self.session_id, user=self.user, ready=ready
        )

    # --- from the group ----------------------------------------------------------------------------

    async def mp_frame(self, event):
        frame = event["frame"]
        seq = frame["seq"]
        if seq <= self.delivered:
            return  # already sent (in `missed`, or before this socket's session_state)
        self.pending[seq] = frame
        await self._flush()
        if self.pending and self.reorder_task is None:
            self.reorder_task = asyncio.get_running_loop().create_task(self._flush_late())

    async def _flush(self) -> None:
        while self.delivered + 1 in self.pending:
            self.delivered += 1
            await self._deliver(self.pending.pop(self.delivered))

    async def _flush_late(self) -> None:
        """A number that never came (a frame the layer dropped): deliver what waits, in order."""
        try:
            await asyncio.sleep(REORDER_WAIT_S)
            for seq in sorted(self.pending):
                if seq > self.delivered:
                    self.delivered = seq
                    await self._deliver(self.pending[seq])
            self.pending.clear()
        finally:
            self.reorder_task = None

    async def _deliver(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "session_state":
            self.turn_based = frame["session"]["turn_based"]
        if kind == "player_left" and frame["player"]["user_id"] == str(self.user.pk):
            self.seated = False
        await self.send_json(self._personal(frame))
        if kind == "session_ended":
            self.seated = False
            await self.close(code=CLOSE_ENDED)

    async def mp_replaced(self, event):
        """The same player connected again (another tab): the newer socket wins (its disconnect is then
        a no-op: the seat's connection is the newer socket's)."""
        self.seated = False
        await self.close(code=CLOSE_REPLACED)


async def _expire_after(grace: float, participant_id, disconnected_at) -> None:
    await asyncio.sleep(grace)
    try:
        await database_sync_to_async(services.participant_grace_expire)(
            participant_id=participant_id, disconnected_at=disconnected_at
        )
    except Exception:  # the beat reconciler will try again
        logger.exception("multiplayer: could not expire seat %s", participant_id)


class LobbyConsumer(_Frames):
    """`/ws/lobby?game=<uuid>`: the game's open public sessions now, then each change as it happens."""

    async def connect(self):
        self.group = None
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        try:
            game_id = uuid.UUID((query.get("game") or [""])[0])
        except ValueError:
            await self.accept()
            await self.send_error(ApplicationError.for_field("game", "A game's id (a UUID).", code="invalid"))
            await self.close(code=CLOSE_NOT_FOUND)
            return
        sessions = await database_sync_to_async(_lobby)(game_id)
        if sessions is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = relay.lobby_group(game_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.delivered = await relay.acurrent_seq("lobby", game_id)
        await self.send_json(
            {
                "type": "lobby",
                "seq": self.delivered,
                "ts": relay.now_ms(),
                "game": str(game_id),
                "sessions": sessions,
            }
        )

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong", "seq": self.delivered, "ts": relay.now_ms()})
            return
        raise ApplicationError.for_field(
            "type", 'This socket only answers {"type": "ping"}.', code="unknown_type"
        )

    async def mp_lobby(self, event):
        frame = event["frame"]
        self.delivered = max(self.delivered, frame["seq"])
        await self.send_json(frame)


def _lobby(game_id) -> list[dict] | None:
    try:
        game = games_selectors.game_get(game_id=game_id)
    except ApplicationError:
        return None
    if not game.is_listed:
        return None
    return [selectors.session_payload(s) for s in selectors.lobby_sessions(game_id=game_id)]
