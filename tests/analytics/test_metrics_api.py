import csv
import datetime as dt
import io
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from analytics import aggregation
from tests.analytics.conftest import METRICS, at, make_event, make_game, store
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day0():
    return timezone.now().date() - dt.timedelta(days=5)


@pytest.fixture
def measured(game, day0):
    """Two players on day0, one of them back on day1; aggregated through day1."""
    day1 = day0 + dt.timedelta(days=1)
    store(
        game,
        make_event(ts=at(day0, 9), player="a"),
        make_event(ts=at(day0, 10), player="b"),
        make_event(ts=at(day1, 9), player="a"),
        make_event("level_start", ts=at(day1, 9, 1), player="a", params={"level": 1}),
    )
    aggregation.metrics_aggregate(day_from=day0, day_to=day1)
    return game


def params(game, day0, **extra):
    return {
        "game": str(game.pk),
        "date_from": str(day0),
        "date_to": str(day0 + dt.timedelta(days=1)),
        **extra,
    }


def test_a_creator_reads_their_games_numbers(auth_api, measured, day0):
    # when
    r = auth_api.get(METRICS, params(measured, day0))
    # then
    assert r.status_code == 200, r.content
    entry = r.json()["games"][0]
    assert entry["game"]["slug"] == measured.slug and entry["timezone"] == "UTC"
    assert [(d["date"], d["dau"], d["new_players"]) for d in entry["days"]] == [
        (str(day0), 2, 2),
        (str(day0 + dt.timedelta(days=1)), 1, 0),
    ]
    assert entry["days"][0]["retention_d1"] == 0.5
    assert entry["funnel"][0]["level"] == 1
    assert entry["totals"]["retention_d1"] == 0.5


def test_a_game_can_be_named_by_slug_and_metrics_chosen(auth_api, measured, day0):
    # when
    r = auth_api.get(METRICS, {**params(measured, day0, metrics="dau,retention_d1"), "game": measured.slug})
    # then
    entry = r.json()["games"][0]
    assert set(entry["days"][0]) == {"date", "live", "dau", "retention_d1"}
    assert "funnel" not in entry and "retention_curve" not in entry


def test_someone_elses_game_is_not_found(api, measured, day0):
    # given
    stranger = UserFactory()
    api.force_authenticate(stranger)
    # when
    r = api.get(METRICS, params(measured, day0))
    # then
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_staff_read_any_game(staff_api, measured, day0):
    r = staff_api.get(METRICS, params(measured, day0))
    assert r.status_code == 200 and r.json()["games"][0]["days"][0]["dau"] == 2


def test_anonymous_readers_are_refused(api, measured, day0):
    r = api.get(METRICS, params(measured, day0))
    assert r.status_code == 401 and set(r.json()) == {"error"}


def test_staff_read_a_batch_by_its_games_provenance(staff_api, user, day0):
    # given
    batch = uuid.uuid4()
    in_batch = [make_game(user, provenance={"batch_id": str(batch)}) for _ in range(3)]
    make_game(user, provenance={"batch_id": str(uuid.uuid4())})
    # when
    r = staff_api.get(METRICS, {"batch": str(batch), "date_from": str(day0), "date_to": str(day0)})
    # then
    assert r.status_code == 200, r.content
    assert sorted(e["game"]["id"] for e in r.json()["games"]) == sorted(str(g.pk) for g in in_batch)


def test_a_creator_may_not_read_a_batch(auth_api, game):
    r = auth_api.get(METRICS, {"batch": str(uuid.uuid4())})
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"


def test_csv_export_has_a_row_per_game_and_day(auth_api, measured, day0):
    # when
    r = auth_api.get(METRICS, params(measured, day0, format="csv"))
    # then
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert [(row["date"], row["dau"]) for row in rows] == [
        (str(day0), "2"),
        (str(day0 + dt.timedelta(days=1)), "1"),
    ]
    assert rows[0]["game_slug"] == measured.slug


def test_csv_errors_keep_the_json_shape(auth_api, measured):
    r = auth_api.get(METRICS, {"game": str(measured.pk), "date_from": "nope", "format": "csv"})
    assert r.status_code == 400 and r.json()["error"]["fields"].keys() == {"date_from"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "game"),
        ({"game": "x", "date_from": "2026-02-30"}, "date_from"),
        ({"game": "x", "date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_from"),
        ({"game": "x", "date_from": "2020-01-01", "date_to": "2026-01-01"}, "date_to"),
        ({"game": "x", "metrics": "dau,happiness"}, "metrics"),
        ({"game": "x", "batch": str(uuid.uuid4())}, "batch"),
        ({"batch": "not-a-uuid"}, "batch"),
    ],
)
def test_bad_queries_are_400s_naming_the_field(staff_api, query, field):
    # when
    r = staff_api.get(METRICS, query)
    # then
    assert r.status_code == 400, r.content
    assert field in r.json()["error"]["fields"], r.json()


def test_the_query_count_does_not_grow_with_games(staff_api, user, day0, django_assert_max_num_queries):
    # given
    batch = uuid.uuid4()
    for _ in range(12):
        make_game(user, provenance={"batch_id": str(batch)})
    # when / then: auth, games, reporting, aggregated days, daily, retention, funnel
    with django_assert_max_num_queries(7):
        r = staff_api.get(METRICS, {"batch": str(batch), "date_from": str(day0), "date_to": str(day0)})
    assert len(r.json()["games"]) == 12


def test_jwt_clients_read_metrics(measured, day0, user):
    # given: the factory and scripts authenticate with a bearer token
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    # when
    r = client.get(METRICS, params(measured, day0))
    # then
    assert r.status_code == 200
