"""Start every process of the Procfile (web, worker, beat) with honcho; Ctrl-C stops them all.

On Ctrl-C (or SIGTERM) honcho asks each process to stop. It would signal each process's whole group,
which reaches a Celery worker's pool children at the same moment as the worker: they die at once and
the worker's warm shutdown then waits for them until it is killed. Here only the process itself is
told (the Procfile `exec`s each command, so that is the program, not a shell); the worker then stops
its own pool. What has not stopped `KILL_WAIT` seconds later is killed, group and all: a warm shutdown
finishes the task at hand and acks it, which can take a while.

A stop that the user asked for is a normal end: exit 0, so `make run` does not report "Error 130".
The processes' Prometheus counters (PROMETHEUS_MULTIPROC_DIR) are reset before they start.

`make run` asks for DEBUG only when WEB_HOST is a loopback address; DEBUG on with any other bind
refuses to start here, before any process is started (settings and scripts/serve.py refuse too).
"""

import errno
import os
import signal
import sys
from pathlib import Path

import honcho.manager
from honcho.command import main

KILL_WAIT = 30
# honcho's own return codes when it was stopped by SIGINT or SIGTERM.
STOPPED_BY_SIGNAL = {128 + signal.SIGINT, 128 + signal.SIGTERM}


class ProcessManager(honcho.manager.ProcessManager):
    def terminate(self, pid):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ESRCH):
                raise


honcho.manager.KILL_WAIT = KILL_WAIT
honcho.manager.ProcessManager = ProcessManager


def _loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def metrics_reset() -> None:
    """The processes' Prometheus counters start from zero with them (gamefactory/metrics.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    from django.conf import settings

    from gamefactory.metrics import multiprocess_dir_reset

    multiprocess_dir_reset(settings.PROMETHEUS_MULTIPROC_DIR)


def run(argv: list[str]) -> int:
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    debug = os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
    if debug and not _loopback(host):
        sys.exit(
            f"Refusing to start: DEBUG is on and the web process would bind {host}. "
            "Bind 127.0.0.1 (WEB_HOST), or set DEBUG=0."
        )
    metrics_reset()
    try:
        code = main(["start", "-f", "Procfile", *argv])
    except SystemExit as exc:
        code = exc.code
    code = code if isinstance(code, int) else (0 if code is None else 1)
    return 0 if code in STOPPED_BY_SIGNAL else code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
