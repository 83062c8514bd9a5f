"""Named limits of the catalogue: uploads, ratings, searches and lists.

Per-deployment knobs (upload size, quotas, cache time) are settings; these are fixed.
"""

from datetime import timedelta

# --- the upload package (a zip) -----------------------------------------------------------
# Entries in the zip, directories included.
UPLOAD_MAX_FILES = 200
# Everything inflated, as the central directory declares it AND as counted while extracting.
UPLOAD_MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024
# One entry inflated.
UPLOAD_MAX_FILE_BYTES = 5 * 1024 * 1024
# Inflated / compressed, for the whole package and for any entry bigger than the small-file floor
# (tiny files legitimately compress very well).
UPLOAD_MAX_RATIO = 50
UPLOAD_RATIO_FLOOR_BYTES = 64 * 1024
UPLOAD_MAX_PATH_CHARS = 200
UPLOAD_MAX_PATH_DEPTH = 6
UPLOAD_SPEC_MAX_BYTES = 1024 * 1024
# Images in a package: refused above this many pixels before any is decoded.
UPLOAD_MAX_IMAGE_PIXELS = 4096 * 4096
UPLOAD_IMAGE_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
UPLOAD_AUDIO_EXTENSIONS = (".wav", ".ogg", ".mp3")
# Uploaded assets land in the bundle under this folder (the builder's own assets stay apart).
UPLOAD_ASSETS_DIR = "assets/uploads"

# --- games --------------------------------------------------------------------------------
TITLE_MAX_CHARS = 200
DESCRIPTION_MAX_CHARS = 5000
CHANGELOG_MAX_CHARS = 2000
MAX_TAGS = 10
TAG_MAX_CHARS = 40
SEARCH_MAX_CHARS = 100
RATING_MIN = 1
RATING_MAX = 5
# A play longer than this is a tab left open; its duration is capped.
PLAY_MAX_DURATION_MS = 6 * 60 * 60 * 1000
PLAY_MAX_SCORE = 10**15
# A play session: the same player starting the same game again within this much of the play's last sign
# of life continues that play (a reload is not a new play). The idle gap analytics splits sessions with.
PLAY_SESSION_IDLE = timedelta(minutes=30)
ANONYMOUS_ID_MAX_CHARS = 64

# --- the studio ---------------------------------------------------------------------------
# A change request (regenerate) is appended to the original prompt; together they stay under this.
CHANGE_MAX_CHARS = 1000

# --- bundles ------------------------------------------------------------------------------
# Hashed URLs never change content: cache them for a year.
BUNDLE_CACHE_SECONDS = 365 * 24 * 60 * 60
# The file types a bundle may serve; anything else in a built folder is refused at publish time.
BUNDLE_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}
BUNDLE_MAX_FILES = 400
BUNDLE_MAX_BYTES = 30 * 1024 * 1024
