"""Writes of the analytics app that other apps call: ingest keys, reporting options, maintenance.

The factory issues a game's keys at its step 5 (`ingest_key_issue`) and reads its numbers at step 12
(`metrics_for_game`, a read, re-exported here from `analytics.selectors`).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from analytics import keys, limits, partitions, selectors
from analytics.models import GameReporting, IngestKey, SeenEvent
from analytics.selectors import metrics_for_game  # noqa: F401  (re-exported: part of the public API)
from gamefactory.errors import ApplicationError
from games.models import Game

logger = logging.getLogger(__name__)


def _current_key(game: Game) -> IngestKey | None:
    return IngestKey.objects.filter(game=game, expires_at__isnull=True, revoked_at__isnull=True).first()


def _new_key(game: Game) -> IngestKey:
    salt = secrets.token_hex(16)
    public = keys.public_key_for(salt)
    return IngestKey.objects.create(
        game=game, salt=salt, public_hash=keys.public_hash(public), prefix=public[:12]
    )


def ingest_key_issue(*, game: Game) -> tuple[str, str]:
    """The game's current (public_key, secret), made if it has none. Safe to call again: same pair.

    The public key goes into web bundles (header `X-Ingest-Key`); the secret signs requests of
    mobile builds (header `X-Ingest-Signature`, see analytics/README.md).
    """
    key = _current_key(game)
    if key is None:
        try:
            with transaction.atomic():
                key = _new_key(game)
        except IntegrityError:
            # Another caller issued it at the same moment: the partial unique index kept one.
            key = _current_key(game)
            if key is None:
                raise
    return keys.public_key_for(key.salt), keys.secret_for(key.salt)


@transaction.atomic
def ingest_key_rotate(*, game: Game, grace: dt.timedelta = limits.ROTATION_GRACE) -> tuple[str, str]:
    """A new current key pair; the previous one keeps working for `grace`, then stops."""
    now = timezone.now()
    old = IngestKey.objects.select_for_update().filter(
        game=game, expires_at__isnull=True, revoked_at__isnull=True
    )
    old.update(expires_at=now + grace)
    key = _new_key(game)
    selectors.ingest_key_cache_clear()
    transaction.on_commit(selectors.ingest_key_cache_clear)
    logger.info("analytics: rotated the ingest key of game %s", game.pk)
    return keys.public_key_for(key.salt), keys.secret_for(key.salt)


@transaction.atomic
def ingest_key_revoke(*, game: Game | None = None, key: IngestKey | None = None) -> int:
    """Stop a key at once (or every key of a game); returns how many were revoked."""
    if (game is None) == (key is None):
        raise ApplicationError("Revoke either one key or every key of one game.", code="invalid")
    qs = IngestKey.objects.filter(revoked_at__isnull=True)
    qs = qs.filter(pk=key.pk) if key is not None else qs.filter(game=game)
    count = qs.update(revoked_at=timezone.now())
    # This process forgets at once; other servers within selectors.KEY_CACHE_SECONDS.
    selectors.ingest_key_cache_clear()
    transaction.on_commit(selectors.ingest_key_cache_clear)
    return count


def game_reporting_set(*, game: Game, timezone_name: str) -> GameReporting:
    """Count this game's days in another IANA timezone (UTC by default)."""
    try:
        zoneinfo.ZoneInfo(timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ApplicationError.for_field("timezone", f"Unknown timezone: {timezone_name}.") from exc
    reporting, _ = GameReporting.objects.update_or_create(game=game, defaults={"timezone": timezone_name})
    return reporting


def partitions_maintain(*, today: dt.date | None = None) -> dict:
    """Daily: partitions ahead, old partitions dropped after retention, old dedupe receipts pruned."""
    today = today or timezone.now().date()
    retention = settings.ANALYTICS_RETENTION_DAYS
    if retention <= limits.DEDUPE_KEEP.days:
        raise ApplicationError(
            f"ANALYTICS_RETENTION_DAYS must be more than {limits.DEDUPE_KEEP.days}.", code="misconfigured"
        )
    created = partitions.partitions_ensure_window(
        today=today, ahead=settings.ANALYTICS_PARTITIONS_AHEAD, behind=limits.MAX_LATE.days + 1
    )
    dropped = partitions.partitions_drop_before(day=today - dt.timedelta(days=retention))
    if connection.vendor != "postgresql":
        from analytics.models import Event

        cutoff = dt.datetime.combine(today - dt.timedelta(days=retention), dt.time.min, tzinfo=dt.UTC)
        Event.objects.filter(occurred_at__lt=cutoff).delete()
    pruned, _ = SeenEvent.objects.filter(occurred_at__lt=timezone.now() - limits.DEDUPE_KEEP).delete()
    return {"created": created, "dropped": dropped, "receipts_pruned": pruned}
