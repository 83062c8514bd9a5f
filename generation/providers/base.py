"""The designer's provider interface: a prompt (and options) in, a validated GameSpec out.

A provider is a module `generation/providers/<name>.py` exposing `PROVIDER`, an instance
of a `Provider` subclass. `local` is offline and deterministic; LLM providers (`openai`,
`anthropic`) validate their model's answer with `spec_validate`, repair it a few times,
and fall back to `local` (recording why in `DesignResult.fallback_reason` and in the
spec's provenance) when the answer stays invalid or the service fails.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from generation.spec import GameSpec


@dataclass(frozen=True)
class DesignRequest:
    """What the caller asks for. `mechanic` and `params` override what the prompt suggests.

    `mechanics` are the slugs the design may use (None: every mechanic in code); the
    designer passes the ones staff left active.
    """

    prompt: str
    seed: int = 0
    mechanic: str | None = None
    params: dict[str, Any] | None = None
    mechanics: frozenset[str] | None = None

    def allows(self, slug: str) -> bool:
        return self.mechanics is None or slug in self.mechanics


@dataclass
class Usage:
    """What one design cost: filled by LLM providers for every call (zero for `local`)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal("0")
    latency_ms: int = 0
    model: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cost_usd"] = str(self.cost_usd)
        return data


@dataclass
class DesignResult:
    spec: GameSpec
    provider: str
    usage: Usage = field(default_factory=Usage)
    attempts: int = 1
    fallback_reason: str = ""
    # Custom logic for the bundle (`bundle_build(logic_js=...)`), already accepted by
    # generation.jscheck; empty when the design has none (always, for `local`).
    logic_js: str = ""


class Provider(ABC):
    """One way of turning a prompt into a GameSpec."""

    name: str = ""

    @abstractmethod
    def design(self, request: DesignRequest) -> DesignResult:
        """Return a valid spec for the request, or raise ApplicationError for bad input."""

    def is_configured(self) -> bool:
        """False when the provider lacks what it needs (an API key); callers then use `local`."""
        return True
