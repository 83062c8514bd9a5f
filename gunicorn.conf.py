"""Gunicorn's settings (read from the working directory): the Prometheus metrics of every worker add up.

The workers write their counters to PROMETHEUS_MULTIPROC_DIR (see gamefactory/metrics.py): the master
empties it when it starts, and forgets a worker's live values when the worker exits.
"""

import os


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    from django.conf import settings

    from gamefactory.metrics import multiprocess_dir_reset

    multiprocess_dir_reset(settings.PROMETHEUS_MULTIPROC_DIR)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
