from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from batches import execution, inline, services
from batches import git as gitlib
from batches.models import Artifact, Batch, Production, RepositoryPush, StepRun
from batches.steps import architecture
from gamefactory.errors import ApplicationError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def runs_of(production, step=None):
    qs = StepRun.objects.filter(production=production).order_by("step", "attempt")
    if step is not None:
        qs = qs.filter(step=step)
    return list(qs)


def repo_subjects(settings, production) -> list[str]:
    production.refresh_from_db()
    repo = settings.REPOSITORIES_DIR / f"{production.repository_name}.git"
    return [c["subject"].split(":")[0] for c in reversed(gitlib.commit_list(repo))]


# --- creating a batch --------------------------------------------------------------------------


def test_a_batch_plans_distinct_games_and_starts_them(factory):
    # when
    batch = factory.batch(count=6)
    # then
    productions = list(Production.objects.filter(batch=batch).order_by("index"))
    pairs = {(p.concept["mechanic"], p.concept["setting"]) for p in productions}
    assert len(productions) == 6 and len(pairs) == 6
    assert {p.state for p in productions} == {"running"}
    assert {p.label for p in productions} == {"STEP_1_PENDING"}
    assert inline.pending() == 6


def test_the_plan_depends_on_the_seed_only(factory):
    first = factory.batch(count=4, seed=11)
    second = factory.batch(count=4, seed=11)
    concepts = [
        list(Production.objects.filter(batch=b).order_by("index").values_list("concept", flat=True))
        for b in (first, second)
    ]
    assert concepts[0] == concepts[1]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": 101}, "count"),
        ({"count": True}, "count"),
        ({"count": "3"}, "count"),
        ({"brief": "   "}, "brief"),
        ({"brief": "x" * 2001}, "brief"),
        ({"genres": ["chess"]}, "genres"),
        ({"provider": "nope"}, "provider"),
        ({"seed": -1}, "seed"),
        ({"faults": {"13": {"mode": "raise"}}}, "faults.13"),
        ({"faults": {"3": {"mode": "explode"}}}, "faults.3.mode"),
        ({"faults": {"3": {"mode": "raise", "times": 0}}}, "faults.3.times"),
        ({"genres": ["snake"], "theme": "outer space", "count": 2}, "count"),
    ],
)
def test_a_bad_brief_is_refused_naming_the_field(factory, changes, field):
    with pytest.raises(ApplicationError) as caught:
        factory.batch(**changes)
    assert field in caught.value.fields
    assert not Batch.objects.exists()


def test_repeats_are_allowed_when_the_batch_asks(factory):
    batch = factory.batch(genres=["snake"], theme="outer space", count=2, allow_repeats=True)
    assert {p.concept["mechanic"] for p in batch.productions.all()} == {"snake"}


def test_only_staff_start_batches(factory):
    with pytest.raises(ApplicationError) as caught:
        factory.batch(created_by=UserFactory())
    assert caught.value.status_code == 403


# --- the steps, in order, each one commit ----------------------------------------------------


def test_the_first_steps_each_make_one_commit_with_their_artifacts(factory, settings):
    # given
    batch = factory.batch(count=2)
    # when
    factory.drain(until_step=4)
    # then
    for production in batch.productions.all():
        assert production.label == "STEP_5_PENDING"
        assert repo_subjects(settings, production) == ["Step 1/12", "Step 2/12", "Step 3/12", "Step 4/12"]
        names = set(Artifact.objects.filter(production=production).values_list("name", flat=True))
        assert {
            "docs/GDD.md",
            "game/spec.json",
            "README.md",
            "mobile/pubspec.yaml",
            "docs/ARCHITECTURE.md",
        } <= names
        assert {"docs/ANALYTICS.md", "analytics/taxonomy.json", ".github/workflows/ci.yml"} <= names
        readme = Artifact.objects.get(production=production, name="README.md")
        content = gitlib.file_at(gitlib.staging_path(production.pk), readme.metadata["commit"], "README.md")
        assert readme.kind == "doc" and readme.size == len(content)
        assert production.repository_url.startswith("file://")
    first, second = batch.productions.order_by("index")
    assert first.title and second.title and first.title != second.title


