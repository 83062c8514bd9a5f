"""Idempotency keys with Stripe's semantics.

- The first request with a key runs; its answer (success or a 4xx the service raised) is stored
  with a fingerprint of its parameters, in the same database transaction as its effects.
- The same key with the same parameters returns the stored answer (`Idempotent-Replayed: true`).
- The same key with other parameters is refused with 409 `idempotency_key_reused`.
- A concurrent request with the same key waits on the key's unique index until the first commits,
  then replays its answer: it never runs twice.
- Keys are scoped to the user and kept `MARKETPLACE_IDEMPOTENCY_TTL_HOURS` (24 h) at least;
  `idempotency_keys_prune_task` (beat, hourly) drops older ones.
Input that fails validation before the service runs is not stored (as at Stripe).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gamefactory.errors import ApplicationError
from marketplace.models import IdempotencyKey

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict
    replayed: bool = False


def key_clean(key: str | None) -> str:
    if key is None:
        return ""
    key = key.strip()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApplicationError.for_field(
            "Idempotency-Key",
            f"At most {MAX_KEY_LENGTH} printable characters (a UUID is best).",
            code="invalid_key",
        )
    return key


def fingerprint_of(*, scope: str, params: dict) -> str:
    canonical = json.dumps(
        {"scope": scope, "params": params}, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json_ready(body: dict) -> dict:
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def idempotent_call(
    *, user, key: str, scope: str, params: dict, call: Callable[[], tuple[int, dict]]
) -> Answer:
    """Run `call` once per (user, key); see the module's docstring."""
    key = key_clean(key)
    if not key:
        with transaction.atomic():
            status, body = call()
        return Answer(status, _json_ready(body))
    fingerprint = fingerprint_of(scope=scope, params=params)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    scope=scope,
                    fingerprint=fingerprint,
                    response_status=0,
                    response_body={},
                )
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=user, key=key)
            if record.fingerprint != fingerprint or record.scope != scope:
                raise ApplicationError.for_field(
                    "Idempotency-Key",
                    "This key was used with other parameters; use a new key for a new request.",
                    code="idempotency_key_reused",
                    status=409,
                ) from None
            return Answer(record.response_status, record.response_body, replayed=True)
        try:
            with transaction.atomic():
                status, body = call()
        except ApplicationError as exc:
            status, body = exc.status_code, exc.as_dict()
        record.response_status = status
        record.response_body = _json_ready(body)
        record.save(update_fields=["response_status", "response_body"])
        return Answer(status, record.response_body)


def idempotency_keys_prune(*, now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.MARKETPLACE_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
