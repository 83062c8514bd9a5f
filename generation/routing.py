"""Cost-aware routing: which designer makes a studio game, and why.

The policy (settings `STUDIO_ROUTING*`, `STUDIO_PROVIDER`):

- `fixed`: every prompt goes to `STUDIO_PROVIDER` (the platform before routing existed).
- `cost` (the default): `local` when the offline designer covers the prompt with confidence
  (a mechanic named by the prompt's words and most of its content words understood) and for
  small modifications (a change request of at most `STUDIO_ROUTING_SMALL_CHANGE_WORDS` words);
  the configured LLM (`STUDIO_PROVIDER`) for the rest.
- Whatever the policy says, `local` when the LLM is not configured or a monthly budget (the
  user's or the platform's, in tokens or in money) has no room left: the reason says which.

This module decides; it holds no records. The studio (games.services.studio) passes what is left
of the budgets, from the requests it recorded, and stores the decision on the request.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

LOCAL = "local"

# Reason codes, stable for tests, the admin and the bench; `Route.reason` says it in words.
FIXED = "fixed"
LOCAL_CONFIGURED = "local_configured"
LLM_NOT_CONFIGURED = "llm_not_configured"
LOCAL_CONFIDENT = "local_confident"
SMALL_CHANGE = "small_change"
NEEDS_LLM = "needs_llm"
BUDGET_USER = "budget_user"
BUDGET_GLOBAL = "budget_global"
LLM_FAILED = "llm_failed"

_WORD_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)
# Words that carry no design decision: covering them or not says nothing about the designer.
_FILLER = {
    "a", "an", "the", "with", "and", "or", "of", "in", "on", "for", "where", "you", "that", "to", "game",
    "games", "before", "my", "is", "it", "at", "by", "as", "from", "your", "make", "want", "who",
    "which", "this", "some", "lots", "lot", "very", "really", "me", "i", "we", "us", "be", "are", "get",
    "gets", "can", "has", "have", "into", "out", "up", "down", "between", "while", "when", "then", "so",
    "but", "not", "no", "all", "each", "every", "more", "less", "little", "much", "many", "one", "its",
    "play", "player", "players", "let", "like", "should", "would", "could", "please", "about", "fun",
}  # fmt: skip


@dataclass(frozen=True)
class BudgetLeft:
    """What is left this month (None: no limit). A request needs `tokens_needed` of the token budgets
    and `usd_needed` of the money ones to go to the LLM."""

    user_tokens: int | None = None
    user_usd: Decimal | None = None
    global_tokens: int | None = None
    global_usd: Decimal | None = None


@dataclass(frozen=True)
class Route:
    provider: str
    code: str
    reason: str
    confidence: float = 0.0

    @property
    def is_local(self) -> bool:
        return self.provider == LOCAL


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("s", "")):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + keep
    return word


def content_words(text: str) -> list[str]:
    """The words of a prompt that carry a decision (no filler, no numbers), lowercased, in order."""
    return [w for w in (m.lower() for m in _WORD_RE.findall(text)) if len(w) > 2 and w not in _FILLER]


def local_confidence(
    prompt: str, *, mechanic: str | None = None, mechanics: Collection[str] | None = None
) -> tuple[float, str]:
    """How sure the offline designer is of this prompt, 0..1, and why.

    0 when no word points at a mechanic (or the prompt is not in a language it reads); otherwise
    the share of the prompt's content words it understood (mechanic, setting, mood, parameters).
    A prompt with many ideas the designer has no word for ("a boss fight, power-ups and a shop")
    is one the LLM should read.
    """
    from generation.providers.local import read_prompt

    reading = read_prompt(prompt, seed=0, mechanic=mechanic, mechanics=mechanics)
    if reading.fallback and mechanic is None:
        return 0.0, f"the offline designer is guessing ({reading.fallback})"
    words = content_words(prompt)
    if not words:
        return 1.0, "nothing in the prompt needs more than the offline designer"
    matched = {_stem(w.lower()) for w in reading.matched_words} | {w.lower() for w in reading.matched_words}
    understood = [w for w in words if w in matched or _stem(w) in matched]
    share = len(understood) / len(words)
    missed = [w for w in words if w not in understood]
    detail = f"understood {len(understood)} of {len(words)} words"
    if missed:
        detail += f" (not: {', '.join(dict.fromkeys(missed[:6]))})"
    return round(share, 3), detail


def _budget_refusal(budget: BudgetLeft, *, tokens_needed: int, usd_needed: Decimal) -> tuple[str, str] | None:
    if budget.user_tokens is not None and budget.user_tokens < max(tokens_needed, 1):
        return BUDGET_USER, "your AI tokens for this month are used up"
    if budget.user_usd is not None and budget.user_usd < usd_needed:
        return BUDGET_USER, "your AI spending for this month is used up"
    if budget.global_tokens is not None and budget.global_tokens < max(tokens_needed, 1):
        return BUDGET_GLOBAL, "the platform's AI tokens for this month are used up"
    if budget.global_usd is not None and budget.global_usd < usd_needed:
        return BUDGET_GLOBAL, "the platform's AI budget for this month is used up"
    return None


def estimate_usd(*, provider: str, tokens: int) -> Decimal:
    """What `tokens` may cost at the configured model's output price (the dearer side): the reservation."""
    from generation.providers.llm import llm_price

    model = {"openai": settings.OPENAI_MODEL, "anthropic": settings.ANTHROPIC_MODEL}.get(provider, "")
    price = llm_price(model=model, input_tokens=0, output_tokens=tokens) if model else None
    return price if price is not None else Decimal("0")


def provider_route(
    *,
    prompt: str,
    change: str | None = None,
    mechanic: str | None = None,
    mechanics: Collection[str] | None = None,
    budget: BudgetLeft | None = None,
    tokens_needed: int = 0,
    usd_needed: Decimal = Decimal("0"),
) -> Route:
    """Pick the designer for a studio prompt (`change`: the words of a change request, if it is one)."""
    from generation.providers import provider_get

    llm = settings.STUDIO_PROVIDER
    if llm == LOCAL:
        return Route(LOCAL, LOCAL_CONFIGURED, "the platform runs the offline designer only")
    if not provider_get(llm).is_configured():
        return Route(LOCAL, LLM_NOT_CONFIGURED, f"{llm} is not configured, so the offline designer made it")
    policy = getattr(settings, "STUDIO_ROUTING", "cost")
    confidence = 0.0
    if policy != FIXED:
        if change is not None:
            size = len(content_words(change))
            if size <= settings.STUDIO_ROUTING_SMALL_CHANGE_WORDS:
                return Route(
                    LOCAL, SMALL_CHANGE, f"a small change ({size} words): the offline designer makes it"
                )
        confidence, detail = local_confidence(prompt, mechanic=mechanic, mechanics=mechanics)
        if confidence >= settings.STUDIO_ROUTING_LOCAL_CONFIDENCE:
            return Route(
                LOCAL, LOCAL_CONFIDENT, f"the offline designer covers this prompt: {detail}", confidence
            )
        why = f"{llm} reads this prompt better: {detail}"
    else:
        why = f"the platform always uses {llm}"
    refusal = _budget_refusal(budget or BudgetLeft(), tokens_needed=tokens_needed, usd_needed=usd_needed)
    if refusal is not None:
        code, words = refusal
        return Route(LOCAL, code, f"{words}, so the offline designer made it", confidence)
    return Route(llm, FIXED if policy == FIXED else NEEDS_LLM, why, confidence)
