"""The pieces the LLM providers share: schemas, strict-mode round trip, prices, answer parsing."""

from decimal import Decimal

import pytest

from generation.mechanics import mechanic_registry
from generation.providers import provider_get
from generation.providers.base import DesignRequest
from generation.providers.llm import (
    MAX_ANSWER_CHARS,
    answer_without_nulls,
    design_schema,
    json_answer,
    llm_price,
    schema_inline,
    schema_strict,
)
from generation.spec import spec_validate

MECHANICS = list(mechanic_registry())


def _objects(node, path=""):
    """Every object schema inside `node`, with its path."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{path}[{index}]")


def _keys(node):
    if isinstance(node, dict):
        yield from node
        for value in node.values():
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def _resolve(node, defs):
    while isinstance(node, dict) and "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    return node


def _fill_nulls(value, node, defs):
    """What a strict structured output sends: every property present, unset optional ones null."""
    node = _resolve(node, defs)
    if isinstance(node, dict) and "anyOf" in node:
        branches = [_resolve(b, defs) for b in node["anyOf"]]
        if isinstance(value, dict):
            node = next((b for b in branches if b.get("type") == "object"), node)
        elif isinstance(value, list):
            node = next((b for b in branches if "array" in str(b.get("type"))), node)
    if isinstance(value, dict) and isinstance(node, dict):
        properties = node.get("properties", {})
        out = {key: _fill_nulls(item, properties.get(key, {}), defs) for key, item in value.items()}
        for key in properties:
            out.setdefault(key, None)
        return out
    if isinstance(value, list) and isinstance(node, dict):
        items = node.get("items", {})
        return [_fill_nulls(item, items, defs) for item in value]
    return value


@pytest.mark.parametrize("mechanic", MECHANICS)
def test_strict_schema_follows_openai_strict_rules(mechanic):
    # when
    strict = schema_strict(design_schema(mechanic))

    # then
    assert strict["type"] == "object" and "anyOf" not in strict
    for path, node in _objects(strict):
        assert node["additionalProperties"] is False, path
        assert sorted(node["required"]) == sorted(node["properties"]), path
    assert not {"prefixItems", "default"} & set(_keys(strict))


@pytest.mark.parametrize("mechanic", MECHANICS)
def test_strict_answer_with_nulls_round_trips_to_a_valid_spec(mechanic):
    # given: a valid spec, as a strict structured output would send it
    spec = provider_get("local").design(DesignRequest(prompt="a game", seed=3, mechanic=mechanic)).spec
    data = spec.model_dump(mode="json", exclude_defaults=True)
    provenance = data.pop("provenance")
    schema = design_schema(mechanic)
    strict = schema_strict(schema)
    sent = _fill_nulls({**data, "logic_js": None}, strict, strict.get("$defs", {}))
    assert None in sent.values()

    # when
    cleaned = answer_without_nulls(sent, schema)
    cleaned.pop("logic_js", None)

    # then
    assert spec_validate({**cleaned, "provenance": provenance}) == spec


def test_design_schema_has_logic_and_no_provenance():
    # when
    schema = design_schema("snake")

    # then
    assert schema["properties"]["mechanic"]["enum"] == ["snake"]
    assert schema["properties"]["logic_js"]["type"] == "string"
    assert "provenance" not in schema["properties"] and "provenance" not in schema["required"]
    assert "Provenance" not in schema.get("$defs", {})


def test_inline_schema_has_no_references():
    # when
    inline = schema_inline(design_schema("maze"))

    # then
    assert "$defs" not in inline and "$ref" not in set(_keys(inline))
    assert inline["properties"]["theme"]["properties"]["palette"]["required"]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4.1-mini", Decimal("0.002000")),  # 1000 * 0.40 + 1000 * 1.60 per million
        ("gpt-4.1-mini-2025-04-14", Decimal("0.002000")),  # a dated name takes its family's price
        ("gpt-4.1", Decimal("0.010000")),  # the longest prefix wins: not gpt-4.1-mini's
        ("llama3.1:8b", None),
    ],
)
def test_price_per_model(settings, model, expected):
    # given
    settings.LLM_PRICES = {
        "gpt-4.1": (Decimal("2.00"), Decimal("8.00")),
        "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    }

    # when
    cost = llm_price(model=model, input_tokens=1000, output_tokens=1000)

    # then
    assert cost == expected


def test_prices_from_the_environment_are_decimal(settings):
    # given: the form the LLM_PRICES environment variable takes (JSON strings)
    settings.LLM_PRICES = {"my-model": ["0.10", "0.40"]}

    # when
    cost = llm_price(model="my-model", input_tokens=2_000_000, output_tokens=500_000)

    # then
    assert cost == Decimal("0.400000") and isinstance(cost, Decimal)


@pytest.mark.parametrize(
    ("text", "data", "error"),
    [
        ('{"a": 1}', {"a": 1}, ""),
        ('```json\n{"a": 1}\n```', {"a": 1}, ""),
        ("", None, "the answer is empty"),
        ("Here you go: {", None, "the answer is not valid JSON"),
        (None, None, "the answer is empty"),
    ],
)
def test_json_answer(text, data, error):
    # when
    completion = json_answer(text)

    # then
    assert completion.data == data
    assert completion.error.startswith(error)


def test_json_answer_refuses_enormous_text_unread():
    # when
    completion = json_answer("[" * (MAX_ANSWER_CHARS + 1))

    # then
    assert completion.data is None and "longer than" in completion.error
    assert len(completion.text) == 200
