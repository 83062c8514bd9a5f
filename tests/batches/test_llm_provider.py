"""Step 1 with an LLM designer: what the model spent is recorded on the attempt."""

import json
from decimal import Decimal

import pytest

from batches import git as gitlib
from batches.models import StepRun
from generation.providers import DesignRequest, provider_get
from tests.generation.fake_llm_server import FakeLLMServer, answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def llm(settings):
    server = FakeLLMServer().start()
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = f"{server.url}/v1"
    settings.OPENAI_MODEL = "gpt-4.1-mini"
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_MAX_REPAIRS = 0
    settings.LLM_PRICES = {"gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60"))}
    yield server
    server.stop()


def test_step_one_records_the_tokens_and_cost_of_the_llm_designer(factory, llm):
    # given: the model answers with a valid snake spec (in a setting the batch plan may override)
    design = provider_get("local").design(DesignRequest(prompt="a neon snake", seed=7, mechanic="snake")).spec
    reply = design.model_dump(mode="json")
    reply.pop("provenance")
    llm.queue(answer(reply, tokens=(1000, 500)))
    batch = factory.batch(provider="openai", genres=["snake"], theme="forest")
    # when
    factory.drain(until_step=1)
    # then
    run = StepRun.objects.get(production__batch=batch, step=1)
    assert run.state == "completed", run.error
    assert (run.tokens_in, run.tokens_out) == (1000, 500)
    assert run.cost == Decimal("0.0012")
    production = batch.productions.get()
    spec = json.loads(gitlib.file_at(gitlib.staging_path(production.pk), run.commit_sha, "game/spec.json"))
    assert production.concept["setting"] == "forest"
    assert spec["theme"]["setting"] == "enchanted forest"  # the batch's plan, whatever the model chose
    assert spec["provenance"]["provider"] == "openai"
