"""Simulated players: realistic event streams sent through the real ingestion endpoint.

Players install over the simulated days, come back with a decaying probability (a retention curve),
play sessions of levels whose pass rate depends on the game's mechanic and the level, see ads, buy
now and then, and sometimes hit an error. The stream is deterministic for a seed (same UUIDs), so
sending it twice counts it once.

Events older than the endpoint's 7-day window are sent as a signed import (X-Ingest-Import: 1).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from analytics import keys
from games.models import Game

# Chance to pass level 1 by mechanic; each next level is a little harder.
PASS_RATES = {
    "runner": 0.72,
    "platformer": 0.65,
    "puzzle": 0.6,
    "match3": 0.68,
    "shooter": 0.62,
    "breakout": 0.7,
    "flappy": 0.45,
    "snake": 0.66,
    "tower_defense": 0.58,
    "quiz": 0.75,
}
DEFAULT_PASS_RATE = 0.65
LEVEL_DIFFICULTY = 0.965
# P(active n days after install) = D1_RETURN * n ** -RETURN_DECAY: about 45% D1, 23% D7, 14% D30.
D1_RETURN = 0.45
RETURN_DECAY = 0.35
BOUNCE = 0.08  # sessions that are one session_start and nothing else


@dataclass
class SimulationReport:
    events: int = 0
    requests: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    statuses: Counter = field(default_factory=Counter)
    reject_codes: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _iso(ts: dt.datetime) -> str:
    return ts.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _event(rng: random.Random, t: dt.datetime, base: dict, name: str, params: dict | None = None) -> dict:
    return {"id": _uuid(rng), "name": name, "ts": _iso(t), "params": params or {}, **base}


def player_events(
    *,
    rng: random.Random,
    player: int,
    install_day: dt.date,
    last_day: dt.date,
    now: dt.datetime,
    pass_rate: float,
) -> Iterator[dict]:
    """Every event of one simulated player, in time order."""
    player_id = f"sim-{_uuid(rng)[:18]}"
    platform = rng.choices(["web", "android", "ios"], weights=[6, 3, 1])[0]
    build = f"1.0.{rng.randint(0, 3)}"
    level = 1
    tutorial_done = False
    day = install_day
    n = 0
    while day <= last_day:
        active = n == 0 or rng.random() < D1_RETURN * n**-RETURN_DECAY
        if active:
            sessions = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
            start = dt.datetime.combine(day, dt.time(hour=rng.randint(7, 20)), tzinfo=dt.UTC)
            start += dt.timedelta(minutes=rng.randint(0, 59))
            for _ in range(sessions):
                if start >= now:
                    break
                session_id = _uuid(rng)[:12]
                t = start
                base = {
                    "player_id": player_id,
                    "session_id": session_id,
                    "platform": platform,
                    "build": build,
                }

                yield _event(
                    rng, t, base, "session_start", {"entry": rng.choice(["catalogue", "share", "featured"])}
                )
                if rng.random() < BOUNCE:
                    start = t + dt.timedelta(hours=rng.randint(2, 4))
                    continue
                if not tutorial_done:
                    t += dt.timedelta(seconds=rng.randint(2, 8))
                    yield _event(rng, t, base, "tutorial_begin", {"step": 0})
                    t += dt.timedelta(seconds=rng.randint(20, 60))
                    if rng.random() < 0.85:
                        yield _event(
                            rng, t, base, "tutorial_complete", {"duration_ms": rng.randint(20_000, 60_000)}
                        )
                        tutorial_done = True
                for attempt in range(1, rng.randint(2, 7)):
                    t += dt.timedelta(seconds=rng.randint(3, 15))
                    if t >= now:
                        break
                    yield _event(rng, t, base, "level_start", {"level": level, "attempt": attempt})
                    duration = rng.randint(20, 150)
                    t += dt.timedelta(seconds=duration)
                    success = rng.random() < pass_rate * LEVEL_DIFFICULTY ** (level - 1)
                    score = rng.randint(100, 1000) * level if success else rng.randint(0, 300) * level
                    yield _event(rng, t, base, "score", {"value": score, "level": level})
                    yield _event(
                        rng,
                        t,
                        base,
                        "level_end",
                        {"level": level, "success": success, "score": score, "duration_ms": duration * 1000},
                    )
                    if success:
                        level += 1
                    if rng.random() < 0.3:
                        t += dt.timedelta(seconds=2)
                        ad_type = rng.choices(["interstitial", "rewarded", "banner"], weights=[6, 3, 1])[0]
                        yield _event(
                            rng,
                            t,
                            base,
                            "ad_impression",
                            {
                                "placement": "between_levels" if ad_type != "rewarded" else "extra_life",
                                "ad_type": ad_type,
                                "revenue_micros": rng.randint(800, 12_000),
                                "network": "simulated",
                            },
                        )
                    if rng.random() < 0.05:
                        yield _event(
                            rng,
                            t,
                            base,
                            "design:powerup_used",
                            {"kind": rng.choice(["shield", "magnet", "boost"])},
                        )
                if rng.random() < 0.012:
                    t += dt.timedelta(seconds=5)
                    item, cents = rng.choice([("coins_small", 99), ("coins_big", 499), ("no_ads", 299)])
                    purchase = {
                        "item": item,
                        "amount_cents": cents,
                        "currency": "USD",
                        "transaction_id": _uuid(rng),
                    }
                    yield _event(rng, t, base, "purchase", purchase)
                    if rng.random() < 0.05:
                        t += dt.timedelta(minutes=3)
                        yield _event(rng, t, base, "refund", purchase)
                if rng.random() < 0.01:
                    yield _event(
                        rng,
                        t,
                        base,
                        "game_error",
                        {"message": "TypeError: cannot read properties of undefined", "severity": "error"},
                    )
                t += dt.timedelta(seconds=rng.randint(1, 5))
                yield _event(
                    rng, t, base, "session_end", {"duration_ms": int((t - start).total_seconds() * 1000)}
                )
                start = t + dt.timedelta(hours=rng.randint(1, 5), minutes=rng.randint(0, 59))
        day += dt.timedelta(days=1)
        n += 1


def simulated_events(
    *, game: Game, players: int, days: int, seed: int, now: dt.datetime | None = None
) -> list[dict]:
    """The whole stream for `players` installing over the last `days` days (today included), time-ordered."""
    now = now or timezone.now()
    rng = random.Random(f"{seed}:{game.pk}")
    today = now.date()
    first = today - dt.timedelta(days=days - 1)
    pass_rate = PASS_RATES.get(game.mechanic, DEFAULT_PASS_RATE)
    events: list[dict] = []
    for player in range(players):
        install = first + dt.timedelta(days=rng.randrange(days))
        events.extend(
            e
            for e in player_events(
                rng=rng, player=player, install_day=install, last_day=today, now=now, pass_rate=pass_rate
            )
            if e["ts"] < _iso(now)
        )
    events.sort(key=lambda e: e["ts"])
    return events


class _InProcessTransport:
    """Django's test client: the real URL, middleware and view, no server needed."""

    def __init__(self) -> None:
        from django.test import Client

        host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
        self.client = Client(SERVER_NAME=host if "*" not in host else "localhost")

    def post(self, path: str, body: bytes, headers: dict) -> tuple[int, dict, dict]:
        response = self.client.generic("POST", path, body, content_type="application/json", headers=headers)
        return response.status_code, _json(response.content), dict(response.headers)


