"""GameFactory settings.

One module, read from the environment (django-environ). With no variables set
the platform runs on one machine with no servers (SQLite, in-memory channel
layer, local-memory cache, kombu's filesystem broker, local media). Naming a
real service in the environment switches that concern to it; see
`.env.example` for every variable.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` is read when present; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-only-for-debug-mode-do-not-deploy")
else:
    # No default: a production deployment without a secret must not start.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the platform (used in emails and as the sandbox's frame-ancestors).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('WEB_PORT', default='8000')}").rstrip("/")

INSTALLED_APPS = [
    "gamefactory.admin_site.AdminConfig",  # django.contrib.admin with our site (one Accounts section)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    # third party
    "channels",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as static files (no CDN)
    "django_celery_beat",
    "django_htmx",
    "django_fsm",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.github",
    # ours
    "gamefactory",
    "accounts",
    "games",
    "analytics",
    "batches",
    "generation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "gamefactory.middleware.NotFoundPageMiddleware",
    # Last: it times the view and sees the status the other middleware settled on.
    "gamefactory.metrics.request_metrics_middleware",
]

ROOT_URLCONF = "gamefactory.urls"
WSGI_APPLICATION = "gamefactory.wsgi.application"
ASGI_APPLICATION = "gamefactory.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gamefactory.context_processors.platform",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat share one file: WAL lets readers run beside a writer,
    # IMMEDIATE transactions avoid "database is locked" on upgrade to write.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    if env.bool("DB_POOL", default=False):
        # psycopg 3's pool; Django requires CONN_MAX_AGE = 0 with it.
        _db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": env.int("DB_POOL_MAX_SIZE", default=10)}}
        _db["CONN_MAX_AGE"] = 0
    else:
        _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
        _db["CONN_HEALTH_CHECKS"] = True
# A read replica for metrics (gamefactory/db.py): analytics' selectors and dashboards read it while it
# answers, the primary otherwise; everything else always uses the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    _replica = env.db("DATABASE_REPLICA_URL")
    if _replica["ENGINE"] == "django.db.backends.postgresql":
        # No pool (a pool waits for a connection to a replica that is down): plain connections, and one
        # that does not answer in time lets the primary answer instead.
        _replica["OPTIONS"] = {"connect_timeout": env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=2)}
        _replica["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
        _replica["CONN_HEALTH_CHECKS"] = True
    # Tests get no database of their own for it: it mirrors the test database (and is then read through
    # the primary's connection, which sees the test's transaction). tests/gamefactory/test_replica.py
    # brings a second database of its own to stand in for a real replica.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["gamefactory.db.ReadReplicaRouter"]
# After a failure, the replica is left alone this long (per process) before it is tried again.
DATABASE_REPLICA_RETRY_AFTER = env.int("DATABASE_REPLICA_RETRY_AFTER", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, channel layer, broker ---------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="gf"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="gf-asgi"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost/")
CELERY_BROKER_DIR = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: messages are files, shared by every process on
    # this machine, so web, worker and beat need no server.
    for _sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # the exchange table (broadcast/control); kombu's default is ./control in the working directory
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "accounts.backends.UsernameOrEmailBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)

SITE_ID = 1
# allauth serves only the social (OAuth2) sign-in; local sign-up, sign-in and
# password reset are our own pages on the accounts services.
SOCIALACCOUNT_ONLY = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {}
for _provider, _prefix in (("google", "GOOGLE"), ("github", "GITHUB_OAUTH")):
    _client_id = env(f"{_prefix}_CLIENT_ID", default="")
    _secret = env(f"{_prefix}_CLIENT_SECRET", default="")
    if _client_id and _secret:
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": _secret, "key": ""}],
            "SCOPE": ["profile", "email"] if _provider == "google" else ["user:email"],
        }

# Avatars: refused above these, before any pixel is decoded.
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
AVATAR_MAX_PIXELS = env.int("AVATAR_MAX_PIXELS", default=4096 * 4096)
AVATAR_SIZES = (256, 64)

# --- REST API ---------------------------------------------------------------------
THROTTLE_RATES = {
    "api_calls": env("THROTTLE_API_CALLS", default="100/minute"),
    "api_calls_anon": env("THROTTLE_API_CALLS_ANON", default="30/minute"),
    "auth": env("THROTTLE_AUTH", default="10/minute"),
    "ai_generation": env("THROTTLE_AI_GENERATION", default="5/minute"),
    "game_upload": env("THROTTLE_GAME_UPLOAD", default="10/minute"),
    # per ingest key and client address; a web game sends a batch every few seconds per player
    "analytics_ingest": env("THROTTLE_ANALYTICS_INGEST", default="120/minute"),
    # signed requests (mobile builds, server-side imports) per key and client address
    "analytics_ingest_signed": env("THROTTLE_ANALYTICS_INGEST_SIGNED", default="1200/minute"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "gamefactory.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "gamefactory.api.throttles.ApiCallsUserThrottle",
        "gamefactory.api.throttles.ApiCallsAnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    "EXCEPTION_HANDLER": "gamefactory.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_MAX_PAGE_SIZE = 100

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "USER_AUTHENTICATION_RULE": "accounts.backends.user_can_authenticate",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "GameFactory API",
    "DESCRIPTION": "Make mini-games, play them, measure them. Errors always have the shape "
    '`{"error": {"code", "message", "fields"}}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from drf-spectacular-sidecar's static files, so the docs work with no network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "accounts.models.User.Role",
        "UserStatusEnum": "accounts.models.User.Status",
        "GameStatusEnum": "games.models.Game.Status",
        "GenerationStatusEnum": "games.models.GenerationRequest.Status",
    },
}

# Request bodies: JSON over this is refused with 413 before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- analytics (analytics/README.md) -------------------------------------------------
ANALYTICS_MAX_BATCH = env.int("ANALYTICS_MAX_BATCH", default=500)
ANALYTICS_MAX_BODY = env.int("ANALYTICS_MAX_BODY", default=1024 * 1024)
ANALYTICS_RETENTION_DAYS = env.int("ANALYTICS_RETENTION_DAYS", default=90)
ANALYTICS_PARTITIONS_AHEAD = env.int("ANALYTICS_PARTITIONS_AHEAD", default=3)
# Derives every game's ingest key pair; changing it invalidates every issued key.
ANALYTICS_KEY_SECRET = env("ANALYTICS_KEY_SECRET", default=SECRET_KEY)
# Browser origins allowed to send with a public (unsigned) key, besides SITE_URL and CSRF_TRUSTED_ORIGINS.
ANALYTICS_ALLOWED_ORIGINS = env.list("ANALYTICS_ALLOWED_ORIGINS", default=[])
# The catalogue first: analytics simulates players for the demo games it finds.
DEMO_SEEDERS = ["games.demo.seed_demo", "analytics.demo.seed_demo"]

# --- LLM designers (generation/providers: openai, anthropic) --------------------------
# Keys come from the environment only. A provider without its key is "not configured"
# and every request falls back to the offline `local` designer.
OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_MODEL = env("OPENAI_MODEL", default="gpt-4.1-mini")
# Any OpenAI-compatible server (Ollama, vLLM, LM Studio...), e.g. http://127.0.0.1:11434/v1
OPENAI_BASE_URL = env("OPENAI_BASE_URL", default="")
# Structured outputs in strict mode (the server enforces the schema); off for servers that reject it.
OPENAI_STRICT_SCHEMA = env.bool("OPENAI_STRICT_SCHEMA", default=True)
ANTHROPIC_API_KEY = env("ANTHROPIC_API_KEY", default="")
ANTHROPIC_MODEL = env("ANTHROPIC_MODEL", default="claude-sonnet-4-6")
ANTHROPIC_BASE_URL = env("ANTHROPIC_BASE_URL", default="")
LLM_TIMEOUT_S = env.float("LLM_TIMEOUT_S", default=90.0)
LLM_MAX_RETRIES = env.int("LLM_MAX_RETRIES", default=2)  # the SDK's own retries (429, 5xx, connection)
LLM_MAX_REPAIRS = env.int("LLM_MAX_REPAIRS", default=2)  # invalid answers sent back before falling back
LLM_MAX_OUTPUT_TOKENS = env.int("LLM_MAX_OUTPUT_TOKENS", default=16_000)
# USD per million tokens (input, output); the longest matching prefix of the model name wins.
# Add or override models with LLM_PRICES='{"my-model": ["0.10", "0.40"]}'.
LLM_PRICES = {
    model: (Decimal(str(price_in)), Decimal(str(price_out)))
    for model, (price_in, price_out) in {
        "gpt-4o-mini": ("0.15", "0.60"),
        "gpt-4o": ("2.50", "10.00"),
        "gpt-4.1-nano": ("0.10", "0.40"),
        "gpt-4.1-mini": ("0.40", "1.60"),
        "gpt-4.1": ("2.00", "8.00"),
        "gpt-5-nano": ("0.05", "0.40"),
        "gpt-5-mini": ("0.25", "2.00"),
        "gpt-5": ("1.25", "10.00"),
        "claude-haiku-4-5": ("1.00", "5.00"),
        "claude-sonnet-4-6": ("3.00", "15.00"),  # the Sonnet tier's price; check the price page
        "claude-sonnet-4-5": ("3.00", "15.00"),
        "claude-sonnet-4": ("3.00", "15.00"),
        "claude-opus-4-1": ("15.00", "75.00"),
        **env.json("LLM_PRICES", default={}),
    }.items()
}

# --- catalogue and studio (games/limits.py holds the fixed limits) -------------------------
# Serve game bundles from this origin (e.g. https://play.example-usercontent.com); empty: the platform's own.
GAME_ORIGIN = env("GAME_ORIGIN", default="").rstrip("/")
# Monthly LLM tokens per user, counted from what the providers report.
AI_TOKEN_QUOTA_FREE = env.int("AI_TOKEN_QUOTA_FREE", default=1000)
AI_TOKEN_QUOTA_PREMIUM = env.int("AI_TOKEN_QUOTA_PREMIUM", default=10000)
# The designer the studio uses: local (offline) or an LLM provider.
STUDIO_PROVIDER = env("STUDIO_PROVIDER", default="local")
GAMES_UPLOAD_MAX_BYTES = env.int("GAMES_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Anonymous first pages of the catalogue are cached this long (and dropped at once on any change).
GAMES_LIST_CACHE_SECONDS = env.int("GAMES_LIST_CACHE_SECONDS", default=60)

# --- content checks (gamefactory/content.py) ----------------------------------------------
# The scanner every app calls on text users write; the default allows everything.
CONTENT_SCANNER = env("CONTENT_SCANNER", default="gamefactory.content.allow_everything")

# --- the factory (batches/README.md) -----------------------------------------------------
# Where each game's repository lives: `local` (bare git repositories under var/repos) or `github`.
REPOSITORY_BACKEND = env("REPOSITORY_BACKEND", default="local")
REPOSITORIES_DIR = Path(env("REPOSITORIES_DIR", default=str(VAR_DIR / "repos")))
# The factory's own working store: a staging git repository per production and per-attempt workspaces.
FACTORY_DIR = Path(env("FACTORY_DIR", default=str(VAR_DIR / "factory")))
GITHUB_TOKEN = env("GITHUB_TOKEN", default="")
GITHUB_ORG = env("GITHUB_ORG", default="")
GITHUB_API_URL = env("GITHUB_API_URL", default="https://api.github.com")
GITHUB_PRIVATE_REPOS = env.bool("GITHUB_PRIVATE_REPOS", default=True)
# GitHub asks for a pause between writes (secondary rate limits); PyGithub waits this long.
GITHUB_SECONDS_BETWEEN_WRITES = env.float("GITHUB_SECONDS_BETWEEN_WRITES", default=1.0)
# A failed step is retried this many times (exponential backoff from FACTORY_RETRY_BACKOFF seconds),
# then waits for staff in manual review.
FACTORY_MAX_RETRIES = env.int("FACTORY_MAX_RETRIES", default=3)
FACTORY_RETRY_BACKOFF = env.float("FACTORY_RETRY_BACKOFF", default=2.0)
FACTORY_RETRY_BACKOFF_MAX = env.float("FACTORY_RETRY_BACKOFF_MAX", default=300.0)
# Celery soft/hard time limits of one step attempt, in seconds; per step: "10=240:300,7=60:90".
FACTORY_STEP_SOFT_TIME_LIMIT = env.int("FACTORY_STEP_SOFT_TIME_LIMIT", default=150)
FACTORY_STEP_TIME_LIMIT = env.int("FACTORY_STEP_TIME_LIMIT", default=180)
FACTORY_STEP_TIME_LIMITS = env.dict("FACTORY_STEP_TIME_LIMITS", default={})
# The reconciler times out a running step this long after its hard limit, and re-sends a pending one
# whose message has been out this long without being picked up.
FACTORY_DEADLINE_GRACE = env.int("FACTORY_DEADLINE_GRACE", default=30)
FACTORY_REDISPATCH_AFTER = env.int("FACTORY_REDISPATCH_AFTER", default=120)
FACTORY_POSTLAUNCH_DAYS = env.int("FACTORY_POSTLAUNCH_DAYS", default=30)

# --- metrics: Prometheus at /metrics (gamefactory/metrics.py) ------------------------------
# A scrape is served with `Authorization: Bearer <METRICS_TOKEN>` (when set), or straight (no proxy
# header) from these networks. Empty list: the token only.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
# Every process writes its counters here and a scrape adds them up (prometheus_client's multi-process
# mode, which reads the variable when it is imported: settings set it first). Emptied when a group of
# processes starts (scripts/run_all.py, gunicorn.conf.py).
PROMETHEUS_MULTIPROC_DIR = Path(env("PROMETHEUS_MULTIPROC_DIR", default=str(VAR_DIR / "prometheus")))
PROMETHEUS_MULTIPROC_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(PROMETHEUS_MULTIPROC_DIR)
# A Celery worker on a machine of its own serves its processes' metrics on this port (0: it does not;
# on the web's machine, sharing PROMETHEUS_MULTIPROC_DIR, /metrics includes them).
METRICS_WORKER_PORT = env.int("METRICS_WORKER_PORT", default=0)
METRICS_ACTIVE_WINDOW_S = 300
METRICS_BROKER_TIMEOUT_S = 2.0
METRICS_CELERY_QUEUES = ["celery", "steps", "assets", "builds"]
# Where `multiplayer_sessions` is read (imported when scraped; 0 while the multiplayer app is absent).
METRICS_MULTIPLAYER_SESSIONS = env(
    "METRICS_MULTIPLAYER_SESSIONS", default="multiplayer.selectors.sessions_active_count"
)

# --- i18n, static, media ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/phaser", NODE_MODULES / "phaser" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=True)
    _media_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # Hashed, compressed names in production; plain files (found in place) while debugging.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- email ------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="GameFactory <noreply@gamefactory.local>")

# --- security ----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Health probes come from the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# --- logging -----------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain" if DEBUG else "json"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "daphne": {"level": "WARNING"},
    },
}
