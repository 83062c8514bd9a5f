"""Faults the factory survives, with real Celery worker processes on Redis and PostgreSQL.

Each test starts `celery -A gamefactory worker` subprocesses on the test database (pytest-django's
`test_<name>`, committed data: transactional tests) and the test's Redis. Skipped on SQLite or
without REDIS_URL: the filesystem broker and one SQLite file are not for multi-process fault tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from batches import execution, services
from batches import git as gitlib
from batches.models import Artifact, Production, RepositoryPush, StepRun
from batches.tasks import execute_step_task, reconcile_task
from gamefactory.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
QUEUES = ("celery", "steps", "assets", "builds")
WAIT = 240


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): multi-process fault tests")


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class Workers:
    """Starts and kills worker processes sharing this test's database, Redis and folders."""

    def __init__(self, tmp_path: Path, env: dict[str, str]):
        self.tmp_path = tmp_path
        self.env = env
        self.procs: list[subprocess.Popen] = []

    def start(self, *names: str, concurrency: int = 1) -> subprocess.Popen:
        """Start workers (all at once) and wait until each is ready; returns the first."""
        started = []
        for name in names:
            log = (self.tmp_path / f"{name}.log").open("wb")
            proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "gamefactory", "worker", "--loglevel=INFO",
                 f"--queues={','.join(QUEUES)}", f"--concurrency={concurrency}", "--pool=prefork",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname={name}@%h"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            proc.log_path = self.tmp_path / f"{name}.log"
            self.procs.append(proc)
            started.append(proc)
        for proc in started:
            wait_for(lambda p=proc: b" ready." in p.log_path.read_bytes() or p.poll() is not None, timeout=90)
            assert proc.poll() is None, proc.log_path.read_text()[-3000:]
        return started[0]

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool children: a machine that dies mid-step."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(p.log_path.read_text(errors="replace")[-4000:] for p in self.procs)