def test_a_step_that_raises_is_retried_and_then_succeeds(factory):
    # given
    batch = factory.batch(faults={"2": {"mode": "raise", "times": 1}})
    # when
    factory.drain(until_step=3)
    # then
    production = batch.productions.get()
    attempts = runs_of(production, step=2)
    assert [(r.attempt, r.state, r.reason) for r in attempts] == [
        (1, "failed", "first"),
        (2, "completed", "retry"),
    ]
    assert "Injected failure in step 2" in attempts[0].error
    assert "InjectedFault" in attempts[0].traceback
    assert production.label == "STEP_4_PENDING"


def test_a_step_that_keeps_failing_waits_for_review_and_a_staff_retry_completes_it(factory, staff):
    # given: three attempts per series (FACTORY_MAX_RETRIES=2), the fault fires on the first three
    batch = factory.batch(faults={"3": {"mode": "raise", "times": 3}})
    factory.drain(until_step=4)
    production = batch.productions.get()
    assert production.state == "waiting_review"
    assert production.label == "STEP_3_FAILED"
    assert [r.state for r in runs_of(production, step=3)] == ["failed", "failed", "manual_review"]
    assert "failed 3 time(s)" in production.review_reason
    # when
    run = factory(services.production_retry, production=production, user=staff)
    factory.drain(until_step=3)
    # then
    production.refresh_from_db()
    assert run.reason == "staff_retry" and run.attempt == 4
    assert [r.state for r in runs_of(production, step=3)] == [
        "failed",
        "failed",
        "permanently_failed",
        "completed",
    ]
    assert runs_of(production, step=3)[2].resolution == "retried"
    assert production.label == "STEP_4_PENDING"


def test_approving_keeps_an_output_that_failed_validation(factory, staff, settings):
    # given
    batch = factory.batch(faults={"3": {"mode": "invalid", "times": 99}})
    factory.drain(until_step=4)
    production = batch.productions.get()
    review = runs_of(production, step=3)[-1]
    assert review.state == "manual_review" and review.candidate_sha
    assert "Injected validation failure" in review.error
    # only the latest candidate's files are kept as evidence, not one set per failed attempt
    assert set(
        Artifact.objects.filter(production=production, step=3).values_list("step_run_id", flat=True)
    ) == {review.pk}
    # when
    factory(services.production_approve, production=production, user=staff)
    factory.drain(until_step=4)
    # then
    review.refresh_from_db()
    assert review.state == "completed" and review.resolution == "approved" and review.resolved_by == staff
    assert review.commit_sha == review.candidate_sha
    assert repo_subjects(settings, production) == ["Step 1/12", "Step 2/12", "Step 3/12", "Step 4/12"]
    assert set(
        Artifact.objects.filter(production=production, step=3).values_list("step_run_id", flat=True)
    ) == {review.pk}


def test_there_is_nothing_to_approve_when_the_step_produced_nothing(factory, staff):
    batch = factory.batch(faults={"2": {"mode": "raise", "times": 99}})
    factory.drain(until_step=2)
    production = batch.productions.get()
    with pytest.raises(ApplicationError) as caught:
        factory(services.production_approve, production=production, user=staff)
    assert caught.value.code == "nothing_to_approve" and caught.value.status_code == 409


def test_staff_decisions_need_a_step_in_review(factory, staff):
    batch = factory.batch()
    production = batch.productions.get()
    for service in (services.production_retry, services.production_approve):
        with pytest.raises(ApplicationError) as caught:
            factory(service, production=production, user=staff)
        assert caught.value.code == "not_in_review"


