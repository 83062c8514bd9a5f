"""Run attempts in this process instead of sending them to Celery (`run_batch --inline`, tests).

Inside `inline_dispatch()` every attempt the engine would send to a queue is appended to a local
queue instead; `run_next()` executes the oldest. Nothing else changes: the same services, the same
transactions, the same state machines.
"""

from __future__ import annotations

from collections import deque
from contextlib import contextmanager
from contextvars import ContextVar

_queue: ContextVar[deque | None] = ContextVar("batches_inline_queue", default=None)


@contextmanager
def inline_dispatch():
    token = _queue.set(deque())
    try:
        yield
    finally:
        _queue.reset(token)


def active() -> bool:
    return _queue.get() is not None


def enqueue(run_id: int) -> None:
    queue = _queue.get()
    if queue is None:
        raise RuntimeError("inline.enqueue outside inline_dispatch()")
    if run_id not in queue:
        queue.append(run_id)


def pending() -> int:
    queue = _queue.get()
    return len(queue) if queue is not None else 0


def run_next() -> str | None:
    """Execute the oldest queued attempt; what happened, or None when the queue is empty."""
    queue = _queue.get()
    if not queue:
        return None
    from batches.execution import step_run_execute

    return step_run_execute(run_id=queue.popleft(), worker="inline")


def drain(*, on_progress=None) -> int:
    """Execute queued attempts until none is left (each may queue the next); how many ran."""
    count = 0
    while run_next() is not None:
        count += 1
        if on_progress is not None:
            on_progress()
    return count
