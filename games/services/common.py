"""Shared by the catalogue's services: cache invalidation, slugs, tags, temp folders."""

from __future__ import annotations

import re
import tempfile
import unicodedata
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from gamefactory.errors import ApplicationError
from games import limits
from games.models import Game, Tag

LIST_VERSION_KEY = "games:list:version"


def catalogue_changed() -> None:
    """Drop every cached catalogue page (after commit): their keys carry this version."""
    transaction.on_commit(lambda: cache.set(LIST_VERSION_KEY, uuid.uuid4().hex, timeout=None))


def tmp_dir(prefix: str) -> Path:
    base = Path(settings.VAR_DIR) / "tmp"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


def slug_for(title: str, game_id: uuid.UUID) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "game"
    # The id's first characters make it unique without a read-then-write race.
    return f"{base}-{game_id.hex[:8]}"


def clean_tags(names) -> list[str]:
    if names is None:
        return []
    if isinstance(names, str):
        names = [n for n in names.split(",")]
    if not isinstance(names, list | tuple):
        raise ApplicationError.for_field("tags", "Tags are a list of words.", code="invalid")
    out: list[str] = []
    for raw in names:
        if not isinstance(raw, str):
            raise ApplicationError.for_field("tags", "Each tag is a word.", code="invalid")
        ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[: limits.TAG_MAX_CHARS].strip("-")
        if slug and slug not in out:
            out.append(slug)
    if len(out) > limits.MAX_TAGS:
        raise ApplicationError.for_field("tags", f"At most {limits.MAX_TAGS} tags.", code="too_many_tags")
    return out


def set_tags(game: Game, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    game.tags.set([existing[n] for n in names])


# --- the words a game shows its players (what content checks read) --------------------------

# Subtrees and keys of a GameSpec that hold machine values (ids, colours, event names), not words.
_SPEC_SKIP_TREES = frozenset(
    {"provenance", "analytics", "ads", "audio", "palette", "controls", "difficulty", "params"}
)
_SPEC_SKIP_KEYS = frozenset({
    "id", "slug", "mechanic", "genre", "format", "trigger", "cue", "sound", "shape", "asset", "asset_id",
    "art_style", "mood", "role", "kind", "type", "key", "version", "schema", "touch_layout", "sprite",
})  # fmt: skip
_SPEC_MAX_STRINGS = 2000


def spec_words(spec) -> str:
    """Every player-facing string of a GameSpec dict (title, description, rules, tutorial, cast...),
    one per line, for `content_check`."""
    out: list[str] = []

    def walk(value) -> None:
        if len(out) >= _SPEC_MAX_STRINGS:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in _SPEC_SKIP_TREES and key not in _SPEC_SKIP_KEYS:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.strip() and not value.startswith("#"):
            out.append(value.strip())

    walk(spec if isinstance(spec, dict) else {})
    return "\n".join(dict.fromkeys(out))
