"""The factory's steps are timed, by step and outcome, for Prometheus."""

import pytest

from tests.gamefactory.test_metrics import scrape, value

pytestmark = pytest.mark.django_db


def test_each_attempt_of_a_step_is_timed_by_step_and_outcome(factory):
    # given
    before = scrape()
    # when the first two steps of one game run, the second failing once
    factory.batch(count=1, faults={"2": {"mode": "raise", "times": 1}})
    factory.drain(until_step=2)
    # then
    after = scrape()

    def moved(step, outcome):
        labels = {"step": str(step), "outcome": outcome}
        return value(after, "factory_step_duration_seconds_count", **labels) - value(
            before, "factory_step_duration_seconds_count", **labels
        )

    assert moved(1, "completed") == 1
    assert moved(2, "failed") == 1 and moved(2, "completed") == 1
    assert value(after, "factory_step_duration_seconds_sum", step="1", outcome="completed") > 0
