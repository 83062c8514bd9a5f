import pytest

from batches import services
from batches.models import StepRun
from batches.steps import STEPS
from batches.tasks import TASKS_BY_QUEUE, postlaunch_daily_task, reconcile_task

pytestmark = pytest.mark.django_db


def test_heavy_steps_have_their_own_queues():
    queues = {step.number: step.queue for step in STEPS}
    assert queues[7] == "assets"
    assert {queues[6], queues[8], queues[10]} == {"builds"}
    assert set(queues.values()) == set(TASKS_BY_QUEUE)
    assert all(task.name.endswith("_task") for task in TASKS_BY_QUEUE.values())
    assert all(task.acks_late for task in TASKS_BY_QUEUE.values())


def test_through_celery_a_batch_runs_step_after_step_until_review(staff, django_capture_on_commit_callbacks):
    # given: eager Celery (conftest), no inline queue: tasks are sent after each commit
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_create(
            created_by=staff, brief="Snakes", count=1, seed=2, faults={"3": {"mode": "raise", "times": 9}}
        )
    # then: steps 1-2 ran through execute_step_task, step 3 failed three times and waits for staff
    production = batch.productions.get()
    runs = list(StepRun.objects.filter(production=production).order_by("step", "attempt"))
    assert [(r.step, r.state) for r in runs] == [
        (1, "completed"),
        (2, "completed"),
        (3, "failed"),
        (3, "failed"),
        (3, "manual_review"),
    ]
    assert all(r.task_id for r in runs)  # Celery gave every attempt a task id
    assert production.label == "STEP_3_FAILED"


def test_the_beat_tasks_run_their_services(db):
    assert reconcile_task.delay().get() == {
        "timed_out": 0,
        "redispatched": 0,
        "started": 0,
        "cleaned": 0,
        "pushes": 0,
    }
    assert postlaunch_daily_task.delay().get() == 0


def test_the_beat_schedule_is_installed_by_migrate(db):
    from django_celery_beat.models import PeriodicTask

    reconcile = PeriodicTask.objects.get(name="batches: reconcile")
    assert reconcile.task == "batches.tasks.reconcile_task" and reconcile.interval.every == 1
    assert reconcile.interval.period == "minutes" and reconcile.enabled
    daily = PeriodicTask.objects.get(name="batches: post-launch review")
    assert daily.task == "batches.tasks.postlaunch_daily_task" and daily.crontab.hour == "3"
