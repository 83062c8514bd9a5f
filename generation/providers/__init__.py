"""Designer providers, found by name.

A provider is a module `generation/providers/<name>.py` (or `<name>_provider.py`, when `<name>`
is also the name of the SDK it wraps) exposing `PROVIDER`, a `Provider` whose `name` is `<name>`.
"""

from __future__ import annotations

import importlib
import re

from gamefactory.errors import ApplicationError
from generation.providers.base import DesignRequest, DesignResult, Provider, Usage

__all__ = ["DesignRequest", "DesignResult", "Provider", "Usage", "provider_get"]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


def provider_get(name: str) -> Provider:
    """The provider called `name`, or ApplicationError on field `provider`."""
    if not isinstance(name, str) or not _NAME_RE.match(name) or name == "base":
        raise ApplicationError.for_field("provider", f"Unknown provider {name!r}.", code="unknown_provider")
    for module_name in (f"{__name__}.{name}", f"{__name__}.{name}_provider"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # the provider exists but something it imports does not
            continue
        provider = getattr(module, "PROVIDER", None)
        if isinstance(provider, Provider) and provider.name == name:
            return provider
    raise ApplicationError.for_field("provider", f"Unknown provider {name!r}.", code="unknown_provider")
