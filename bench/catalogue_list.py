"""Catalogue list benchmark: GET /api/v1/games with 10,000 games in PostgreSQL, 50 concurrent clients.

    .venv/bin/python bench/catalogue_list.py            # defaults below; --help for the knobs

1. creates the database if it is missing (psql), migrates it, and fills it to 10,000 public games
   (200 creators, 3 tags each, thumbnails, realistic specs that the list never loads);
2. starts the production server itself: gunicorn + uvicorn workers serving the ASGI app
   (`-w 2`, DEBUG=0, psycopg pool DB_POOL=1, Redis for cache and throttles) on a free loopback port;
3. for each scenario, 50 keep-alive clients (an asyncio load generator in this process) request
   as fast as answers come for --seconds after a warm-up, every answer checked (status 200 and
   the expected JSON), and prints requests/s and p50/p95/p99 latency:
     - ping:        GET /api/v1/ping, a trivial JSON view on the same server (the ceiling)
     - list:        GET /api/v1/games, the anonymous first page (what the home page and apps ask)
     - list-search: GET /api/v1/games?q=...&sort=rating, anonymous first pages of 20 searches
     - list-deep:   GET /api/v1/games?page=2..200 (never cached: the database path, 3 queries)
     - list-auth:   GET /api/v1/games with a JWT (never cached)
4. stops the server. Bounded: everything stops by itself after about 5 x (--seconds + warm-up) + setup.

Results are also written to bench/results/catalogue_list.json.
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
from pathlib import Path

from benchlib import ensure_database, free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_catalogue"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
GAMES = 10_000
SEARCHES = ["neon", "maze", "snake", "ghost", "space", "jungle", "candy", "robot", "ocean", "castle",
            "pixel", "retro", "night", "fire", "ice", "forest", "desert", "city", "star", "moon"]  # fmt: skip


def django_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DJANGO_SETTINGS_MODULE="gamefactory.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def server_env(args) -> dict:
    env = django_env(args)
    env.update(
        DEBUG="0",
        SECRET_KEY="bench-catalogue-not-secret-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DB_POOL="1",
        DB_POOL_MAX_SIZE="8",
        # Throttles run (their Redis round trips are part of the cost) at rates this load never reaches.
        THROTTLE_API_CALLS="100000000/minute",
        THROTTLE_API_CALLS_ANON="100000000/minute",
        LOG_LEVEL="ERROR",
    )
    return env


SEED = r"""
import random, uuid, datetime as dt, sys
import django
django.setup()
from django.db import transaction
from accounts.models import User
from games.models import Game, Tag
from django.core.cache import cache

target = int(sys.argv[1])
have = Game.objects.filter(status="active", is_public=True).count()
if have >= target:
    print(f"{have} games already there")
    raise SystemExit(0)
rng = random.Random(42)
words = %(words)r
categories = [c for c, _ in Game.Category.choices]
difficulties = [d for d, _ in Game.Difficulty.choices]
mechanics = ["snake", "breakout", "maze", "match3"]
creators = list(User.objects.filter(username__startswith="bench_creator_"))
if len(creators) < 200:
    User.objects.bulk_create(
        [User(username=f"bench_creator_{i}", email=f"bench{i}@example.com", display_name=f"Creator {i}", password="!")
         for i in range(len(creators), 200)], ignore_conflicts=True)
    creators = list(User.objects.filter(username__startswith="bench_creator_"))
tags = {t.name: t for t in Tag.objects.all()}
missing = [Tag(name=w) for w in words + mechanics if w not in tags]
Tag.objects.bulk_create(missing, ignore_conflicts=True)
tags = list(Tag.objects.filter(name__in=words + mechanics))
spec = {"title": "x", "levels": [{"grid": ["#" * 20] * 20}] * 10, "theme": {"palette": ["#000000"] * 8}}
now = dt.datetime.now(dt.UTC)
through = Game.tags.through
with transaction.atomic():
    for start in range(have, target, 1000):
        games = []
        for i in range(start, min(start + 1000, target)):
            gid = uuid.uuid4()
            a, b = rng.sample(words, 2)
            title = f"{a.title()} {b.title()} {rng.choice(['Rush', 'Quest', 'Party', 'Run', 'Saga'])} {i}"
            count = rng.randint(0, 400)
            total = sum(rng.randint(1, 5) for _ in range(count))
            games.append(Game(
                id=gid, creator=rng.choice(creators), title=title, slug=f"bench-{i}-{gid.hex[:8]}",
                description=f"A {a} and {b} game made for the benchmark.", category=rng.choice(categories),
                difficulty=rng.choice(difficulties), mechanic=rng.choice(mechanics), spec=spec,
                thumbnail_small=f"thumbnails/{gid.hex}-small.webp", thumbnail_large=f"thumbnails/{gid.hex}-large.webp",
                is_featured=rng.random() < 0.01, play_count=rng.randint(0, 100000), rating_count=count,
                rating_sum=total, rating=round(total / count, 2) if count else 0,
                origin=rng.choice(["factory", "studio", "upload", "fork"]), provenance={"source": "bench"},
            ))
        Game.objects.bulk_create(games)
        Game.objects.filter(pk__in=[g.pk for g in games]).update(created_at=now)
        links = []
        for g in games:
            for t in rng.sample(tags, 3):
                links.append(through(game_id=g.pk, tag_id=t.pk))
        through.objects.bulk_create(links)
