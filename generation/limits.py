"""Named limits of the generator: what a GameSpec, a prompt and a bundle may hold.

Every bound the schema, the designer, the bundle builder or the playtest checks
lives here, so a reviewer sees them in one place and tests can refer to them.
"""

SPEC_VERSION = 1

# --- GameSpec -----------------------------------------------------------------------
TITLE_MAX_CHARS = 80
SLUG_MAX_CHARS = 60
DESCRIPTION_MAX_CHARS = 500
TUTORIAL_MAX_LINES = 5
TUTORIAL_LINE_MAX_CHARS = 120
RULE_TEXT_MAX_CHARS = 200
SETTING_MAX_CHARS = 60
MOOD_MAX_CHARS = 40
PALETTE_EXTRA_MAX = 8
MIN_LEVELS = 1
MAX_LEVELS = 50
MAX_LIVES = 9
MIN_TIME_LIMIT_S = 10
MAX_TIME_LIMIT_S = 900
MAX_BASE_POINTS = 1000
MAX_LEVEL_BONUS = 10_000
MAX_TIME_BONUS_PER_SECOND = 100
MAX_ANALYTICS_EVENTS = 40
ANALYTICS_EVENT_PARAMS_MAX = 10
EVENT_NAME_MAX_CHARS = 40
MAX_AD_PLACEMENTS = 6
MAX_AD_EVERY = 10
MAX_AUDIO_CUES = 20
MAX_PROVENANCE_REASONS = 20
REASON_MAX_CHARS = 300
MODEL_NAME_MAX_CHARS = 100
MAX_SEED = 2**31 - 1
# The cast (GameSpec.cast): members, an English noun's length, an icon id's length.
MAX_CAST = 32
SUBJECT_MAX_CHARS = 60
ASSET_ID_MAX_CHARS = 80

# --- prompts --------------------------------------------------------------------------
PROMPT_MAX_CHARS = 4000

# --- assets ---------------------------------------------------------------------------
GAME_WIDTH = 540
GAME_HEIGHT = 960
THUMB_SMALL = (320, 180)
THUMB_LARGE = (1280, 720)
SOUND_SAMPLE_RATE = 22_050
WEBP_QUALITY = 80

# --- bundle ---------------------------------------------------------------------------
# The game's own files (Phaser excluded: it is served shared) must stay under this.
BUNDLE_MAX_BYTES = 500 * 1024

# --- playtest -------------------------------------------------------------------------
PLAYTEST_PLAY_SECONDS = 8.0
PLAYTEST_MAX_SECONDS = 45.0
PLAYTEST_BOOT_TIMEOUT_S = 15.0
# Once the game is up, the playtest has its canvas drawn on one frame in this many
# (GF_DEBUG.drawEvery); the game's update runs on every frame, and each screenshot draws its frame.
PLAYTEST_DRAW_EVERY = 3
# A screenshot whose pixel standard deviation is below this is a blank canvas.
PLAYTEST_MIN_PIXEL_STDDEV = 4.0
# Two frames differ when their mean absolute pixel difference is above this.
PLAYTEST_MIN_FRAME_DIFF = 0.5
