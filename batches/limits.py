"""Named limits of the factory. Time limits, retries and backoff come from settings (env-driven)."""

from __future__ import annotations

from django.conf import settings

STEP_COUNT = 12
# The testing step (the full build's playtest): its past run times order the queues (execution.py).
TESTING_STEP = 10
MIN_GAMES = 1
MAX_GAMES = 100
NAME_MAX_CHARS = 120
BRIEF_MAX_CHARS = 2000
THEME_MAX_CHARS = 200
AUDIENCE_MAX_CHARS = 200
MAX_GENRES = 12
# Default level count of a factory game (the designer's own default is used when it is lower).
LOG_MAX_CHARS = 20_000
ERROR_MAX_CHARS = 2_000
TRACEBACK_MAX_CHARS = 20_000
# The dashboard counts throughput over this window.
THROUGHPUT_WINDOW_MINUTES = 60
# A re-run of post-launch is due once the previous one is this old.
POSTLAUNCH_EVERY_HOURS = 20
RELEASE_VERSION = "1.0.0"


def step_time_limits(step: int) -> tuple[int, int]:
    """(soft, hard) Celery time limits in seconds for one attempt of `step`."""
    soft, hard = settings.FACTORY_STEP_SOFT_TIME_LIMIT, settings.FACTORY_STEP_TIME_LIMIT
    override = settings.FACTORY_STEP_TIME_LIMITS.get(str(step))
    if override:
        first, _, second = str(override).partition(":")
        soft = int(first)
        hard = int(second) if second else max(soft + 10, hard)
    return soft, max(hard, soft + 1)


def retry_backoff(attempt: int) -> float:
    """Seconds to wait before attempt `attempt + 1` (exponential, capped)."""
    return min(
        settings.FACTORY_RETRY_BACKOFF * (2 ** max(0, attempt - 1)), settings.FACTORY_RETRY_BACKOFF_MAX
    )


def max_attempts() -> int:
    return 1 + max(0, settings.FACTORY_MAX_RETRIES)
