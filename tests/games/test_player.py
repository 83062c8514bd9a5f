"""Bundles served to the sandboxed player: paths, headers, caching, the game origin."""

import pytest

from games import bundles, services
from games.player import sandbox_csp

pytestmark = pytest.mark.django_db

CSP_CORE = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "media-src 'self' data: blob:; connect-src 'none'; frame-ancestors "
)


def url(game, path="index.html"):
    version = game.current_version
    return f"/play/{version.pk}/{version.bundle_hash}/{path}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_bundle_file_is_served_with_the_sandbox_headers(client, user, publish, built_bundle, settings):
    # given
    settings.SITE_URL = "https://games.example.com"
    game = publish(user)
    # when
    r = client.get(url(game))
    # then
    assert r.status_code == 200
    assert body(r) == (built_bundle / "index.html").read_bytes()
    assert r["Content-Type"] == "text/html; charset=utf-8"
    assert r["Content-Security-Policy"].startswith(CSP_CORE + "'self' https://games.example.com;")
    assert (
        "sandbox allow-scripts" in r["Content-Security-Policy"]
        and "allow-same-origin" not in r["Content-Security-Policy"]
    )
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Frame-Options" not in r  # framable, but only by the platform (frame-ancestors)
    assert not r.cookies


def test_each_file_type_is_served_as_itself(client, user, publish):
    game = publish(user)
    assert client.get(url(game, "runtime.js"))["Content-Type"] == "text/javascript; charset=utf-8"
    assert client.get(url(game, "assets/sprites.png"))["Content-Type"] == "image/png"
    assert client.get(url(game, "assets/sfx/win.wav"))["Content-Type"] == "audio/wav"


def test_the_etag_answers_304(client, user, publish):
    game = publish(user)
    first = client.get(url(game, "runtime.js"))
    again = client.get(url(game, "runtime.js"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["Cache-Control"].endswith("immutable")


@pytest.mark.parametrize(
    "path", ["missing.js", "../manifest.json", "assets/../index.html", "%2e%2e/settings.py"]
)
def test_only_files_of_the_manifest_are_served(client, user, publish, path):
    game = publish(user)
    assert client.get(url(game, path)).status_code == 404


def test_a_wrong_hash_or_version_is_a_404(client, user, publish):
    game = publish(user)
    version = game.current_version
    assert client.get(f"/play/{version.pk}/{'0' * 64}/index.html").status_code == 404
    assert (
        client.get(f"/play/00000000-0000-0000-0000-000000000000/{version.bundle_hash}/index.html").status_code
        == 404
    )


def test_a_deleted_games_bundle_stops_being_served(client, user, publish):
    game = publish(user)
    address = url(game)
    services.game_delete(game=game, user=user)
    assert client.get(address).status_code == 404


def test_phaser_is_shared_under_the_same_prefix(client):
    r = client.get(bundles.phaser_url())
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Cache-Control"].endswith("immutable") and b"Phaser" in body(r)[:5000]
    assert client.get("/play/_lib/phaser-0.0.1.min.js").status_code == 404


def test_platform_pages_stay_unframable(client, user, publish):
    game = publish(user)
    assert client.get("/")["X-Frame-Options"] == "DENY"
    assert client.get(f"/games/{game.slug}/")["X-Frame-Options"] == "DENY"


def test_with_a_game_origin_bundles_live_only_there(client, user, publish, settings):
    # given
    settings.GAME_ORIGIN = "https://play.example-usercontent.com"
    settings.SITE_URL = "https://games.example.com"
    settings.ALLOWED_HOSTS = ["testserver", "play.example-usercontent.com"]
    game = publish(user)
    # then: the player frames the other origin ...
    page = client.get(f"/games/{game.slug}/").content.decode()
    assert f'src="https://play.example-usercontent.com{url(game)}"' in page
    # ... which serves the bundle, framable by the platform only
    r = client.get(url(game), HTTP_HOST="play.example-usercontent.com")
    assert r.status_code == 200
    assert "frame-ancestors https://games.example.com;" in r["Content-Security-Policy"]
    assert client.get(bundles.phaser_url(), HTTP_HOST="play.example-usercontent.com").status_code == 200
    # the platform's own host does not serve bundles any more
    assert client.get(url(game)).status_code == 404


def test_the_csp_lists_trusted_platform_origins(settings):
    settings.GAME_ORIGIN = "https://play.example.net"
    settings.SITE_URL = "https://games.example.com/"
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.games.example.com"]
    assert "frame-ancestors https://games.example.com https://www.games.example.com;" in sandbox_csp()
