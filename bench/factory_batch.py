#!/usr/bin/env python
"""Bench: a batch of games through the factory on real workers; wall time and a per-step breakdown.

    .venv/bin/python bench/factory_batch.py            # 10 games, local provider, 2 workers x 2
    .venv/bin/python bench/factory_batch.py --repeat   # then the same batch again (warm verdict cache)
    .venv/bin/python bench/factory_batch.py --fresh    # a new database: no history for the priorities
    PLAYTEST_VERDICT_CACHE=0 PLAYTEST_REUSE_BROWSER=0 .venv/bin/python bench/factory_batch.py
                                                       # the playtest as it was: no cache, a browser per run

It uses its own PostgreSQL database and Redis db (override with DATABASE_URL / REDIS_URL). The
database is kept between runs, as an install keeps its history: the factory's priorities use the
testing times of earlier batches (batches/execution.py), and the header says how many there are.
`--fresh` drops it first, for an install's very first batch. Then a fresh
var/ folder under /tmp (with the cast's tables copied from var/, as `make run` leaves them), starts
the web server (Uvicorn) and N Celery worker processes (prefork, `--concurrency` each), signs in as
a staff user, empties the playtest verdict cache (unless --warm-cache), sends
`POST /api/v1/batches`, polls the batch list's progress counts (`GET /api/v1/batches`) until no game
is running, and prints:

- the CPU seconds the web server and the workers used (their Chromiums included), split by kind of
  process, and so the least wall time those take on this machine's cores;
- the wall time, POST -> all published, and the load average at the start and at the end (the
  machine's other work shows there: compare runs made back to back, on a quiet machine if possible);
- per step, from the StepRun timings: attempts, p50/p95 of the run time, the step's share of all
  worker-busy seconds, and the mean wait in the queue;
- per playtest (the reports steps 6, 8 and 10 store): p50 of its duration and of its phases
  (browser start, boot, checks, bot play, settle), and how many verdicts came from the cache.

Bounded by --timeout; every process it started is stopped at the end. --json writes the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchlib import drop_database, ensure_database, free_port, process_tree, processes, tree_cpu

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_factory"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
STAFF = ("bench-staff", "bench-staff@example.com", "bench-factory-password-1")
STEP_TITLES = [
    "Pre-production", "Project setup", "Architecture", "Analytics design", "Analytics implementation",
    "Core prototype", "Asset generation", "Vertical slice", "Content production", "Testing", "Release",
    "Post-launch",
]  # fmt: skip


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


FLUSH_VERDICTS = (
    "try:\n"
    "    from generation.models import PlaytestVerdict\n"
    "    PlaytestVerdict.objects.all().delete()\n"
    "except ImportError:\n"
    "    pass\n"
)
PHASES = ("browser", "boot", "checks", "play", "settle")


def process_kind(cmdline: str) -> str:
    if "--type=renderer" in cmdline:
        return "Chromium renderers"
    if "chrom" in cmdline:
        return "Chromium browser, GPU, utility"
    if "node" in cmdline and "playwright" in cmdline:
        return "Playwright driver (node)"
    if "celery" in cmdline:
        return "Celery workers (Python)"
    if "uvicorn" in cmdline:
        return "web server (Python)"
    argv0 = cmdline.split(" ", 1)[0]
    return f"other: {Path(argv0).name or '?'}"


class CpuSplit:
    """Samples the trees every `every` s: each live process's own CPU (user + system, children
    excluded), by kind. What the samples did not see (processes that lived less than `every`, the
    last moments of those that ended between two samples) is what the tree's total leaves over."""

    def __init__(self, roots: list[int], every: float = 0.5) -> None:
        import threading

        self.roots, self.every = roots, every
        self.start: dict[int, float] = {}
        self.last: dict[int, tuple[float, str]] = {}
        self.stop = threading.Event()
        for pid, own, _ in self._own():
            self.start[pid] = own
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _own(self):
        found = processes()
        for pid in process_tree(found, self.roots):
            yield pid, found[pid][2], found[pid][3]

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            for pid, own, cmdline in self._own():
                self.last[pid] = (own, cmdline)

    def finish(self, total: float) -> dict[str, float]:
        self.stop.set()
        self.thread.join()
        for pid, own, cmdline in self._own():
            self.last[pid] = (own, cmdline)
        kinds: dict[str, float] = {}
        for pid, (own, cmdline) in self.last.items():
            kind = process_kind(cmdline)
            kinds[kind] = kinds.get(kind, 0.0) + own - self.start.get(pid, 0.0)
        # Not seen by a sample: processes that lived less than `every` (git), and the last moments
        # of the ones that ended between two samples (each playtest's renderer, when its page closes).
        kinds["ended between samples (git, closed renderers)"] = total - sum(kinds.values())
        return {kind: round(spent, 1) for kind, spent in sorted(kinds.items(), key=lambda kv: -kv[1])}


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def fmt(value: float | None, width: int = 8) -> str:
    return f"{value:{width}.2f}" if value is not None else f"{'-':>{width}}"


