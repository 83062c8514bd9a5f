"""What the LLM designers (`openai`, `anthropic`) share: the conversation, repair and fallback.

A design takes one or two phases, each one structured call to the model:

1. *choose* (skipped when the request names a mechanic): the model picks a mechanic from the
   catalogue, `{"mechanic", "reason"}`;
2. *design*: the model writes the whole GameSpec for that mechanic, against the mechanic's own
   JSON Schema (plus an optional `logic_js`).

Each answer is validated (`spec_validate` for the spec). An invalid one is sent back with the
validation errors, up to `LLM_MAX_REPAIRS` times; when it is still invalid, or the service fails
(HTTP error, timeout, refusal, no key), the request falls back to the `local` provider and the
reason is kept in `DesignResult.fallback_reason` and in the spec's `provenance.fallback`.
Optional `logic_js` goes through `generation.jscheck`; refused logic is dropped, with the
reason recorded, and never shipped.

Every call is recorded (`LLMCall`: tokens, cost from `LLM_PRICES`, latency) in the returned
`LLMDesignResult`, and summed in its `Usage`.
"""

from __future__ import annotations

import copy
import json
import logging
import time
import unicodedata
from abc import abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from gamefactory.errors import ApplicationError
from generation import limits
from generation.cast import cast_repair, mechanic_roles
from generation.jscheck import logic_check, logic_rules_prompt
from generation.mechanics import mechanic_get, mechanic_registry
from generation.providers.base import DesignRequest, DesignResult, Provider, Usage
from generation.spec import GameSpec, spec_json_schema, spec_validate

logger = logging.getLogger(__name__)

CHOOSE_TOOL = "choose_mechanic"
DESIGN_TOOL = "submit_game_spec"
LOGIC_KEY = "logic_js"
# An answer longer than this is refused unread: far beyond any output-token limit, it can only
# be a model (or a compatible server) stuck in a loop. A full 50-level spec is ~50 KB.
MAX_ANSWER_CHARS = 2_000_000
MAX_REPAIR_LINES = 30
COST_QUANTUM = Decimal("0.000001")


@dataclass
class LLMCall:
    """One request to the model: what it cost and how it went."""

    phase: str  # "choose" or "design"
    attempt: int  # 1 for the first answer, 2.. for repairs
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal("0")
    latency_ms: int = 0
    outcome: str = "ok"  # ok | invalid | error
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cost_usd"] = str(self.cost_usd)
        return data


@dataclass
class LLMDesignResult(DesignResult):
    """A design by an LLM provider (or its fallback), with every call and the accepted logic.js."""

    calls: list[LLMCall] = field(default_factory=list)
    # `logic_js` (DesignResult): accepted by the checker; empty when none was written or it was refused.
    logic_refusal: str = ""  # why a logic.js was dropped ("line 4:5: `fetch` is not available...")


@dataclass
class Completion:
    """A model's answer, parsed: `data` is the JSON object, or None with `error` saying why."""

    data: Any
    text: str
    error: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    model: str = ""
    # Provider-specific: what to put back in the conversation as the assistant's turn.
    turn: Any = None


class LLMServiceError(Exception):
    """The service gave no usable answer: HTTP error, timeout, refusal, connection failure."""


@contextmanager
def sdk_errors(*, status_error: type[Any], timeout_error: type[Any], base_error: type[Any]) -> Iterator[None]:
    """Turn an SDK's failures (its HTTP error, its timeout, any other of its errors) into LLMServiceError.

    The `openai` and `anthropic` SDKs share one error design; each provider passes its own classes.
    """
    try:
        yield
    except status_error as exc:
        raise LLMServiceError(f"HTTP {exc.status_code}: {_status_message(exc)}") from exc
    except timeout_error as exc:
        raise LLMServiceError(f"timed out after {settings.LLM_TIMEOUT_S:g}s") from exc
    except base_error as exc:
        raise LLMServiceError(f"{type(exc).__name__}: {exc}") from exc