def test_rerun_from_a_step_replaces_its_commits_and_artifacts(factory, staff, settings):
    # given: steps 1-3 done, step 4 in review
    batch = factory.batch(faults={"4": {"mode": "raise", "times": 3}})
    factory.drain(until_step=4)
    production = batch.productions.get()
    old_step2 = runs_of(production, step=2)[0]
    # when
    factory(services.production_rerun, production=production, user=staff, from_step=2)
    factory.drain(until_step=4)
    # then: one commit per step, the re-run's
    production.refresh_from_db()
    assert production.label == "STEP_5_PENDING"
    assert repo_subjects(settings, production) == ["Step 1/12", "Step 2/12", "Step 3/12", "Step 4/12"]
    new_step2 = runs_of(production, step=2)[-1]
    assert new_step2.reason == "rerun" and new_step2.commit_sha != old_step2.commit_sha
    for step in (2, 3, 4):
        owners = set(
            Artifact.objects.filter(production=production, step=step).values_list("step_run_id", flat=True)
        )
        assert owners == {runs_of(production, step=step)[-1].pk}
    assert Artifact.objects.filter(production=production, kind="commit").count() == 4


def test_rerun_is_refused_while_the_game_is_running_or_from_a_step_never_reached(factory, staff):
    batch = factory.batch(faults={"2": {"mode": "raise", "times": 3}})
    production = batch.productions.get()
    with pytest.raises(ApplicationError) as caught:
        factory(services.production_rerun, production=production, user=staff, from_step=1)
    assert caught.value.code == "invalid_state"
    factory.drain(until_step=2)
    with pytest.raises(ApplicationError) as caught:
        factory(services.production_rerun, production=production, user=staff, from_step=5)
    assert "from_step" in caught.value.fields
    with pytest.raises(ApplicationError) as caught:
        factory(services.production_rerun, production=production, user=staff, from_step=13)
    assert "from_step" in caught.value.fields


def test_cancelling_a_batch_stops_every_further_step(factory, staff):
    # given
    batch = factory.batch(count=2)
    factory.drain(until_step=2)
    # when
    factory(services.batch_cancel, batch=batch, user=staff)
    ran = factory.drain()
    # then
    batch.refresh_from_db()
    assert batch.status == "cancelled" and batch.finished_at
    assert ran == 2  # the two queued step-3 deliveries, which stand down
    for production in batch.productions.all():
        assert production.label == "CANCELLED"
        assert [r.state for r in runs_of(production, step=3)] == ["cancelled"]
        assert not StepRun.objects.filter(production=production, step__gt=3).exists()


def test_cancelling_while_a_step_runs_drops_its_result(factory, staff, settings, monkeypatch):
    # given: step 3 cancels the batch half way through its work
    batch = factory.batch()
    original = architecture.STEP.run

    def run_and_cancel(ctx):
        original(ctx)
        services.batch_cancel(batch=batch, user=staff)

    monkeypatch.setattr(architecture.STEP, "run", run_and_cancel)
    # when
    factory.drain()
    # then
    production = batch.productions.get()
    assert production.label == "CANCELLED"
    assert [r.state for r in runs_of(production, step=3)] == ["cancelled"]
    assert repo_subjects(settings, production) == ["Step 1/12", "Step 2/12"]
    assert not Artifact.objects.filter(production=production, step=3).exists()


def test_a_repository_push_that_fails_waits_in_the_outbox_and_is_pushed_again(factory, settings):
    # given a repository that refuses the first push of step 3
    batch = factory.batch(faults={"3": {"mode": "push_fail", "times": 1}})
    factory.drain(until_step=3)
    production = batch.productions.get()
    # then the step is done (the push is not part of it) and its push waits, with the reason
    assert [r.state for r in runs_of(production, step=3)] == ["completed"]
    push = RepositoryPush.objects.get(production=production, step=3)
    assert push.state == "pending" and push.attempts == 1 and "push failure" in push.error
    assert repo_subjects(settings, production) == ["Step 1/12", "Step 2/12"]
    # when the reconciler comes by
    later = timezone.now() + timedelta(seconds=settings.FACTORY_REDISPATCH_AFTER + 1)
    factory(execution.reconcile, now=later)
    # then it is pushed once more, and only once
    push.refresh_from_db()
    assert push.state == "pushed" and push.attempts == 2 and push.error == ""
    assert repo_subjects(settings, production) == ["Step 1/12", "Step 2/12", "Step 3/12"]
    assert RepositoryPush.objects.filter(production=production, step=3).count() == 1


