"""Prometheus metrics: `GET /metrics` (text exposition), multi-process.

Every process of the platform (Uvicorn/Gunicorn web workers, Celery workers and their pool children)
writes its counters and histograms to memory-mapped files in `PROMETHEUS_MULTIPROC_DIR` (settings set
it, default `var/prometheus/`); a scrape adds them up. The directory is emptied when a process group
starts (`scripts/run_all.py` for `make run`, `gunicorn.conf.py` for Gunicorn). Gauges are not kept in
files: they are read when scraped (from the database, the broker, the cache), so they are the same
whichever web worker answers.

What is exposed (names from the seed; counters get Prometheus' `_total` suffix):

| metric | type | labels |
|---|---|---|
| `api_response_time` | histogram, seconds | method, route (the URL pattern: `/api/v1/games/<uuid:game_id>`), for /api/ requests |
| `http_requests_total` | counter | method, route, status (every response but /metrics) |
| `error_rate` | gauge | share of HTTP responses that were 5xx over the last 5 minutes |
| `active_users` | gauge | players with a play seen in the last 5 minutes (user or anonymous id) |
| `games_generated_total` | counter | origin (studio, factory, upload, fork, ...): versions published |
| `ai_token_usage_total` | counter | provider, source (studio, factory), direction (input, output) |
| `multiplayer_sessions` | gauge | live multiplayer sessions: 0 until the multiplayer app provides it |
| `celery_queue_depth` | gauge | queue: messages waiting in the broker |
| `celery_task_duration_seconds` | histogram | task, state (success, failure, retry) |
| `celery_tasks_total` | counter | task, state |
| `factory_step_duration_seconds` | histogram | step (1..12), outcome (completed, failed, ...) |

Access: a request is served when it carries `Authorization: Bearer <METRICS_TOKEN>` (if a token is set),
or when it comes straight from an address in `METRICS_ALLOWED_NETWORKS` (default: loopback). A request
that went through a proxy (any X-Forwarded-For, Forwarded or X-Real-IP header) is never "internal".

Other apps add gauges read at scrape time with `gauge_source(name, help, read)`;
`multiplayer_sessions` is read from `settings.METRICS_MULTIPLAYER_SESSIONS` (a dotted path, imported
when scraped, 0 while it does not exist).
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable
from functools import lru_cache
from inspect import iscoroutinefunction

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseForbidden
from django.utils.decorators import sync_and_async_middleware
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# prometheus_client picks multi-process mode from the environment when it is imported: settings set
# the variable, so they are loaded first (this module may be imported before anything else touched them).
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(settings.PROMETHEUS_MULTIPROC_DIR))

from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402

logger = logging.getLogger(__name__)

# Seconds. API answers are mostly milliseconds; generation and uploads take seconds.
API_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
STEP_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 180.0, 300.0)
# error_rate: 5xx responses / responses over this window (the scrapes' counters, remembered in the cache).
ERROR_RATE_WINDOW_S = 300
ERROR_RATE_CACHE_KEY = "metrics:error-rate:snapshots"
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
METRICS_PATH = "/metrics"

API_RESPONSE_TIME = Histogram(
    "api_response_time",
    "API response time in seconds, by URL pattern.",
    ["method", "route"],
    buckets=API_BUCKETS,
)
HTTP_REQUESTS = Counter(
    "http_requests", "HTTP responses, by URL pattern and status.", ["method", "route", "status"]
)
GAMES_GENERATED = Counter("games_generated", "Game versions published, by origin.", ["origin"])
AI_TOKEN_USAGE = Counter(
    "ai_token_usage", "Tokens the LLM providers reported.", ["provider", "source", "direction"]
)
CELERY_TASK_DURATION = Histogram(
    "celery_task_duration_seconds", "Celery task run time.", ["task", "state"], buckets=TASK_BUCKETS
)
CELERY_TASKS = Counter("celery_tasks", "Celery tasks run, by outcome.", ["task", "state"])
FACTORY_STEP_DURATION = Histogram(
    "factory_step_duration_seconds",
    "One attempt of a factory step, by step and outcome.",
    ["step", "outcome"],
    buckets=STEP_BUCKETS,
)


# Series that exist from the start (at 0), so dashboards and alerts see them before the first event.
for _origin in ("factory", "studio", "upload", "fork"):
    GAMES_GENERATED.labels(origin=_origin)
for _provider in ("openai", "anthropic"):
    for _source in ("studio", "factory"):
        for _direction in ("input", "output"):
            AI_TOKEN_USAGE.labels(provider=_provider, source=_source, direction=_direction)
for _step in range(1, 13):
    FACTORY_STEP_DURATION.labels(step=str(_step), outcome="completed")


# --- recording (called from the apps) --------------------------------------------------------------


def game_generated(*, origin: str) -> None:
    GAMES_GENERATED.labels(origin=origin or "unknown").inc()


def ai_tokens(*, provider: str, source: str, input_tokens: int, output_tokens: int) -> None:
    if input_tokens:
        AI_TOKEN_USAGE.labels(provider=provider, source=source, direction="input").inc(input_tokens)
    if output_tokens:
        AI_TOKEN_USAGE.labels(provider=provider, source=source, direction="output").inc(output_tokens)


def factory_step(*, step: int, outcome: str, seconds: float) -> None:
    FACTORY_STEP_DURATION.labels(step=str(step), outcome=outcome).observe(seconds)


# --- HTTP ----------------------------------------------------------------------------------------


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"  # 404s of unknown URLs: one label, not one per URL
    return "/" + match.route  # the pattern ("/games/<slug:slug>/"), never the URL itself


def _observe(request, response, started: float) -> None:
    if request.path == METRICS_PATH:
        return
    try:
        route = _route(request)
        HTTP_REQUESTS.labels(method=request.method, route=route, status=str(response.status_code)).inc()
        if request.path.startswith("/api/"):
            API_RESPONSE_TIME.labels(method=request.method, route=route).observe(
                time.perf_counter() - started
            )
    except Exception:  # metrics must never break a request
        logger.exception("metrics: could not record a request")


@sync_and_async_middleware
def request_metrics_middleware(get_response):
    """Times every request and counts its status (both the sync and the async handler)."""
    if iscoroutinefunction(get_response):

        async def middleware(request):
            started = time.perf_counter()
            response = await get_response(request)
            _observe(request, response, started)
            return response

    else:

        def middleware(request):
            started = time.perf_counter()
            response = get_response(request)
            _observe(request, response, started)
            return response

    return middleware


# --- Celery --------------------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def celery_task_started(task_id: str) -> None:
    _task_started[task_id] = time.perf_counter()


def celery_task_finished(task_id: str, task_name: str, state: str) -> None:
    started = _task_started.pop(task_id, None)
    CELERY_TASKS.labels(task=task_name, state=state).inc()
    if started is not None:
        CELERY_TASK_DURATION.labels(task=task_name, state=state).observe(time.perf_counter() - started)


def worker_metrics_serve(*, port: int) -> None:
    """Serve this machine's processes' counters (no gauges: the web's /metrics reads those) on `port`."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(settings.PROMETHEUS_MULTIPROC_DIR))
    start_http_server(port, registry=registry)
    logger.info("metrics: worker metrics on port %s", port)


# --- gauges read when scraped --------------------------------------------------------------------

_gauge_sources: dict[
    str, tuple[str, Callable[[], float | dict[tuple[str, ...], float]], tuple[str, ...]]
] = {}


def gauge_source(name: str, help_text: str, read: Callable, labels: tuple[str, ...] = ()) -> None:
    """Expose a gauge whose value `read()` gives when scraped ({label values: value} with `labels`)."""
    _gauge_sources[name] = (help_text, read, labels)


def _active_users() -> float:
    from games.selectors import players_active_count

    return players_active_count(seconds=settings.METRICS_ACTIVE_WINDOW_S)


def _multiplayer_sessions() -> float:
    try:
        read = import_string(settings.METRICS_MULTIPLAYER_SESSIONS)
    except ImportError:
        return 0  # the multiplayer app is not there (yet)
    return read()


def _queue_depths() -> dict[tuple[str, ...], float]:
    from gamefactory.celery import app

    depths: dict[tuple[str, ...], float] = {}
    with app.connection_or_acquire() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.METRICS_BROKER_TIMEOUT_S)
        channel = conn.default_channel
        for queue in settings.METRICS_CELERY_QUEUES:
            try:
                if hasattr(channel, "_size"):
                    # kombu's virtual transports (Redis, filesystem...): one round trip, no declaration.
                    count = channel._size(queue)
                else:
                    _, count, _ = channel.queue_declare(queue=queue, passive=True)
            except Exception:  # a queue nobody declared yet holds nothing
                count = 0
            depths[(queue,)] = count
    return depths


