"""Start every process of the Procfile (web, worker, beat) with honcho; Ctrl-C stops them all.

honcho kills what has not stopped 5 seconds after Ctrl-C; a Celery worker's warm shutdown (finish
the task at hand, ack it) can take longer, so it gets 30.

`make run` asks for DEBUG only when WEB_HOST is a loopback address; DEBUG on with any other bind
refuses to start here, before any process is started (settings and scripts/serve.py refuse too).
"""

import os
import sys

import honcho.manager
from honcho.command import main

honcho.manager.KILL_WAIT = 30


def _loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


if __name__ == "__main__":
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    debug = os.environ.get("DEBUG", "").strip().lower() in ("1", "true", "yes", "on")
    if debug and not _loopback(host):
        sys.exit(
            f"Refusing to start: DEBUG is on and the web process would bind {host}. "
            "Bind 127.0.0.1 (WEB_HOST), or set DEBUG=0."
        )
    sys.exit(main(["start", "-f", "Procfile", *sys.argv[1:]]))
