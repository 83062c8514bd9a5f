"""Ingestion benchmark: events/s through POST /api/v1/events on the production server, beside COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gf_bench_analytics .venv/bin/python bench/ingest.py

1. migrates the database, makes a game and its ingest key;
2. starts the production server itself: gunicorn + uvicorn workers serving the ASGI app
   (DEBUG=0, psycopg pool, Redis cache for the throttle) on a free loopback port;
3. sends batches of 100 events for --seconds from an asyncio load generator (keep-alive
   connections, bodies prepared before the clock starts), checking every answer is a 202 that
   accepted all 100, and prints the sustained events/s;
4. stops the server, checks the database holds exactly the events sent, then writes the same rows
   again with psycopg 3's COPY straight into the same tables (the ceiling), and prints both.

Bounded: the whole run stops by itself (server included) after about --seconds + 1 minute.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchlib import ensure_database, free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_analytics"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
NAMES = ["session_start", "level_start", "level_end", "score", "ad_impression", "design:powerup_used"]


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-ingest-not-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DB_POOL="1",
        DB_POOL_MAX_SIZE="8",
        # The throttle runs (its Redis round trips are part of the cost) at a rate this load never reaches.
        THROTTLE_ANALYTICS_INGEST="100000000/minute",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="gamefactory.settings",
    )
    return env


def setup_database(args) -> tuple[str, str]:
    """Migrate, then a creator, a game and its key: returns (game id, public key)."""
    env = server_env(args)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from analytics import services
    from games.models import Game

    creator, _ = User.objects.get_or_create(username="bench", defaults={"email": "bench@example.com"})
    game, _ = Game.objects.get_or_create(
        slug="bench-ingest",
        defaults={"creator": creator, "title": "Bench ingest", "category": "arcade", "mechanic": "runner"},
    )
    public_key, _ = services.ingest_key_issue(game=game)
    services.partitions_maintain()
    return str(game.pk), public_key


def make_bodies(count: int, batch: int, rng: random.Random) -> list[bytes]:
    now = datetime.now(UTC)
    bodies = []
    for _ in range(count):
        events = []
        for _ in range(batch):
            name = rng.choice(NAMES)
            level = rng.randint(1, 30)
            params = {
                "session_start": {},
                "level_start": {"level": level},
                "level_end": {"level": level, "success": rng.random() < 0.6},
                "score": {"value": rng.randint(0, 10_000)},
                "ad_impression": {
                    "placement": "between_levels",
                    "ad_type": "interstitial",
                    "revenue_micros": 2500,
                },
                "design:powerup_used": {"kind": "shield"},
            }[name]
            events.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "name": name,
                    "ts": (now - timedelta(seconds=rng.randint(0, 3600))).isoformat(timespec="milliseconds"),
                    "player_id": f"install-{rng.randint(1, 20_000)}",
                    "session_id": f"s{rng.randint(1, 50_000)}",
                    "platform": "web",
                    "build": "1.0.3",
                    "params": params,
                }
            )
        bodies.append(json.dumps({"events": events}, separators=(",", ":")).encode())
    return bodies


class Load:
    def __init__(self, port: int, key: str, bodies: list[bytes]) -> None:
        self.port = port
        self.key = key
        self.bodies = bodies
        self.next = 0
        self.sent: list[bytes] = []
        self.accepted = 0
        self.requests = 0
        self.errors: list[str] = []

    def request(self) -> tuple[bytes, bytes] | None:
        if self.next >= len(self.bodies):
            return None
        body = self.bodies[self.next]
        self.next += 1
        head = (
            f"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nX-Ingest-Key: {self.key}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        return head + body, body

    async def connection(self, deadline: float, counting: bool) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            while time.perf_counter() < deadline:
                item = self.request()
                if item is None:
                    self.errors.append("ran out of prepared bodies")
                    return
                raw, body = item
                writer.write(raw)
                await writer.drain()
                status_line = await reader.readline()
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                payload = await reader.readexactly(length)
                status = int(status_line.split()[1])
                accepted = json.loads(payload).get("accepted", 0) if status == 202 else 0
                if status != 202 or accepted != 100:
                    self.errors.append(f"{status} {payload[:200]!r}")
                self.sent.append(body)
                if counting:
                    self.requests += 1
                    self.accepted += accepted
        finally:
            writer.close()

    async def run(self, seconds: float, connections: int, counting: bool) -> float:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(self.connection(deadline, counting) for _ in range(connections)))
        return time.perf_counter() - started


def start_server(args, port: int) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "gamefactory.asgi:application",
        "-k",
        "uvicorn_worker.UvicornWorker",
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=server_env(args), start_new_session=True)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.25)
        if server.poll() is not None:
            raise SystemExit("the server exited while starting")
    stop_server(server)
    raise SystemExit("the server did not answer /healthz within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def copy_ceiling(game_id: str, bodies: list[bytes]) -> tuple[int, float, float]:
    """The same rows, written again by COPY into the same tables: (rows, s events only, s with receipts)."""
    from django.db import connection

    from analytics import ingest

    now = datetime.now(UTC)
    rows = []
    for body in bodies:
        for event in json.loads(body)["events"]:
            row = ingest.event_validate(
                event, earliest=now - timedelta(days=7), latest=now + timedelta(hours=23)
            )
            rows.append(row)
    columns = (
        "uuid, game_id, name, occurred_at, received_at, player_id, session_id, platform, build, "
        "level, success, amount_micros, params"
    )
    records = [
        (
            r["uuid"],
            game_id,
            r["name"],
            r["occurred_at"],
            now,
            r["player_id"],
            r["session_id"],
            r["platform"],
            r["build"],
            r["level"],
            r["success"],
            r["amount_micros"],
            json.dumps(r["params"]),
        )
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_event, analytics_seenevent")
    raw = connection.connection  # psycopg 3
    raw.commit()
    with raw.cursor() as cur:
        started = time.perf_counter()
        with cur.copy(f"COPY analytics_event ({columns}) FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
        raw.commit()
        events_only = time.perf_counter() - started
        cur.execute("TRUNCATE analytics_event")
        raw.commit()
        started = time.perf_counter()
        with cur.copy(f"COPY analytics_event ({columns}) FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
        with cur.copy("COPY analytics_seenevent (uuid, occurred_at) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["uuid"], r["occurred_at"]))
        raw.commit()
        with_receipts = time.perf_counter() - started
    return len(records), events_only, with_receipts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--max-rate", type=int, default=40_000, help="events/s the prepared bodies can cover")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")

    print(f"database {args.database_url}, {args.workers} workers, {args.connections} connections")
    ensure_database(args.database_url)
    game_id, key = setup_database(args)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_event, analytics_seenevent")

    rng = random.Random(42)
    count = int(args.max_rate * (args.seconds + args.warmup) / 100) + 50
    print(f"preparing {count} bodies of 100 events…", flush=True)
    bodies = make_bodies(count, 100, rng)

    port = free_port()
    server = start_server(args, port)
    try:
        load = Load(port, key, bodies)
        asyncio.run(load.run(args.warmup, args.connections, counting=False))
        elapsed = asyncio.run(load.run(args.seconds, args.connections, counting=True))
    finally:
        stop_server(server)

    rate = load.accepted / elapsed
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_event")
        stored = cursor.fetchone()[0]
    sent_events = len(load.sent) * 100
    if load.errors:
        print(f"ERRORS ({len(load.errors)}): {load.errors[:3]}")
    print(
        f"stored {stored} events for {sent_events} sent (warm-up included): {'OK' if stored == sent_events else 'MISMATCH'}"
    )

    rows, copy_s, copy_receipts_s = copy_ceiling(game_id, load.sent)
    print()
    print(f"{'':34}{'events/s':>12}")
    print(
        f"{'HTTP POST /api/v1/events (x100)':34}{rate:>12,.0f}   ({load.requests} requests in {elapsed:.1f} s)"
    )
    print(f"{'COPY events + dedupe receipts':34}{rows / copy_receipts_s:>12,.0f}   ({rows} rows)")
    print(f"{'COPY events only':34}{rows / copy_s:>12,.0f}")
    print(f"HTTP reaches {rate / (rows / copy_receipts_s):.0%} of the COPY ceiling (same tables, same rows).")
    print(
        f"load average {os.getloadavg()[0]:.2f} (2 cores; the server, PostgreSQL and the load generator share them)"
    )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_event, analytics_seenevent")


if __name__ == "__main__":
    main()