def breakdown(env: dict, batch_id: str) -> dict:
    """The step timings and playtest reports of the batch, read by bench/factory_breakdown.py."""
    script = (ROOT / "bench" / "factory_breakdown.py").read_text()
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT, env={**env, "GF_BENCH_BATCH": batch_id}, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_batch(api: Api, args, env: dict, label: str, pids: list[int]) -> dict:
    """POST one batch, wait until every game is published (or failed); print and return the figures."""
    start_load = load()
    print(f"\n== {label}: load average at start {start_load}", flush=True)
    started = time.monotonic()
    cpu_start = tree_cpu(pids)
    split = CpuSplit(pids)
    status, batch = api.call(
        "POST",
        "/api/v1/batches",
        {"name": f"Bench {time.strftime('%H:%M:%S')}", "brief": "Quick, colourful mini-games for a coffee break",
         "count": args.games, "provider": args.provider, "seed": args.seed,
         "genres": [g.strip() for g in args.genres.split(",") if g.strip()]},
    )  # fmt: skip
    if status != 201:
        raise SystemExit(f"POST /api/v1/batches: {status} {batch}")
    batch_id = batch["id"]
    last = ""
    # The list's progress counts (one aggregate query) are polled; the detail, which serialises every
    # attempt of every step (~80 ms of the server's CPU for 10 games), is read once at the end.
    while time.monotonic() - started < args.timeout:
        status, page = api.call("GET", "/api/v1/batches")
        progress = next((b["progress"] for b in page.get("results", []) if b["id"] == batch_id), None)
        if progress is None:
            raise SystemExit(f"GET /api/v1/batches: {status}, batch {batch_id} not on the first page")
        line = ", ".join(f"{n} {state}" for state, n in progress.items() if n)
        if line != last:
            print(f"  {time.monotonic() - started:6.1f}s  {line}", flush=True)
            last = line
        if not progress["running"]:
            break
        time.sleep(0.5)
    wall = time.monotonic() - started
    cpu = tree_cpu(pids) - cpu_start
    cpu_kinds = split.finish(cpu)
    cores = os.cpu_count() or 1
    end_load = load()
    status, detail = api.call("GET", f"/api/v1/batches/{batch_id}")
    productions = detail["productions"]
    published = sum(1 for p in productions if p["state"] == "published")
    data = breakdown(env, batch_id)
    steps = {int(k): v for k, v in data["steps"].items()}
    busy_total = sum(sum(row["busy"]) + sum(row["failed"]) for row in steps.values()) or 1.0
    retries = sum(len(row["failed"]) for row in steps.values())
    print()
    print(f"games: {args.games}, provider {args.provider}, {args.workers} worker process(es) x concurrency {args.concurrency}")  # fmt: skip
    print(f"published: {published}/{args.games}   attempts that failed and were retried: {retries}")
    print(f"wall time, POST /batches -> all published: {wall:.1f} s")
    print(f"load average (1, 5, 15 min): start {start_load} end {end_load}")
    print(f"worker-busy seconds, all steps: {busy_total:.1f}")
    print(
        f"CPU seconds of the web server and workers (Chromium included): {cpu:.1f}; on {cores} cores "
        f"that alone takes at least {cpu / cores:.1f} s"
    )
    for kind, spent in cpu_kinds.items():
        print(f"  {kind:<40}{spent:8.1f}")
    print()
    print(f"{'step':<28}{'n':>4}{'p50 s':>8}{'p95 s':>8}{'busy s':>8}{'share':>7}{'wait s':>8}")
    step_rows = {}
    for step in range(1, 13):
        row = steps.get(step, {"busy": [], "wait": [], "failed": []})
        values = row["busy"]
        spent = sum(values) + sum(row["failed"])
        wait = sum(row["wait"]) / len(row["wait"]) if row["wait"] else None
        p50, p95 = percentile(values, 50), percentile(values, 95)
        step_rows[step] = {"n": len(values), "p50": p50, "p95": p95, "busy": spent, "wait": wait}
        print(
            f"{step:>2}. {STEP_TITLES[step - 1]:<24}{len(values):>4}{fmt(p50)}{fmt(p95)}"
            f"{spent:8.1f}{100 * spent / busy_total:6.1f}%{fmt(wait)}"
        )
    print()
    print(f"{'playtest':<16}{'n':>4}{'cached':>7}{'p50 s':>8}" + "".join(f"{p:>9}" for p in PHASES))
    playtest_rows = {}
    for name in sorted(
        {p["label"] for p in data["playtests"]},
        key=lambda n: min(p["step"] for p in data["playtests"] if p["label"] == n),
    ):
        rows = [p for p in data["playtests"] if p["label"] == name]
        run = [p for p in rows if not p["cached"]]
        phases = {ph: percentile([p["timings"][ph] for p in run if ph in p["timings"]], 50) for ph in PHASES}
        duration = percentile([p["duration_s"] for p in rows], 50)
        playtest_rows[name] = {"n": len(rows), "cached": len(rows) - len(run), "p50": duration, **phases}
        print(
            f"{name:<16}{len(rows):>4}{len(rows) - len(run):>7}{fmt(duration)}"
            + "".join(fmt(phases[ph], 9) for ph in PHASES)
        )
    return {
        "label": label, "wall_s": round(wall, 1), "published": published, "games": args.games,
        "workers": args.workers, "concurrency": args.concurrency, "load_start": start_load,
        "load_end": end_load, "cpu_s": round(cpu, 1), "cpu_by_kind": cpu_kinds, "cores": cores, "steps": step_rows, "playtests": playtest_rows,
    }  # fmt: skip


