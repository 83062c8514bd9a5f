"""Multiplayer benchmark: 1,000 sockets in 250 sessions of 4, on Redis, across two ASGI processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gf_bench_multiplayer REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/multiplayer.py [--sessions 250] [--seconds 20] [--rate 2] [--hold 120]

Starts two uvicorn processes (`--ports`, default 9121 and 9122) on the same database and Redis, and
seats 4 players per session, seats 0 and 2 on one process and 1 and 3 on the other, so every
broadcast crosses processes. Then, for each of the two routes:

- multiplayer: `/ws/multiplayer/<id>`; each session's players take turns sending a `game_move`
  (`--rate` moves per second per session); the latency of a move is the time until each of the 4
  players (the sender too) receives its `game_update`.
- the ceiling: the bare Channels echo consumer `/ws/health` (no channel layer, no database), the
  same 1,000 sockets sending at the same rate; latency is the echo's round trip.

Each runs open-loop (the rate above, for latency p50/p99) and then closed-loop for `--seconds`
(each sender sends again as soon as it sees its own message back: the messages per second the
whole path can carry). Last, every multiplayer socket stays idle for `--hold` seconds and the
drops (sockets closed by the server) are counted. The load average is printed: the client runs on
the same machine as the servers and Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchlib import ensure_database
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_multiplayer"
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    import django

    django.setup()


def make_sessions(n_sessions: int) -> list[tuple[str, list[str]]]:
    """`n_sessions` waiting sessions of 4 seated players each: [(session id, [4 JWTs])]."""
    from django.db import transaction
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from games.models import Game
    from multiplayer.models import MultiplayerSession, SessionParticipant
    from multiplayer.services import CODE_ALPHABET

    run = secrets.token_hex(3)
    with transaction.atomic():
        owner = User.objects.create(username=f"bench-mp-{run}", email=f"bench-mp-{run}@example.com")
        game = Game.objects.create(
            creator=owner, title="Bench together", slug=f"bench-mp-{run}", category="arcade",
            spec={"mechanic": "snake", "multiplayer": True}, mechanic="snake",
        )  # fmt: skip
        users = User.objects.bulk_create(
            [
                User(username=f"bmp{run}-{i}", email=f"bmp{run}-{i}@example.com", password="!")
                for i in range(4 * n_sessions)
            ]
        )
        sessions = MultiplayerSession.objects.bulk_create(
            [
                MultiplayerSession(
                    game=game,
                    host=users[4 * s],
                    session_code="".join(random.choices(CODE_ALPHABET, k=6)),
                    max_players=4,
                    current_players=4,
                    mode="battle",
                    session_data={"round": 0},
                )  # fmt: skip
                for s in range(n_sessions)
            ]
        )
        SessionParticipant.objects.bulk_create(
            [
                SessionParticipant(session=sessions[s], user=users[4 * s + k], seat=k)
                for s in range(n_sessions)
                for k in range(4)
            ]
        )
    return [
        (str(sessions[s].pk), [str(AccessToken.for_user(users[4 * s + k])) for k in range(4)])
        for s in range(n_sessions)
    ]


def start_servers(ports: list[int], env: dict[str, str], log_dir: Path) -> list[subprocess.Popen]:
    procs = []
    for port in ports:
        log = (log_dir / f"bench-uvicorn-{port}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "gamefactory.asgi:application",
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--lifespan=off",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        )
    for port in ports:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"uvicorn on {port} did not start") from None
                time.sleep(0.3)
    return procs


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


class Socket:
    """One client socket and its reader: the latencies of messages it saw, and its own echoes."""

    def __init__(self, ws, key: str):
        self.ws, self.key = ws, key
        self.latencies: list[float] = []
        self.received = 0
        self.own = asyncio.Event()
        self.error: Exception | None = None
        self.errors: list[dict] = []
        self.types: dict[str, int] = {}
        self.task = asyncio.create_task(self.read())

    async def read(self):
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                self.types[frame.get("type")] = self.types.get(frame.get("type"), 0) + 1
                if frame.get("type") == "error" and len(self.errors) < 3:
                    self.errors.append(frame)
                data = frame.get("data") if frame.get("type") in ("game_update", "echo") else None
                if isinstance(data, dict) and "t" in data:
                    self.latencies.append((time.perf_counter_ns() - data["t"]) / 1e6)
                    self.received += 1
                    if data.get("k") == self.key:
                        self.own.set()
        except Exception as exc:  # a dropped socket: counted by the idle hold
            self.error = exc


async def connect_all(urls: list[tuple[str, list[str] | None]], concurrency: int = 40) -> list:
    from websockets.asyncio.client import connect

    gate = asyncio.Semaphore(concurrency)

    async def one(url, subprotocols):
        async with gate:
            for attempt in range(5):
                try:
                    return await connect(url, subprotocols=subprotocols, compression=None, open_timeout=60,
                                         ping_interval=20, ping_timeout=60, max_queue=None)  # fmt: skip
                except Exception:
                    if attempt == 4:
                        raise
                    await asyncio.sleep(0.5 * (attempt + 1))

    return await asyncio.gather(*(one(u, s) for u, s in urls))


def message(kind: str, key: str) -> str:
    data = {"t": time.perf_counter_ns(), "k": key}
    return json.dumps({"type": "game_move", "data": data} if kind == "mp" else data)


async def open_loop(groups: list[list[Socket]], kind: str, rate: float, seconds: float) -> None:
    """Each group (a session's 4 sockets) sends `rate` messages a second, its sockets in turn."""

    async def drive(i: int, group: list[Socket]):
        await asyncio.sleep(random.random() / rate)
        n = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            sender = group[n % len(group)]
            with contextlib.suppress(ConnectionClosed):  # counted with the drops
                await sender.ws.send(message(kind, f"{i}-{n}"))
            n += 1
            await asyncio.sleep(1 / rate)

    await asyncio.gather(*(drive(i, g) for i, g in enumerate(groups)))
    await asyncio.sleep(1.0)  # the last messages in flight


async def closed_loop(groups: list[list[Socket]], kind: str, seconds: float) -> int:
    """Each group's sender sends again as soon as its own message came back; returns messages sent."""
    sent = 0

    async def drive(group: list[Socket]):
        nonlocal sent
        sender = group[0]
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            sender.own.clear()
            sender.key = secrets.token_hex(4)
            try:
                await sender.ws.send(message(kind, sender.key))
            except ConnectionClosed:
                return  # counted with the drops
            sent += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sender.own.wait(), 10)

    await asyncio.gather(*(drive(g) for g in groups))
    await asyncio.sleep(1.0)
    return sent


