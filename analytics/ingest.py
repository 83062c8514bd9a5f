"""Event ingestion: parse a request body, give every event a verdict, store the good ones once.

This is the hot path (aim: 10,000 events/s on 2 cores), so it is plain Python and one SQL
statement per request on PostgreSQL: no ORM object is built per event there.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import re
import uuid
import zlib
from contextlib import nullcontext
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from analytics import limits, partitions
from analytics.models import Event, SeenEvent
from analytics.taxonomy import (
    STANDARD_EVENTS,
    ParamError,
    text_ok,
    validate_custom_params,
    validate_standard_params,
)
from gamefactory.errors import ApplicationError

logger = logging.getLogger(__name__)

_CUSTOM_NAME = re.compile(limits.CUSTOM_EVENT_NAME_PATTERN)
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_PLATFORMS = frozenset(limits.PLATFORMS)
_REVENUE_EVENTS = {"purchase", "refund"}
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class EventError(ValueError):
    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


# --- the body -------------------------------------------------------------------------------


def body_decode(*, body: bytes, content_encoding: str = "") -> list:
    """The events of a request body (gzip or not; one event, a list, or {"events": [...]})."""
    max_body = settings.ANALYTICS_MAX_BODY
    encoding = content_encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        body = _gunzip(body, max_body)
    elif encoding not in ("", "identity"):
        raise ApplicationError(
            f"Content-Encoding {content_encoding!r} is not accepted; send gzip or nothing.",
            code="unsupported_encoding",
            status=415,
        )
    if not body.strip():
        raise ApplicationError.for_field("body", "The body is empty.", code="empty_body")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad JSON and bad UTF-8 (UnicodeDecodeError); RecursionError, absurd nesting.
        raise ApplicationError.for_field(
            "body", f"The body is not valid JSON: {exc}"[:300], code="invalid_json"
        ) from None
    if isinstance(data, dict) and "events" in data:
        data = data["events"]
        if not isinstance(data, list):
            raise ApplicationError.for_field(
                "events", "events must be a list of event objects.", code="invalid"
            )
    elif isinstance(data, dict):
        data = [data]
    elif not isinstance(data, list):
        raise ApplicationError.for_field(
            "body", 'Send one event object, a list of events, or {"events": [...]}.', code="invalid"
        )
    if not data:
        raise ApplicationError.for_field("events", "The batch has no events.", code="empty_batch")
    if len(data) > settings.ANALYTICS_MAX_BATCH:
        raise ApplicationError.for_field(
            "events",
            f"{len(data)} events in one request; at most {settings.ANALYTICS_MAX_BATCH} are accepted.",
            code="too_many_events",
            status=413,
        )
    return data


def _gunzip(body: bytes, limit: int) -> bytes:
    """Decompress, refusing anything that inflates past `limit` (a gzip bomb stops at limit + 1 bytes)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise ApplicationError(
                f"The body inflates past {limit} bytes.", code="request_too_large", status=413
            )
        out += inflater.flush()
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise ApplicationError.for_field(
            "body", f"The gzip body is damaged: {exc}", code="invalid_gzip"
        ) from None
    if not inflater.eof:
        raise ApplicationError.for_field("body", "The gzip body is truncated.", code="invalid_gzip")
    if len(out) > limit:
        raise ApplicationError(f"The body inflates past {limit} bytes.", code="request_too_large", status=413)
    return out


# --- one event --------------------------------------------------------------------------------


