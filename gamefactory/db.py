"""A read replica for metrics: analytics' selectors and dashboards read it, everything else the primary.

With `DATABASE_REPLICA_URL` set, settings add the database alias `replica`. Reads are sent there only
inside `replica_reads()` (or a function decorated `@replica_reading`): the analytics selectors, the
dashboards and the metrics API. Everything else, writes and the reads that must see them (ingestion,
aggregation, the catalogue), stays on the primary, so replication lag never shows up where it matters.

The replica is optional at every moment: when it cannot be reached the router sends reads to the
primary, and a read that fails on it (the replica went away mid-request) is run again on the primary.
After a failure the replica is left alone for `DATABASE_REPLICA_RETRY_AFTER` seconds (per process).
A replica alias that points at the primary's own database (a test mirror) is read through the
primary's connection.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("gamefactory_replica_reads", default=False)
_replica_used: ContextVar[bool] = ContextVar("gamefactory_replica_used", default=False)
_down_until = {"value": 0.0}


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _same_database() -> bool:
    ours, theirs = connections[REPLICA].settings_dict, connections[DEFAULT_DB_ALIAS].settings_dict
    return all(ours.get(k) == theirs.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT"))


def replica_mark_down(reason: str = "") -> None:
    _down_until["value"] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_AFTER
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()
    logger.warning("db: the read replica is down (%s); reading the primary", reason or "unreachable")


def replica_state_reset() -> None:
    """Forget a past failure (tests; an operator who fixed the replica can also just wait)."""
    _down_until["value"] = 0.0


def replica_available() -> bool:
    """Is the replica there to read? Connects if needed (a failure marks it down for a while)."""
    if not replica_configured() or _same_database():
        return False
    if time.monotonic() < _down_until["value"]:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except (OperationalError, InterfaceError) as exc:
        replica_mark_down(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        return False
    return True


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica (when it is there)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_reading(fn):
    """Run `fn` with its reads on the replica; if the replica fails meanwhile, run it again on the primary.

    Only for functions that only read (a dashboard, a selector): they may run twice.
    """

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        if _replica_reads.get():  # an outer call decides (and falls back)
            return fn(*args, **kwargs)
        used = _replica_used.set(False)
        try:
            with replica_reads():
                return fn(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not _replica_used.get():
                raise  # the primary failed: nothing to fall back to
            replica_mark_down(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
            return fn(*args, **kwargs)
        finally:
            _replica_used.reset(used)

    return wrapped


class ReadReplicaRouter:
    """Reads inside `replica_reads()` go to the replica while it answers; nothing else changes."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and replica_available():
            _replica_used.set(True)
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: objects read from either relate.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None
