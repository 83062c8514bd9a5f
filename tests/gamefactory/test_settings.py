"""Settings switch from the embedded defaults to real services when the environment names them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": settings.DATABASES["default"]["NAME"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "channels": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "beat": settings.CELERY_BEAT_SCHEDULER,
    "media": settings.STORAGES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "secure_cookies": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "hosts": settings.ALLOWED_HOSTS,
    "site_url": settings.SITE_URL,
    "secret_key": settings.SECRET_KEY,
    "jwt_key": settings.SIMPLE_JWT["SIGNING_KEY"],
    "ingest_secret": settings.ANALYTICS_KEY_SECRET,
    "num_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"],
    "proxy_ssl_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
}))
"""

SERVICE_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "WEB_PORT",
    "WEB_HOST",
    "JWT_SIGNING_KEY",
    "ANALYTICS_KEY_SECRET",
    "TRUSTED_PROXIES",
    "STATIC_MANIFEST",
)


def probe(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    clean.update({"DJANGO_SETTINGS_MODULE": "gamefactory.settings", "VAR_DIR": str(tmp_path)}, **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    return out


def test_no_environment_means_embedded_services(tmp_path):
    out = probe(tmp_path)
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["db"] == "django.db.backends.sqlite3"
    assert s["db_name"].startswith(str(tmp_path))
    assert s["cache"].endswith("LocMemCache")
    assert s["channels"] == "channels.layers.InMemoryChannelLayer"
    assert s["broker"].startswith("filesystem://")
    assert s["beat"] == "django_celery_beat.schedulers:DatabaseScheduler"
    assert s["media"] == "django.core.files.storage.FileSystemStorage"
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert (tmp_path / "celery" / "broker" / "queue").is_dir()


def test_named_services_are_used(tmp_path):
    out = probe(
        tmp_path,
        DATABASE_URL="postgres://u:p@db.example:5432/gf",
        REDIS_URL="redis://cache.example:6379/1",
        AWS_STORAGE_BUCKET_NAME="games",
        EMAIL_URL="smtp://mailer:secret@smtp.example:587",
    )
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["db"] == "django.db.backends.postgresql"
    assert s["cache"] == "django_redis.cache.RedisCache"
    assert s["channels"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert s["broker"] == "redis://cache.example:6379/1"
    assert s["media"] == "storages.backends.s3.S3Storage"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_celery_broker_url_wins_over_redis(tmp_path):
    out = probe(
        tmp_path, REDIS_URL="redis://cache.example:6379/1", CELERY_BROKER_URL="amqp://guest@mq.example//"
    )
    assert json.loads(out.stdout)["broker"] == "amqp://guest@mq.example//"


def test_debug_is_off_when_nothing_asks_for_it(tmp_path):
    s = json.loads(probe(tmp_path).stdout)
    assert s["debug"] is False


def test_debug_on_a_public_address_refuses_to_start(tmp_path):
    # given make run (or anyone) asking for DEBUG while binding every interface
    out = probe(tmp_path, DEBUG="1", WEB_HOST="0.0.0.0")
    # then
    assert out.returncode != 0
    assert "DEBUG is on" in out.stderr


def test_debug_on_loopback_starts(tmp_path):
    out = probe(tmp_path, DEBUG="1", WEB_HOST="127.0.0.1")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["debug"] is True


def test_without_secret_key_a_per_install_key_is_made_once_with_mode_600(tmp_path):
    # when two processes of one install start
    first = json.loads(probe(tmp_path).stdout)
    second = json.loads(probe(tmp_path).stdout)
    other_install = json.loads(probe(tmp_path / "other").stdout)
    # then they share one random key, kept private, and another install has its own
    key_file = tmp_path / "secret_key"
    assert first["secret_key"] == second["secret_key"] == key_file.read_text().strip()
    assert len(first["secret_key"]) >= 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert other_install["secret_key"] != first["secret_key"]


def test_the_jwt_and_ingest_keys_are_derived_apart_or_set_apart(tmp_path):
    derived = json.loads(probe(tmp_path, SECRET_KEY="s" * 50).stdout)
    assert len({derived["secret_key"], derived["jwt_key"], derived["ingest_secret"]}) == 3
    named = json.loads(probe(tmp_path, SECRET_KEY="s" * 50, JWT_SIGNING_KEY="j" * 50).stdout)
    assert named["jwt_key"] == "j" * 50
    assert named["ingest_secret"] == derived["ingest_secret"]


def test_https_sites_get_secure_cookies_hsts_and_the_redirect(tmp_path):
    out = probe(
        tmp_path, SECRET_KEY="x" * 50, SITE_URL="https://games.example", ALLOWED_HOSTS="games.example"
    )
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["debug"] is False
    assert s["secure_cookies"] is True
    assert s["hsts"] >= 31536000
    assert s["hosts"] == ["games.example"]


def test_proxies_are_trusted_only_when_counted(tmp_path):
    direct = json.loads(probe(tmp_path).stdout)
    behind = json.loads(probe(tmp_path, TRUSTED_PROXIES="1").stdout)
    assert direct["num_proxies"] == 0 and direct["proxy_ssl_header"] is None
    assert behind["num_proxies"] == 1 and behind["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="runs when CI points DATABASE_URL at PostgreSQL"
)
def test_ci_runs_on_postgresql(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="runs when CI points REDIS_URL at Redis")
def test_ci_runs_on_redis(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"


def test_logs_are_json_when_debug_is_off(tmp_path):
    code = "import django, logging; django.setup(); logging.getLogger('gamefactory.test').warning('hello %s', 'there')"
    clean = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    clean.update(
        DJANGO_SETTINGS_MODULE="gamefactory.settings", VAR_DIR=str(tmp_path), DEBUG="0", SECRET_KEY="x" * 50
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    line = json.loads(out.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello there"
    assert line["level"] == "WARNING"
    assert line["logger"] == "gamefactory.test"


def test_the_site_address_follows_the_web_port_unless_named(tmp_path):
    # given make run on another port, then a named public address
    on_port = probe(tmp_path, WEB_PORT="8123")
    named = probe(tmp_path, WEB_PORT="8123", SITE_URL="https://games.example.com/")
    # then links and the sandbox's frame-ancestors use the address players actually open
    assert json.loads(on_port.stdout)["site_url"] == "http://127.0.0.1:8123", on_port.stderr
    assert json.loads(named.stdout)["site_url"] == "https://games.example.com", named.stderr
