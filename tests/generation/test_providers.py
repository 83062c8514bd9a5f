"""The `openai` and `anthropic` designers against a local server speaking their APIs.

The official SDKs run for real (`base_url` pointed at `FakeLLMServer`); only the model's
answers are scripted. Every behaviour is checked for both providers.
"""

from decimal import Decimal

import pytest

from generation.mechanics import mechanic_registry
from generation.providers import provider_get
from generation.providers.anthropic_provider import PROVIDER as ANTHROPIC
from generation.providers.base import DesignRequest
from generation.providers.llm import LLMDesignResult
from generation.providers.openai_provider import PROVIDER as OPENAI
from tests.generation.fake_llm_server import FakeLLMServer, answer, hang, http_error

PROMPT = "a neon snake that gets faster"
GOOD_LOGIC = '"use strict";\nconst hooks = {\n  onScore(ctx, points) { return points * 2; },\n};\n'
BAD_LOGIC = '"use strict";\nconst hooks = {\n  onStart(ctx) {\n    fetch("https://evil.example");\n  },\n};\n'


@pytest.fixture
def server():
    fake = FakeLLMServer().start()
    yield fake
    fake.stop()


@pytest.fixture
def llm_settings(settings, server):
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = f"{server.url}/v1"
    settings.OPENAI_MODEL = "gpt-4.1-mini"
    settings.OPENAI_STRICT_SCHEMA = True
    settings.ANTHROPIC_API_KEY = "sk-ant-test"
    settings.ANTHROPIC_BASE_URL = server.url
    settings.ANTHROPIC_MODEL = "claude-sonnet-4-6"
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_TIMEOUT_S = 20
    settings.LLM_MAX_REPAIRS = 2
    settings.LLM_PRICES = {
        "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
        "claude-sonnet-4-6": (Decimal("3.00"), Decimal("15.00")),
    }
    return settings


@pytest.fixture(params=["openai", "anthropic"])
def provider(request, llm_settings):
    return {"openai": OPENAI, "anthropic": ANTHROPIC}[request.param]


def spec_answer(mechanic: str = "snake", **changes) -> dict:
    """A valid spec as a model would send it (no provenance): the local designer's, for `mechanic`."""
    local = provider_get("local").design(DesignRequest(prompt=PROMPT, seed=7, mechanic=mechanic))
    data = local.spec.model_dump(mode="json")
    data.pop("provenance")
    data.update(changes)
    return data


def choice(mechanic: str = "snake") -> dict:
    return {"mechanic": mechanic, "reason": "the prompt asks for a snake"}


def sent_feedback(recorded) -> str:
    """The text the provider sent back as the last user turn (a repair message)."""
    last = recorded.body["messages"][-1]
    assert last["role"] == "user"
    content = last["content"]
    if isinstance(content, str):
        return content
    return "\n".join(block.get("content") or block.get("text") or "" for block in content)


def design(provider, **request) -> LLMDesignResult:
    result = provider.design(DesignRequest(prompt=request.pop("prompt", PROMPT), seed=7, **request))
    assert isinstance(result, LLMDesignResult)
    return result


# --- good answers -------------------------------------------------------------------------------


def test_good_answer_becomes_the_spec(provider, server):
    # given
    server.queue(answer(choice("snake")), answer(spec_answer("snake", title="Neon Rush Snake")))

    # when
    result = design(provider)

    # then
    assert result.provider == provider.name and result.fallback_reason == ""
    assert result.spec.title == "Neon Rush Snake"
    assert result.spec.mechanic == "snake"
    provenance = result.spec.provenance
    assert provenance.provider == provider.name
    assert provenance.model == provider.model()
    assert provenance.prompt == PROMPT and provenance.seed == 7
    assert provenance.reasons[0] == f"{provider.model()} chose snake: the prompt asks for a snake"
    assert [(c.phase, c.attempt, c.outcome) for c in result.calls] == [
        ("choose", 1, "ok"),
        ("design", 1, "ok"),
    ]


