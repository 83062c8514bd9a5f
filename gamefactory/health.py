"""Liveness and readiness probes.

`/healthz` answers as long as the process serves requests. `/readyz` checks each
backing service the platform needs (database, cache, broker, channel layer) and
answers 503 naming the one that is down.
"""

from __future__ import annotations

import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gamefactory.celery import app as celery_app

BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def roundtrip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "readyz.ping"})
        message = await layer.receive(channel)
        if message.get("type") != "readyz.ping":
            raise RuntimeError("channel layer returned another message")

    async_to_sync(roundtrip)()


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "channel_layer": check_channel_layer,
}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


CHECK_LABELS = {
    "database": "Database",
    "cache": "Cache",
    "broker": "Task queue (broker)",
    "channel_layer": "Realtime (channel layer)",
}


def run_checks() -> tuple[bool, dict]:
    """Every check once: (all ok, {name: {"status", "ms", "error"?}})."""
    results = {}
    ok = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure of a dependency means "not ready"
            ok = False
            results[name] = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return ok, results


def multiplayer_sessions() -> int | None:
    """Live multiplayer sessions (the same reader as the `multiplayer_sessions` gauge); None when the
    database cannot say (its check already reports why)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    try:
        return int(import_string(settings.METRICS_MULTIPLAYER_SESSIONS)())
    except Exception:
        return None


@never_cache
@require_GET
def readyz(request):
    ok, results = run_checks()
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "checks": results,
            "multiplayer_sessions": multiplayer_sessions() if results["database"]["status"] == "ok" else None,
        },
        status=200 if ok else 503,
    )


@never_cache
@require_GET
def status_page(request):
    """The readiness checks for people: one line per service, in the platform's layout.

    The reason a service is down is shown to staff only (it can name hosts); probes read /readyz.
    """
    ok, results = run_checks()
    services = [
        {
            "name": name,
            "label": CHECK_LABELS.get(name, name),
            "up": result["status"] == "ok",
            "ms": result["ms"],
            "error": result.get("error", "") if request.user.is_staff else "",
        }
        for name, result in results.items()
    ]
    return render(request, "status.html", {"ok": ok, "services": services}, status=200 if ok else 503)
