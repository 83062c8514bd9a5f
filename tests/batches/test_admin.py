import re

import pytest
from django.test import Client

from batches import inline
from batches.models import Batch, Production

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _in_review(factory, step=2, count=1):
    batch = factory.batch(count=count, faults={str(step): {"mode": "raise", "times": 3}})
    factory.drain(until_step=step)
    return batch


def test_staff_start_a_batch_from_the_admin(admin_client, django_capture_on_commit_callbacks):
    assert admin_client.get("/admin/batches/batch/add/").status_code == 200
    with inline.inline_dispatch():
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/admin/batches/batch/add/",
                {"name": "Admin batch", "brief": "Cosy puzzles", "theme": "forest", "genres_text": "puzzle",
                 "audience": "families", "count": 3, "provider": "local", "seed": 4, "faults_json": ""},
            )  # fmt: skip
        queued = inline.pending()
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/admin/batches/batch/{batch.pk}/change/"
    )
    assert batch.name == "Admin batch" and batch.count == 3 and batch.genres == ["puzzle"]
    assert set(batch.productions.values_list("label", flat=True)) == {"STEP_1_PENDING"}
    assert queued == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": 0}, "A whole number of games from 1 to 100"),
        ({"genres_text": "chess"}, "Unknown genre"),
        ({"faults_json": "{"}, "Not JSON"),
    ],
)
def test_the_admin_form_shows_what_is_wrong(admin_client, changes, message):
    data = {"brief": "Cosy puzzles", "count": 2, "provider": "local", **changes}
    response = admin_client.post("/admin/batches/batch/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Batch.objects.exists()


def test_the_batch_page_shows_each_game_with_its_progress_bar(admin_client, factory):
    batch = _in_review(factory, step=2, count=2)
    html = admin_client.get(f"/admin/batches/batch/{batch.pk}/change/").content.decode()
    assert html.count('class="gf-steps"') == 2
    assert "gf-seg gf-seg-done" in html and "gf-seg gf-seg-failed" in html
    assert "STEP_2_FAILED" in html


def test_the_production_page_has_the_timeline_with_errors_and_artifacts(admin_client, factory):
    batch = _in_review(factory, step=2)
    production = batch.productions.get()
    html = admin_client.get(f"/admin/batches/production/{production.pk}/change/").content.decode()
    assert "gf-timeline" in html
    assert html.count("gf-run gf-run-failed") == 2 and "gf-run gf-run-manual_review" in html
    assert "Injected failure in step 2" in html
    assert "docs/GDD.md" in html and "/factory/artifacts/" in html


def test_the_label_filter(admin_client, factory):
    _in_review(factory, step=2)
    factory.batch(count=1)
    response = admin_client.get("/admin/batches/production/?label=STEP_2_FAILED")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


def test_retry_from_the_admin(admin_client, factory):
    batch = _in_review(factory, step=2)
    production = batch.productions.get()
    with factory.capture(execute=True):
        response = admin_client.post(
            "/admin/batches/production/",
            {"action": "production_retry", "_selected_action": [str(production.pk)]},
        )
    assert response.status_code == 302
    factory.drain(until_step=2)
    production.refresh_from_db()
    assert production.label == "STEP_3_PENDING"


def test_rerun_from_step_asks_which_step_then_reruns(admin_client, factory):
    batch = _in_review(factory, step=3)
    production = batch.productions.get()
    form = admin_client.post(
        "/admin/batches/production/", {"action": "rerun_from_step", "_selected_action": [str(production.pk)]}
    )
    assert form.status_code == 200 and "Re-run from step" in form.content.decode()
    with factory.capture(execute=True):
        done = admin_client.post(
            "/admin/batches/production/",
            {
                "action": "rerun_from_step",
                "_selected_action": [str(production.pk)],
                "apply": "1",
                "from_step": "2",
            },
        )
    assert done.status_code == 302
    production.refresh_from_db()
    assert production.label == "STEP_2_PENDING"


def test_edit_and_continue_from_the_change_form(admin_client, factory):
    batch = _in_review(factory, step=2)
    production = batch.productions.get()
    with factory.capture(execute=True):
        response = admin_client.post(
            f"/admin/batches/production/{production.pk}/change/",
            {"concept": __import__("json").dumps(production.concept), "faults": "{}"},
        )
    assert response.status_code == 302
    factory.drain(until_step=2)
    production.refresh_from_db()
    assert production.faults == {} and production.label == "STEP_3_PENDING"


def test_cancel_batches_from_the_admin(admin_client, factory):
    batch = factory.batch(count=2)
    response = admin_client.post(
        "/admin/batches/batch/", {"action": "cancel_batches", "_selected_action": [str(batch.pk)]}
    )
    assert response.status_code == 302
    assert set(Production.objects.values_list("label", flat=True)) == {"CANCELLED"}


@pytest.mark.parametrize("model", ["batch", "production", "steprun", "artifact"])
def test_every_factory_admin_page_renders(admin_client, factory, model):
    batch = factory.batch(count=1)
    factory.drain(until_step=1)
    assert admin_client.get(f"/admin/batches/{model}/").status_code == 200
    obj = {"batch": batch, "production": batch.productions.get()}.get(model)
    if obj is None:
        from batches.models import Artifact, StepRun

        obj = (StepRun if model == "steprun" else Artifact).objects.first()
    assert admin_client.get(f"/admin/batches/{model}/{obj.pk}/change/").status_code == 200


def test_the_batch_page_names_each_column_of_its_games_once(admin_client, factory):
    batch = factory.batch(count=1)
    html = admin_client.get(f"/admin/batches/batch/{batch.pk}/change/").content.decode()
    headers = re.findall(r'<th class="column-[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert "Production" in headers and "Game" in headers
    assert len(headers) == len(set(headers)), headers


def test_the_admin_offers_only_the_designers_this_server_is_configured_for(admin_client, settings):
    settings.OPENAI_API_KEY = ""
    settings.ANTHROPIC_API_KEY = ""
    html = admin_client.get("/admin/batches/batch/add/").content.decode()
    offered = re.findall(r'<option value="(\w+)"', html.split('name="provider"')[1].split("</select>")[0])
    assert offered == ["local"]
    settings.OPENAI_API_KEY = "sk-test"
    html = admin_client.get("/admin/batches/batch/add/").content.decode()
    offered = re.findall(r'<option value="(\w+)"', html.split('name="provider"')[1].split("</select>")[0])
    assert offered == ["local", "openai"]


def test_a_designer_that_is_not_configured_is_refused(admin_client, settings):
    settings.ANTHROPIC_API_KEY = ""
    data = {"brief": "Cosy puzzles", "count": 2, "provider": "anthropic"}
    response = admin_client.post("/admin/batches/batch/add/", data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Batch.objects.exists()
