"""Named limits of analytics ingestion and aggregation (the ones not tuned per deployment).

Per-deployment knobs (batch size, body size, retention, throttle) are in settings as ANALYTICS_*.
"""

from datetime import timedelta

# An event's timestamp: refused beyond this into the future (client clocks drift) or into the past.
MAX_FUTURE = timedelta(hours=23)
MAX_LATE = timedelta(days=7)
# A dedupe receipt is kept while its event could still be accepted, plus a day of margin.
DEDUPE_KEEP = MAX_LATE + timedelta(days=1)

# The fields of one event.
MAX_NAME_LENGTH = 64
MAX_PLAYER_ID_LENGTH = 64
MAX_SESSION_ID_LENGTH = 64
MAX_BUILD_LENGTH = 32
PLATFORMS = ("web", "ios", "android", "desktop", "other")
CUSTOM_EVENT_PREFIX = "design:"
CUSTOM_EVENT_NAME_PATTERN = r"^design:[A-Za-z0-9_.:-]{1,57}$"

# Params: flat, at most this many keys, each key and string value bounded, the whole bounded once encoded.
MAX_PARAMS = 20
MAX_PARAM_KEY_LENGTH = 40
MAX_PARAM_STRING_LENGTH = 256
MAX_PARAMS_BYTES = 2048
# Integers beyond this cannot be stored in a bigint and are refused rather than overflowing.
MAX_INT = 2**53

# Money is integer micro-units of this currency (1 USD = 1,000,000 micros); purchases in others are refused.
REVENUE_CURRENCY = "USD"
MICROS_PER_CENT = 10_000

# Sessions: this much idle time ends one (a gap of exactly this much does not).
SESSION_IDLE = timedelta(minutes=30)
# A session that starts on a day is followed this far past midnight to find its true end.
SESSION_LOOKAHEAD = timedelta(hours=2)
# Retention is tracked for cohorts up to this many days old (D30 is the last one shown).
RETENTION_MAX_DAY = 30
RETENTION_DAYS_SHOWN = (1, 7, 30)

# Each night the last days are aggregated again so events that arrive late (up to MAX_LATE) are counted.
REAGGREGATE_DAYS = 8
# Today, live: every LIVE_EVERY the games with new events are recomputed; the scan for them looks back
# LIVE_OVERLAP before the last run, for events whose transaction committed after it had looked.
LIVE_EVERY = timedelta(seconds=60)
LIVE_OVERLAP = timedelta(minutes=2)

# Reading metrics: at most this many days in one request.
MAX_METRICS_RANGE_DAYS = 400
# A rotated key keeps working this long, so bundles already deployed are not cut off at once.
ROTATION_GRACE = timedelta(hours=24)