def report(name: str, sockets: list[Socket], seconds: float) -> dict:
    lat = [x for s in sockets for x in s.latencies]
    received = sum(s.received for s in sockets)
    row = {"route": name, "deliveries": received, "msgs_per_s": round(received / seconds),
           "p50_ms": round(pct(lat, 50), 2), "p99_ms": round(pct(lat, 99), 2)}  # fmt: skip
    print(
        f"  {name:<34} {row['msgs_per_s']:>8} msg/s   p50 {row['p50_ms']:>8} ms   p99 {row['p99_ms']:>8} ms"
    )
    errors = [e for s in sockets for e in s.errors] + [repr(s.error) for s in sockets if s.error]
    if errors:
        print(f"  errors seen: {len(errors)}, e.g. {errors[:2]}")
    if not received:
        print(f"  frames seen by the first socket: {sockets[0].types}")
    for s in sockets:
        s.errors.clear()
        s.latencies.clear()
        s.received = 0
    return row


async def run(args, sessions, ports) -> None:
    mp_urls, echo_urls = [], []
    for sid, tokens in sessions:
        for seat, token in enumerate(tokens):
            port = ports[seat % len(ports)]
            mp_urls.append((f"ws://127.0.0.1:{port}/ws/multiplayer/{sid}", ["gamefactory", token]))
            echo_urls.append((f"ws://127.0.0.1:{port}/ws/health", None))
    t0 = time.monotonic()
    mp_ws = await connect_all(mp_urls)
    print(f"connected {len(mp_ws)} multiplayer sockets in {time.monotonic() - t0:.1f}s")
    echo_ws = await connect_all(echo_urls)
    print(f"connected {len(echo_ws)} echo sockets; load average {os.getloadavg()}")
    mp = [Socket(ws, "") for ws in mp_ws]
    echo = [Socket(ws, "") for ws in echo_ws]
    await asyncio.sleep(3)  # session_state and presence frames settle
    for s in mp + echo:
        s.latencies.clear()
        s.received = 0
    mp_groups = [mp[i : i + 4] for i in range(0, len(mp), 4)]
    # each echo socket only hears itself: groups of one
    echo_groups = [[s] for s in echo]
    print(
        f"\nopen loop, {args.rate} msg/s per session for {args.seconds}s ({args.rate * len(mp_groups):.0f} sends/s):"
    )
    await open_loop(mp_groups, "mp", args.rate, args.seconds)
    report("multiplayer broadcast (x4)", mp, args.seconds)
    # the same sends, 4 echo sockets taking turns like a session's players (each hears only itself)
    await open_loop([echo[i : i + 4] for i in range(0, len(echo), 4)], "echo", args.rate, args.seconds)
    report("ceiling: bare echo consumer (x1)", echo, args.seconds)
    print(f"  load average {os.getloadavg()}")
    print(f"\nclosed loop for {args.seconds}s (max throughput):")
    sent = await closed_loop(mp_groups, "mp", args.seconds)
    report(f"multiplayer broadcast ({sent} sent)", mp, args.seconds)
    sent = await closed_loop(echo_groups, "echo", args.seconds)
    report(f"ceiling: echo ({sent} sent)", echo, args.seconds)
    print(f"  load average {os.getloadavg()}")
    for ws in echo_ws:
        await ws.close()
    closed_under_load = [ws.close_code for ws in mp_ws if ws.close_code is not None]
    print(
        f"  multiplayer sockets closed under load: {len(closed_under_load)} {sorted(set(closed_under_load))}"
    )
    mp_ws = [ws for ws in mp_ws if ws.close_code is None]
    print(f"\nidle hold: {len(mp_ws)} multiplayer sockets, nothing sent for {args.hold}s")
    await asyncio.sleep(args.hold)
    drops = [ws.close_code for ws in mp_ws if ws.close_code is not None]
    print(f"  drops: {len(drops)} {sorted(set(drops)) if drops else ''}; load average {os.getloadavg()}")
    for ws in mp_ws:
        await ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=250)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=2.0, help="moves per second per session (open loop)")
    parser.add_argument("--hold", type=float, default=120, help="idle hold, seconds")
    parser.add_argument("--ports", default="9121,9122")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL is required: the two processes meet on Redis")
    ensure_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "gamefactory.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup_django(database_url)
    from django.conf import settings

    sessions = make_sessions(args.sessions)
    print(f"{len(sessions)} sessions of 4 made")
    ports = [int(p) for p in args.ports.split(",")]
    server_env = {**env, "SECRET_KEY": settings.SECRET_KEY, "JWT_SIGNING_KEY": settings.SIMPLE_JWT["SIGNING_KEY"],
                  "DEBUG": "0", "LOG_LEVEL": "WARNING", "MULTIPLAYER_RATE_PER_S": "10000",
                  "MULTIPLAYER_RATE_BURST": "10000"}  # fmt: skip
    log_dir = ROOT / "var"
    log_dir.mkdir(exist_ok=True)
    procs = start_servers(ports, server_env, log_dir)
    try:
        asyncio.run(run(args, sessions, ports))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
