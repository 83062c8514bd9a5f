import datetime as dt
import json
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from analytics import aggregation, services
from tests.analytics.conftest import at, make_event, make_game, store
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_browser(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def day0():
    return timezone.now().date() - dt.timedelta(days=3)


@pytest.fixture
def measured(game, day0):
    day1 = day0 + dt.timedelta(days=1)
    store(
        game,
        make_event(ts=at(day0, 9), player="a"),
        make_event(ts=at(day0, 9, 5), player="b"),
        make_event(ts=at(day0, 9, 6), player="c"),
        make_event(ts=at(day1, 9), player="a"),
        make_event("level_start", ts=at(day1, 9, 1), player="a", params={"level": 1}),
        make_event("level_end", ts=at(day1, 9, 2), player="a", params={"level": 1, "success": True}),
    )
    aggregation.metrics_aggregate(day_from=day0, day_to=day1)
    return game


def test_the_dashboard_shows_the_numbers_in_tables_and_chart_data(browser, measured, day0):
    # when
    r = browser.get(
        f"/analytics/games/{measured.slug}/",
        {"date_from": str(day0), "date_to": str(day0 + dt.timedelta(days=1))},
    )
    # then
    assert r.status_code == 200
    html = r.content.decode()
    assert re.search(r'id="sum-new">\s*3\s*<', html)
    assert re.search(r'id="sum-d1">\s*33.3%\s*<', html)  # one of three came back
    assert f'<th scope="row">{day0}</th><td>3</td>' in html
    assert 'id="table-funnel"' in html and "100.0%" in html
    data = json.loads(
        re.search(
            r'<script id="analytics-game-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert data["dau"] == [3, 1]
    assert data["funnel"][0]["successes"] == 1
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_the_dashboard_shows_the_public_key(browser, game):
    # given
    public, secret = services.ingest_key_issue(game=game)
    # when
    html = browser.get(f"/analytics/games/{game.slug}/").content.decode()
    # then
    assert public in html and secret not in html


def test_the_live_panel_lists_arriving_events(browser, game, post):
    # given
    post([make_event("design:first_jump", player="newcomer")])
    # when
    r = browser.get(f"/analytics/games/{game.slug}/live/")
    # then
    assert r.status_code == 200
    html = r.content.decode()
    assert "design:first_jump" in html and "newcomer" in html
    assert "<strong>1</strong> event in the last hour" in html


def test_another_creators_dashboard_is_forbidden(game):
    # given
    client = Client()
    client.force_login(UserFactory())
    # when / then
    assert client.get(f"/analytics/games/{game.slug}/").status_code == 403
    assert client.get(f"/analytics/games/{game.slug}/live/").status_code == 403


def test_a_private_game_of_someone_else_is_not_found(user):
    # given
    hidden = make_game(UserFactory(), is_public=False)
    client = Client()
    client.force_login(user)
    # when / then
    assert client.get(f"/analytics/games/{hidden.slug}/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(game):
    r = Client().get(f"/analytics/games/{game.slug}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_the_index_lists_only_my_games(browser, game):
    # given
    other = make_game(UserFactory(), title="Not mine")
    # when
    html = browser.get("/analytics/").content.decode()
    # then
    assert game.title in html and other.title not in html


def test_staff_compare_the_games_of_a_batch(staff_browser, user, day0):
    # given
    batch = uuid.uuid4()
    first = make_game(user, title="Alpha", provenance={"batch_id": str(batch)})
    second = make_game(user, title="Beta", provenance={"batch_id": str(batch)})
    make_game(user, title="Gamma")
    store(first, make_event(ts=at(day0, 8), player="x"), make_event(ts=at(day0, 8), player="y"))
    store(second, make_event(ts=at(day0, 8), player="z"))
    aggregation.metrics_aggregate(day_from=day0, day_to=day0)
    # when
    r = staff_browser.get(
        "/analytics/compare/", {"batch": str(batch), "date_from": str(day0), "date_to": str(day0)}
    )
    # then
    assert r.status_code == 200
    html = r.content.decode()
    assert "Alpha" in html and "Beta" in html and "Gamma" not in html
    data = json.loads(
        re.search(
            r'<script id="analytics-compare-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert {g["title"]: g["dau"] for g in data["games"]} == {"Alpha": [2], "Beta": [1]}


def test_staff_compare_any_list_of_games(staff_browser, user):
    # given
    games = [make_game(user, title=t) for t in ("One", "Two")]
    # when
    html = staff_browser.get(
        "/analytics/compare/", {"games": ",".join(g.slug for g in games)}
    ).content.decode()
    # then
    assert 'id="table-compare"' in html and "One" in html and "Two" in html


def test_a_bad_batch_id_is_explained(staff_browser):
    html = staff_browser.get("/analytics/compare/", {"batch": "nope"}).content.decode()
    assert "not a UUID" in html


def test_creators_may_not_compare(browser):
    assert browser.get("/analytics/compare/").status_code == 403
