"""Start every process of the Procfile (web, worker, beat) with honcho; Ctrl-C stops them all.

honcho kills what has not stopped 5 seconds after Ctrl-C; a Celery worker's warm shutdown (finish
the task at hand, ack it) can take longer, so it gets 30.
"""

import sys

import honcho.manager
from honcho.command import main

honcho.manager.KILL_WAIT = 30

if __name__ == "__main__":
    sys.exit(main(["start", "-f", "Procfile", *sys.argv[1:]]))
