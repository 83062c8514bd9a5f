import pytest
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from batches.models import Production, StepRun, label_choices, production_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("state", "step", "step_state", "label"),
    [
        ("created", 1, "", "CREATED"),
        ("running", 3, "pending", "STEP_3_PENDING"),
        ("running", 3, "running", "STEP_3_RUNNING"),
        ("running", 3, "failed", "STEP_3_FAILED"),
        ("running", 3, "timed_out", "STEP_3_FAILED"),
        ("waiting_review", 7, "manual_review", "STEP_7_FAILED"),
        ("published", 12, "completed", "PUBLISHED"),
        ("cancelled", 4, "cancelled", "CANCELLED"),
        ("failed", 4, "permanently_failed", "FAILED"),
    ],
)
def test_the_combined_label_is_derived_from_both_machines(state, step, step_state, label):
    assert production_label(state, step, step_state) == label
    assert label in dict(label_choices())


def test_state_fields_are_protected(factory):
    batch = factory.batch()
    production = batch.productions.get()
    with pytest.raises(AttributeError):
        production.state = "published"
    run = StepRun.objects.get(production=production)
    with pytest.raises(AttributeError):
        run.state = "completed"


def test_a_stale_copy_cannot_make_a_second_transition(factory):
    # given: two workers loaded the same pending attempt
    batch = factory.batch()
    first = StepRun.objects.get(production__batch=batch)
    second = StepRun.objects.get(pk=first.pk)
    # when
    first.start(worker="a", deadline=None)
    first.save()
    second.start(worker="b", deadline=None)
    # then
    with pytest.raises(ConcurrentTransition):
        second.save()


def test_completing_needs_a_validated_commit(factory):
    batch = factory.batch()
    run = StepRun.objects.get(production__batch=batch)
    run.start(worker="a", deadline=None)
    with pytest.raises(TransitionNotAllowed):
        run.complete()
    run.validated, run.commit_sha = True, "a" * 40
    run.complete()
    assert run.state == "completed"


def test_publishing_needs_all_twelve_steps(factory):
    batch = factory.batch()
    production = batch.productions.get()
    with pytest.raises(TransitionNotAllowed):
        production.publish()
    assert production.state == Production.State.RUNNING
