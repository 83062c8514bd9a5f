import datetime as dt
import itertools
import json
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from analytics import ingest, keys, selectors, services
from games.models import Game

EVENTS = "/api/v1/events"
METRICS = "/api/v1/metrics"

_slugs = itertools.count(1)

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitions exist only on PostgreSQL (SQLite keeps one ordinary events table)",
)


def make_game(creator, **fields) -> Game:
    n = next(_slugs)
    defaults = {
        "title": f"Game {n}",
        "slug": f"game-{n}-{uuid.uuid4().hex[:6]}",
        "category": Game.Category.ARCADE,
        "mechanic": "runner",
        "spec": {},
    }
    defaults.update(fields)
    return Game.objects.create(creator=creator, **defaults)


def iso(ts: dt.datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


def make_event(name="session_start", *, ts=None, player="p1", params=None, **fields) -> dict:
    event = {
        "id": str(uuid.uuid4()),
        "name": name,
        "ts": iso(ts or timezone.now() - dt.timedelta(minutes=1)),
        "player_id": player,
        "session_id": "s1",
        "platform": "web",
        "build": "1.0.0",
        "params": params or {},
    }
    event.update(fields)
    return event


def store(game, *events):
    """Events straight into storage (validated like the endpoint, without its time window)."""
    rows = []
    for e in events:
        rows.append(
            ingest.event_validate(
                e,
                earliest=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                latest=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
            )
        )
    return ingest.events_store(game_id=game.pk, rows=rows, import_mode=True)


def at(day: dt.date, hh=0, mm=0, ss=0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm, ss), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are made by the dozen here; argon2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_cached_keys():
    selectors.ingest_key_cache_clear()
    yield
    selectors.ingest_key_cache_clear()


@pytest.fixture
def game(user):
    return make_game(user)


@pytest.fixture
def key_pair(game):
    return services.ingest_key_issue(game=game)


@pytest.fixture
def post(api, key_pair):
    """POST a body to /api/v1/events with the game's public key (JSON unless bytes are given)."""

    def _post(body, *, key=None, content_type="application/json", sign=False, secret=None, **headers):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        extra = {"HTTP_X_INGEST_KEY": key if key is not None else key_pair[0]}
        if sign:
            extra["HTTP_X_INGEST_SIGNATURE"] = keys.sign(secret or key_pair[1], raw)
        extra.update(headers)
        return api.generic("POST", EVENTS, raw, content_type=content_type, **extra)

    return _post
