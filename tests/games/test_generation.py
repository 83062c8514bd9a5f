"""The seed's AI generation API: generate, status, regenerate, templates, quotas, throttles."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from gamefactory.errors import ApplicationError
from games import services
from games.models import Game, GameVersion, GenerationRequest
from games.tasks import game_generate_task
from generation import designer
from generation import services as generation_services
from tests.factories import UserFactory
from tests.games.conftest import assert_error
from tests.generation.fake_llm_server import FakeLLMServer, answer

pytestmark = pytest.mark.django_db

GENERATE = "/api/v1/ai/generate-game"
STATUS = "/api/v1/ai/generation/{}"
REGENERATE = "/api/v1/ai/regenerate"


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what the request enqueued on commit (Celery is eager in tests)."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, format="json")

    return post


def test_a_prompt_is_queued_then_becomes_a_private_studio_game(auth_api, run_tasks, user):
    # when
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake in a neon city", "seed": 11})
    # then: the answer is immediate (the work is a task) ...
    assert r.status_code == 202, r.content
    assert r.json()["status"] == "pending" and r.json()["stage"] == "queued"
    # ... and the status endpoint tells how it ended
    status = auth_api.get(STATUS.format(r.json()["id"])).json()
    assert (status["status"], status["progress"], status["stage"]) == ("completed", 100, "done")
    assert status["tokens_used"] == 0 and status["processing_time"] is not None and status["error"] is None
    game = Game.objects.get(pk=status["result_game"]["id"])
    assert game.creator == user and game.origin == Game.Origin.STUDIO and not game.is_public
    assert (
        game.provenance["prompt"] == "a snake in a neon city"
        and game.provenance["request_id"] == r.json()["id"]
    )
    # a private draft plays through a signed grant for its creator (games/access.py)
    play_url = status["result_game"]["play_url"]
    assert f"/{game.current_version.bundle_hash}/~" in play_url and play_url.endswith("/index.html")


def test_a_template_chooses_the_mechanic(auth_api, run_tasks):
    r = run_tasks(auth_api, GENERATE, {"prompt": "something with ghosts", "template": "maze"})
    request = GenerationRequest.objects.get(pk=r.json()["id"])
    assert request.status == "completed" and request.result_game.mechanic == "maze"


def test_without_running_the_task_the_request_waits(auth_api):
    r = auth_api.post(GENERATE, {"prompt": "a maze"}, format="json")
    assert r.status_code == 202
    assert GenerationRequest.objects.get().status == GenerationRequest.Status.PENDING
    assert Game.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"prompt": ""}, "prompt", "empty_prompt"),
        ({"prompt": "   "}, "prompt", "empty_prompt"),
        ({"prompt": "x" * 4001}, "prompt", "prompt_too_long"),
        # control characters are refused by the API parser for every field (gamefactory/inputs.py)
        ({"prompt": "a game\x07with a bell"}, "prompt", "invalid_characters"),
        ({"prompt": "a game\x00with a null"}, "prompt", None),
        ({}, "prompt", None),
        ({"prompt": "a maze", "template": "tetris"}, "template", "unknown_mechanic"),
        ({"prompt": "a maze", "parameters": "fast"}, "parameters", None),
        ({"prompt": "a maze", "seed": -1}, "seed", None),
    ],
)
def test_bad_generation_input_is_refused(auth_api, body, field, code):
    assert_error(auth_api.post(GENERATE, body, format="json"), 400, field=field, code=code)
    assert GenerationRequest.objects.count() == 0


def test_generation_needs_an_account(api):
    assert_error(api.post(GENERATE, {"prompt": "a maze"}, format="json"), 401)


def test_the_sixth_generation_in_a_minute_is_throttled(auth_api):
    for _ in range(5):
        assert auth_api.post(GENERATE, {"prompt": "a maze"}, format="json").status_code == 202
    err = assert_error(auth_api.post(GENERATE, {"prompt": "a maze"}, format="json"), 429, code="throttled")
    assert err["retry_after"] > 0
    assert GenerationRequest.objects.count() == 5


def _used(user, tokens, when=None):
    request = GenerationRequest.objects.create(
        user=user, prompt="earlier", tokens_used=tokens, status="completed"
    )
    if when is not None:
        GenerationRequest.objects.filter(pk=request.pk).update(created_at=when)


def test_an_exhausted_monthly_quota_sends_the_prompt_to_the_offline_designer(auth_api, user, llm):
    # given: a free user who used their 1,000 tokens this month, on a platform with an LLM
    _used(user, 600)
    _used(user, 400)
    # when
    r = auth_api.post(GENERATE, {"prompt": "a maze"}, format="json")
    # then: the game is still made, by `local`, and the user is told why
    assert r.status_code == 202, r.content
    assert r.json()["provider"] == "local"
    assert "your AI tokens for this month are used up" in r.json()["routing_reason"]
    assert auth_api.get("/api/v1/ai/quota").json() | {"resets_at": None} == {
        "plan": "free", "limit": 1000, "used": 1000, "remaining": 0, "resets_at": None,
    }  # fmt: skip


def test_last_months_tokens_do_not_count(auth_api, user, llm):
    last_month = timezone.now().replace(day=1) - dt.timedelta(days=3)
    _used(user, 5000, when=last_month)
    r = auth_api.post(GENERATE, {"prompt": "a maze"}, format="json")
    assert r.status_code == 202 and r.json()["provider"] == "openai"


def test_premium_users_get_ten_thousand_tokens(user, llm):
    user.role = User.Role.PREMIUM
    user.save()
    _used(user, 9000)
    client = APIClient()
    client.force_authenticate(user)
    assert client.post(GENERATE, {"prompt": "a maze"}, format="json").json()["provider"] == "openai"
    # the request above holds the last 1,000 tokens until it reports what it used
    assert client.get("/api/v1/ai/quota").json()["remaining"] == 0
    assert client.post(GENERATE, {"prompt": "a maze"}, format="json").json()["provider"] == "local"


@pytest.fixture
def llm(settings):
    """The studio on the real `openai` provider and SDK, answered by a local server speaking its API."""
    server = FakeLLMServer().start()
    settings.STUDIO_PROVIDER = "openai"
    # Every prompt to the LLM (tests of cost-aware routing set `cost` themselves).
    settings.STUDIO_ROUTING = "fixed"
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = f"{server.url}/v1"
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_TIMEOUT_S = 20
    yield server
    server.stop()


def spec_answer(mechanic="snake", **extra) -> dict:
    """A valid spec as a model sends it (no provenance)."""
    data = designer.spec_from_prompt(prompt="a neon snake", seed=7, mechanic=mechanic).model_dump(mode="json")
    data.pop("provenance")
    return {**data, **extra}


def test_tokens_are_counted_from_what_the_llm_reports(auth_api, run_tasks, llm):
    # given: the model answers with a spec, reporting 700 + 300 tokens
    llm.queue(answer(spec_answer(), tokens=(700, 300)))
    # when
    r = run_tasks(auth_api, GENERATE, {"prompt": "a neon snake", "template": "snake"})
    # then
    status = auth_api.get(STATUS.format(r.json()["id"])).json()
    assert status["status"] == "completed" and status["provider"] == "openai"
    assert status["tokens_used"] == 1000
    assert auth_api.get("/api/v1/ai/quota").json()["remaining"] == 0
    # the free quota (1,000) is used up: the next prompt goes to `local`, no call is made
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake"})
    assert r.json()["provider"] == "local" and "used up" in r.json()["routing_reason"]
    assert len(llm.requests) == 1


def test_logic_the_llm_wrote_ships_in_the_bundle_once_checked(auth_api, run_tasks, llm):
    from django.core.files.storage import default_storage

    logic = '"use strict";\nconst hooks = {\n  onScore(ctx, points) { return points * 2; },\n};\n'
    llm.queue(answer(spec_answer(logic_js=logic), tokens=(10, 10)))
    r = run_tasks(auth_api, GENERATE, {"prompt": "a neon snake", "template": "snake"})
    game = GenerationRequest.objects.get(pk=r.json()["id"]).result_game
    shipped = default_storage.open(f"{game.current_version.bundle_path}/logic.js").read().decode()
    assert "onScore" in shipped and "logic.js" in game.current_version.manifest


def test_a_failed_generation_says_why(auth_api, run_tasks, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError.for_field("provider", "The model is down.", code="provider_unavailable")

    monkeypatch.setattr(generation_services, "design_from_prompt", refuse)
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake"})
    status = auth_api.get(STATUS.format(r.json()["id"])).json()
    assert status["status"] == "failed" and status["result_game"] is None
    assert status["error"] == {
        "code": "provider_unavailable",
        "message": "The model is down.",
        "fields": {"provider": ["The model is down."]},
    }
    assert Game.objects.count() == 0


def test_an_unexpected_error_fails_the_request_without_leaking_it(auth_api, run_tasks, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(generation_services, "design_from_prompt", crash)
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake"})
    status = auth_api.get(STATUS.format(r.json()["id"])).json()
    assert status["status"] == "failed" and "secret" not in status["error"]["message"]


def test_someone_elses_generation_is_a_404(auth_api, run_tasks):
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake"})
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert_error(stranger.get(STATUS.format(r.json()["id"])), 404)


def test_the_task_is_safe_to_run_again(auth_api, run_tasks):
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake"})
    request = GenerationRequest.objects.get(pk=r.json()["id"])
    game_generate_task(str(request.pk))
    # a request whose worker died mid-way is picked up again and finds its own game
    GenerationRequest.objects.filter(pk=request.pk).update(status="processing", progress=45)
    game_generate_task(str(request.pk))
    request.refresh_from_db()
    assert request.status == "completed" and Game.objects.count() == 1 and GameVersion.objects.count() == 1


# --- regenerate ----------------------------------------------------------------------------------


def test_a_change_request_adds_a_version_and_keeps_the_old_one(auth_api, run_tasks):
    # given
    first = run_tasks(auth_api, GENERATE, {"prompt": "a snake in a neon city", "seed": 3}).json()
    game_id = auth_api.get(STATUS.format(first["id"])).json()["result_game"]["id"]
    # when
    r = run_tasks(
        auth_api, REGENERATE, {"game_id": game_id, "prompt": "make it a hard maze with ghosts instead"}
    )
    # then
    assert r.status_code == 202, r.content
    status = auth_api.get(STATUS.format(r.json()["id"])).json()
    assert status["status"] == "completed" and status["kind"] == "regenerate"
    assert status["result_game"]["id"] == game_id
    game = Game.objects.get(pk=game_id)
    # the change names another game: it is that game now, and the first version is kept
    assert game.current_version.spec["mechanic"] == "maze"
    assert game.versions.get(number=1).spec["mechanic"] == "snake"
    # (a playtest that failed would have added a version designed again with another seed)
    assert game.versions.count() >= 2 and game.current_version.number == game.versions.count()
    assert game.current_version.parent.number == game.current_version.number - 1
    assert game.current_version.changelog.startswith(("make it a hard maze", "Designed again"))


def test_a_change_request_on_the_cast_changes_the_cast_and_nothing_else(auth_api, run_tasks):
    # given a platformer with a monkey collecting bananas
    prompt = "a platformer in a jungle with a monkey collecting bananas"
    first = run_tasks(auth_api, GENERATE, {"prompt": prompt, "seed": 3}).json()
    game_id = auth_api.get(STATUS.format(first["id"])).json()["result_game"]["id"]
    before = Game.objects.get(pk=game_id).spec
    # when the creator asks for a cat collecting fish
    run_tasks(auth_api, REGENERATE, {"game_id": game_id, "prompt": "make the hero a cat collecting fish"})
    # then the hero and what it collects change, and nothing else of the game
    after = Game.objects.get(pk=game_id).spec
    roles = {m["role"]: m["asset"] for m in reversed(after["cast"])}
    assert roles["hero"] == "cat" and roles["collectible"] == "fish"
    assert [m for m in after["cast"] if m["role"] not in ("hero", "collectible")] == [
        m for m in before["cast"] if m["role"] not in ("hero", "collectible")
    ]
    assert {k for k in before if before[k] != after[k]} == {"cast", "provenance"}


def test_changing_someone_elses_game_is_refused(auth_api, publish):
    others = publish(UserFactory())
    assert_error(
        auth_api.post(REGENERATE, {"game_id": str(others.pk), "prompt": "harder"}, format="json"), 403
    )
    private = publish(UserFactory(), is_public=False)
    assert_error(
        auth_api.post(REGENERATE, {"game_id": str(private.pk), "prompt": "harder"}, format="json"), 404
    )
    assert GenerationRequest.objects.count() == 0


def test_a_change_request_is_validated(auth_api, publish, user):
    game = publish(user)
    assert_error(
        auth_api.post(REGENERATE, {"game_id": str(game.pk), "prompt": ""}, format="json"), 400, field="prompt"
    )
    assert_error(
        auth_api.post(REGENERATE, {"game_id": str(game.pk), "prompt": "x" * 1001}, format="json"),
        400,
        field="prompt",
    )
    assert_error(
        auth_api.post(REGENERATE, {"game_id": "nope", "prompt": "harder"}, format="json"),
        400,
        field="game_id",
    )


# --- templates -----------------------------------------------------------------------------------


def test_templates_are_the_mechanics_with_example_prompts(api):
    r = api.get("/api/v1/ai/templates")
    assert r.status_code == 200
    slugs = {t["slug"]: t for t in r.json()}
    assert {"snake", "breakout", "maze", "match3"} <= set(slugs)
    assert all(t["example_prompts"] and t["name"] for t in slugs.values())


def test_discarding_a_studio_draft_deletes_it(user, run_tasks, auth_api):
    r = run_tasks(auth_api, GENERATE, {"prompt": "a snake"})
    request = GenerationRequest.objects.get(pk=r.json()["id"])
    services.generation_discard(request=request, user=user)
    assert Game.objects.get(pk=request.result_game_id).status == Game.Status.DELETED


def test_a_template_staff_switched_off_is_neither_offered_nor_accepted(api, auth_api):
    from generation.models import Mechanic

    Mechanic.objects.update_or_create(slug="maze", defaults={"name": "Maze", "is_active": False})
    assert "maze" not in {t["slug"] for t in api.get("/api/v1/ai/templates").json()}
    assert_error(
        auth_api.post(GENERATE, {"prompt": "a maze", "template": "maze"}, format="json"),
        400,
        field="template",
    )


def test_a_prompt_that_fits_a_switched_off_mechanic_gets_another(auth_api, run_tasks):
    from generation.models import Mechanic

    # given: staff switched the maze mechanic off
    Mechanic.objects.update_or_create(slug="maze", defaults={"name": "Maze", "is_active": False})
    # when: a prompt that would be a maze is generated without naming a template
    r = run_tasks(auth_api, GENERATE, {"prompt": "a spooky maze, find the exit"})
    # then: the game is made with a mechanic staff left on
    game = GenerationRequest.objects.get(pk=r.json()["id"]).result_game
    assert game is not None and game.spec["mechanic"] != "maze"
