"""Prometheus: GET /metrics, who may scrape it, and the seed's metrics moving with what happens.

Counters live in files shared by every process (multi-process mode), so the tests read how much a
series moved, not its absolute value.
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from gamefactory import metrics
from gamefactory.celery import app as celery_app
from games import services
from games.models import GenerationRequest
from tests.factories import UserFactory, game_publish_played

pytestmark = pytest.mark.django_db

SEED_METRICS = {
    "api_response_time",
    "active_users",
    "games_generated",
    "multiplayer_sessions",
    "ai_token_usage",
    "error_rate",
    "celery_queue_depth",
    "celery_task_duration_seconds",
    "factory_step_duration_seconds",
}


def scrape(client=None, **headers) -> dict[tuple[str, frozenset], float]:
    r = (client or Client()).get("/metrics", **headers)
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(r.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def families(client=None) -> set[str]:
    text = (client or Client()).get("/metrics").content.decode()
    return {f.name for f in text_string_to_metric_families(text)}


# --- access ----------------------------------------------------------------------------------------


def test_the_seeds_metrics_are_scraped_from_an_internal_address():
    # the test client comes from 127.0.0.1; every seed metric is there before anything happened
    names = families()
    assert SEED_METRICS - {"celery_task_duration_seconds"} <= names, SEED_METRICS - names


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, 403),
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer wrong"}, 403),
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer s3cret-token"}, 200),
        # a request relayed by a proxy on this machine is not internal
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 403),
        ({"REMOTE_ADDR": "10.1.2.3"}, 200),
    ],
)
def test_only_the_monitoring_system_may_scrape(settings, headers, status):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]
    assert Client().get("/metrics", **headers).status_code == status


def test_with_no_network_listed_only_the_token_opens_it(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert Client().get("/metrics").status_code == 403


# --- what moves them -------------------------------------------------------------------------------


def test_api_requests_are_timed_by_route():
    before = scrape()
    client = Client()
    client.get("/api/v1/games")
    client.get("/api/v1/games")
    client.get("/")  # a page: counted, not an API response time
    after = scrape()
    route = {"method": "GET", "route": "/api/v1/games"}
    assert (
        value(after, "api_response_time_count", **route) - value(before, "api_response_time_count", **route)
        == 2
    )
    page = {"method": "GET", "route": "/", "status": "200"}
    assert value(after, "http_requests_total", **page) - value(before, "http_requests_total", **page) == 1
    assert value(after, "api_response_time_count", method="GET", route="/") == 0


@override_settings(ROOT_URLCONF="tests.gamefactory.urls_failing", DEBUG=False)
def test_error_rate_is_the_share_of_server_errors_since_the_last_window():
    scrape()  # the window's start
    client = Client(raise_request_exception=False)
    for _ in range(3):
        client.get("/healthz")
    client.get("/boom/")
    assert value(scrape(), "error_rate") == pytest.approx(0.25)


def test_active_users_are_players_seen_in_the_last_minutes(publish_game):
    game = publish_game()
    services.play_start(game=game, anonymous_id="a")
    services.play_start(game=game, user=UserFactory())
    assert value(scrape(), "active_users") == 2


def test_a_published_version_counts_as_a_generated_game(publish_game, django_capture_on_commit_callbacks):
    before = value(scrape(), "games_generated_total", origin="studio")
    with django_capture_on_commit_callbacks(execute=True):
        publish_game()
    assert value(scrape(), "games_generated_total", origin="studio") - before == 1


def test_the_studios_llm_tokens_are_counted(monkeypatch, user, spec, built_bundle):
    # given an LLM designer that reports its usage
    from generation import services as generation_services
    from generation.providers.base import DesignResult, Usage

    def design(**kwargs):
        return DesignResult(
            spec=spec, provider="openai", usage=Usage(calls=1, input_tokens=120, output_tokens=30)
        )

    monkeypatch.setattr(generation_services, "game_design", design)
    request = GenerationRequest.objects.create(user=user, prompt="a neon snake", provider="openai")
    before = scrape()
    # when
    services.generation_run(request_id=request.pk)
    # then
    after = scrape()
    labels = {"provider": "openai", "source": "studio"}
    assert (
        value(after, "ai_token_usage_total", direction="input", **labels)
        - value(before, "ai_token_usage_total", direction="input", **labels)
        == 120
    )
    assert (
        value(after, "ai_token_usage_total", direction="output", **labels)
        - value(before, "ai_token_usage_total", direction="output", **labels)
        == 30
    )


def test_celery_tasks_are_timed_and_counted():
    from analytics.tasks import metrics_aggregate_live_task

    labels = {"task": "analytics.tasks.metrics_aggregate_live_task", "state": "success"}
    before = scrape()
    metrics_aggregate_live_task.delay()
    after = scrape()
    assert value(after, "celery_tasks_total", **labels) - value(before, "celery_tasks_total", **labels) == 1
    assert (
        value(after, "celery_task_duration_seconds_count", **labels)
        - value(before, "celery_task_duration_seconds_count", **labels)
        == 1
    )


def test_the_queue_depth_is_read_from_the_broker(settings):
    # given two messages waiting in a queue of our own
    queue_name = f"gf-test-metrics-{uuid.uuid4().hex[:8]}"
    settings.METRICS_CELERY_QUEUES = [queue_name]
    from kombu import Queue

    queue = Queue(queue_name, routing_key=queue_name)
    with celery_app.connection_for_write() as conn:
        producer = conn.Producer()
        for n in range(2):
            producer.publish({"n": n}, routing_key=queue_name, declare=[queue])
        try:
            # then
            assert value(scrape(), "celery_queue_depth", queue=queue_name) == 2
        finally:
            queue(conn.default_channel).delete()


def test_multiplayer_sessions_read_through_a_setting_and_zero_without_the_app(settings):
    settings.METRICS_MULTIPLAYER_SESSIONS = "multiplayer.selectors.sessions_active_count"
    assert value(scrape(), "multiplayer_sessions") == 0
    settings.METRICS_MULTIPLAYER_SESSIONS = "tests.gamefactory.test_metrics.three_sessions"
    assert value(scrape(), "multiplayer_sessions") == 3


def three_sessions() -> int:
    return 3


def test_a_gauge_that_cannot_be_read_leaves_the_others(settings, monkeypatch):
    def broken():
        raise ConnectionError("broker down")

    monkeypatch.setitem(metrics._gauge_sources, "celery_queue_depth", ("depth", broken, ("queue",)))
    names = families()
    assert "celery_queue_depth" not in names and "active_users" in names and "error_rate" in names


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture
def spec():
    from generation.designer import spec_from_prompt

    return spec_from_prompt(prompt="a neon snake", seed=1, mechanic="snake")


@pytest.fixture
def built_bundle(tmp_path, settings, spec):
    from games.bundles import phaser_url
    from generation.bundle import bundle_build

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = tmp_path / "bundle"
    bundle_build(spec=spec, out_dir=out, phaser_src=phaser_url())
    return out


@pytest.fixture
def publish_game(user, spec, built_bundle):
    def make():
        return game_publish_played(
            creator=user,
            spec=spec,
            origin="studio",
            provenance={"source": "test", "n": uuid.uuid4().hex},
            bundle_dir=built_bundle,
        ).game

    return make


def test_the_grafana_dashboard_reads_only_metrics_that_exist(settings):
    import json
    import re
    from pathlib import Path

    dashboard = json.loads((Path(settings.BASE_DIR) / "docs" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    text = Client().get("/metrics").content.decode()
    exposed = {f.name for f in text_string_to_metric_families(text)} | {"celery_task_duration_seconds"}
    suffixes = ("_bucket", "_count", "_sum", "_total")
    functions = {"sum", "by", "rate", "increase", "histogram_quantile", "topk", "le"}
    for expr in exprs:
        for name in re.findall(r"\b([a-z_]+)\b(?=[\[{(\s)]|$)", expr):
            if name in functions or name in {
                "route",
                "status",
                "origin",
                "provider",
                "source",
                "task",
                "state",
                "step",
                "outcome",
                "queue",
            }:
                continue
            base = next((name[: -len(s)] for s in suffixes if name.endswith(s)), name)
            assert base in exposed, (name, expr)