@pytest.mark.django_db(transaction=True)
def test_no_push_happens_inside_the_completing_transaction(factory, monkeypatch):
    """The backend is only ever called with no transaction open (no lock held across network I/O)."""
    from django.db import connection

    from batches.repositories import LocalBackend

    calls = []
    original = LocalBackend.push

    def push(self, **kwargs):
        calls.append(connection.in_atomic_block)
        return original(self, **kwargs)

    monkeypatch.setattr(LocalBackend, "push", push)
    factory.batch()
    factory.drain(until_step=4)
    assert calls and not any(calls)


def test_the_same_attempt_delivered_twice_runs_once(factory):
    # given
    batch = factory.batch()
    run = StepRun.objects.get(production__batch=batch, step=1)
    # when
    first = execution.step_run_execute(run_id=run.pk, worker="w1")
    second = execution.step_run_execute(run_id=run.pk, worker="w2")
    # then
    run.refresh_from_db()
    assert (first, second) == ("completed", "stood_down")
    assert run.state == "completed" and run.worker == "w1" and run.duplicate_deliveries == 1
    assert StepRun.objects.filter(production__batch=batch, step=2).count() == 1


def test_a_soft_time_limit_times_the_attempt_out_and_it_is_retried(factory, monkeypatch):
    # given
    batch = factory.batch()
    calls = []
    original = architecture.STEP.run

    def slow_once(ctx):
        calls.append(1)
        if len(calls) == 1:
            raise SoftTimeLimitExceeded()
        original(ctx)

    monkeypatch.setattr(architecture.STEP, "run", slow_once)
    # when
    factory.drain(until_step=3)
    # then
    attempts = runs_of(batch.productions.get(), step=3)
    assert [r.state for r in attempts] == ["timed_out", "completed"]
    assert "soft time limit" in attempts[0].error


# --- the reconciler ------------------------------------------------------------------------------


def test_the_reconciler_times_out_an_attempt_whose_worker_died(factory, settings):
    # given: a worker claimed step 1 and was never heard of again
    batch = factory.batch()
    run = StepRun.objects.get(production__batch=batch, step=1)
    inline._queue.get().clear()
    assert execution._claim(run_id=run.pk, worker="dead:1", task_id="t1") is not None
    # when: before the deadline nothing happens, after it the attempt times out and is retried
    early = execution.reconcile()
    later = factory(
        execution.reconcile,
        now=timezone.now()
        + timezone.timedelta(seconds=settings.FACTORY_STEP_TIME_LIMIT + settings.FACTORY_DEADLINE_GRACE + 1),
    )
    factory.drain(until_step=1)
    # then
    run.refresh_from_db()
    assert early["timed_out"] == 0 and later["timed_out"] == 1
    assert run.state == "timed_out" and "dead:1" in run.error
    assert [r.state for r in runs_of(batch.productions.get(), step=1)] == ["timed_out", "completed"]


def test_the_reconciler_resends_attempts_whose_message_was_lost(factory, settings):
    # given
    batch = factory.batch()
    inline._queue.get().clear()  # the broker lost the message
    # when
    soon = factory(execution.reconcile)
    later = factory(
        execution.reconcile,
        now=timezone.now() + timezone.timedelta(seconds=settings.FACTORY_REDISPATCH_AFTER + 1),
    )
    factory.drain(until_step=1)
    # then
    assert soon["redispatched"] == 0 and later["redispatched"] == 1
    run = StepRun.objects.get(production__batch=batch, step=1)
    assert run.state == "completed" and run.dispatch_count == 2


