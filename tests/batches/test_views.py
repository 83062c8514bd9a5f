import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from batches.models import Artifact, Batch, StepRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.mark.parametrize("path", ["/factory/", "/factory/live/"])
def test_the_dashboard_is_for_staff_only(client, path):
    assert client.get(path).status_code == 302
    player = Client()
    player.force_login(UserFactory())
    response = player.get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_dashboard_shows_live_batches_and_polls(staff_client, factory):
    batch = factory.batch(count=2, faults={"2": {"mode": "raise", "times": 3}})
    factory.drain(until_step=2)
    html = staff_client.get("/factory/").content.decode()
    assert batch.name in html
    assert 'hx-get="/factory/live/"' in html and 'hx-trigger="every 3s"' in html
    assert "Review queue" in html and "waiting for review" in html
    live = staff_client.get("/factory/live/").content.decode()
    assert "<html" not in live and html.count('class="gf-steps"') == live.count('class="gf-steps"') == 2


def test_staff_start_a_batch_from_the_dashboard(staff_client, factory):
    with factory.capture(execute=True):
        response = staff_client.post(
            "/factory/", {"brief": "Racing snakes", "count": 2, "genres": "snake, maze"}
        )
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/factory/batches/{batch.pk}/"
    bad = staff_client.post("/factory/", {"brief": "Racing snakes", "count": 2, "genres": "chess"})
    assert bad.status_code == 200 and "Unknown genre" in bad.content.decode()


def test_the_batch_page_and_cancel(staff_client, factory):
    batch = factory.batch(count=1)
    assert batch.name in staff_client.get(f"/factory/batches/{batch.pk}/").content.decode()
    assert staff_client.get(f"/factory/batches/{batch.pk}/live/").status_code == 200
    response = staff_client.post(f"/factory/batches/{batch.pk}/cancel/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "cancelled"


def test_the_production_page_shows_the_timeline_commits_and_review_actions(staff_client, factory):
    batch = factory.batch(faults={"3": {"mode": "raise", "times": 3}})
    factory.drain(until_step=3)
    production = batch.productions.get()
    html = staff_client.get(f"/factory/productions/{production.pk}/").content.decode()
    assert "Step 2/12: Project setup" in html and "Injected failure in step 3" in html
    assert "Retry the step" in html and "Approve its output" in html
    with factory.capture(execute=True):
        response = staff_client.post(f"/factory/productions/{production.pk}/retry/")
    assert response.status_code == 302
    production.refresh_from_db()
    assert production.label == "STEP_3_PENDING"
    refused = staff_client.post(f"/factory/productions/{production.pk}/approve/", follow=True)
    assert "No step of this production is waiting for review." in refused.content.decode()
    assert staff_client.post(f"/factory/productions/{production.pk}/explode/").status_code == 404


def test_artifacts_are_served_safely(staff_client, factory):
    batch = factory.batch()
    factory.drain(until_step=1)
    gdd = Artifact.objects.get(production__batch=batch, name="docs/GDD.md")
    response = staff_client.get(f"/factory/artifacts/{gdd.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response.content.decode().startswith("# ")
    # a stored screenshot comes back as an image
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    path = default_storage.save("factory/test/shot.png", ContentFile(out.getvalue()))
    run = StepRun.objects.get(production__batch=batch, step=1)
    shot = Artifact.objects.create(
        step_run=run, production=run.production, step=1, kind="screenshot", name="shot.png", storage_path=path
    )
    image = staff_client.get(f"/factory/artifacts/{shot.pk}/")
    assert image["Content-Type"] == "image/png" and image.content == out.getvalue()
    assert Client().get(f"/factory/artifacts/{gdd.pk}/").status_code == 302


def test_staff_see_the_factory_link(staff_client, client):
    assert 'href="/factory/"' in staff_client.get("/accounts/profile/").content.decode()
    player = Client()
    player.force_login(UserFactory())
    assert 'href="/factory/"' not in player.get("/accounts/profile/").content.decode()