def wait_for(predicate, *, timeout: float = WAIT, every: float = 0.2, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {message or predicate}")


def _purge() -> None:
    with celery_app.connection_for_write() as conn:
        # fail at once, naming the broker, rather than retry forever on a wrong address
        conn.ensure_connection(max_retries=1)
        for queue in QUEUES:
            # a queue that never existed has nothing to purge
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(queue)


@pytest.fixture
def workers(tmp_path, settings, factory_dirs):
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.FACTORY_DIR = var / "factory"
    settings.REPOSITORIES_DIR = var / "repos"
    settings.FACTORY_RETRY_BACKOFF = 0.2
    settings.FACTORY_MAX_RETRIES = 2
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gamefactory.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "VAR_DIR": str(var),
        "FACTORY_DIR": str(settings.FACTORY_DIR),
        "REPOSITORIES_DIR": str(settings.REPOSITORIES_DIR),
        "REPOSITORY_BACKEND": "local",
        "FACTORY_RETRY_BACKOFF": "0.2",
        "FACTORY_MAX_RETRIES": "2",
        "FACTORY_DEADLINE_GRACE": "1",
        "FACTORY_STEP_TIME_LIMITS": "3=6:8",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ANALYTICS_KEY_SECRET": settings.ANALYTICS_KEY_SECRET,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    settings.FACTORY_DEADLINE_GRACE = 1
    settings.FACTORY_STEP_TIME_LIMITS = {"3": "6:8"}
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    _purge()
    pool = Workers(tmp_path, env)
    try:
        yield pool
    finally:
        pool.stop_all()
        _purge()
        celery_app.conf.task_always_eager = eager


def _runs(production, step):
    return list(StepRun.objects.filter(production=production, step=step).order_by("attempt"))


def _batch(staff, **kwargs):
    kwargs.setdefault("brief", "Quick puzzles")
    kwargs.setdefault("count", 1)
    kwargs.setdefault("seed", 21)
    kwargs.setdefault("genres", ["maze"])
    return services.batch_create(created_by=staff, **kwargs)


def _pushed(production) -> bool:
    """Every commit of the production is in its repository (nothing waits in the push outbox)."""
    return not RepositoryPush.objects.filter(production=production, state="pending").exists()


def _reached(production, step) -> bool:
    return StepRun.objects.filter(production=production, step=step, state="completed").exists()


def test_a_step_that_raises_is_retried_and_then_succeeds(workers, staff):
    workers.start("w1")
    batch = _batch(staff, faults={"2": {"mode": "raise", "times": 1}})
    production = batch.productions.get()
    wait_for(lambda: _reached(production, 3), message="step 3 done\n" + workers.logs())
    attempts = _runs(production, 2)
    assert [(r.attempt, r.state) for r in attempts] == [(1, "failed"), (2, "completed")]
    assert all(r.worker.startswith("w1@") for r in attempts)
    services.batch_cancel(batch=batch, user=staff)


def test_a_step_that_keeps_failing_goes_to_review_and_a_staff_retry_completes_it(workers, staff):
    workers.start("w1")
    batch = _batch(staff, faults={"2": {"mode": "raise", "times": 3}})
    production = batch.productions.get()
    wait_for(lambda: Production.objects.get(pk=production.pk).state == "waiting_review", message="review")
    assert [r.state for r in _runs(production, 2)] == ["failed", "failed", "manual_review"]
    assert Production.objects.get(pk=production.pk).label == "STEP_2_FAILED"
    services.production_retry(production=production, user=staff)
    wait_for(lambda: _reached(production, 2), message="staff retry done")
    assert [r.state for r in _runs(production, 2)] == ["failed", "failed", "permanently_failed", "completed"]
    services.batch_cancel(batch=batch, user=staff)


def test_a_worker_killed_mid_step_is_recovered_and_the_game_completes_without_duplicates(workers, staff):
    # given: step 3 hangs in its first attempt (hard limit 8 s, deadline 9 s after it starts)
    first = workers.start("w1")
    batch = _batch(staff, faults={"3": {"mode": "sleep", "seconds": 5, "times": 1}})
    production = batch.productions.get()
    wait_for(
        lambda: StepRun.objects.filter(production=production, step=3, state="running").exists(),
        message="step 3 running",
    )
    time.sleep(1)
    # when: the machine dies
    workers.kill(first)
    lost = StepRun.objects.get(production=production, step=3)
    assert lost.state == "running" and lost.worker.startswith("w1@")
    wait_for(lambda: timezone.now() > lost.deadline, timeout=30, message="the deadline")
    workers.start("w2")
    reconcile_task.delay()  # what beat sends every minute
    # then: the reconciler timed the attempt out, a new one ran, and the game finished
    wait_for(
        lambda: Production.objects.get(pk=production.pk).is_terminal,
        message="the game's end\n" + workers.logs(),
    )
    production.refresh_from_db()
    assert production.state == "published", production.review_reason
    # the repository follows the record after commit (batches/pushes.py): wait for the last push
    wait_for(lambda: _pushed(production), message="the last push\n" + workers.logs())
    assert [(r.attempt, r.state) for r in _runs(production, 3)] == [(1, "timed_out"), (2, "completed")]
    assert "w1@" in _runs(production, 3)[0].error
    repo = settings.REPOSITORIES_DIR / f"{production.repository_name}.git"
    subjects = [c["subject"].split(":")[0] for c in reversed(gitlib.commit_list(repo))]
    assert subjects == [f"Step {n}/12" for n in range(1, 13)]
    for step in range(1, 13):
        completed = [r for r in _runs(production, step) if r.state == "completed"]
        assert len(completed) == 1
        owners = set(
            Artifact.objects.filter(production=production, step=step).values_list("step_run_id", flat=True)
        )
        assert owners == {completed[0].pk}


def test_the_same_attempt_delivered_twice_at_once_completes_once(workers, staff):
    # given: the attempt's message is in the queue twice before any worker runs (and it takes 2 s)
    batch = _batch(staff, faults={"1": {"mode": "sleep", "seconds": 2, "times": 1}})
    execution.batch_process(batch_id=batch.pk)
    run = StepRun.objects.get(production__batch=batch, step=1)
    execute_step_task.apply_async(args=[run.pk], queue="steps")
    # when: two workers take one message each
    workers.start("w1", "w2")
    wait_for(
        lambda: StepRun.objects.filter(pk=run.pk, duplicate_deliveries=1).exists(), message="the duplicate"
    )
    wait_for(lambda: _reached(run.production, 2), message="step 2 done")
    # then
    run.refresh_from_db()
    assert run.state == "completed" and run.duplicate_deliveries == 1
    assert StepRun.objects.filter(production=run.production, step=1).count() == 1
    assert StepRun.objects.filter(production=run.production, step=2).count() == 1
    assert "standing down" in workers.logs()
    services.batch_cancel(batch=batch, user=staff)


def test_cancel_in_the_middle_of_a_batch_stops_further_steps(workers, staff):
    # given
    workers.start("w1", concurrency=2)
    batch = _batch(staff, count=2, genres=[], faults={"3": {"mode": "sleep", "seconds": 3, "times": 1}})
    wait_for(
        lambda: StepRun.objects.filter(production__batch=batch, step=3, state="running").exists(),
        message="step 3",
    )
    # when
    services.batch_cancel(batch=batch, user=staff)
    cancelled_at = timezone.now()
    time.sleep(5)  # the running step finishes its sleep and stands down
    # then
    assert set(batch.productions.values_list("label", flat=True)) == {"CANCELLED"}
    assert not StepRun.objects.filter(production__batch=batch, state__in=["pending", "running"]).exists()
    assert not StepRun.objects.filter(production__batch=batch, created_at__gt=cancelled_at).exists()
    assert not StepRun.objects.filter(production__batch=batch, step__gte=3, state="completed").exists()
    assert StepRun.objects.filter(production__batch=batch, step=3, state="cancelled").exists()


def test_a_repository_push_that_fails_is_retried(workers, staff):
    workers.start("w1")
    batch = _batch(staff, faults={"3": {"mode": "push_fail", "times": 1}})
    production = batch.productions.get()
    wait_for(lambda: _reached(production, 3), message="step 3 done")
    # the push is the outbox's: the step completed, the push failed once and was retried
    wait_for(
        lambda: RepositoryPush.objects.filter(production=production, step=3, state="pushed").exists(),
        message="step 3 pushed\n" + workers.logs(),
    )
    assert [r.state for r in _runs(production, 3)] == ["completed"]
    assert RepositoryPush.objects.get(production=production, step=3).attempts == 2
    production.refresh_from_db()
    repo = settings.REPOSITORIES_DIR / f"{production.repository_name}.git"
    assert [c["subject"].split(":")[0] for c in reversed(gitlib.commit_list(repo))][:3] == [
        "Step 1/12",
        "Step 2/12",
        "Step 3/12",
    ]
    services.batch_cancel(batch=batch, user=staff)


def test_a_worker_killed_during_a_push_neither_loses_nor_duplicates_it(workers, staff, settings, tmp_path):
    """SIGKILL while GitHub has taken the push but not answered: the push is redone, once, as a no-op."""
    from tests.batches.github_fake import TOKEN, FakeGitHub

    # given the github backend, whose first push of step 2 (the repository's first) hangs after landing
    github = FakeGitHub().start()
    github.slow_pushes, github.push_delay = 1, 30
    workers.env.update(
        REPOSITORY_BACKEND="github", GITHUB_TOKEN=TOKEN, GITHUB_ORG=github.org, GITHUB_API_URL=github.base,
        GITHUB_SECONDS_BETWEEN_WRITES="0", FACTORY_PUSH_LEASE="3", FACTORY_REDISPATCH_AFTER="1",
    )  # fmt: skip
    settings.REPOSITORY_BACKEND, settings.GITHUB_TOKEN, settings.GITHUB_ORG = "github", TOKEN, github.org
    settings.GITHUB_API_URL, settings.GITHUB_SECONDS_BETWEEN_WRITES = github.base, 0
    settings.FACTORY_PUSH_LEASE, settings.FACTORY_REDISPATCH_AFTER = 3, 1
    batch = None
    try:
        first = workers.start("w1")
        batch = _batch(staff)
        production = batch.productions.get()
        # when the worker dies while the push is in flight
        assert github.push_started.wait(120), workers.logs()
        workers.kill(first)
        push = RepositoryPush.objects.get(production=production, step=2)
        assert push.state == "pending" and push.attempts == 1
        landed = github.ref(push.production.repository_name)
        assert landed == push.sha  # GitHub has it; the factory does not know yet
        # then another worker and the reconciler (beat) finish the job
        workers.start("w2")
        wait_for(lambda: timezone.now() > push.leased_until, timeout=30, message="the lease")
        time.sleep(1.5)  # FACTORY_REDISPATCH_AFTER
        reconcile_task.delay()  # what beat sends every minute
        wait_for(
            lambda: RepositoryPush.objects.filter(pk=push.pk, state="pushed").exists(),
            message="the push redone\n" + workers.logs(),
        )
        wait_for(lambda: _reached(production, 3), message="step 3 done\n" + workers.logs())
        services.batch_cancel(batch=batch, user=staff)  # the game stops moving; its pushes go on
        wait_for(
            lambda: not RepositoryPush.objects.filter(production=production, state="pending").exists(),
            message="every push done\n" + workers.logs(),
        )
        push.refresh_from_db()
        production.refresh_from_db()
        assert push.attempts == 2 and push.leased_by == ""
        # the repository holds each completed step's commit once, in order, ending at the newest
        completed = list(
            StepRun.objects.filter(production=production, state="completed")
            .order_by("step")
            .values_list("commit_sha", flat=True)
        )
        history = github.history(production.repository_name)
        assert [c["sha"] for c in reversed(history)] == completed
        assert [c["message"].split(":")[0] for c in reversed(history)] == [
            f"Step {n}/12" for n in range(1, len(completed) + 1)
        ]
        assert RepositoryPush.objects.filter(production=production, sha=push.sha).count() == 1
    finally:
        if batch is not None:
            services.batch_cancel(batch=batch, user=staff)
        github.stop()