def test_the_reconciler_starts_productions_whose_batch_message_was_lost(staff, settings, factory):
    # given: created outside any on-commit capture, so process_batch was never sent
    batch = services.batch_create(created_by=staff, brief="Puzzles", count=2, seed=3)
    assert set(batch.productions.values_list("state", flat=True)) == {"created"}
    # when
    counts = factory(
        execution.reconcile,
        now=timezone.now() + timezone.timedelta(seconds=settings.FACTORY_REDISPATCH_AFTER + 1),
    )
    # then
    assert counts["started"] == 2
    assert set(batch.productions.values_list("label", flat=True)) == {"STEP_1_PENDING"}


def test_the_reconciler_removes_workspaces_left_by_dead_workers(factory, settings):
    batch = factory.batch()
    run = StepRun.objects.get(production__batch=batch, step=1)
    leftover = gitlib.work_path(run.production_id, run.pk)
    leftover.mkdir(parents=True)
    assert execution.reconcile()["cleaned"] == 1
    assert not leftover.exists()


# --- edit and continue, abandon, faults -------------------------------------------------------


def test_edit_and_continue_with_a_new_concept_redoes_the_game_from_step_one(factory, staff):
    # given
    batch = factory.batch(faults={"2": {"mode": "raise", "times": 3}})
    factory.drain(until_step=2)
    production = batch.productions.get()
    new_setting = "volcano" if production.concept["setting"] != "volcano" else "winter"
    # when
    factory(
        services.production_edit_and_continue,
        production=production,
        user=staff,
        concept={"setting": new_setting},
    )
    factory.drain(until_step=2)
    # then
    production.refresh_from_db()
    assert production.concept["setting"] == new_setting
    assert [r.reason for r in runs_of(production, step=1)] == ["first", "edit"]
    assert production.label == "STEP_3_PENDING"
    gdd = Artifact.objects.get(production=production, name="docs/gdd.json")
    assert gdd.step_run_id == runs_of(production, step=1)[-1].pk


def test_edit_and_continue_keeps_the_batch_distinct(factory, staff):
    batch = factory.batch(count=2, faults={"2": {"mode": "raise", "times": 3}})
    factory.drain(until_step=2)
    first, second = batch.productions.order_by("index")
    with pytest.raises(ApplicationError) as caught:
        factory(
            services.production_edit_and_continue,
            production=first,
            user=staff,
            concept={"mechanic": second.concept["mechanic"], "setting": second.concept["setting"]},
        )
    assert "concept.setting" in caught.value.fields


def test_edit_and_continue_with_cleared_faults_retries_the_step(factory, staff):
    batch = factory.batch(faults={"2": {"mode": "raise", "times": 99}})
    factory.drain(until_step=2)
    production = batch.productions.get()
    factory(services.production_edit_and_continue, production=production, user=staff, faults={})
    factory.drain(until_step=2)
    production.refresh_from_db()
    assert production.faults == {} and production.label == "STEP_3_PENDING"


def test_abandoning_ends_the_game_failed_and_finishes_the_batch(factory, staff):
    batch = factory.batch(faults={"1": {"mode": "raise", "times": 99}})
    factory.drain()
    production = batch.productions.get()
    factory(services.production_abandon, production=production, user=staff, reason="Not worth it")
    production.refresh_from_db()
    batch.refresh_from_db()
    assert production.label == "FAILED" and production.review_reason == "Not worth it"
    assert batch.finished_at is not None


