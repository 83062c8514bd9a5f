"""One entry point for checking what users write, with a pluggable scanner.

Every app that stores or relays text a person typed (studio prompts, titles, descriptions,
display names, marketplace listings, multiplayer chat) calls `content_check` before it
saves or sends. The scanner is `settings.CONTENT_SCANNER`, a dotted path to a callable
with the same keyword arguments that returns a `ContentVerdict`: the moderation app's
scanner (`moderation.scanner.content_scanner`); `allow_everything` switches scanning off.

What the caller does with the verdict:

- `allow`: go on.
- `hold`: keep the item out of public view until a moderator decides (a game stays private,
  a listing inactive). Content that cannot wait for review (a chat line) treats it as refuse.
- `refuse`: `content_check` raises `ApplicationError` on the field, with the reason, and
  nothing is saved or sent.

Once a held item exists, the caller names it with `content_held(verdicts=, content_type=,
content_id=)`: the moderation app (`settings.CONTENT_HOLD_HANDLER`) queues it for review,
links the scans to it and tells the owner. Call both outside `transaction.atomic()` where you
can: a scan is recorded, and a refusal raised inside an atomic block would roll its record back.

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
    """The scanner when no moderation app is installed."""
    return ALLOW


def ignore_holds(**kwargs) -> None:
    """The hold handler when no moderation app is installed."""


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


@cache
def _hold_handler():
    return import_string(getattr(settings, "CONTENT_HOLD_HANDLER", "gamefactory.content.ignore_holds"))


def content_held(*, verdicts, content_type: str, content_id, user=None) -> None:
    """An item was kept out of public view because of `verdicts` (those that say hold): queue it.

    `content_type` is what moderation calls it (`game`, `version`, `user`, `chat_message`,
    `listing`); `content_id` its primary key. Does nothing when no verdict holds.
    """
    held = [v for v in verdicts if v is not None and v.action == "hold"]
    if held:
        _hold_handler()(verdicts=held, content_type=content_type, content_id=content_id, user=user)


@receiver(setting_changed)
def _scanner_setting_changed(*, setting, **kwargs) -> None:
    if setting == "CONTENT_SCANNER":
        _scanner.cache_clear()
    if setting == "CONTENT_HOLD_HANDLER":
        _hold_handler.cache_clear()
