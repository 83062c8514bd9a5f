"""CI gate (`make fuzz`, run by `make test`): schemathesis against the live ASGI app, every operation.

- A database of its own (`<DATABASE_URL name>_fuzz` on PostgreSQL, dropped and made again; a
  temporary SQLite file when DATABASE_URL is unset), migrated, with a staff account and a game.
- The web process started exactly as the Procfile starts it (gamefactory.serving.uvicorn_args), its
  throttles and login lockout scoped off through its own environment only, for this run.
- `schemathesis run` on /api/v1/schema/ as staff: every operation, at most FUZZ_MAX_EXAMPLES cases
  each, checks `not_a_server_error` and `response_schema_conformance`, a fixed seed (FUZZ_SEED).
- Prints: operations fuzzed, requests sent, 5xx found, requests throttled, seconds taken (counted
  from the server's own access log). Exits non-zero on any 5xx or schema violation.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ACCESS_RE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')

SEED = """
import uuid
from rest_framework_simplejwt.tokens import RefreshToken
from accounts.models import User
from games.models import Game, GameVersion
staff = User.objects.create_superuser("fuzz-staff", "fuzz@example.com", "fuzz-" + uuid.uuid4().hex)
player = User.objects.create_user("fuzz-player", "player@example.com", "fuzz-" + uuid.uuid4().hex)
game = Game.objects.create(creator=player, title="Fuzz target", slug="fuzz-target-0000", category="arcade", spec={})
version = GameVersion.objects.create(game=game, number=1, spec={}, bundle_hash="0" * 64, created_by=player)
Game.objects.filter(pk=game.pk).update(current_version=version)
print("TOKEN=" + str(RefreshToken.for_user(staff).access_token))
"""


def log(message: str) -> None:
    print(f"[fuzz] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fuzz_database(tmp: Path) -> str:
    """A fresh database for this run: PostgreSQL next to DATABASE_URL's, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / 'fuzz.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_fuzz"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def main() -> int:
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="gf-fuzz-"))
    max_examples = os.environ.get("FUZZ_MAX_EXAMPLES", "10")
    seed = os.environ.get("FUZZ_SEED", "20261206")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="gamefactory.settings",
        DATABASE_URL=fuzz_database(tmp),
        VAR_DIR=str(tmp / "var"),
        SECRET_KEY=secrets.token_urlsafe(48),
        STATIC_MANIFEST="0",
        # this run only: no throttle and no lockout answers a fuzzer's requests with 429
        LOGIN_LOCKOUT="0",
        THROTTLE_ALL_SCOPES="1000000/second",
        CELERY_TASK_ALWAYS_EAGER="0",  # tasks wait in the filesystem broker: no worker runs
        PYTHONDONTWRITEBYTECODE="1",
    )
    backend = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    log(f"database: {backend}; migrating")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )  # fmt: skip
    token = next(line[6:] for line in seeded.stdout.splitlines() if line.startswith("TOKEN="))

    port = free_port()
    args = json.loads(
        subprocess.run(
            [sys.executable, "-c", "import django, json; django.setup(); from django.conf import settings; "
             "from gamefactory.serving import uvicorn_args; "
             f"print(json.dumps(uvicorn_args(settings, host='127.0.0.1', port={port})))"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    access_log = tmp / "uvicorn.log"
    with access_log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "uvicorn"), *args, "--access-log"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            log("the server did not start:\n" + access_log.read_text()[-3000:])
            return 2
        log(f"schemathesis on {base}/api/v1/schema/ (max {max_examples} examples per operation, seed {seed})")
        fuzz = subprocess.run(
            [str(BIN / "schemathesis"), "run", f"{base}/api/v1/schema/?format=json",
             "--checks", "not_a_server_error,response_schema_conformance",
             "--max-examples", max_examples, "--seed", seed, "--workers", "1",
             "--request-timeout", "30", "--no-color", "--continue-on-failure", "--generation-database", "none",
             "--header", f"Authorization: Bearer {token}"],
            cwd=ROOT, env=env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        print(fuzz.stdout[-20000:], fuzz.stderr[-5000:], sep="\n", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    statuses = [m.group("status") for m in ACCESS_RE.finditer(access_log.read_text(errors="replace"))]
    requests = len(statuses)
    errors_5xx = sum(s.startswith("5") for s in statuses)
    throttled = sum(s == "429" for s in statuses)
    tested = re.search(r"Tested: (\d+)", fuzz.stdout)
    operations = int(tested.group(1)) if tested else 0
    elapsed = time.monotonic() - started
    print()
    print("== API fuzz (schemathesis) ==")
    print(f"operations fuzzed:  {operations}")
    print(f"requests sent:      {requests}")
    print(f"5xx found:          {errors_5xx}")
    print(f"requests throttled: {throttled}")
    print(f"seconds taken:      {elapsed:.0f}")
    verdict = "passed" if fuzz.returncode == 0 else f"FAILED (exit {fuzz.returncode})"
    print(f"schemathesis:       {verdict}")
    shutil.rmtree(tmp, ignore_errors=True)
    if errors_5xx or fuzz.returncode != 0 or operations == 0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
