"""The twelve steps, in order. Each module exposes STEP, an instance of steps.base.Step."""

from __future__ import annotations

from batches import limits
from batches.steps import (
    analytics_design,
    analytics_impl,
    architecture,
    asset_generation,
    content_production,
    core_prototype,
    post_launch,
    pre_production,
    project_setup,
    release,
    testing,
    vertical_slice,
)
from batches.steps.base import Step, StepContext, StepError

STEPS: tuple[Step, ...] = (
    pre_production.STEP,
    project_setup.STEP,
    architecture.STEP,
    analytics_design.STEP,
    analytics_impl.STEP,
    core_prototype.STEP,
    asset_generation.STEP,
    vertical_slice.STEP,
    content_production.STEP,
    testing.STEP,
    release.STEP,
    post_launch.STEP,
)
assert [s.number for s in STEPS] == list(range(1, limits.STEP_COUNT + 1)), "steps out of order"

__all__ = ["STEPS", "Step", "StepContext", "StepError", "step_get", "step_title"]


def step_get(number: int) -> Step:
    return STEPS[number - 1]


def step_title(number: int) -> str:
    return STEPS[number - 1].title if 1 <= number <= len(STEPS) else f"Step {number}"