def _timestamp(value, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
    if isinstance(value, str):
        try:
            ts = dt.datetime.fromisoformat(value)
        except ValueError:
            raise EventError(
                "ts", "invalid_timestamp", "ts must be ISO 8601 or epoch milliseconds."
            ) from None
        if ts.tzinfo is None:
            raise EventError("ts", "invalid_timestamp", "ts must carry a timezone offset (e.g. Z).")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            ts = _EPOCH + dt.timedelta(milliseconds=value)
        except (OverflowError, ValueError):
            raise EventError("ts", "timestamp_out_of_range", "ts is not a possible time.") from None
    else:
        raise EventError("ts", "invalid_timestamp", "ts is required: ISO 8601 or epoch milliseconds.")
    if ts > latest:
        raise EventError(
            "ts", "timestamp_in_future", "ts is more than 23 hours in the future (check the device clock)."
        )
    if ts < earliest:
        raise EventError("ts", "timestamp_too_old", "ts is older than events are accepted for.")
    return ts.astimezone(dt.UTC)


def _short_string(item: dict, name: str, limit: int, *, required: bool = False) -> str:
    value = item.get(name)
    if value is None or value == "":
        if required:
            raise EventError(name, "missing_field", f"{name} is required.")
        return ""
    if not isinstance(value, str):
        raise EventError(name, "invalid_field", f"{name} must be a string.")
    if len(value) > limit:
        raise EventError(name, "invalid_field", f"{name} is longer than {limit} characters.")
    if not text_ok(value):
        raise EventError(name, "invalid_field", f"{name} holds characters that cannot be stored.")
    return value


def event_validate(item, *, earliest: dt.datetime, latest: dt.datetime) -> dict:
    """One event, checked and normalised into a row; raises EventError naming the field."""
    if not isinstance(item, dict):
        raise EventError("event", "not_an_object", "Each event must be a JSON object.")
    raw_id = item.get("id")
    if not isinstance(raw_id, str):
        raise EventError("id", "invalid_id", "id is required: a UUID made by the client.")
    if _CANONICAL_UUID.match(raw_id):
        event_id = raw_id.lower()  # the usual form: no need to build a UUID object
    else:
        try:
            event_id = str(uuid.UUID(raw_id))
        except ValueError:
            raise EventError("id", "invalid_id", "id must be a UUID.") from None
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise EventError("name", "missing_field", "name is required.")
    ts = _timestamp(item.get("ts"), earliest, latest)
    player_id = _short_string(item, "player_id", limits.MAX_PLAYER_ID_LENGTH, required=True)
    session_id = _short_string(item, "session_id", limits.MAX_SESSION_ID_LENGTH)
    build = _short_string(item, "build", limits.MAX_BUILD_LENGTH)
    platform = item.get("platform") or "web"
    if platform not in _PLATFORMS:
        raise EventError(
            "platform", "invalid_field", f"platform must be one of: {', '.join(limits.PLATFORMS)}."
        )
    params = item.get("params")
    if params is None:
        params = {}
    elif not isinstance(params, dict):
        raise EventError("params", "invalid_param", "params must be a flat object.")
    elif len(params) > limits.MAX_PARAMS:
        raise EventError("params", "params_too_large", f"At most {limits.MAX_PARAMS} params per event.")
    try:
        standard = STANDARD_EVENTS.get(name)
        if standard is not None:
            params = validate_standard_params(standard, params)
        elif _CUSTOM_NAME.match(name):
            params = validate_custom_params(params)
            if len(json.dumps(params)) > limits.MAX_PARAMS_BYTES:
                raise EventError(
                    "params", "params_too_large", f"params are larger than {limits.MAX_PARAMS_BYTES} bytes."
                )
        else:
            raise EventError(
                "name",
                "unknown_event",
                f"{name[:64]!r} is not a standard event; custom events are named design:<name>.",
            )
    except ParamError as exc:
        raise EventError(exc.field, exc.code, exc.message) from None
    amount = None
    if name in _REVENUE_EVENTS:
        amount = params["amount_cents"] * limits.MICROS_PER_CENT
    elif name == "ad_impression":
        amount = params.get("revenue_micros", 0)
    return {
        # Strings from here on: the batch is JSON-encoded for PostgreSQL without a Python callback.
        "uuid": event_id,
        "name": name,
        "occurred_at": ts.isoformat(),
        "player_id": player_id,
        "session_id": session_id,
        "platform": platform,
        "build": build,
        "level": params.get("level") if standard is not None else None,
        "success": params.get("success") if standard is not None else None,
        "amount_micros": amount,
        "params": params,
    }


def events_validate(
    items: list, *, now: dt.datetime, import_mode: bool = False
) -> tuple[list[dict], list[dict], int]:
    """Every event's verdict: (rows to store, rejected [{index, code, field, message}], repeats in batch)."""
    earliest = now - (
        dt.timedelta(days=settings.ANALYTICS_RETENTION_DAYS - 1) if import_mode else limits.MAX_LATE
    )
    latest = now + limits.MAX_FUTURE
    rows: list[dict] = []
    rejected: list[dict] = []
    seen: set[uuid.UUID] = set()
    repeats = 0
    for index, item in enumerate(items):
        try:
            row = event_validate(item, earliest=earliest, latest=latest)
        except EventError as exc:
            rejected.append({"index": index, "code": exc.code, "field": exc.field, "message": exc.message})
            continue
        if row["uuid"] in seen:
            repeats += 1
            continue
        seen.add(row["uuid"])
        rows.append(row)
    return rows, rejected, repeats


# --- storing ----------------------------------------------------------------------------------

_INSERT_POSTGRESQL = """
WITH batch AS (
    SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r(
        uuid uuid, name text, occurred_at timestamptz, player_id text, session_id text, platform text,
        build text, level integer, success boolean, amount_micros bigint, params jsonb)
), fresh AS (
    INSERT INTO analytics_seenevent (uuid, occurred_at)
    SELECT uuid, occurred_at FROM batch
    ON CONFLICT (uuid) DO NOTHING
    RETURNING uuid
)
INSERT INTO analytics_event (uuid, game_id, name, occurred_at, received_at, player_id, session_id,
                             platform, build, level, success, amount_micros, params)
SELECT b.uuid, %s, b.name, b.occurred_at, now(), b.player_id, b.session_id,
       b.platform, b.build, b.level, b.success, b.amount_micros, b.params
FROM batch b JOIN fresh f ON f.uuid = b.uuid
"""
# Imports may carry events older than the dedupe receipts are kept: those are also looked up in the
# events themselves (the game's index on (game_id, occurred_at) finds them).
_IMPORT_FILTER = """
WHERE NOT EXISTS (
    SELECT 1 FROM analytics_event e
    WHERE e.game_id = %s AND e.occurred_at = b.occurred_at AND e.uuid = b.uuid
)
"""


def _days(rows: list[dict]) -> set[dt.date]:
    """The UTC days of the rows (their timestamps are UTC ISO strings, so the date leads)."""
    return {dt.date.fromisoformat(day) for day in {row["occurred_at"][:10] for row in rows}}


def _store_postgresql(game_id, rows: list[dict], import_mode: bool) -> int:
    payload = json.dumps(rows, separators=(",", ":"))
    sql = _INSERT_POSTGRESQL
    params: list = [payload, game_id]
    if import_mode:
        sql += _IMPORT_FILTER
        params.append(game_id)
    partitions.partitions_ensure_for(days=_days(rows))
    for attempt in (1, 2):
        try:
            # One statement is atomic on its own: outside a transaction it needs no BEGIN/COMMIT round
            # trips; inside one (tests, callers' atomic blocks) a savepoint keeps a retry possible.
            connection.ensure_connection()
            with (
                transaction.atomic() if connection.in_atomic_block else nullcontext(),
                connection.wrap_database_errors,
                # Server-side binding: the batch travels as a parameter, not escaped into the SQL text
                # (Django's default client-side cursor would quote 30 KB of JSON in Python).
                psycopg.Cursor(connection.connection) as cursor,
            ):
                cursor.execute(sql, params)
                return cursor.rowcount
        except DatabaseError as exc:
            # A partition this process believed in is gone (dropped, or made in a rolled-back
            # transaction): make it again and retry once.
            if attempt == 2 or "no partition of relation" not in str(exc):
                raise
            partitions.forget_known()
            partitions.partitions_ensure(days=_days(rows))
    raise AssertionError("unreachable")


def _store_portable(game_id, rows: list[dict], import_mode: bool) -> int:
    received = timezone.now()
    with transaction.atomic():
        ids = [row["uuid"] for row in rows]
        known = {str(u) for u in SeenEvent.objects.filter(uuid__in=ids).values_list("uuid", flat=True)}
        # Here the events table keeps its primary key, so any stored copy is a duplicate.
        known |= {str(u) for u in Event.objects.filter(uuid__in=ids).values_list("uuid", flat=True)}
        fresh = [row for row in rows if row["uuid"] not in known]
        SeenEvent.objects.bulk_create(
            [SeenEvent(uuid=row["uuid"], occurred_at=row["occurred_at"]) for row in fresh]
        )
        Event.objects.bulk_create(
            [Event(game_id=game_id, received_at=received, **row) for row in fresh], batch_size=200
        )
    return len(fresh)


def events_store(*, game_id, rows: list[dict], import_mode: bool = False) -> int:
    """Store rows not stored before (by client UUID, across requests); returns how many were new."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _store_postgresql(game_id, rows, import_mode)
    return _store_portable(game_id, rows, import_mode)


def events_ingest(
    *, game_id, body: bytes, content_encoding: str = "", import_mode: bool = False
) -> IngestResult:
    """Decode a request body, judge every event, store the good ones once; the endpoint's service."""
    items = body_decode(body=body, content_encoding=content_encoding)
    rows, rejected, repeats = events_validate(items, now=timezone.now(), import_mode=import_mode)
    accepted = events_store(game_id=game_id, rows=rows, import_mode=import_mode)
    return IngestResult(accepted=accepted, duplicates=repeats + len(rows) - accepted, rejected=rejected)