# spread creation times over a year (the "new" sort must really sort)
from django.db import connection
with connection.cursor() as c:
    c.execute("UPDATE games_game SET created_at = now() - (random() * interval '365 days') WHERE provenance->>'source' = 'bench'")
    # the visibility map lets PostgreSQL answer counts from the listing index alone
    c.execute("VACUUM ANALYZE games_game")
    c.execute("VACUUM ANALYZE games_game_tags")
cache.clear()
print(f"{Game.objects.count()} games")
"""


def prepare(args) -> str:
    ensure_database(args.database_url)
    env = django_env(args)
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=600
    )
    subprocess.run(
        [python, "-c", SEED % {"words": SEARCHES}, str(GAMES)], cwd=ROOT, env=env, check=True, timeout=900
    )
    token = subprocess.run(
        [python, "-c", (
            "import django; django.setup()\n"
            "from accounts.models import User\n"
            "from rest_framework_simplejwt.tokens import AccessToken\n"
            "print(AccessToken.for_user(User.objects.get(username='bench_creator_0')))\n"
        )],
        cwd=ROOT, env=server_env(args), check=True, capture_output=True, text=True, timeout=120,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    return token


# --- load generator ------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors = 0
        self.first_error = ""


async def _client(host, port, paths, headers, deadline, stats: Stats, measure_from: float, check):
    reader, writer = await asyncio.open_connection(host, port)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode() for p in paths]
    i = random.randrange(len(requests))
    try:
        while True:
            now = time.perf_counter()
            if now >= deadline:
                break
            writer.write(requests[i % len(requests)])
            i += 1
            started = time.perf_counter()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            elapsed = time.perf_counter() - started
            if status != 200 or not check(body):
                stats.errors += 1
                stats.first_error = stats.first_error or f"{status} {body[:200]!r}"
            elif started >= measure_from:
                stats.latencies.append(elapsed)
    finally:
        writer.close()


async def run_scenario(host, port, paths, headers, *, clients, warmup, seconds, check) -> dict:
    stats = Stats()
    start = time.perf_counter()
    measure_from = start + warmup
    deadline = measure_from + seconds
    await asyncio.gather(
        *[_client(host, port, paths, headers, deadline, stats, measure_from, check) for _ in range(clients)]
    )
    lat = sorted(stats.latencies)
    if not lat:
        return {"requests": 0, "errors": stats.errors, "first_error": stats.first_error}

    def pct(p):
        return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000, 2)

    return {
        "requests": len(lat),
        "rps": round(len(lat) / seconds, 1),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(lat[-1] * 1000, 2),
        "errors": stats.errors,
        "first_error": stats.first_error,
    }


def _is_page(body: bytes) -> bool:
    data = json.loads(body)
    return isinstance(data.get("results"), list) and len(data["results"]) == 20 and data["count"] > 0


def _is_ping(body: bytes) -> bool:
    return body == b'{"ok": true}'


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print(f"preparing {args.database_url} ({GAMES:,} games) ...", flush=True)
    token = prepare(args)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "gamefactory.asgi:application", "-k", "uvicorn_worker.UvicornWorker",
         "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5", "--log-level", "warning"],
        cwd=ROOT, env=server_env(args), start_new_session=True,
    )  # fmt: skip
    # Never outlive the run: a watchdog kills the server if this process is stopped half-way.
    bound = 5 * (args.seconds + args.warmup) + 120
    signal.signal(
        signal.SIGALRM, lambda *_: (os.killpg(server.pid, signal.SIGKILL), sys.exit("bench: time bound hit"))
    )
    signal.alarm(int(bound))
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        scenarios = [
            ("ping", ["/api/v1/ping"], {}, _is_ping),
            ("list", ["/api/v1/games"], {}, _is_page),
            (
                "list-search",
                [f"/api/v1/games?q={w}&sort=rating" for w in SEARCHES],
                {},
                lambda b: b"results" in b,
            ),
            ("list-deep", [f"/api/v1/games?page={n}" for n in range(2, 201)], {}, _is_page),
            ("list-auth", ["/api/v1/games"], {"Authorization": f"Bearer {token}"}, _is_page),
        ]
        for name, paths, headers, check in scenarios:
            results[name] = asyncio.run(
                run_scenario(
                    "127.0.0.1",
                    port,
                    paths,
                    headers,
                    clients=args.clients,
                    warmup=args.warmup,
                    seconds=args.seconds,
                    check=check,
                )
            )
            print(f"  {name:<12} {json.dumps(results[name])}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        signal.alarm(0)

    ceiling = results["ping"].get("rps") or 0
    print()
    print(f"GET /api/v1/games, {GAMES:,} games in PostgreSQL, {args.clients} concurrent clients, "
          f"gunicorn -w {args.workers} uvicorn workers, {args.seconds:.0f} s per scenario")  # fmt: skip
    print(
        f"{'scenario':<12} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs ping':>8}"
    )
    for name, r in results.items():
        if not r.get("requests"):
            print(f"{name:<12} no answers: {r.get('first_error')}")
            continue
        ratio = f"{ceiling / r['rps']:.2f}x" if r.get("rps") else "-"
        print(f"{name:<12} {r['rps']:>9.1f} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} "
              f"{r['errors']:>7} {ratio:>8}")  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "catalogue_list.json").write_text(
        json.dumps({"clients": args.clients, "seconds": args.seconds, **results}, indent=2)
    )
    failed = any(r.get("errors") or not r.get("requests") for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
