"""Throttles hold against a new X-Forwarded-For on every request, through the real ASGI server.

uvicorn is where the header used to be trusted (from loopback, by default), so the server is started
exactly as the Procfile starts it (gamefactory.serving.uvicorn_args) on this test's database.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Server:
    def __init__(self, tmp_path: Path, **env: str):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "gamefactory.settings",
            "DATABASE_URL": _database_url(),
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": django_settings.SECRET_KEY,
            "THROTTLE_AUTH": "5/hour",
            "DEBUG": "0",
            **env,
        }
        # the server's own cache (local memory): the counts it keeps are the ones under test
        full_env.pop("REDIS_URL", None)
        full_env["CELERY_BROKER_URL"] = "memory://"
        self.log = (tmp_path / "uvicorn.log").open("wb")
        probe = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
             "from gamefactory.serving import uvicorn_args; import json; "
             f"print(json.dumps(uvicorn_args(settings, host='127.0.0.1', port={self.port})))"],
            cwd=ROOT, env=full_env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        self.args = json.loads(probe.stdout)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", *self.args],
            cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError("uvicorn did not start: " + (tmp_path / "uvicorn.log").read_text()[-2000:])

    def login(self, forwarded_for: str) -> int:
        body = json.dumps({"username": "nobody", "password": "wrong"}).encode()
        request = urllib.request.Request(
            self.base + "/api/v1/auth/login",
            data=body,
            headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded_for},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture
def server(tmp_path):
    started = []

    def start(**env):
        s = Server(tmp_path, **env)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def test_without_proxies_a_new_forwarded_for_each_time_is_still_throttled(server):
    # given the default: no trusted proxy
    s = server()
    assert "--no-proxy-headers" in s.args
    # when one client claims another address on every attempt
    codes = [s.login(f"203.0.113.{i}") for i in range(8)]
    # then the throttle counts them as the one client they are
    assert codes[:5] == [400] * 5
    assert codes[5:] == [429] * 3


def test_behind_one_proxy_only_the_address_the_proxy_saw_counts(server):
    # given one proxy (this test's client plays it, from 127.0.0.1), appending the client it saw
    s = server(TRUSTED_PROXIES="1", FORWARDED_ALLOW_IPS="127.0.0.1")
    assert "--forwarded-allow-ips=127.0.0.1" in s.args
    # when the client rotates what it writes itself, the proxy appending its real address
    codes = [s.login(f"10.0.0.{i}, 198.51.100.7") for i in range(8)]
    # then it is throttled as 198.51.100.7; another client behind the same proxy is not
    assert codes[5:] == [429] * 3
    assert s.login("198.51.100.8") == 400
