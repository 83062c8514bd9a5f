"""Everything users write goes through the scanner: studio, catalogue, uploads, profiles, the factory."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from gamefactory.errors import ApplicationError
from games import services as game_services
from games.models import Game, GenerationRequest
from moderation.models import Case, ContentScan, ModerationAction
from tests.games.conftest import assert_error, make_zip, package_files

pytestmark = pytest.mark.django_db

GENERATE = "/api/v1/ai/generate-game"


def test_a_profane_studio_prompt_is_refused_before_any_generation(api_for, creator, monkeypatch):
    # given: the designer and the task would record any work they did
    from games import tasks
    from generation import services as generation_services

    work = []
    monkeypatch.setattr(generation_services, "game_design", lambda **kw: work.append(kw))
    monkeypatch.setattr(tasks.game_generate_task, "delay", lambda *a: work.append(a))
    client = api_for(creator)
    # when
    response = client.post(GENERATE, {"prompt": "a game about fucking niggers"}, format="json")
    # then
    error = assert_error(response, 400, field="prompt", code="content_refused")
    assert "not allowed" in error["message"]
    assert GenerationRequest.objects.count() == 0 and work == []
    assert client.get("/api/v1/ai/quota").json()["used"] == 0
    scan = ContentScan.objects.get()
    assert (scan.kind, scan.action, scan.user) == ("prompt", "refuse", creator)


def test_an_obfuscated_prompt_is_refused_in_the_studio_page_too(client, creator):
    # given
    client.force_login(creator)
    # when
    response = client.post("/studio/", {"prompt": "ｓｈ1ｔ ｓｎａｋｅ"})
    # then
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()
    assert GenerationRequest.objects.count() == 0


def test_a_held_prompt_makes_a_game_that_waits_for_review(
    api_for, creator, settings, django_capture_on_commit_callbacks
):
    # given: a threshold that holds this prompt without refusing it
    settings.MODERATION_THRESHOLDS = {
        **settings.MODERATION_THRESHOLDS,
        "prompt": {"hold": 0.6, "refuse": 2.0},
    }
    client = api_for(creator)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(GENERATE, {"prompt": "a bloody vampire hunt", "seed": 3}, format="json")
    # then
    assert response.status_code == 202, response.content
    request = GenerationRequest.objects.get()
    assert request.status == "completed", request.error_message
    game = request.result_game
    assert game.status == Game.Status.MODERATED
    case = Case.objects.get()
    assert case.held and case.content_id == str(game.pk) and "profanity" in case.label_list
    assert ModerationAction.objects.filter(case=case, verb="scan_hold").exists()


def test_a_refused_title_keeps_its_recorded_decision(game, creator):
    # when
    with pytest.raises(ApplicationError) as caught:
        game_services.game_update(game=game, user=creator, title="Bitch Runner")
    # then
    assert caught.value.fields["title"]
    game.refresh_from_db()
    assert game.title == "Neon Snake"
    assert ContentScan.objects.filter(kind="title", action="refuse", text="Bitch Runner").exists()


def test_a_refused_description_through_the_api(game, api_for, creator):
    response = api_for(creator).put(
        f"/api/v1/games/{game.pk}", {"description": "a shit game for dumbasses"}, format="json"
    )
    assert_error(response, 400, field="description", code="content_refused")


def test_a_fork_with_a_profane_title_is_refused(game, api_for, reporters):
    response = api_for(reporters[0]).post(
        f"/api/v1/games/{game.pk}/fork", {"title": "Motherfucker Snake"}, format="json"
    )
    assert_error(response, 400, field="title", code="content_refused")
    assert Game.objects.filter(origin=Game.Origin.FORK).count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"display_name": "Big Dick"}, "display_name"),
        ({"bio": "sh1t f4ce"}, "bio"),
        ({"username": "cunt_master"}, "username"),
    ],
)
def test_profiles_refuse_offensive_names_and_bios(creator, fields, field):
    with pytest.raises(ApplicationError) as caught:
        account_services.user_update_profile(user=creator, **fields)
    assert field in caught.value.fields


def test_signing_up_with_an_offensive_name_is_refused(api):
    response = api.post(
        "/api/v1/auth/register",
        {"username": "fuckface", "email": "f@example.com", "password": "a-long-passphrase-1"},
        format="json",
    )
    assert_error(response, 400, field="username", code="content_refused")


def test_upload_texts_and_logic_findings_are_scanned(api_for, creator, spec):
    # given
    data = spec.model_dump(mode="json")
    data["tutorial"] = ["Eat the food, you piece of shit."]
    bad_logic = '"use strict";\nconst hooks = { onStart(ctx) { fetch("https://evil.example/x"); } };\n'
    client = api_for(creator)

    def upload(files):
        package = SimpleUploadedFile("game.zip", make_zip(files), "application/zip")
        return client.post("/api/v1/games", {"package": package}, format="multipart")

    import json

    # when
    words = upload({"spec.json": json.dumps(data)})
    code = upload(package_files(spec, **{"logic.js": bad_logic}))
    # then
    assert_error(words, 400, field="package", code="content_refused")
    assert_error(code, 400, field="logic.js", code="logic_refused")  # the checker's own line:column reason
    scan = ContentScan.objects.get(kind="game_code")
    assert scan.action == "refuse" and "code:network" in scan.labels
    assert Game.objects.count() == 0


def test_the_release_step_checks_what_players_will_read(spec):
    # given
    from batches.steps.release import _content_checks

    rude = spec.model_copy(update={"title": "Shit Snake"})
    # when
    with pytest.raises(ApplicationError) as caught:
        _content_checks(spec=rude, user=None)
    fine = _content_checks(spec=spec, user=None)
    # then
    assert caught.value.fields["title"]
    assert [v.action for v in fine] == ["allow", "allow", "allow"]
