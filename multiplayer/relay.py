"""Server-stamped frames of a session: sequence numbers, the recent history, the host's snapshot.

Every frame broadcast to a session gets the next number of that session's counter and a timestamp,
and is appended to the session's history (the last MULTIPLAYER_HISTORY frames) in one atomic step, so
the history's order is the numbers' order, whichever process sent it. A reconnecting player is sent
the frames it missed from there. With Redis (REDIS_URL) this state is shared by every ASGI process;
without it (one process, `make run` on SQLite) it lives in memory.

Broadcasts go through the channel layer's groups:
  mp.<session hex>     every socket of the session (message type "mp.frame")
  mplobby.<game hex>   every lobby socket of a game ("mp.lobby")
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import weakref
from collections import defaultdict, deque
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

KEY_PREFIX = "gf-mp:"
# A session's keys outlive it by this much at most (refreshed on every frame).
KEY_TTL_S = 24 * 60 * 60
POOL_SIZE = 100
POOL_WAIT_S = 10

# KEYS[1] counter, KEYS[2] history; ARGV[1] the frame's JSON without its opening "{", ARGV[2] length
# kept, ARGV[3] ttl. The number is spliced in as the first member: one round trip, atomic.
_STAMP_LUA = """
local seq = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if tonumber(ARGV[2]) > 0 then
  redis.call('RPUSH', KEYS[2], '{"seq":' .. seq .. ',' .. ARGV[1])
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return seq
"""


def session_group(session_id) -> str:
    return f"mp.{_hex(session_id)}"


def lobby_group(game_id) -> str:
    return f"mplobby.{_hex(game_id)}"


def _hex(value) -> str:
    return getattr(value, "hex", None) or str(value).replace("-", "")


def now_ms() -> int:
    return int(time.time() * 1000)


def _keys(scope: str, ident) -> tuple[str, str]:
    base = f"{KEY_PREFIX}{scope}:{_hex(ident)}"
    return f"{base}:seq", f"{base}:history"


def _encode(frame: dict) -> str:
    body = json.dumps(frame, separators=(",", ":"), default=str)
    return body[1:]  # without "{": the stamp script prepends '{"seq":N,'


# --- the two backends ------------------------------------------------------------------------------


class _MemoryStore:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seq: dict[str, int] = defaultdict(int)
        self.history: dict[str, deque] = {}
        self.values: dict[str, Any] = {}

    def stamp(self, seq_key: str, history_key: str, body: str, keep: int) -> int:
        with self.lock:
            self.seq[seq_key] += 1
            seq = self.seq[seq_key]
            if keep > 0:
                history = self.history.setdefault(history_key, deque(maxlen=keep))
                history.append(f'{{"seq":{seq},{body}')
            return seq

    def current(self, seq_key: str) -> int:
        with self.lock:
            return self.seq.get(seq_key, 0)

    def frames(self, history_key: str) -> list[str]:
        with self.lock:
            return list(self.history.get(history_key, ()))

    def get(self, key: str):
        with self.lock:
            return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        with self.lock:
            self.values[key] = value


_memory = _MemoryStore()
_sync_client = None
_async_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_url() -> str:
    return getattr(settings, "REDIS_URL", "") or ""


def _sync_redis():
    global _sync_client
    if _sync_client is None:
        import redis

        pool = redis.BlockingConnectionPool.from_url(
            _redis_url(),
            max_connections=POOL_SIZE,
            timeout=POOL_WAIT_S,
            socket_timeout=5,
            socket_connect_timeout=5,
        )
        _sync_client = redis.Redis(connection_pool=pool)
    return _sync_client


def _async_redis():
    """One client per event loop (redis.asyncio connections belong to the loop that made them)."""
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        import redis.asyncio as aioredis

        # A pool that waits for a free connection: the default one raises "Too many connections" in bursts.
        pool = aioredis.BlockingConnectionPool.from_url(
            _redis_url(),
            max_connections=POOL_SIZE,
            timeout=POOL_WAIT_S,
            socket_timeout=5,
            socket_connect_timeout=5,
        )
        client = aioredis.Redis(connection_pool=pool)
        _async_clients[loop] = client
    return client


def _keep(scope: str) -> int:
    return settings.MULTIPLAYER_HISTORY if scope == "session" else 0


# --- stamping and reading --------------------------------------------------------------------------


def stamp(scope: str, ident, frame: dict) -> dict:
    """`frame` with the next `seq` of `scope:ident` and `ts`; kept in the history (sessions)."""
    frame = {**frame, "ts": now_ms()}
    frame.pop("seq", None)
    seq_key, history_key = _keys(scope, ident)
    body = _encode(frame)
    if _redis_url():
        seq = int(_sync_redis().eval(_STAMP_LUA, 2, seq_key, history_key, body, _keep(scope), KEY_TTL_S))
    else:
        seq = _memory.stamp(seq_key, history_key, body, _keep(scope))
    return {"seq": seq, **frame}


async def astamp(scope: str, ident, frame: dict) -> dict:
    frame = {**frame, "ts": now_ms()}
    frame.pop("seq", None)
    seq_key, history_key = _keys(scope, ident)
    body = _encode(frame)
    if _redis_url():
        seq = int(
            await _async_redis().eval(_STAMP_LUA, 2, seq_key, history_key, body, _keep(scope), KEY_TTL_S)
        )
    else:
        seq = _memory.stamp(seq_key, history_key, body, _keep(scope))
    return {"seq": seq, **frame}


async def acurrent_seq(scope: str, ident) -> int:
    seq_key, _ = _keys(scope, ident)
    if _redis_url():
        return int(await _async_redis().get(seq_key) or 0)
    return _memory.current(seq_key)


async def amissed(session_id, *, after: int) -> list[dict]:
    """The kept frames of a session numbered above `after`, oldest first."""
    _, history_key = _keys("session", session_id)
    if _redis_url():
        raw = [r.decode() for r in await _async_redis().lrange(history_key, 0, -1)]
    else:
        raw = _memory.frames(history_key)
    frames = [json.loads(r) for r in raw]
    return [f for f in frames if f["seq"] > after]


def _snapshot_key(session_id) -> str:
    return f"{KEY_PREFIX}session:{_hex(session_id)}:snapshot"


async def asnapshot_set(session_id, data) -> None:
    value = json.dumps(data, separators=(",", ":"))
    if _redis_url():
        await _async_redis().set(_snapshot_key(session_id), value, ex=KEY_TTL_S)
    else:
        _memory.set(_snapshot_key(session_id), value)


async def asnapshot_get(session_id):
    if _redis_url():
        raw = await _async_redis().get(_snapshot_key(session_id))
    else:
        raw = _memory.get(_snapshot_key(session_id))
    return json.loads(raw) if raw else None


def snapshot_get(session_id):
    raw = (
        _sync_redis().get(_snapshot_key(session_id))
        if _redis_url()
        else _memory.get(_snapshot_key(session_id))
    )
    return json.loads(raw) if raw else None


def snapshot_clear(session_id) -> None:
    if _redis_url():
        _sync_redis().delete(_snapshot_key(session_id))
    else:
        _memory.set(_snapshot_key(session_id), "")


# --- broadcasting ----------------------------------------------------------------------------------


def publish(session_id, frame: dict) -> dict:
    """Stamp `frame` and send it to every socket of the session (from sync code, e.g. on commit)."""
    stamped = stamp("session", session_id, frame)
    async_to_sync(get_channel_layer().group_send)(
        session_group(session_id), {"type": "mp.frame", "frame": stamped}
    )
    return stamped


async def apublish(session_id, frame: dict) -> dict:
    stamped = await astamp("session", session_id, frame)
    await get_channel_layer().group_send(session_group(session_id), {"type": "mp.frame", "frame": stamped})
    return stamped


def publish_lobby(game_id, frame: dict) -> None:
    stamped = stamp("lobby", game_id, frame)
    async_to_sync(get_channel_layer().group_send)(
        lobby_group(game_id), {"type": "mp.lobby", "frame": stamped}
    )


def send_to_channel(channel: str, message: dict) -> None:
    async_to_sync(get_channel_layer().send)(channel, message)