def _status_message(exc: Any) -> str:
    """The server's own message from an SDK's HTTP error (`{"error": {"message"}}`), else the SDK's."""
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(exc.message)[:300]


class InvalidAnswer(Exception):
    """The answer was read but is wrong; the message is sent back to the model."""


class _GiveUp(Exception):
    """Stop asking: fall back to `local` with this reason."""


def llm_price(*, model: str, input_tokens: int, output_tokens: int) -> Decimal | None:
    """USD for one call, from `settings.LLM_PRICES` (longest model-name prefix); None if unpriced."""
    prices = getattr(settings, "LLM_PRICES", {}) or {}
    match = max((name for name in prices if model.startswith(name)), key=len, default=None)
    if match is None:
        return None
    price_in, price_out = (Decimal(str(value)) for value in prices[match])
    cost = (price_in * input_tokens + price_out * output_tokens) / Decimal(1_000_000)
    return cost.quantize(COST_QUANTUM)


def json_answer(text: str | None) -> Completion:
    """Parse a model's text answer as one JSON object (tolerating a ```json fence)."""
    text = text or ""
    if len(text) > MAX_ANSWER_CHARS:
        return Completion(
            data=None, text=text[:200], error=f"the answer is longer than {MAX_ANSWER_CHARS} characters"
        )
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    if not body:
        return Completion(data=None, text=text, error="the answer is empty; reply with the JSON object")
    try:
        data = json.loads(body)
    except ValueError as exc:
        return Completion(data=None, text=text, error=f"the answer is not valid JSON ({exc})")
    return Completion(data=data, text=text)


# --- schemas -------------------------------------------------------------------------------


def _offered(mechanics: frozenset[str] | None) -> list[str]:
    """The slugs the model may choose from: the registry's, less those switched off."""
    return [slug for slug in mechanic_registry() if mechanics is None or slug in mechanics]


def choose_schema(mechanics: frozenset[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "mechanic": {"type": "string", "enum": _offered(mechanics)},
            "reason": {"type": "string", "description": "One sentence: why this mechanic fits the prompt."},
        },
        "required": ["mechanic", "reason"],
        "additionalProperties": False,
    }


def design_schema(mechanic: str) -> dict[str, Any]:
    """The mechanic's GameSpec schema as the model fills it: no provenance (ours), plus `logic_js`."""
    schema = copy.deepcopy(spec_json_schema(mechanic=mechanic))
    schema["properties"].pop("provenance", None)
    schema["required"] = [name for name in schema.get("required", []) if name != "provenance"]
    schema.get("$defs", {}).pop("Provenance", None)
    schema["properties"][LOGIC_KEY] = {
        "type": "string",
        "description": "Optional custom logic (JavaScript hooks, see the rules); empty string for none.",
    }
    return schema


