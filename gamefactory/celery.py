"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app.

Every task's run time and outcome go to the Prometheus metrics (gamefactory/metrics.py).
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")

app = Celery("gamefactory")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect(weak=False)
def _task_started(task_id=None, **kwargs):
    from gamefactory import metrics

    metrics.celery_task_started(task_id)


@signals.task_postrun.connect(weak=False)
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    from gamefactory import metrics

    metrics.celery_task_finished(task_id, getattr(task, "name", "unknown"), (state or "unknown").lower())


@signals.worker_init.connect(weak=False)
def _warm_up(**kwargs):
    """Before the pool forks: the generator's tables, so no pool process's first prompt waits for them."""
    from generation.services import generation_warm_up

    generation_warm_up()


@signals.worker_ready.connect(weak=False)
def _metrics_port(**kwargs):
    """A worker on a machine of its own serves its processes' metrics (METRICS_WORKER_PORT)."""
    from django.conf import settings

    if settings.METRICS_WORKER_PORT:
        from gamefactory import metrics

        metrics.worker_metrics_serve(port=settings.METRICS_WORKER_PORT)