gauge_source("active_users", "Players with a play seen in the last 5 minutes.", _active_users)
gauge_source("multiplayer_sessions", "Multiplayer sessions going on.", _multiplayer_sessions)
gauge_source("celery_queue_depth", "Messages waiting in the broker, by queue.", _queue_depths, ("queue",))


def _error_rate(requests: float, errors: float, now: float) -> float:
    """5xx share of the responses since the snapshot `ERROR_RATE_WINDOW_S` ago (kept in the cache)."""
    snapshots = [s for s in (cache.get(ERROR_RATE_CACHE_KEY) or []) if now - s[0] <= 3 * ERROR_RATE_WINDOW_S]
    base = next((s for s in reversed(snapshots) if now - s[0] >= ERROR_RATE_WINDOW_S), None)
    base = base or (snapshots[0] if snapshots else (now, 0.0, 0.0))
    snapshots.append((now, requests, errors))
    cache.set(ERROR_RATE_CACHE_KEY, snapshots[-200:], timeout=4 * ERROR_RATE_WINDOW_S)
    served, failed = requests - base[1], errors - base[2]
    if served < 0 or failed < 0:  # the counters restarted with the servers
        served, failed = requests, errors
    return round(failed / served, 6) if served > 0 else 0.0


class _ScrapeCollector:
    """The processes' files (added up) and the gauges read now."""

    def collect(self):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(settings.PROMETHEUS_MULTIPROC_DIR))
        requests = errors = 0.0
        for family in registry.collect():
            if family.name == "http_requests":
                for sample in family.samples:
                    if sample.name == "http_requests_total":
                        requests += sample.value
                        if sample.labels.get("status", "").startswith("5"):
                            errors += sample.value
            yield family
        rate = GaugeMetricFamily("error_rate", "Share of HTTP responses that were 5xx, last 5 minutes.")
        rate.add_metric([], _error_rate(requests, errors, time.time()))
        yield rate
        for name, (help_text, read, labels) in _gauge_sources.items():
            gauge = GaugeMetricFamily(name, help_text, labels=list(labels))
            try:
                value = read()
            except Exception as exc:  # one source down (the broker, say) must not empty the scrape
                logger.warning("metrics: %s could not be read: %s", name, exc)
                continue
            if labels:
                for label_values, v in value.items():
                    gauge.add_metric(list(label_values), float(v))
            else:
                gauge.add_metric([], float(value))
            yield gauge


def exposition() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_ScrapeCollector())
    return generate_latest(registry)


# --- the endpoint ----------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return [ipaddress.ip_network(n.strip(), strict=False) for n in spec if n.strip()]


def scrape_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    if any(request.META.get(h) for h in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_NETWORKS)))


@never_cache
@require_safe
def metrics_view(request):
    if not scrape_allowed(request):
        return HttpResponseForbidden("Metrics are for the monitoring system.\n", content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


def multiprocess_dir_reset(path: str | os.PathLike | None = None) -> None:
    """Empty the directory before a new group of processes starts (their counters start at zero)."""
    path = path or settings.PROMETHEUS_MULTIPROC_DIR
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(path, name))