def schema_inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every `#/$defs/...` reference replaced by its definition (no `$defs`)."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = defs[ref.rsplit("/", 1)[1]]
                rest = {key: value for key, value in node.items() if key != "$ref"}
                return walk({**copy.deepcopy(target), **rest})
            return {key: walk(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [walk(value) for value in node]
        return node

    return walk(schema)


_STRICT_UNSUPPORTED = {"default", "title"}


def schema_strict(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy OpenAI's strict structured outputs accept: every property required (the optional
    ones nullable), no additional properties, fixed-length tuples as arrays, no defaults."""

    def nullable(node: dict[str, Any]) -> dict[str, Any]:
        kind = node.get("type")
        if isinstance(kind, str) and "enum" not in node and "const" not in node:
            return {**node, "type": [kind, "null"]}
        return {"anyOf": [node, {"type": "null"}]}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(value) for value in node]
        if not isinstance(node, dict):
            return node
        node = {key: walk(value) for key, value in node.items() if key not in _STRICT_UNSUPPORTED}
        prefix = node.pop("prefixItems", None)
        if prefix is not None:
            first = prefix[0] if prefix else {}
            if all(item == first for item in prefix):
                node["items"] = first
            else:
                node["items"] = {"anyOf": prefix}
            node["minItems"] = node["maxItems"] = len(prefix)
        properties = node.get("properties")
        if node.get("type") == "object" and isinstance(properties, dict):
            required = set(node.get("required", []))
            node["properties"] = {
                name: value if name in required else nullable(value) for name, value in properties.items()
            }
            node["required"] = list(properties)
            node["additionalProperties"] = False
        return node

    return walk(schema)


def answer_without_nulls(data: Any, schema: dict[str, Any]) -> Any:
    """Drop the `null`s a strict answer puts in optional fields, so the spec's defaults apply."""
    inline = schema_inline(schema)

    def walk(value: Any, node: dict[str, Any] | None) -> Any:
        node = node or {}
        if isinstance(value, dict):
            properties = node.get("properties") or {}
            for branch in node.get("anyOf", []):
                if isinstance(branch, dict) and branch.get("properties"):
                    properties = {**branch["properties"], **properties}
            required = set(node.get("required", []))
            return {
                key: walk(item, properties.get(key))
                for key, item in value.items()
                if not (item is None and key not in required)
            }
        if isinstance(value, list):
            items = node.get("items")
            if not isinstance(items, dict):
                for branch in node.get("anyOf", []):
                    if isinstance(branch, dict) and isinstance(branch.get("items"), dict):
                        items = branch["items"]
            return [walk(item, items if isinstance(items, dict) else None) for item in value]
        return value

    return walk(data, inline)


# --- prompts -------------------------------------------------------------------------------


def choose_system_prompt(mechanics: frozenset[str] | None = None) -> str:
    lines = [
        "You design mini-games for GameFactory, a platform that builds playable HTML5 games from a "
        "GameSpec. First, pick the one mechanic from this catalogue that best fits the player's prompt "
        "(any language). Answer with the mechanic's slug and one sentence saying why.",
        "",
        "Catalogue:",
    ]
    for slug in _offered(mechanics):
        definition = mechanic_registry()[slug]
        examples = "; ".join(definition.example_prompts[:2])
        lines.append(f"- {slug}: {definition.name}. {definition.description} (e.g. {examples})")
    return "\n".join(lines)


def design_system_prompt(mechanic: str, example: dict[str, Any] | None) -> str:
    definition = mechanic_get(mechanic)
    assert definition is not None
    lines = [
        f"You design one mini-game for GameFactory as a GameSpec (version {limits.SPEC_VERSION}) "
        f"for the mechanic `{mechanic}` ({definition.name}: {definition.description}).",
        "Follow the player's prompt: title, theme (setting, mood, art style, a readable palette of "
        "#rrggbb colours), difficulty curve (0 = easiest, 1 = hardest), rules, tutorial lines.",
        f"Write between {limits.MIN_LEVELS} and {limits.MAX_LEVELS} levels (about "
        f"{definition.default_level_count} unless the prompt says otherwise), each exactly in the "
        "mechanic's level format, getting harder; every level must be winnable.",
        "Analytics event names and ad placement ids are snake_case. Use only fields of the schema.",
        f"`cast`: what the game shows, one member per role of {mechanic} ("
        + ", ".join(f"{role} x{count}" for role, count in mechanic_roles(definition).items())
        + "): `subject` is an English singular noun the prompt names (or fits it), `asset` the "
        "Noto Emoji icon id of its picture (lowercase, hyphens: cat, fish, rock, red-apple).",
        "",
        logic_rules_prompt(),
        f"Put that script (or an empty string) in `{LOGIC_KEY}`.",
    ]
    if example is not None:
        lines += [
            "",
            "A valid spec for this mechanic, to show the format (not the answer; make your own):",
            json.dumps(example, separators=(",", ":"), ensure_ascii=False),
        ]
    return "\n".join(lines)


def _example_spec(request: DesignRequest, mechanic: str) -> dict[str, Any] | None:
    """What `local` makes of the prompt for this mechanic, cut to two levels: a format example."""
    from generation.providers import provider_get

    try:
        local = provider_get("local").design(
            DesignRequest(prompt=request.prompt, seed=request.seed, mechanic=mechanic)
        )
    except ApplicationError:
        return None
    data = local.spec.model_dump(mode="json")
    data["levels"] = data["levels"][:2]
    data.pop("provenance", None)
    return data


def errors_text(error: ApplicationError) -> str:
    lines = [f"The answer is not a valid GameSpec: {error.message}"]
    for path, messages in list(error.fields.items())[:MAX_REPAIR_LINES]:
        for message in messages[:3]:
            lines.append(f"- {path}: {str(message)[:300]}")
    if len(error.fields) > MAX_REPAIR_LINES:
        lines.append(f"- ... and {len(error.fields) - MAX_REPAIR_LINES} more fields")
    return "\n".join(lines)


REPAIR_INSTRUCTION = "Fix every error listed and answer again with the complete corrected JSON."


# --- the provider --------------------------------------------------------------------------


class LLMProvider(Provider):
    """The design loop shared by the SDK-backed providers; subclasses make the calls."""

    name = ""
    key_setting = ""  # e.g. "OPENAI_API_KEY"
    base_url_setting = ""  # e.g. "OPENAI_BASE_URL"; an empty value means the SDK's own server

    # -- what a subclass provides --

    @abstractmethod
    def model(self) -> str:
        """The model name from settings."""

    @abstractmethod
    def complete(
        self,
        *,
        system: str,
        transcript: list[dict[str, Any]],
        schema: dict[str, Any],
        tool: str,
        seed: int,
    ) -> Completion:
        """One call. `transcript` holds {"role": "user", "text"} and, after a first answer,
        {"role": "assistant", "completion"} followed by {"role": "repair", "text"} turns.
        Raises LLMServiceError when the service fails."""

    def prepare_answer(self, data: Any, schema: dict[str, Any]) -> Any:
        """Undo what the transport did to the answer (strict-mode nulls); identity by default."""
        return data

    def client_options(self) -> dict[str, Any]:
        """What the SDK client is built with: the key, the server, the timeout and the retries."""
        return {
            "api_key": getattr(settings, self.key_setting),
            "base_url": getattr(settings, self.base_url_setting) or None,
            "timeout": settings.LLM_TIMEOUT_S,
            "max_retries": settings.LLM_MAX_RETRIES,
        }

    # -- the loop --

    def is_configured(self) -> bool:
        return bool(getattr(settings, self.key_setting, ""))

    def design(self, request: DesignRequest) -> DesignResult:
        calls: list[LLMCall] = []
        if not self.is_configured():
            return self._fallback(request, calls, f"{self.name}: {self.key_setting} is not set")
        reasons: list[str] = []
        try:
            mechanic = request.mechanic
            if mechanic is None:
                mechanic, why = self._ask(
                    phase="choose",
                    system=choose_system_prompt(request.mechanics),
                    user=f"The player's prompt:\n{request.prompt}",
                    schema=choose_schema(request.mechanics),
                    tool=CHOOSE_TOOL,
                    seed=request.seed,
                    calls=calls,
                    accept=lambda data: self._accept_choice(data, request=request),
                )
                reasons.append(f"{self.model()} chose {mechanic}: {why}")
            else:
                reasons.append(f"mechanic {mechanic} was asked for")
            schema = design_schema(mechanic)
            spec, logic, cast_notes = self._ask(
                phase="design",
                system=design_system_prompt(mechanic, _example_spec(request, mechanic)),
                user=f"The player's prompt:\n{request.prompt}\n\nWrite the GameSpec for `{mechanic}`.",
                schema=schema,
                tool=DESIGN_TOOL,
                seed=request.seed,
                calls=calls,
                accept=lambda data: self._accept_spec(data, request=request),
            )
        except _GiveUp as exc:
            return self._fallback(request, calls, str(exc))
        reasons.extend(cast_notes)
        logic_js, refusal = "", ""
        if logic:
            check = logic_check(source=logic)
            if check.ok:
                logic_js = logic
                reasons.append(f"logic.js accepted (hooks: {', '.join(check.hooks)})")
            else:
                refusal = check.reason
                reasons.append(f"logic.js refused and dropped: {refusal}")
        spec = self._with_provenance(spec, request=request, reasons=reasons)
        return LLMDesignResult(
            spec=spec,
            provider=self.name,
            usage=_usage(calls, self.model()),
            attempts=len(calls),
            calls=calls,
            logic_js=logic_js,
            logic_refusal=refusal,
        )

    def _ask(
        self,
        *,
        phase: str,
        system: str,
        user: str,
        schema: dict[str, Any],
        tool: str,
        seed: int,
        calls: list[LLMCall],
        accept: Callable[[Any], Any],
    ) -> Any:
        transcript: list[dict[str, Any]] = [{"role": "user", "text": user}]
        attempts = 1 + max(0, int(getattr(settings, "LLM_MAX_REPAIRS", 2)))
        problem = ""
        for attempt in range(1, attempts + 1):
            call = LLMCall(phase=phase, attempt=attempt, model=self.model())
            calls.append(call)
            started = time.monotonic()
            try:
                completion = self.complete(
                    system=system, transcript=transcript, schema=schema, tool=tool, seed=seed
                )
            except LLMServiceError as exc:
                call.latency_ms = _elapsed_ms(started)
                call.outcome, call.detail = "error", str(exc)[:500]
                self._log(call)
                raise _GiveUp(f"{self.name}: {phase} call failed: {exc}") from exc
            call.latency_ms = _elapsed_ms(started)
            self._account(call, completion)
            problem = completion.error
            if completion.data is not None:
                try:
                    value = accept(self.prepare_answer(completion.data, schema))
                except InvalidAnswer as exc:
                    problem = str(exc)
                else:
                    self._log(call)
                    return value
            call.outcome, call.detail = "invalid", problem[:500]
            self._log(call)
            transcript.append({"role": "assistant", "completion": completion})
            transcript.append({"role": "repair", "text": f"{problem}\n\n{REPAIR_INSTRUCTION}"})
        first_line = problem.splitlines()[0] if problem else "invalid answer"
        raise _GiveUp(
            f"{self.name}: the {phase} answer was still invalid after {attempts} attempts: {first_line}"
        )

    def _account(self, call: LLMCall, completion: Completion) -> None:
        call.model = completion.model or call.model
        call.input_tokens = max(0, int(completion.input_tokens or 0))
        call.output_tokens = max(0, int(completion.output_tokens or 0))
        cost = llm_price(model=call.model, input_tokens=call.input_tokens, output_tokens=call.output_tokens)
        if cost is None:
            call.detail = f"no price for model {call.model} in LLM_PRICES"
        call.cost_usd = cost or Decimal("0")

    def _log(self, call: LLMCall) -> None:
        logger.info("llm call", extra={"provider": self.name, **call.as_dict()})

    @staticmethod
    def _accept_choice(data: Any, *, request: DesignRequest) -> tuple[str, str]:
        if not isinstance(data, dict):
            raise InvalidAnswer('The answer must be a JSON object {"mechanic": ..., "reason": ...}.')
        mechanic = data.get("mechanic")
        known = ", ".join(_offered(request.mechanics))
        if mechanic_get(mechanic) is None:
            raise InvalidAnswer(f"Unknown mechanic {str(mechanic)[:60]!r}; choose one of: {known}.")
        if not request.allows(mechanic):
            raise InvalidAnswer(f"The mechanic {mechanic!r} is not available; choose one of: {known}.")
        reason = data.get("reason")
        reason = _plain_text(reason) if isinstance(reason, str) else ""
        return mechanic, reason or "no reason given"

    def _accept_spec(self, data: Any, *, request: DesignRequest) -> tuple[GameSpec, str, list[str]]:
        if not isinstance(data, dict):
            raise InvalidAnswer("The answer must be one JSON object: the GameSpec.")
        data = dict(data)
        logic = data.pop(LOGIC_KEY, None)
        data.pop("provenance", None)
        if request.mechanic is not None and data.get("mechanic") != request.mechanic:
            raise InvalidAnswer(f"The answer must use the mechanic {request.mechanic!r}.")
        if isinstance(data.get("mechanic"), str) and not request.allows(data["mechanic"]):
            known = ", ".join(_offered(request.mechanics))
            raise InvalidAnswer(
                f"The mechanic {data['mechanic'][:60]!r} is not available; use one of: {known}."
            )
        if request.params:
            params = data.get("params")
            data["params"] = {**(params if isinstance(params, dict) else {}), **request.params}
        levels = data.get("levels")
        if isinstance(levels, list) and len(levels) > limits.MAX_LEVELS:
            # Refused before validation, which would look at every one of them.
            raise InvalidAnswer(
                "The answer is not a valid GameSpec.\n"
                f"- levels: at most {limits.MAX_LEVELS} levels are allowed; the answer has {len(levels)}"
            )
        data["provenance"] = {"provider": self.name, "model": self.model()[: limits.MODEL_NAME_MAX_CHARS]}
        # A cast naming pictures the set lacks is repaired here (the subject's picture, or the
        # role's default), not sent back: the model cannot see the icon set.
        definition = mechanic_get(data.get("mechanic")) if isinstance(data.get("mechanic"), str) else None
        cast_notes: list[str] = []
        if definition is not None:
            data["cast"], cast_notes = cast_repair(definition, data.get("cast"))
        try:
            spec = spec_validate(data)
        except ApplicationError as exc:
            raise InvalidAnswer(errors_text(exc)) from exc
        return spec, logic if isinstance(logic, str) and logic.strip() else "", cast_notes

    def _with_provenance(self, spec: GameSpec, *, request: DesignRequest, reasons: list[str]) -> GameSpec:
        data = spec.model_dump(mode="json")
        data["provenance"] = {
            "provider": self.name,
            "model": self.model()[: limits.MODEL_NAME_MAX_CHARS],
            "prompt": request.prompt[: limits.PROMPT_MAX_CHARS],
            "seed": request.seed,
            "reasons": [reason[: limits.REASON_MAX_CHARS] for reason in reasons][
                : limits.MAX_PROVENANCE_REASONS
            ],
            "fallback": "",
        }
        return spec_validate(data)

    def _fallback(self, request: DesignRequest, calls: list[LLMCall], reason: str) -> LLMDesignResult:
        """Design with `local` instead, saying why in the result and in the spec's provenance."""
        from generation.providers import provider_get

        logger.warning("llm fallback to local", extra={"provider": self.name, "reason": reason})
        local = provider_get("local").design(request)
        data = local.spec.model_dump(mode="json")
        data["provenance"]["fallback"] = _plain_text(reason)
        return LLMDesignResult(
            spec=spec_validate(data),
            provider=local.provider,
            usage=_usage(calls, self.model()),
            attempts=len(calls),
            fallback_reason=reason,
            calls=calls,
        )


def _plain_text(text: str) -> str:
    """Model-written text for the provenance: one line, no control characters, bounded."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text[:1000])
    return " ".join(cleaned.split())[: limits.REASON_MAX_CHARS]


def _elapsed_ms(started: float) -> int:
    return int(round((time.monotonic() - started) * 1000))


def _usage(calls: list[LLMCall], model: str) -> Usage:
    return Usage(
        calls=len(calls),
        input_tokens=sum(call.input_tokens for call in calls),
        output_tokens=sum(call.output_tokens for call in calls),
        cost_usd=sum((call.cost_usd for call in calls), Decimal("0")),
        latency_ms=sum(call.latency_ms for call in calls),
        model=model,
    )
