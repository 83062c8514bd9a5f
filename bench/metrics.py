"""Scrape-time benchmark: how long GET /metrics takes on the production server under load, beside a
trivial endpoint (/healthz, the ceiling) measured the same way in the same run.

    .venv/bin/python bench/metrics.py [--seconds 15] [--workers 2] [--load-connections 8]

1. migrates its own database (--database-url, default gf_bench_metrics, made if missing), collects
   the static files (DEBUG=0 serves the hashed names), and records plays (so `active_users` reads a
   real table) and a game;
2. starts gunicorn + uvicorn workers (DEBUG=0, psycopg pool, Redis) with their own metrics folder,
   and fills the counters with traffic over many routes and statuses (label cardinality);
3. for --seconds, keeps the server busy with --load-connections keep-alive connections of API reads
   while one more connection alternates GET /metrics and GET /healthz (with the scrape token) and
   times each; prints p50/p95/max of both, the exposition's size and series, and the load served;
4. the same measurement again with no load.

Bounded: the run stops by itself (server included) after about 2 x --seconds + 1 minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchlib import ensure_database, free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_metrics"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
TOKEN = "bench-metrics-token"


def server_env(args, metrics_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-metrics-not-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX="gf-bench-metrics",
        DB_POOL="1",
        DB_POOL_MAX_SIZE="8",
        # The throttles run (their Redis round trips are part of the load) at rates this load never reaches.
        THROTTLE_API_CALLS="100000000/minute",
        THROTTLE_API_CALLS_ANON="100000000/minute",
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=metrics_dir,
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="gamefactory.settings",
    )
    return env


def setup_database(args, env: dict) -> str:
    """Migrate; a game and recent plays of many players. Returns the game's id."""
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from games.models import Game, Play

    creator, _ = User.objects.get_or_create(username="bench", defaults={"email": "bench@example.com"})
    game, _ = Game.objects.get_or_create(
        slug="bench-metrics",
        defaults={"creator": creator, "title": "Bench metrics", "category": "arcade", "mechanic": "runner"},
    )
    now = timezone.now()
    Play.objects.filter(game=game).update(last_seen_at=now)
    missing = args.players - Play.objects.filter(game=game).count()
    if missing > 0:
        Play.objects.bulk_create(
            [Play(game=game, anonymous_id=f"bench-{n}", last_seen_at=now) for n in range(missing)],
            batch_size=2000,
        )
    return str(game.pk)


def start_server(args, env: dict, port: int) -> subprocess.Popen:
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
    # gunicorn.conf.py (read from ROOT) empties the metrics folder and forgets exited workers.
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
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


class Http:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def open(self) -> Http:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def get(self, path: str, token: str = "") -> tuple[int, bytes]:
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n{auth}\r\n".encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        length = 0
        chunked = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readline()
        else:
            body = await self.reader.readexactly(length)
        return int(status_line.split()[1]), body

    def close(self) -> None:
        self.writer.close()


async def warm_up(port: int, game_id: str) -> None:
    """Traffic over many routes and statuses: the series a scrape has to add up."""
    conn = await Http(port).open()
    paths = [
        "/api/v1/games",
        f"/api/v1/games/{game_id}",
        "/api/v1/games/00000000-0000-0000-0000-000000000000",
        "/api/v1/ai/templates",
        "/api/v1/no-such-thing",
        "/api/v1/schema/",
        "/healthz",
        "/",
        "/games/bench-metrics/",
        "/games/no-such-game/",
        "/status/",
        "/accounts/login/",
    ]
    for _ in range(5):
        for path in paths:
            await conn.get(path)
    conn.close()


async def load(port: int, game_id: str, deadline: float, served: list[int]) -> None:
    conn = await Http(port).open()
    paths = ["/api/v1/games", f"/api/v1/games/{game_id}"]
    n = 0
    try:
        while time.perf_counter() < deadline:
            status, _ = await conn.get(paths[n % 2])
            n += 1
            if status == 200:
                served[0] += 1
    finally:
        conn.close()


async def measure(port: int, seconds: float) -> dict:
    conn = await Http(port).open()
    times: dict[str, list[float]] = {"/metrics": [], "/healthz": []}
    size = series = 0
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            for path in times:
                started = time.perf_counter()
                status, body = await conn.get(path, token=TOKEN)
                times[path].append(time.perf_counter() - started)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}: {body[:200]!r}")
                if path == "/metrics":
                    size = len(body)
                    series = sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))
    finally:
        conn.close()
    return {"times": times, "size": size, "series": series}


async def run(args, port: int, game_id: str, loaded: bool) -> dict:
    served = [0]
    started = time.perf_counter()
    deadline = started + args.seconds
    loaders = [load(port, game_id, deadline, served) for _ in range(args.load_connections if loaded else 0)]
    result, *_ = await asyncio.gather(measure(port, args.seconds), *loaders)
    result["load_rps"] = served[0] / (time.perf_counter() - started)
    return result


def ms(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def report(title: str, result: dict) -> None:
    print(f"\n{title}")
    print(f"  exposition: {result['size']:,} bytes, {result['series']} samples")
    if result["load_rps"]:
        print(f"  load served: {result['load_rps']:.0f} API requests/s")
    for path, times in result["times"].items():
        print(
            f"  GET {path:<9} n={len(times):<5} p50 {ms(times, 0.5):6.1f} ms   p95 {ms(times, 0.95):6.1f} ms"
            f"   max {max(times) * 1000:6.1f} ms   mean {statistics.mean(times) * 1000:6.1f} ms"
        )
    scrape, ceiling = (statistics.median(result["times"][p]) for p in ("/metrics", "/healthz"))
    print(f"  a scrape costs {scrape / ceiling:.1f}x the trivial endpoint (medians)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--load-connections", type=int, default=8)
    parser.add_argument("--players", type=int, default=5000, help="recent plays for active_users to count")
    args = parser.parse_args()
    ensure_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="gf-bench-metrics-") as metrics_dir:
        env = server_env(args, metrics_dir)
        game_id = setup_database(args, env)
        port = free_port()
        server = start_server(args, env, port)
        try:
            asyncio.run(warm_up(port, game_id))
            loaded = asyncio.run(run(args, port, game_id, loaded=True))
            idle = asyncio.run(run(args, port, game_id, loaded=False))
        finally:
            stop_server(server)
    print(f"gunicorn + {args.workers} uvicorn workers, DEBUG=0, PostgreSQL + Redis; {os.cpu_count()} CPUs")
    report(f"under load ({args.load_connections} connections of API reads)", loaded)
    report("idle", idle)


if __name__ == "__main__":
    main()