def test_the_post_launch_review_is_queued_daily_for_thirty_days(factory):
    # given: two published games, one launched 2 days ago, one 40 days ago
    batch = factory.batch(count=2)
    inline._queue.get().clear()
    recent, old = batch.productions.order_by("index")
    now = timezone.now()
    for production, age in ((recent, 2), (old, 40)):
        StepRun.objects.filter(production=production).delete()
        Production.objects.filter(pk=production.pk).update(
            state="published", published_at=now - timezone.timedelta(days=age)
        )
        last = StepRun.objects.create(production=production, step=12, attempt=1)
        StepRun.objects.filter(pk=last.pk).update(
            state="completed", created_at=now - timezone.timedelta(hours=25)
        )
    # when
    queued = factory(execution.postlaunch_schedule)
    again = factory(execution.postlaunch_schedule)
    # then
    assert (queued, again) == (1, 0)
    run = StepRun.objects.get(production=recent, step=12, state="pending")
    assert run.reason == "postlaunch" and run.attempt == 2
    assert inline.pending() == 1


def test_a_productions_steps_are_sent_most_work_left_first(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    # given three games, and past testing steps: catcher games took ~28 s, maze ~4 s, golf never ran
    monkeypatch.setattr(execution, "_expected", {})
    batch = services.batch_create(created_by=staff, brief="Arcade games", count=3, seed=7)
    games = list(batch.productions.order_by("index"))
    now = timezone.now()
    for production, mechanic, seconds in zip(games, ("catcher", "maze", "golf"), (28, 4, None), strict=True):
        Production.objects.filter(pk=production.pk).update(
            concept={**production.concept, "mechanic": mechanic}
        )
        for attempt in range(1, 4) if seconds else ():
            past = StepRun.objects.create(production=production, step=10, attempt=attempt)
            StepRun.objects.filter(pk=past.pk).update(
                state="completed", started_at=now - timedelta(seconds=seconds + attempt - 2), finished_at=now
            )
    sent = []

    class Task:
        def apply_async(self, **kwargs):
            sent.append(kwargs)

    monkeypatch.setattr("batches.tasks.task_for_queue", lambda queue: Task())
    # when each sends its step 6, and the catcher game later its step 10
    for production, step in [*((game, 6) for game in games), (games[0], 10)]:
        production.refresh_from_db()
        run = StepRun.objects.create(production=production, step=step, attempt=9)
        with django_capture_on_commit_callbacks(execute=True):
            execution.run_dispatch(run)
    # then the game with the most work left is served first (Redis: 0 first): catcher (6 + 2 x 28 s
    # of play to go) before golf (never tested: 2 x 12 s) before maze (2 x 4 s); once the catcher
    # game has only its testing step left, it no longer comes first
    priorities = [kwargs["priority"] for kwargs in sent]
    assert priorities == [2, 7, 6, 6]
    assert all(0 < p <= 9 for p in priorities)


def test_without_testing_history_a_game_ranks_by_the_pace_of_its_level_one(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    # given an install with no testing step on record, and four games whose step 1 recorded level
    # 1's pace: 25 s (a catcher's landings), none (a puzzle), 1 s, and a value that is no number
    monkeypatch.setattr(execution, "_expected", {})
    batch = services.batch_create(created_by=staff, brief="Arcade games", count=4, seed=7)
    games = list(batch.productions.order_by("index"))
    for production, paced in zip(games, (25.0, None, 1.0, "25"), strict=True):
        Production.objects.filter(pk=production.pk).update(
            concept={**production.concept, "mechanic": "catcher", "level_seconds": paced}
        )
    sent = []

    class Task:
        def apply_async(self, **kwargs):
            sent.append(kwargs)

    monkeypatch.setattr("batches.tasks.task_for_queue", lambda queue: Task())
    # when each sends its step 5
    for production in games:
        production.refresh_from_db()
        run = StepRun.objects.create(production=production, step=5, attempt=9)
        with django_capture_on_commit_callbacks(execute=True):
            execution.run_dispatch(run)
    # then the long level comes first (steps 5-12: 6 + 2 x (3 + 25) + 5 x 1 s), the games of
    # unknown pace count 12 s a played step, the 1 s level last; a pace that is no number is unknown
    assert [kwargs["priority"] for kwargs in sent] == [2, 6, 7, 6]
    assert execution.remaining_seconds(games[0], 5) == pytest.approx(67.0)
