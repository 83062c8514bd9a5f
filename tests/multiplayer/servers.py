"""Real ASGI server processes (uvicorn, as `make run` and the Procfile start it) for the socket tests
that must cross processes and Redis; they share the test's database and Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def server_env(**extra) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gamefactory.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "JWT_SIGNING_KEY": settings.SIMPLE_JWT["SIGNING_KEY"],
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    }


class Servers:
    def __init__(self, log_dir: Path, env: dict[str, str]):
        self.log_dir, self.env = log_dir, env
        self.procs: list[subprocess.Popen] = []

    def start(self, *ports: int) -> None:
        for port in ports:
            log = (self.log_dir / f"uvicorn-{port}.log").open("wb")
            self.procs.append(
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
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )
        for port in ports:
            self.wait_ready(port)

    def wait_ready(self, port: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"uvicorn on {port} did not start: {self.logs()}")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.log_dir.glob("uvicorn-*.log"))
