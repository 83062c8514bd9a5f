import pytest
from django.test import override_settings

from gamefactory.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_readyz_checks_every_service(client):
    r = client.get("/readyz")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "channel_layer"}
    assert all(c["status"] == "ok" for c in body["checks"].values())


def test_readyz_is_503_when_the_broker_is_down(client, monkeypatch):
    # given: a broker address where nothing listens. Only `broker_url`: Celery derives the write URL
    # from it, and patching that too would leave the derived value behind as a setting of its own.
    assert celery_app.conf.get("broker_write_url") is None
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    # when
    r = client.get("/readyz")
    # then
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_is_503_when_the_cache_is_down(client):
    down = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    with override_settings(CACHES=down):
        r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["cache"]["status"] == "down"


def test_readyz_is_503_when_the_channel_layer_is_down(client):
    down = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    from channels.layers import channel_layers

    with override_settings(CHANNEL_LAYERS=down):
        channel_layers.backends.clear()
        try:
            r = client.get("/readyz")
        finally:
            channel_layers.backends.clear()
    assert r.status_code == 503
    assert r.json()["checks"]["channel_layer"]["status"] == "down"


def test_readyz_is_503_when_the_database_is_down(client, monkeypatch):
    from gamefactory import health

    def broken():
        raise ConnectionError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    r = client.get("/readyz")
    assert r.status_code == 503
    assert "connection refused" in r.json()["checks"]["database"]["error"]


def test_api_404_uses_the_error_shape(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_openapi_schema_generates_without_warnings():
    from django.core.management import call_command

    # --fail-on-warn turns any drf-spectacular warning or error into a failure
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_anonymous_api_calls_are_throttled(client, user, monkeypatch):
    from gamefactory.api.throttles import ApiCallsAnonThrottle

    monkeypatch.setattr(ApiCallsAnonThrottle, "rate", "30/hour", raising=False)
    url = f"/api/v1/users/{user.pk}"
    codes = [client.get(url).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    r = client.get(url)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "throttled"


def test_wrong_method_and_media_type_use_the_error_shape(api, user):
    r = api.delete("/api/v1/auth/login")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
    r = api.post("/api/v1/auth/login", b"<xml/>", content_type="application/xml")
    assert r.status_code == 415
    assert "error" in r.json()