def test_model_written_reason_is_cleaned_for_the_provenance(provider, server):
    # given
    reason = "Snakes!\n\x00\x1b[31m" + "very " * 200 + "long"
    server.queue(answer({"mechanic": "snake", "reason": reason}), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    recorded = result.spec.provenance.reasons[0]
    assert recorded.startswith(f"{provider.model()} chose snake: Snakes! [31mvery very")
    assert len(recorded) <= 300 and not any(ord(ch) < 32 for ch in recorded)


def test_requests_carry_the_schema_the_sdk_way(provider, server):
    # given
    server.queue(answer(choice("snake")), answer(spec_answer("snake")))

    # when
    design(provider)

    # then
    choose, write = server.requests
    assert choose.api == write.api == provider.name
    if provider.name == "openai":
        assert choose.headers["authorization"] == "Bearer sk-test"
        formats = [r.body["response_format"] for r in (choose, write)]
        assert all(f["type"] == "json_schema" and f["json_schema"]["strict"] is True for f in formats)
        choose_schema = formats[0]["json_schema"]["schema"]
        spec_schema = formats[1]["json_schema"]["schema"]
        assert write.body["messages"][0]["role"] == "system"
    else:
        # the SDK sends the key as x-api-key or (newer versions) as a bearer token
        assert "sk-ant-test" in (choose.headers.get("x-api-key"), choose.headers.get("authorization", "")[7:])
        assert choose.headers["anthropic-version"]
        for recorded, tool in ((choose, "choose_mechanic"), (write, "submit_game_spec")):
            assert recorded.body["tool_choice"] == {"type": "tool", "name": tool}
            assert [t["name"] for t in recorded.body["tools"]] == [tool]
        choose_schema = choose.body["tools"][0]["input_schema"]
        spec_schema = write.body["tools"][0]["input_schema"]
        assert "$defs" not in spec_schema  # references inlined for tool use
    assert choose_schema["properties"]["mechanic"]["enum"] == list(mechanic_registry())
    assert spec_schema["properties"]["mechanic"]["enum"] == ["snake"]
    assert "logic_js" in spec_schema["properties"] and "provenance" not in spec_schema["properties"]
    assert PROMPT in write.body["messages"][0 if provider.name == "anthropic" else 1]["content"]


def test_named_mechanic_skips_the_choice(provider, server):
    # given
    server.queue(answer(spec_answer("maze")))

    # when
    result = design(provider, mechanic="maze", prompt="a spooky maze")

    # then
    assert result.spec.mechanic == "maze"
    assert [c.phase for c in result.calls] == ["design"]
    assert result.spec.provenance.reasons[0] == "mechanic maze was asked for"


def test_request_params_override_the_answer(provider, server):
    # given
    server.queue(answer(spec_answer("snake")))

    # when
    result = design(provider, mechanic="snake", params={"wrap_walls": True})

    # then
    assert result.spec.params.wrap_walls is True


# --- repair ---------------------------------------------------------------------------------------


def test_answer_not_json_is_repaired_on_the_second_try(provider, server):
    # given
    server.queue(answer(choice()), answer("Sure! Here is a fun snake game for you."), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert result.provider == provider.name and not result.fallback_reason
    assert [(c.phase, c.attempt, c.outcome) for c in result.calls] == [
        ("choose", 1, "ok"),
        ("design", 1, "invalid"),
        ("design", 2, "ok"),
    ]
    assert "not valid JSON" in result.calls[1].detail
    repair = server.requests[2]
    assert "not valid JSON" in sent_feedback(repair)
    assert "Fix every error" in sent_feedback(repair)
    # the bad answer is in the conversation, right before the feedback
    assert repair.body["messages"][-2]["role"] == "assistant"


def test_anthropic_repair_answers_the_tool_call_with_an_error_result(llm_settings, server):
    # given
    server.queue(answer(choice()), answer(spec_answer(levels=[])), answer(spec_answer()))

    # when
    result = design(ANTHROPIC)

    # then
    assert not result.fallback_reason
    messages = server.requests[2].body["messages"]
    tool_use = messages[-2]["content"][0]
    tool_result = messages[-1]["content"][0]
    assert tool_use["type"] == "tool_use" and tool_use["name"] == "submit_game_spec"
    assert tool_result == {
        "type": "tool_result",
        "tool_use_id": tool_use["id"],
        "is_error": True,
        "content": tool_result["content"],
    }
    assert "levels" in tool_result["content"]


def test_json_of_the_wrong_shape_is_sent_back_with_the_fields(provider, server):
    # given: the model wraps the spec and invents a field
    wrong = {"game": spec_answer(), "notes": "have fun"}
    server.queue(answer(choice()), answer(wrong), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert not result.fallback_reason
    feedback = sent_feedback(server.requests[2])
    assert "- title:" in feedback and "- game:" in feedback


def test_unknown_mechanic_in_the_choice_is_repaired(provider, server):
    # given
    server.queue(answer(choice("pinball")), answer(choice("snake")), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert result.spec.mechanic == "snake"
    feedback = sent_feedback(server.requests[1])
    assert "Unknown mechanic 'pinball'" in feedback and "snake" in feedback


def test_only_the_available_mechanics_are_offered(provider, server):
    # given the platform offers every mechanic but snake and maze
    available = frozenset(mechanic_registry()) - {"snake", "maze"}
    server.queue(answer(choice("snake")), answer(choice("breakout")), answer(spec_answer("breakout")))

    # when the model first chooses snake anyway
    result = design(provider, mechanics=available)

    # then the choice schema and the catalogue leave them out, and the choice is sent back
    first = server.requests[0].body
    offered = (
        first["response_format"]["json_schema"]["schema"]["properties"]["mechanic"]
        if "response_format" in first
        else first["tools"][0]["input_schema"]["properties"]["mechanic"]
    )
    assert sorted(offered["enum"]) == sorted(available)
    system = first["messages"][0]["content"] if "response_format" in first else first["system"]
    assert "- snake:" not in system and "- breakout:" in system
    feedback = sent_feedback(server.requests[1])
    assert "The mechanic 'snake' is not available" in feedback and "breakout" in feedback
    assert result.spec.mechanic == "breakout" and not result.fallback_reason


def test_a_spec_for_an_unavailable_mechanic_is_sent_back(provider, server):
    # given the model chose breakout, then wrote a snake, which is switched off
    available = frozenset(mechanic_registry()) - {"snake"}
    server.queue(answer(choice("breakout")), answer(spec_answer("snake")), answer(spec_answer("breakout")))

    # when
    result = design(provider, mechanics=available)

    # then
    assert "The mechanic 'snake' is not available" in sent_feedback(server.requests[2])
    assert result.spec.mechanic == "breakout"


def test_fallback_to_local_keeps_to_the_available_mechanics(provider, server):
    # given a model that never answers well, for a prompt about a snake that is switched off
    available = frozenset(mechanic_registry()) - {"snake"}
    server.queue(answer("no"), answer("no"), answer("no"))

    # when
    result = design(provider, mechanics=available)

    # then local designs it, with another mechanic
    assert result.provider == "local" and result.fallback_reason
    assert result.spec.mechanic in available


def test_unknown_mechanic_in_the_spec_is_repaired(provider, server):
    # given
    server.queue(answer(choice()), answer({**spec_answer(), "mechanic": "pinball"}), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert result.spec.mechanic == "snake"
    assert "- mechanic: unknown mechanic" in sent_feedback(server.requests[2])


def test_ten_thousand_levels_are_refused_then_repaired(provider, server):
    # given
    one_level = spec_answer()["levels"][0]
    server.queue(answer(choice()), answer(spec_answer(levels=[one_level] * 10_000)), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert not result.fallback_reason
    assert len(result.spec.levels) <= 50
    feedback = sent_feedback(server.requests[2])
    assert "- levels:" in feedback and "50" in feedback
    assert feedback.count("\n- ") <= 31  # one line for the list, not one per level


def test_an_enormous_answer_is_refused_unread(provider, server):
    # given: over 2,000,000 characters, far beyond any output-token limit
    huge = spec_answer(description="x" * 2_100_000)
    server.queue(answer(choice()), answer(huge), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert not result.fallback_reason
    assert result.calls[1].detail == "the answer is longer than 2000000 characters"
    assert "longer than 2000000 characters" in sent_feedback(server.requests[2])
    assert len(str(server.requests[2].body)) < 200_000  # the huge answer is not sent back whole


def test_strict_mode_nulls_in_optional_fields_are_dropped(llm_settings, server):
    # given: what a strict structured output sends for optional fields left unset
    data = spec_answer(description=None, scoring=None, tutorial=None, multiplayer=None, logic_js=None)
    server.queue(answer(choice()), answer(data))

    # when
    result = design(OPENAI)

    # then
    assert not result.fallback_reason
    assert result.spec.description == "" and result.spec.multiplayer is False
    assert result.spec.scoring.base_points == 10


def test_wrong_mechanic_for_a_named_mechanic_is_sent_back(provider, server):
    # given
    server.queue(answer(spec_answer("snake")), answer(spec_answer("maze")))

    # when
    result = design(provider, mechanic="maze")

    # then
    assert result.spec.mechanic == "maze"
    assert "must use the mechanic 'maze'" in sent_feedback(server.requests[1])


# --- fallback -------------------------------------------------------------------------------------


def test_fallback_to_local_after_the_repairs(provider, server):
    # given: three wrong answers in a row (the first, then two repairs)
    server.queue(answer(choice()), answer({"title": 5}), answer([1, 2]), answer("still no JSON"))

    # when
    result = design(provider)

    # then
    assert result.provider == "local"
    assert result.fallback_reason.startswith(
        f"{provider.name}: the design answer was still invalid after 3 attempts"
    )
    assert result.spec.provenance.provider == "local"
    assert result.spec.provenance.fallback == result.fallback_reason[:300]
    assert [c.outcome for c in result.calls] == ["ok", "invalid", "invalid", "invalid"]
    assert len(server.requests) == 4


def test_local_fallback_follows_the_prompt(provider, server):
    # given
    server.queue(http_error(500))

    # when
    result = design(provider, prompt="a spooky maze with ghosts")

    # then
    reference = provider_get("local").design(DesignRequest(prompt="a spooky maze with ghosts", seed=7))
    assert result.spec.mechanic == reference.spec.mechanic
    assert result.spec.title == reference.spec.title


@pytest.mark.parametrize("status", [500, 503, 429, 401])
def test_http_errors_fall_back_without_crashing(provider, server, status):
    # given
    server.queue(http_error(status))

    # when
    result = design(provider)

    # then
    assert result.provider == "local"
    assert (
        result.fallback_reason
        == f"{provider.name}: choose call failed: HTTP {status}: simulated HTTP {status}"
    )
    assert [(c.outcome, c.input_tokens) for c in result.calls] == [("error", 0)]


def test_http_error_during_repair_falls_back(provider, server):
    # given
    server.queue(answer(choice()), answer("nope"), http_error(502))

    # when
    result = design(provider)

    # then
    assert result.provider == "local"
    assert "design call failed: HTTP 502" in result.fallback_reason
    assert result.usage.calls == 3


def test_timeout_falls_back(provider, server, settings):
    # given
    settings.LLM_TIMEOUT_S = 0.5
    server.queue(hang())

    # when
    result = design(provider)

    # then
    assert result.provider == "local"
    assert result.fallback_reason == f"{provider.name}: choose call failed: timed out after 0.5s"
    assert result.calls[0].outcome == "error"


def test_sdk_retries_are_used_before_falling_back(provider, server, settings):
    # given: the SDK may retry once; the server fails once, then answers
    settings.LLM_MAX_RETRIES = 1
    server.queue(http_error(500), answer(choice()), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert result.provider == provider.name
    assert len(server.requests) == 3 and len(result.calls) == 2


def test_unreachable_server_falls_back(provider, settings):
    # given: nothing listens there
    settings.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.ANTHROPIC_BASE_URL = "http://127.0.0.1:9"

    # when
    result = design(provider)

    # then
    assert result.provider == "local"
    assert "choose call failed" in result.fallback_reason


def test_missing_key_falls_back_without_calling(provider, server, settings):
    # given
    settings.OPENAI_API_KEY = ""
    settings.ANTHROPIC_API_KEY = ""

    # when
    result = design(provider)

    # then
    assert not provider.is_configured()
    assert result.provider == "local"
    assert result.fallback_reason == f"{provider.name}: {provider.key_setting} is not set"
    assert server.requests == [] and result.calls == []


# --- logic.js -------------------------------------------------------------------------------------


def test_checked_logic_is_kept(provider, server):
    # given
    server.queue(answer(choice()), answer({**spec_answer(), "logic_js": GOOD_LOGIC}))

    # when
    result = design(provider)

    # then
    assert result.logic_js == GOOD_LOGIC and result.logic_refusal == ""
    assert "logic.js accepted (hooks: onScore)" in result.spec.provenance.reasons


def test_refused_logic_is_dropped_with_the_reason(provider, server):
    # given
    server.queue(answer(choice()), answer({**spec_answer(), "logic_js": BAD_LOGIC}))

    # when
    result = design(provider)

    # then
    assert result.logic_js == ""
    assert result.logic_refusal.startswith("line 4:5: `fetch` is not available")
    assert f"logic.js refused and dropped: {result.logic_refusal}" in result.spec.provenance.reasons
    assert result.provider == provider.name  # the spec itself is fine


# --- usage ----------------------------------------------------------------------------------------


def test_usage_is_recorded_for_every_call(provider, server):
    # given
    server.queue(
        answer(choice(), tokens=(1_000, 20)),
        answer("oops", tokens=(3_000, 10)),
        answer(spec_answer(), tokens=(4_000, 2_500)),
    )

    # when
    result = design(provider)

    # then
    price_in, price_out = {"openai": ("0.40", "1.60"), "anthropic": ("3.00", "15.00")}[provider.name]

    def cost(tokens_in, tokens_out):
        return (Decimal(price_in) * tokens_in + Decimal(price_out) * tokens_out) / 1_000_000

    assert [(c.input_tokens, c.output_tokens) for c in result.calls] == [
        (1_000, 20),
        (3_000, 10),
        (4_000, 2_500),
    ]
    assert [c.cost_usd for c in result.calls] == [cost(1_000, 20), cost(3_000, 10), cost(4_000, 2_500)]
    assert all(isinstance(c.cost_usd, Decimal) and c.latency_ms >= 0 for c in result.calls)
    usage = result.usage
    assert (usage.calls, usage.input_tokens, usage.output_tokens) == (3, 8_000, 2_530)
    assert usage.cost_usd == cost(8_000, 2_530)
    assert usage.latency_ms == sum(c.latency_ms for c in result.calls)
    assert usage.model == provider.model()
    assert result.attempts == 3
    assert usage.as_dict()["cost_usd"] == str(usage.cost_usd)


def test_usage_is_kept_when_falling_back(provider, server):
    # given
    server.queue(answer(choice(), tokens=(500, 5)), http_error(500))

    # when
    result = design(provider)

    # then
    assert result.provider == "local"
    assert result.usage.calls == 2 and result.usage.input_tokens == 500
    assert result.usage.cost_usd > 0


def test_unpriced_model_costs_zero_and_says_so(provider, server, settings):
    # given
    settings.OPENAI_MODEL = "my-local-llama"
    settings.ANTHROPIC_MODEL = "my-local-llama"
    server.queue(answer(choice()), answer(spec_answer()))

    # when
    result = design(provider)

    # then
    assert result.usage.cost_usd == Decimal("0")
    assert result.calls[0].detail == "no price for model my-local-llama in LLM_PRICES"
    assert result.spec.provenance.model == "my-local-llama"


# --- the cast -------------------------------------------------------------------------------------


def test_the_models_cast_becomes_the_games(provider, server):
    # given a model that casts a cat collecting fish
    cast = [
        {"role": "hero", "subject": "cat", "asset": "cat"},
        {"role": "collectible", "subject": "fish", "asset": "fish"},
    ]
    server.queue(answer(choice("snake")), answer(spec_answer("snake", cast=cast)))

    # when
    result = design(provider)

    # then the game shows them, and the roles it left out are the mechanic's own
    members = [(m.role, m.asset) for m in result.spec.cast]
    assert members[0] == ("hero", "cat") and ("collectible", "fish") in members
    assert len(members) == 3


def test_a_cast_naming_pictures_that_do_not_exist_is_repaired_not_refused(provider, server):
    # given a cast with an invented asset, a role snake lacks and garbage
    cast = [
        {"role": "hero", "subject": "kangaroo", "asset": "kangaroo-with-jetpack"},
        {"role": "tile", "subject": "gem", "asset": "gem-stone"},
        {"role": "collectible", "subject": "", "asset": "nothing-here"},
        "a string",
    ]
    server.queue(answer(choice("snake")), answer(spec_answer("snake", cast=cast)))

    # when
    result = design(provider)

    # then no repair round trip and no fallback: the pictures come from the subjects or the defaults
    assert result.fallback_reason == "" and len(result.calls) == 2
    roles = {m.role: m.asset for m in reversed(result.spec.cast)}
    assert roles["hero"] == "kangaroo"
    assert "tile" not in roles and roles["collectible"] == "red-apple"
    assert any("cast: no picture 'kangaroo-with-jetpack'" in r for r in result.spec.provenance.reasons)


def test_the_design_prompt_names_the_mechanics_roles(provider, server):
    server.queue(answer(choice("maze")), answer(spec_answer("maze")))
    design(provider)
    system = str(server.requests[-1].body)
    assert "hero x1" in system and "enemy x1" in system and "Noto Emoji" in system