class _HttpTransport:
    def __init__(self, base_url: str) -> None:
        import httpx2

        logging.getLogger("httpx2").setLevel(logging.WARNING)  # one line per request is noise here
        self.base_url = base_url.rstrip("/")
        self.client = httpx2.Client(timeout=30)

    def post(self, path: str, body: bytes, headers: dict) -> tuple[int, dict, dict]:
        response = self.client.post(
            self.base_url + path, content=body, headers={"Content-Type": "application/json", **headers}
        )
        return response.status_code, _json(response.content), dict(response.headers)


def _json(content: bytes) -> dict:
    try:
        return json.loads(content)
    except ValueError:
        return {}


def events_send(
    *, events: list[dict], public_key: str, secret: str, url: str | None = None, batch_size: int = 500
) -> SimulationReport:
    """POST the events in batches to /api/v1/events, signed, as an import; retries throttled batches."""
    transport = _HttpTransport(url) if url else _InProcessTransport()
    report = SimulationReport(events=len(events))
    started = time.perf_counter()
    for i in range(0, len(events), batch_size):
        body = json.dumps({"events": events[i : i + batch_size]}, separators=(",", ":")).encode()
        headers = {
            "X-Ingest-Key": public_key,
            "X-Ingest-Signature": keys.sign(secret, body),
            "X-Ingest-Import": "1",
        }
        for _attempt in range(10):
            status, payload, response_headers = transport.post("/api/v1/events", body, headers)
            report.requests += 1
            report.statuses[status] += 1
            if status != 429:
                break
            time.sleep(min(60, int(response_headers.get("Retry-After", "1"))))
        if status == 202:
            report.accepted += payload.get("accepted", 0)
            report.duplicates += payload.get("duplicates", 0)
            for rejected in payload.get("rejected", []):
                report.rejected += 1
                report.reject_codes[rejected["code"]] += 1
        else:
            report.rejected += len(events[i : i + batch_size])
            report.reject_codes[payload.get("error", {}).get("code", f"http_{status}")] += 1
    report.seconds = time.perf_counter() - started
    return report
