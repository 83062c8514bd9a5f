import pytest
from rest_framework.test import APIClient

from batches import inline
from batches.models import Batch, Production
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

BRIEF = {"name": "Coffee break", "brief": "Short arcade games", "count": 2, "seed": 5}


@pytest.fixture
def post(staff_api, django_capture_on_commit_callbacks):
    """POST as staff with the on-commit callbacks run, attempts queued inline."""

    def call(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return staff_api.post(url, data or {}, format="json")

    def run_all():
        while inline.pending():
            with django_capture_on_commit_callbacks(execute=True):
                inline.run_next()

    call.run_all = run_all
    with inline.inline_dispatch():
        yield call


def test_anonymous_callers_are_turned_away(api):
    response = api.get("/api/v1/batches")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_players_are_not_staff(auth_api):
    response = auth_api.post("/api/v1/batches", BRIEF, format="json")
    assert response.status_code == 403
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert not Batch.objects.exists()


def test_staff_start_a_batch(post):
    # when
    response = post(
        "/api/v1/batches", {**BRIEF, "genres": ["snake", "puzzle"], "theme": "space", "audience": "kids"}
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["count"] == 2 and body["status"] == "running" and body["genres"] == ["snake", "puzzle"]
    # the answer comes before the workers start the games (after commit)
    assert [p["label"] for p in body["productions"]] == ["CREATED", "CREATED"]
    assert len(body["productions"][0]["steps"]) == 12
    assert set(Production.objects.values_list("label", flat=True)) == {"STEP_1_PENDING"}
    assert inline.pending() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**BRIEF, "count": 0}, "count"),
        ({**BRIEF, "count": 101}, "count"),
        ({**BRIEF, "count": "many"}, "count"),
        ({k: v for k, v in BRIEF.items() if k != "brief"}, "brief"),
        ({**BRIEF, "genres": ["chess"]}, "genres"),
        ({**BRIEF, "genres": "snake"}, "genres"),
        ({**BRIEF, "provider": "skynet"}, "provider"),
        ({**BRIEF, "faults": {"2": {"mode": "meteor"}}}, "faults.2.mode"),
        ({**BRIEF, "faults": []}, "faults"),
        ({**BRIEF, "seed": -4}, "seed"),
        ({**BRIEF, "allow_repeats": "perhaps"}, "allow_repeats"),
        ({**BRIEF, "genres": ["snake"], "theme": "outer space"}, "count"),
    ],
)
def test_a_bad_batch_is_a_400_naming_the_field(post, data, field):
    response = post("/api/v1/batches", data)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert field in error["fields"], error
    assert not Batch.objects.exists()


def test_the_list_is_paginated_with_progress_and_a_fixed_number_of_queries(
    post, staff_api, django_assert_num_queries
):
    for seed in range(3):
        post("/api/v1/batches", {**BRIEF, "seed": seed})
    with django_assert_num_queries(2):  # count, page (progress counted in the page's query)
        response = staff_api.get("/api/v1/batches?page_size=2")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["results"][0]["progress"] == {
        "published": 0,
        "running": 2,
        "waiting_review": 0,
        "failed": 0,
        "cancelled": 0,
    }


def test_the_detail_shows_every_production_with_its_steps(post, staff_api, django_assert_max_num_queries):
    batch_id = post("/api/v1/batches", BRIEF).json()["id"]
    inline.drain()  # not inside the callbacks capture: runs attempt 1 of step 1 of each game only
    with django_assert_max_num_queries(6):
        response = staff_api.get(f"/api/v1/batches/{batch_id}")
    assert response.status_code == 200
    assert {p["index"] for p in response.json()["productions"]} == {1, 2}


def test_an_unknown_batch_is_a_404_in_the_error_shape(staff_api):
    response = staff_api.get("/api/v1/batches/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_staff_cancel_a_batch(post):
    batch_id = post("/api/v1/batches", BRIEF).json()["id"]
    response = post(f"/api/v1/batches/{batch_id}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert {p["label"] for p in response.json()["productions"]} == {"CANCELLED"}


def test_retry_and_approve_are_409_when_nothing_waits_for_review(post):
    post("/api/v1/batches", BRIEF)
    production = Production.objects.first()
    for action in ("retry", "approve"):
        response = post(f"/api/v1/productions/{production.pk}/{action}")
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "not_in_review"


def test_staff_retry_a_production_in_review(post):
    # given
    post("/api/v1/batches", {**BRIEF, "count": 1, "faults": {"1": {"mode": "raise", "times": 3}}})
    post.run_all()
    production = Production.objects.get()
    assert production.label == "STEP_1_FAILED"
    # when
    response = post(f"/api/v1/productions/{production.pk}/retry")
    # then
    assert response.status_code == 202, response.json()
    assert response.json()["label"] == "STEP_1_PENDING"
    assert [a["state"] for a in response.json()["steps"][0]["attempts"]] == [
        "failed",
        "failed",
        "permanently_failed",
        "pending",
    ]


def test_rerun_needs_a_step_number(post):
    post("/api/v1/batches", BRIEF)
    production = Production.objects.first()
    response = post(f"/api/v1/productions/{production.pk}/rerun", {"from_step": 0})
    assert response.status_code == 400
    assert "from_step" in response.json()["error"]["fields"]


def test_staff_set_the_faults_of_a_production(post, staff_api):
    post("/api/v1/batches", BRIEF)
    production = Production.objects.first()
    response = staff_api.put(
        f"/api/v1/productions/{production.pk}/faults",
        {"faults": {"6": {"mode": "raise", "times": 2}}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["faults"] == {"6": {"mode": "raise", "times": 2}}
    bad = staff_api.put(
        f"/api/v1/productions/{production.pk}/faults",
        {"faults": {"6": {"mode": "raise", "times": "x"}}},
        format="json",
    )
    assert bad.status_code == 400 and "faults.6.times" in bad.json()["error"]["fields"]


def test_the_production_detail_lists_artifacts(post, staff_api):
    post("/api/v1/batches", {**BRIEF, "count": 1, "faults": {"2": {"mode": "raise", "times": 99}}})
    post.run_all()
    production = Production.objects.get()
    response = staff_api.get(f"/api/v1/productions/{production.pk}")
    assert response.status_code == 200
    names = {a["name"] for a in response.json()["artifacts"]}
    assert {"commit", "docs/GDD.md", "docs/gdd.json", "game/spec.json"} <= names
    assert response.json()["label"] == "STEP_2_FAILED"


def test_another_staff_member_sees_the_same_batches(post):
    post("/api/v1/batches", BRIEF)
    other = APIClient()
    other.force_authenticate(StaffFactory())
    assert other.get("/api/v1/batches").json()["count"] == 1
