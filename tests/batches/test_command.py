import pytest
from django.core.management import CommandError, call_command

from batches.models import Batch

pytestmark = pytest.mark.django_db(transaction=True)


def test_run_batch_inline_follows_every_game_to_its_end(staff, capsys):
    # given: step 2 of every game keeps failing, so each ends in review quickly
    with pytest.raises(CommandError, match="Not every game was published"):
        call_command(
            "run_batch", "--games", "2", "--brief", "Tiny puzzles", "--seed", "3", "--inline",
            "--faults", '{"2": {"mode": "raise", "times": 9}}',
        )  # fmt: skip
    out = capsys.readouterr().out
    batch = Batch.objects.get()
    assert batch.count == 2 and batch.created_by == staff
    assert out.count("STEP_2_FAILED") == 2
    assert out.count("[█✗          ]") == 2  # step 1 done, step 2 failed, ten to go
    assert "2 waiting_review" in out


def test_run_batch_refuses_a_bad_brief(staff):
    with pytest.raises(CommandError, match="whole number of games"):
        call_command("run_batch", "--games", "0", "--brief", "x", "--inline")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("run_batch", "--games", "1", "--brief", "x", "--faults", "{", "--inline")
    assert not Batch.objects.exists()


def test_run_batch_needs_a_staff_user(db):
    with pytest.raises(CommandError, match="No staff user"):
        call_command("run_batch", "--games", "1", "--brief", "x", "--inline")
