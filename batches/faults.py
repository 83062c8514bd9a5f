"""Staff fault injection: make a step of one production misbehave, to see the factory cope.

`Production.faults` maps a step number to a fault: `{"3": {"mode": "raise", "times": 2}}`.
A fault applies to the first `times` attempts of the step (attempt numbers keep counting over
automatic retries, staff retries and re-runs: `times: 3` with three attempts per series sends the
game to review and lets a staff retry succeed; `times: 99` fails until staff clear it):

- `raise`: the step raises before doing anything;
- `sleep`: the step sleeps `seconds` first (a hung step: soft time limit, or kill the worker);
- `invalid`: the step runs but its validation fails (the output waits for staff approval);
- `push_fail`: the push of the step's commit to the repository fails (the push outbox retries it;
  the step itself has completed).
"""

from __future__ import annotations

import time

from batches import limits
from gamefactory.errors import ApplicationError

MODES = ("raise", "sleep", "invalid", "push_fail")
MAX_TIMES = 100
MAX_SLEEP_SECONDS = 3600


class InjectedFault(RuntimeError):
    """Raised by an injected fault; an ordinary step failure in every other respect."""


def faults_clean(data) -> dict:
    """The fault plan, checked; ApplicationError naming `faults.<step>.<key>` otherwise."""
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise ApplicationError.for_field("faults", "Faults must be an object keyed by step number.")
    out: dict[str, dict] = {}
    for key, fault in data.items():
        where = f"faults.{key}"
        try:
            step = int(key)
        except (TypeError, ValueError):
            step = 0
        if not 1 <= step <= limits.STEP_COUNT:
            raise ApplicationError.for_field(where, f"Steps are numbered 1 to {limits.STEP_COUNT}.")
        if not isinstance(fault, dict):
            raise ApplicationError.for_field(where, "A fault is an object with a mode.")
        unknown = set(fault) - {"mode", "times", "seconds"}
        if unknown:
            raise ApplicationError.for_field(f"{where}.{sorted(unknown)[0]}", "Unknown fault option.")
        mode = fault.get("mode")
        if mode not in MODES:
            raise ApplicationError.for_field(f"{where}.mode", f"One of: {', '.join(MODES)}.")
        times = fault.get("times", 1)
        if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= MAX_TIMES:
            raise ApplicationError.for_field(f"{where}.times", f"An integer from 1 to {MAX_TIMES}.")
        clean = {"mode": mode, "times": times}
        if mode == "sleep":
            seconds = fault.get("seconds", 5)
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, int | float)
                or not 0 < seconds <= MAX_SLEEP_SECONDS
            ):
                raise ApplicationError.for_field(
                    f"{where}.seconds", f"A number of seconds from 0 to {MAX_SLEEP_SECONDS}."
                )
            clean["seconds"] = seconds
        out[str(step)] = clean
    return out


def fault_for(faults: dict, *, step: int, attempt: int, mode: str | None = None) -> dict | None:
    fault = (faults or {}).get(str(step))
    if not fault or attempt > fault.get("times", 1):
        return None
    if mode is not None and fault.get("mode") != mode:
        return None
    return fault


def before_step(faults: dict, *, step: int, attempt: int, log) -> None:
    fault = fault_for(faults, step=step, attempt=attempt)
    if fault is None:
        return
    if fault["mode"] == "raise":
        raise InjectedFault(f"Injected failure in step {step} (attempt {attempt}).")
    if fault["mode"] == "sleep":
        log(f"injected fault: sleeping {fault['seconds']}s")
        time.sleep(fault["seconds"])


def validation_problems(faults: dict, *, step: int, attempt: int) -> list[str]:
    if fault_for(faults, step=step, attempt=attempt, mode="invalid"):
        return [f"Injected validation failure in step {step}."]
    return []


def before_push(faults: dict, *, step: int, attempt: int) -> None:
    if fault_for(faults, step=step, attempt=attempt, mode="push_fail"):
        from batches.repositories import RepositoryError

        raise RepositoryError(f"Injected push failure in step {step}: the repository refused the push.")
