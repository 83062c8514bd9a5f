"""The `anthropic` designer: Claude's messages API with tool use.

The GameSpec schema of the chosen mechanic is the `input_schema` of one tool, and
`tool_choice` forces the model to call it, so the answer is the tool call's input. An invalid
answer goes back as the tool's result with `is_error` and the validation errors. Repair,
fallback and accounting: `llm.py`.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic
from django.conf import settings

from generation.providers.llm import (
    MAX_ANSWER_CHARS,
    Completion,
    LLMProvider,
    LLMServiceError,
    json_answer,
    schema_inline,
    sdk_errors,
)

TOOL_DESCRIPTIONS = {
    "choose_mechanic": "Record the mechanic chosen for the player's prompt.",
    "submit_game_spec": "Submit the complete GameSpec for the game.",
}


class AnthropicProvider(LLMProvider):
    name = "anthropic"
    key_setting = "ANTHROPIC_API_KEY"
    base_url_setting = "ANTHROPIC_BASE_URL"

    def model(self) -> str:
        return settings.ANTHROPIC_MODEL

    def client(self) -> anthropic.Anthropic:
        return anthropic.Anthropic(**self.client_options())

    def complete(
        self,
        *,
        system: str,
        transcript: list[dict[str, Any]],
        schema: dict[str, Any],
        tool: str,
        seed: int,
    ) -> Completion:
        messages: list[dict[str, Any]] = []
        previous: Completion | None = None
        for turn in transcript:
            if turn["role"] == "assistant":
                previous = turn["completion"]
                messages.append({"role": "assistant", "content": _assistant_content(previous)})
            elif turn["role"] == "repair" and previous is not None and previous.turn:
                # A tool call must be answered by its result: the errors, flagged as such.
                messages.append(
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "tool_result",
                                "tool_use_id": previous.turn["id"],
                                "is_error": True,
                                "content": turn["text"],
                            }
                        ],
                    }
                )
            else:
                messages.append({"role": "user", "content": turn["text"]})
        with sdk_errors(
            status_error=anthropic.APIStatusError,
            timeout_error=anthropic.APITimeoutError,
            base_error=anthropic.AnthropicError,
        ):
            response = self.client().messages.create(
                model=self.model(),
                max_tokens=settings.LLM_MAX_OUTPUT_TOKENS,
                system=system,
                messages=messages,
                tools=[
                    {
                        "name": tool,
                        "description": TOOL_DESCRIPTIONS.get(tool, tool),
                        "input_schema": schema_inline(schema),
                    }
                ],
                tool_choice={"type": "tool", "name": tool},
            )
        if response.stop_reason == "refusal":
            raise LLMServiceError("the model refused to answer")
        completion = _read(response, tool)
        usage = response.usage
        completion.input_tokens = (
            (usage.input_tokens or 0)
            + (getattr(usage, "cache_creation_input_tokens", 0) or 0)
            + (getattr(usage, "cache_read_input_tokens", 0) or 0)
        )
        completion.output_tokens = usage.output_tokens or 0
        completion.model = response.model or self.model()
        return completion


def _read(response: Any, tool: str) -> Completion:
    """The tool call's input; a text answer is parsed as JSON (some compatible servers)."""
    texts = []
    for block in response.content:
        if block.type == "tool_use":
            data = block.input
            text = json.dumps(data, ensure_ascii=False)
            turn = {"id": block.id, "name": block.name, "input": data}
            if len(text) > MAX_ANSWER_CHARS:
                # Not sent back whole: the repair only needs to know it was too long.
                turn["input"] = {"truncated": True}
                error = f"the answer is longer than {MAX_ANSWER_CHARS} characters"
                return Completion(data=None, text=text[:200], error=error, turn=turn)
            if block.name != tool:
                return Completion(data=None, text=text, error=f"call the tool `{tool}`", turn=turn)
            return Completion(data=data, text=text, turn=turn)
        if block.type == "text":
            texts.append(block.text)
    completion = json_answer("".join(texts))
    if completion.data is None:
        completion.error = f"call the tool `{tool}` with the answer ({completion.error})"
    return completion


def _assistant_content(completion: Completion) -> list[dict[str, Any]] | str:
    if completion.turn:
        return [{"type": "tool_use", **completion.turn}]
    return completion.text or "(no answer)"


PROVIDER = AnthropicProvider()
