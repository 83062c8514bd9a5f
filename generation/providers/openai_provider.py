"""The `openai` designer: OpenAI's chat completions with structured outputs.

Works with OpenAI itself and with any OpenAI-compatible server (`OPENAI_BASE_URL`: Ollama,
vLLM, LM Studio...). The answer is constrained by `response_format={"type": "json_schema"}`
against the GameSpec schema of the chosen mechanic; in strict mode (`OPENAI_STRICT_SCHEMA`,
the default) the schema is first made strict-compatible and the nulls it forces into optional
fields are dropped again before validation. Repair, fallback and accounting: `llm.py`.
"""

from __future__ import annotations

from typing import Any

import openai
from django.conf import settings

from generation.providers.llm import (
    Completion,
    LLMProvider,
    LLMServiceError,
    answer_without_nulls,
    json_answer,
    schema_strict,
    sdk_errors,
)


class OpenAIProvider(LLMProvider):
    name = "openai"
    key_setting = "OPENAI_API_KEY"
    base_url_setting = "OPENAI_BASE_URL"

    def model(self) -> str:
        return settings.OPENAI_MODEL

    def _strict(self) -> bool:
        return bool(getattr(settings, "OPENAI_STRICT_SCHEMA", True))

    def client(self) -> openai.OpenAI:
        return openai.OpenAI(**self.client_options())

    def complete(
        self,
        *,
        system: str,
        transcript: list[dict[str, Any]],
        schema: dict[str, Any],
        tool: str,
        seed: int,
    ) -> Completion:
        strict = self._strict()
        messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
        for turn in transcript:
            if turn["role"] == "assistant":
                messages.append({"role": "assistant", "content": turn["completion"].text or "(no answer)"})
            else:
                messages.append({"role": "user", "content": turn["text"]})
        # OpenAI's own reasoning models only take max_completion_tokens; compatible servers
        # (older vLLM, Ollama) know max_tokens.
        limit_name = "max_tokens" if settings.OPENAI_BASE_URL else "max_completion_tokens"
        with sdk_errors(
            status_error=openai.APIStatusError,
            timeout_error=openai.APITimeoutError,
            base_error=openai.OpenAIError,
        ):
            response = self.client().chat.completions.create(
                model=self.model(),
                messages=messages,
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": tool,
                        "schema": schema_strict(schema) if strict else schema,
                        "strict": strict,
                    },
                },
                seed=seed,
                **{limit_name: settings.LLM_MAX_OUTPUT_TOKENS},
            )
        if not response.choices:
            raise LLMServiceError("the answer has no choices")
        message = response.choices[0].message
        if getattr(message, "refusal", None):
            raise LLMServiceError(f"the model refused: {str(message.refusal)[:200]}")
        completion = json_answer(message.content)
        if response.choices[0].finish_reason == "length" and completion.data is None:
            completion.error = (
                "the answer was cut off at the token limit; make it shorter (fewer, smaller levels)"
            )
        usage = response.usage
        completion.input_tokens = usage.prompt_tokens if usage else 0
        completion.output_tokens = usage.completion_tokens if usage else 0
        completion.model = response.model or self.model()
        return completion

    def prepare_answer(self, data: Any, schema: dict[str, Any]) -> Any:
        return answer_without_nulls(data, schema) if self._strict() else data


PROVIDER = OpenAIProvider()
