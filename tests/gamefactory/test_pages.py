"""The platform's own pages: 404 and 500 in its layout, the status page, the favicon, the API docs."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from games.models import Game
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT = 'class="site-header"'


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_game_gets_the_platforms_404_page_even_while_debugging(client, settings, debug):
    # given
    settings.DEBUG = debug
    # when
    r = client.get("/games/no-such-game/")
    # then
    html = r.content.decode()
    assert r.status_code == 404
    assert LAYOUT in html and "Nothing here" in html and "/games/no-such-game/" in html
    assert "URLconf" not in html and "Django tried these URL patterns" not in html


def test_a_url_that_matches_no_route_keeps_djangos_debug_page_while_debugging(client, settings):
    # the debug page lists the routes: what a developer who mistypes one needs
    settings.DEBUG = True
    r = client.get("/no/such/route/")
    assert r.status_code == 404 and "URLconf" in r.content.decode()
    settings.DEBUG = False
    r = client.get("/no/such/route/")
    assert r.status_code == 404 and LAYOUT in r.content.decode()


def test_api_paths_answer_not_found_in_the_api_shape(client):
    r = client.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


@override_settings(ROOT_URLCONF="tests.gamefactory.urls_failing", DEBUG=False)
def test_a_server_error_gets_the_platforms_500_page():
    client = Client(raise_request_exception=False)
    r = client.get("/boom/")
    html = r.content.decode()
    assert r.status_code == 500
    assert LAYOUT in html and "Something went wrong on our side" in html and "a bug" not in html
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.json()["error"]["code"] == "server_error"


@override_settings(ROOT_URLCONF="tests.gamefactory.urls_failing", DEBUG=False)
def test_the_500_page_never_fails_itself(monkeypatch):
    from gamefactory import views

    def broken(*args, **kwargs):
        raise RuntimeError("the template is broken too")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    r = Client(raise_request_exception=False).get("/boom/")
    assert r.status_code == 500 and b"Something went wrong on our side" in r.content


def test_the_footer_links_a_status_page_for_people(client):
    home = client.get("/").content.decode()
    assert 'href="/status/"' in home and 'href="/healthz"' not in home
    r = client.get("/status/")
    html = r.content.decode()
    assert r.status_code == 200 and LAYOUT in html
    assert "All systems working" in html and "Database" in html and "Task queue" in html
    assert '{"status"' not in html


def test_the_status_page_says_what_is_down_and_why_to_staff_only(client, monkeypatch):
    from gamefactory import health

    def down():
        raise ConnectionError("redis at 10.0.0.7 refused")

    monkeypatch.setitem(health.CHECKS, "cache", down)
    r = client.get("/status/")
    assert r.status_code == 503 and "Something is down" in r.content.decode()
    assert "10.0.0.7" not in r.content.decode()
    client.force_login(UserFactory(is_staff=True))
    assert "10.0.0.7" in client.get("/status/").content.decode()


def test_every_page_has_a_favicon_and_favicon_ico_leads_to_it(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_docs_load_nothing_from_outside(client, url):
    # given / when
    r = client.get(url)
    html = r.content.decode()
    # then: Swagger UI and Redoc come from drf-spectacular-sidecar's static files
    assert r.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), html
    for asset in re.findall(r"/static/(drf_spectacular_sidecar/[^\"']+)", html):
        assert finders.find(asset), asset


def test_the_schema_documents_play_sessions_and_tests(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    play_input = schema["components"]["schemas"]["PlayInputRequest"]["properties"]
    assert "test" in play_input
    assert {"resumed", "is_test"} <= set(schema["components"]["schemas"]["PlayOutput"]["properties"])


def test_a_deleted_game_is_the_platforms_404_too(client, settings):
    settings.DEBUG = True
    creator = UserFactory()
    Game.objects.create(
        creator=creator, title="Gone", slug="gone", category="arcade", spec={}, status=Game.Status.DELETED
    )
    r = client.get("/games/gone/")
    assert r.status_code == 404 and "Nothing here" in r.content.decode()