class Api:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""

    def call(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict]:
        body = json.dumps(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--games", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--provider", default="local")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--genres", default="", help="mechanics or genres, comma separated (default: any)")
    parser.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the bench's var/ folder (repositories)")
    parser.add_argument("--port", type=int, default=0, help="the web server's port (default: a free one)")
    parser.add_argument("--repeat", action="store_true", help="run the same batch a second time")
    parser.add_argument(
        "--warm-cache", action="store_true", help="keep the playtest verdicts of earlier runs"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="drop the bench's database first: no history of earlier batches for the priorities",
    )
    parser.add_argument("--json", default="", help="write the figures to this file")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    var = Path(tempfile.mkdtemp(prefix="gf-bench-factory-"))
    port = args.port or free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gamefactory.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(var),
        "REPOSITORY_BACKEND": "local",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "THROTTLE_API_CALLS": "10000/minute",
        "THROTTLE_AUTH": "1000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    procs: list[subprocess.Popen] = []
    logs = var / "logs"
    logs.mkdir()
    # The cast's tables, as `make run` caches them (`manage.py cast_index`): a worker starts with them.
    for table in (ROOT / "var").glob("cast-*.json"):
        shutil.copy(table, var / table.name)

    def start(name: str, cmd: list[str]) -> subprocess.Popen:
        out = (logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        procs.append(proc)
        return proc

    try:
        print(f"database {database_url}, redis {redis_url}, var {var}")
        if args.fresh:
            drop_database(database_url)
        ensure_database(database_url)
        flush_redis(redis_url)
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c",
             "from accounts.models import User\n"
             f"u = User.objects.filter(username='{STAFF[0]}').first() or User.objects.create_superuser('{STAFF[0]}', '{STAFF[1]}', '{STAFF[2]}')\n"
             f"u.set_password('{STAFF[2]}'); u.save()\n"
             + ("" if args.warm_cache else FLUSH_VERDICTS)
             + "from batches.models import StepRun\n"
             "n = StepRun.objects.filter(step=10, state='completed').count()\n"
             "print(f'history: {n} completed testing steps of earlier batches (the priorities use them)')\n"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        start(
            "web",
            [
                PYTHON,
                "-m",
                "uvicorn",
                "gamefactory.asgi:application",
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--log-level",
                "warning",
            ],
        )
        for n in range(args.workers):
            start(
                f"worker{n + 1}",
                [PYTHON, "-m", "celery", "-A", "gamefactory", "worker", "--loglevel=WARNING",
                 "--queues=celery,steps,assets,builds", f"--concurrency={args.concurrency}", "--pool=prefork",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname=bench{n + 1}@%h"],
            )  # fmt: skip
        api = Api(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = api.call("GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        status, body = api.call("POST", "/api/v1/auth/login", {"username": STAFF[0], "password": STAFF[2]})
        if status != 200:
            raise SystemExit(f"login failed: {status} {body}")
        api.token = body["access"]
        time.sleep(3)  # let the workers connect before the clock starts

        figures = []
        for n in range(2 if args.repeat else 1):
            label = "first run" if n == 0 else "second run (same batch, warm verdict cache)"
            figures.append(run_batch(api, args, env, label, [proc.pid for proc in procs]))
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=1))
        published = min(f["published"] for f in figures)
        if published < args.games:
            print("\nNot every game was published; worker logs:", logs)
            args.keep = True
            return 1
        return 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if args.keep:
            print(f"\nkept {var} (repositories in {var / 'repos'})")
        else:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
