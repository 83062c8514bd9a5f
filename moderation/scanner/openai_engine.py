"""OpenAI's moderation endpoint (`omni-moderation-latest`) through the official SDK.

Used when `OPENAI_API_KEY` is set (and `MODERATION_OPENAI` is on); `OPENAI_BASE_URL` points the
SDK at any server that speaks the API (the tests use a local one). Its 13 categories come back
as labels `openai:<category>` (`openai:harassment/threatening`, `openai:sexual/minors`...) with
their scores. When the endpoint cannot be reached the offline engines' verdict stands, and the
scan says so (`openai:unavailable`): moderation never takes the studio down with it.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings

logger = logging.getLogger(__name__)

CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
    "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
    "violence/graphic",
)  # fmt: skip
UNAVAILABLE = "openai:unavailable"


def enabled() -> bool:
    return bool(settings.MODERATION_OPENAI and settings.OPENAI_API_KEY)


@cache
def _client(api_key: str, base_url: str, timeout: float, retries: int):
    from openai import OpenAI

    return OpenAI(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=retries)


def client():
    return _client(
        settings.OPENAI_API_KEY,
        settings.OPENAI_BASE_URL,
        settings.MODERATION_OPENAI_TIMEOUT_S,
        settings.LLM_MAX_RETRIES,
    )


def openai_scores(text: str) -> dict[str, float] | None:
    """`{"openai:<category>": score}` for `text`, or None when the endpoint failed."""
    import openai

    try:
        response = client().moderations.create(model=settings.MODERATION_OPENAI_MODEL, input=text)
    except openai.OpenAIError:
        logger.warning("moderation: OpenAI's moderation endpoint failed", exc_info=True)
        return None
    if not response.results:
        return None
    scores = response.results[0].category_scores.model_dump(by_alias=True)
    return {
        f"openai:{name}": float(score) for name, score in scores.items() if isinstance(score, int | float)
    }
