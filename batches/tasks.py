"""Celery tasks of the factory: ids in, one service call, safe to re-run (acks_late everywhere).

Each step attempt goes to its step's queue: `steps` for the light ones, `assets` for asset
generation, `builds` for the steps that build and playtest the game. Soft and hard time limits
are set per attempt by the sender (limits.step_time_limits).
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from batches import execution, limits, pushes

_STEP_TASK = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@worker_process_shutdown.connect
def _close_playtest_browser(**kwargs) -> None:
    """A pool process going away closes the Chromium its playtests kept (generation.playtest)."""
    from generation.services import playtest_browser_close

    playtest_browser_close()


@shared_task(acks_late=True, ignore_result=True)
def process_batch_task(batch_id: str) -> int:
    """Start the batch's productions (step 1 of each)."""
    return execution.batch_process(batch_id=batch_id)


@shared_task(bind=True, **_STEP_TASK)
def execute_step_task(self, run_id: int) -> str:
    """Run one attempt of a light step."""
    return execution.step_run_execute(
        run_id=run_id, worker=execution.worker_identity(self.request.hostname), task_id=self.request.id or ""
    )


@shared_task(bind=True, **_STEP_TASK)
def generate_assets_task(self, run_id: int) -> str:
    """Run one attempt of the asset generation step (queue `assets`)."""
    return execution.step_run_execute(
        run_id=run_id, worker=execution.worker_identity(self.request.hostname), task_id=self.request.id or ""
    )


@shared_task(bind=True, **_STEP_TASK)
def build_game_task(self, run_id: int) -> str:
    """Run one attempt of a build step: bundle and headless playtest (queue `builds`)."""
    return execution.step_run_execute(
        run_id=run_id, worker=execution.worker_identity(self.request.hostname), task_id=self.request.id or ""
    )


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def repository_push_task(self, production_id: str) -> str:
    """Push the production's pending commits, tags and releases (the outbox); retried with backoff.

    Past FACTORY_MAX_RETRIES the push stays pending with its error and the reconciler sends it again.
    """
    outcome = pushes.repository_sync(
        production_id=production_id, worker=execution.worker_identity(self.request.hostname)
    )
    if outcome in ("failed", "busy") and self.request.retries < settings.FACTORY_MAX_RETRIES:
        raise self.retry(countdown=limits.retry_backoff(self.request.retries + 1))
    return outcome


@shared_task(acks_late=True, ignore_result=True)
def reconcile_task() -> dict:
    """Every minute (beat): time out lost attempts, re-send lost messages."""
    return execution.reconcile()


@shared_task(acks_late=True, ignore_result=True)
def postlaunch_daily_task() -> int:
    """Daily (beat): the post-launch review of every game launched in the last 30 days."""
    return execution.postlaunch_schedule()


TASKS_BY_QUEUE = {"steps": execute_step_task, "assets": generate_assets_task, "builds": build_game_task}


def task_for_queue(queue: str):
    return TASKS_BY_QUEUE[queue]
