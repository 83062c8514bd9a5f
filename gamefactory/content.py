"""One entry point for checking what users write, with a pluggable scanner.

Every app that stores or relays text a person typed (studio prompts, titles, descriptions,
display names, marketplace listings, multiplayer chat) calls `content_check` before it
saves or sends. The scanner is `settings.CONTENT_SCANNER`, a dotted path to a callable
with the same keyword arguments that returns a `ContentVerdict`. The default allows
everything; the moderation app plugs its scanner in.

What the caller does with the verdict:

- `allow`: go on.
- `hold`: keep the item out of public view until a moderator decides (a game stays private,
  a listing inactive). Content that cannot wait for review (a chat line) treats it as refuse.
- `refuse`: `content_check` raises `ApplicationError` on the field, with the reason, and
  nothing is saved or sent.

Apps lower in the stack (games, accounts, batches, multiplayer, marketplace) import only this
module, never the moderation app, so the dependency points one way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from gamefactory.errors import ApplicationError

Action = Literal["allow", "hold", "refuse"]
# What is being checked; the scanner may apply different thresholds per kind.
ContentKind = Literal[
    "prompt", "title", "description", "display_name", "bio", "listing", "chat", "game_code", "upload", "report"
]  # fmt: skip


@dataclass(frozen=True)
class ContentVerdict:
    action: Action = "allow"
    labels: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    # Shown to the user when the content is refused or held.
    reason: str = ""
    # The scanner's own record of the decision (e.g. a moderation scan id), for audit.
    reference: str = ""

    @property
    def allowed(self) -> bool:
        return self.action == "allow"


ALLOW = ContentVerdict()


def allow_everything(**kwargs) -> ContentVerdict:
    """The default scanner: no moderation app installed."""
    return ALLOW


@cache
def _scanner():
    return import_string(getattr(settings, "CONTENT_SCANNER", "gamefactory.content.allow_everything"))


def content_check(*, kind: ContentKind, text: str, field: str, user=None, raise_on_refuse: bool = True):
    """Scan `text` with the configured scanner and return its verdict.

    Raises `ApplicationError` on `field` (code `content_refused`) when the verdict is refuse and
    `raise_on_refuse` is true; a `hold` verdict is returned for the caller to act on.
    """
    if not text:
        return ALLOW
    verdict = _scanner()(kind=kind, text=text, field=field, user=user)
    if verdict.action == "refuse" and raise_on_refuse:
        reason = verdict.reason or "This text is not allowed on the platform."
        raise ApplicationError.for_field(field, reason, code="content_refused")
    return verdict


@receiver(setting_changed)
def _scanner_setting_changed(*, setting, **kwargs) -> None:
    if setting == "CONTENT_SCANNER":
        _scanner.cache_clear()
