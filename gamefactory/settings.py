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
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from gamefactory import secret_keys
from gamefactory.serving import is_loopback

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` is read when present; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Off unless asked for: `make run` asks for it when it serves on a loopback address (Makefile).
DEBUG = env.bool("DEBUG", default=False)
# The address the web process binds (Procfile, scripts/serve.py; the Dockerfile says 0.0.0.0).
WEB_HOST = env("WEB_HOST", default="127.0.0.1")
WEB_PORT = env.int("WEB_PORT", default=8000)

if DEBUG and not is_loopback(WEB_HOST):
    raise ImproperlyConfigured(
        f"DEBUG is on and the web process binds {WEB_HOST}: debug pages show settings and source to "
        "anyone who can reach them. Serve on 127.0.0.1, or set DEBUG=0."
    )

# No key lives in the repository: the environment's, or one made for this install under VAR_DIR.
# Several machines serving one site must share SECRET_KEY (set it).
SECRET_KEY = env("SECRET_KEY", default="") or secret_keys.install_key(VAR_DIR / "secret_key")

# The public address of the platform (used in emails and as the sandbox's frame-ancestors).
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{WEB_PORT}").rstrip("/")
SITE_HTTPS = SITE_URL.startswith("https://")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", urlsplit(SITE_URL).hostname or "localhost"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Reverse proxies in front of the web process (load balancer, CDN): 0 means clients connect directly,
# and X-Forwarded-For is ignored everywhere. uvicorn's --forwarded-allow-ips (FORWARDED_ALLOW_IPS, the
# proxies' addresses) and DRF's NUM_PROXIES (throttles, the login lockout) both follow this number.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1"] if TRUSTED_PROXIES else [])

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
    "axes",
    # ours
    "gamefactory",
    "accounts",
    "games",
    "analytics",
    "batches",
    "generation",
    "marketplace",
    "moderation",
    "multiplayer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL, control and bidi characters in the path, query or a form post: 400 naming the field;
    # uniqueness races lost on a page: 400 (gamefactory/middleware.py).
    "gamefactory.middleware.InputCheckMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "gamefactory.middleware.NotFoundPageMiddleware",
    # Times the view and counts the status it ends with (inside it only axes, below).
    "gamefactory.metrics.request_metrics_middleware",
    # Last: turns a locked-out sign-in on a page (and the admin's) into the lockout page.
    "axes.middleware.AxesMiddleware",
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
    # channels_redis waits for a message with a blocking read of CHANNEL_LAYER_BLOCK_S; redis-py's socket
    # timeout must be well above it, or the two race and the socket drops (1006) every few seconds.
    # Keepalive and a health check notice a connection a NAT or Redis closed while idle.
    CHANNEL_LAYER_BLOCK_S = env.int("CHANNEL_LAYER_BLOCK_S", default=5)
    CHANNEL_LAYER_SOCKET_TIMEOUT_S = env.int(
        "CHANNEL_LAYER_SOCKET_TIMEOUT_S", default=CHANNEL_LAYER_BLOCK_S + 10
    )
    if CHANNEL_LAYER_SOCKET_TIMEOUT_S <= CHANNEL_LAYER_BLOCK_S + 1:
        raise ImproperlyConfigured(
            "CHANNEL_LAYER_SOCKET_TIMEOUT_S must exceed CHANNEL_LAYER_BLOCK_S by more than 1 s."
        )
    # redis-py pings a layer connection idle this long before using it again (0: never).
    CHANNEL_LAYER_HEALTH_CHECK_S = env.int("CHANNEL_LAYER_HEALTH_CHECK_S", default=30)
    # "pubsub" (default): channels_redis's Pub/Sub layer, one PUBLISH per group send and no per-message
    # reads; "core": the list-based layer above. bench/multiplayer.py measured, 160 sockets, 80 moves/s on
    # a loaded 2-core machine: broadcast p50 45 ms with pubsub, 3.2 s with core (its one receive loop per
    # process spends ~4 Redis round trips per message). Neither blocks on a read the socket timeout races.
    CHANNEL_LAYER_KIND = env("CHANNEL_LAYER_KIND", default="pubsub")
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "gamefactory.channel_layer.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT_S,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": CHANNEL_LAYER_HEALTH_CHECK_S,
                        "retry_on_timeout": True,
                        # a pool that waits (gamefactory/channel_layer.py) up to `timeout` s for one of these
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=200),
                        "timeout": 10,
                    }
                ],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="gf-asgi"),
                "block_s": CHANNEL_LAYER_BLOCK_S,
                # a session of 8 receiving a burst of moves must not fill a socket's queue
                "capacity": 500,
            },
        }
    }
    if CHANNEL_LAYER_KIND == "pubsub":
        CHANNEL_LAYERS["default"] = {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": CHANNEL_LAYER_HEALTH_CHECK_S,
                    }
                ],
                "prefix": env("CHANNEL_LAYER_PREFIX", default="gf-asgi"),
            },
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
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3600),
        # Ten priority levels (kombu's default is four): a factory step's priority is 1..9 by the
        # work its game has left (batches/execution.py), and 0, every other task's, comes first.
        "priority_steps": list(range(10)),
    }
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
    # First: refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)

# Per-account lockout (django-axes), for the API login, the sign-in page and the admin alike:
# LOGIN_FAILURE_LIMIT wrong passwords for one account (username or email, any letter case) lock it
# for LOGIN_LOCKOUT_MINUTES. The lock always ends: it runs from the failure that set it (failures
# during a lock do not extend it), a password reset lifts it at once, and staff can lift it in the
# admin. The per-address AuthThrottle bounds how fast anyone can fail.
AXES_ENABLED = env.bool("LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "gamefactory.api.throttles.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 wants the address in the lockout key; counting per account is the point here, and
    # addresses are limited by AuthThrottle (a lock per address would let a botnet guess freely).
    "axes.W006",
]

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
    # purchases and refunds per user (each one also takes a row lock)
    "marketplace_purchase": env("THROTTLE_MARKETPLACE_PURCHASE", default="30/minute"),
    # reports per user (report spam), and staff's scan endpoint
    "reports": env("THROTTLE_REPORTS", default="20/hour"),
    "content_scan": env("THROTTLE_CONTENT_SCAN", default="120/minute"),
    # multiplayer sessions created and joined per user
    "multiplayer": env("THROTTLE_MULTIPLAYER", default="60/minute"),
    # per ingest key and client address; a web game sends a batch every few seconds per player
    "analytics_ingest": env("THROTTLE_ANALYTICS_INGEST", default="120/minute"),
    # signed requests (mobile builds, server-side imports) per key and client address
    "analytics_ingest_signed": env("THROTTLE_ANALYTICS_INGEST_SIGNED", default="1200/minute"),
}
# One rate for every scope at once, whatever app defined it (the API fuzz, scripts/fuzz_api.py, turns
# them all off this way for its own server only).
if env("THROTTLE_ALL_SCOPES", default=""):
    THROTTLE_RATES.update(dict.fromkeys(THROTTLE_RATES, env("THROTTLE_ALL_SCOPES")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # One body-parsing configuration for every view (depth and size limits, character checks).
    "DEFAULT_PARSER_CLASSES": [
        "gamefactory.api.parsers.JSONParser",
        "gamefactory.api.parsers.FormParser",
        "gamefactory.api.parsers.MultiPartParser",
    ],
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
    "NUM_PROXIES": TRUSTED_PROXIES,
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
    # Its own key: derived from SECRET_KEY under its own label unless set.
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default="") or secret_keys.derive(SECRET_KEY, "jwt-signing"),
    "ALGORITHM": "HS256",
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
        "ReportStatusEnum": "moderation.models.Report.Status",
        "AppealStatusEnum": "moderation.models.Appeal.Status",
    },
}

# Request bodies: JSON over this is refused with 413 before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# JSON nested deeper than this is refused with 400 (every API body, gamefactory/api/parsers.py).
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=32)

# --- analytics (analytics/README.md) -------------------------------------------------
ANALYTICS_MAX_BATCH = env.int("ANALYTICS_MAX_BATCH", default=500)
ANALYTICS_MAX_BODY = env.int("ANALYTICS_MAX_BODY", default=1024 * 1024)
ANALYTICS_RETENTION_DAYS = env.int("ANALYTICS_RETENTION_DAYS", default=90)
ANALYTICS_PARTITIONS_AHEAD = env.int("ANALYTICS_PARTITIONS_AHEAD", default=3)
# Derives every game's ingest key pair; changing it invalidates every issued key.
ANALYTICS_KEY_SECRET = env("ANALYTICS_KEY_SECRET", default="") or secret_keys.derive(
    SECRET_KEY, "analytics-ingest-keys"
)
# Browser origins allowed to send with a public (unsigned) key, besides SITE_URL and CSRF_TRUSTED_ORIGINS.
ANALYTICS_ALLOWED_ORIGINS = env.list("ANALYTICS_ALLOWED_ORIGINS", default=[])
# The catalogue first: analytics simulates players for the demo games it finds.
DEMO_SEEDERS = ["games.demo.seed_demo", "analytics.demo.seed_demo", "marketplace.demo.seed_demo"]
# The mechanics the catalogue demo makes a game of (each one played in Chromium before it is public);
# empty, the default: every mechanic in the library, the whole demo `make run` shows.
DEMO_GAME_MECHANICS = env.list("DEMO_GAME_MECHANICS", default=[])

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

# --- playtest (generation/playtest.py, generation/verdicts.py) --------------------------------
# Keep Playwright and Chromium up between the playtests of a process (closed after this idle time).
PLAYTEST_REUSE_BROWSER = env.bool("PLAYTEST_REUSE_BROWSER", default=True)
PLAYTEST_BROWSER_IDLE_S = env.float("PLAYTEST_BROWSER_IDLE_S", default=300.0)
# Reuse a verdict for a bundle of the same content judged by the same engine (its sources, bots,
# limits and Chromium): passes, and capped smoke runs that failed only what the cap cut short;
# a game with an error, no boot, a blank canvas or dead input is always played again.
PLAYTEST_VERDICT_CACHE = env.bool("PLAYTEST_VERDICT_CACHE", default=True)
PLAYTEST_VERDICT_CACHE_DAYS = env.int("PLAYTEST_VERDICT_CACHE_DAYS", default=30)

# --- catalogue and studio (games/limits.py holds the fixed limits) -------------------------
# Serve game bundles from this origin (e.g. https://play.example-usercontent.com); empty: the platform's own.
GAME_ORIGIN = env("GAME_ORIGIN", default="").rstrip("/")
# Monthly LLM tokens per user, counted from what the providers report.
AI_TOKEN_QUOTA_FREE = env.int("AI_TOKEN_QUOTA_FREE", default=1000)
AI_TOKEN_QUOTA_PREMIUM = env.int("AI_TOKEN_QUOTA_PREMIUM", default=10000)
# The designer the studio uses: local (offline) or an LLM provider.
STUDIO_PROVIDER = env("STUDIO_PROVIDER", default="local")
# Cost-aware routing (generation/routing.py): `cost` sends to STUDIO_PROVIDER only what the offline
# designer does not cover with at least this confidence (0..1), and keeps small changes (at most
# this many content words) local; `fixed` always uses STUDIO_PROVIDER. Over a budget: local.
STUDIO_ROUTING = env("STUDIO_ROUTING", default="cost")
STUDIO_ROUTING_LOCAL_CONFIDENCE = env.float("STUDIO_ROUTING_LOCAL_CONFIDENCE", default=0.6)
STUDIO_ROUTING_SMALL_CHANGE_WORDS = env.int("STUDIO_ROUTING_SMALL_CHANGE_WORDS", default=6)
# Tokens held for a request routed to an LLM until it reports what it used (under the user's row
# lock: parallel requests cannot promise the same tokens twice); capped by what is left.
STUDIO_TOKEN_RESERVATION = env.int("STUDIO_TOKEN_RESERVATION", default=2000)
# Monthly budgets besides the per-user token quota above: per user in USD, and for the platform.
STUDIO_BUDGET_USER_USD = Decimal(env("STUDIO_BUDGET_USER_USD", default="1.00"))
STUDIO_BUDGET_GLOBAL_TOKENS = env.int("STUDIO_BUDGET_GLOBAL_TOKENS", default=5_000_000)
STUDIO_BUDGET_GLOBAL_USD = Decimal(env("STUDIO_BUDGET_GLOBAL_USD", default="50.00"))
# The quality gate: a studio game whose playtest fails is designed again with another seed, at most
# this many playtests in all, before the failure is reported.
STUDIO_PLAYTEST_ATTEMPTS = env.int("STUDIO_PLAYTEST_ATTEMPTS", default=3)
GAMES_UPLOAD_MAX_BYTES = env.int("GAMES_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# A bundle URL for a game that is not open to everyone carries a signed grant this long
# (games/access.py); the player's right is re-checked at most this often while it is used.
BUNDLE_GRANT_SECONDS = env.int("BUNDLE_GRANT_SECONDS", default=6 * 60 * 60)
BUNDLE_GRANT_RECHECK_SECONDS = env.int("BUNDLE_GRANT_RECHECK_SECONDS", default=60)
# Anonymous first pages of the catalogue are cached this long (and dropped at once on any change).
GAMES_LIST_CACHE_SECONDS = env.int("GAMES_LIST_CACHE_SECONDS", default=60)

# --- content checks (gamefactory/content.py) and moderation (moderation/README.md) -----------
# The scanner every app calls on text users write: the moderation app's pipeline (offline
# classifier + word lists, plus OpenAI's moderation endpoint when OPENAI_API_KEY is set).
# `gamefactory.content.allow_everything` switches scanning off.
CONTENT_SCANNER = env("CONTENT_SCANNER", default="moderation.scanner.content_scanner")
# Where a hold verdict is reported (the item is queued for review): the moderation app.
CONTENT_HOLD_HANDLER = env("CONTENT_HOLD_HANDLER", default="moderation.services.content_hold")
# Scores (0..1) at or above which an item is held for review or refused, per kind of text
# (gamefactory.content.ContentKind); "default" covers kinds not named. A label's own limits in
# MODERATION_LABEL_THRESHOLDS win over the kind's. Chat cannot wait for review: its hold refuses.
MODERATION_THRESHOLDS = {
    "default": {"hold": 0.95, "refuse": 0.99},
    "prompt": {"hold": 0.95, "refuse": 0.99},
    "title": {"hold": 0.95, "refuse": 0.99},
    "description": {"hold": 0.95, "refuse": 0.995},
    # What others see of a person cannot wait in private for review: no hold, refused outright.
    "display_name": {"hold": 0.95, "refuse": 0.95},
    "bio": {"hold": 0.95, "refuse": 0.95},
    "listing": {"hold": 0.95, "refuse": 0.99},
    "chat": {"hold": 0.97, "refuse": 0.97},
    "upload": {"hold": 0.95, "refuse": 0.995},
    "game_code": {"hold": 0.95, "refuse": 0.995},
    # What people write in reports and appeals often quotes the content: scored, never blocked.
    "report": {"hold": 2.0, "refuse": 2.0},
    **env.json("MODERATION_THRESHOLDS", default={}),
}
MODERATION_LABEL_THRESHOLDS = {
    # A word of the per-language lists (`wordlist`) scores 1.0: refused wherever the kind refuses.
    # The logic.js checker's findings (code:*) are refused: the bundle builder would refuse them too.
    "code": {"hold": 0.5, "refuse": 0.5},
    # OpenAI's categories (openai:<category>): its scores are probabilities of its own.
    "openai": {"hold": 0.5, "refuse": 0.85},
    "openai:sexual/minors": {"hold": 0.10, "refuse": 0.30},
    "openai:self-harm/intent": {"hold": 0.40, "refuse": 0.90},
    "openai:self-harm/instructions": {"hold": 0.40, "refuse": 0.80},
    "openai:hate/threatening": {"hold": 0.40, "refuse": 0.80},
    # Games are full of fights: violence only holds, and only when the model is sure.
    "openai:violence": {"hold": 0.90, "refuse": 2.0},
    "openai:violence/graphic": {"hold": 0.80, "refuse": 2.0},
    "openai:illicit/violent": {"hold": 0.80, "refuse": 2.0},
    **env.json("MODERATION_LABEL_THRESHOLDS", default={}),
}
# With OPENAI_API_KEY (and OPENAI_BASE_URL) set, texts also go to OpenAI's moderation endpoint.
MODERATION_OPENAI = env.bool("MODERATION_OPENAI", default=True)
MODERATION_OPENAI_MODEL = env("MODERATION_OPENAI_MODEL", default="omni-moderation-latest")
MODERATION_OPENAI_TIMEOUT_S = env.float("MODERATION_OPENAI_TIMEOUT_S", default=5.0)
# An item is hidden pending review once this many different people have reported it.
MODERATION_AUTO_HIDE_REPORTS = env.int("MODERATION_AUTO_HIDE_REPORTS", default=3)
# Reports and scans: the longest texts accepted.
MODERATION_REPORT_TEXT_MAX_CHARS = env.int("MODERATION_REPORT_TEXT_MAX_CHARS", default=2000)
MODERATION_APPEAL_TEXT_MAX_CHARS = env.int("MODERATION_APPEAL_TEXT_MAX_CHARS", default=2000)
MODERATION_SCAN_MAX_CHARS = env.int("MODERATION_SCAN_MAX_CHARS", default=100_000)

# --- marketplace (marketplace/README.md) ------------------------------------------------
# One currency for every price, wallet and ledger entry (ISO 4217); amounts are integer cents.
MARKETPLACE_CURRENCY = env("MARKETPLACE_CURRENCY", default="EUR").upper()
# The platform's share of each sale; staff may set another rate per listing.
MARKETPLACE_COMMISSION_RATE = Decimal(env("MARKETPLACE_COMMISSION_RATE", default="0.30"))
MARKETPLACE_MAX_PRICE_CENTS = env.int("MARKETPLACE_MAX_PRICE_CENTS", default=50_000)
MARKETPLACE_MAX_CREDIT_CENTS = env.int("MARKETPLACE_MAX_CREDIT_CENTS", default=100_000)
# A buyer may refund their own purchase this long after it (staff: any time).
MARKETPLACE_REFUND_WINDOW_HOURS = env.int("MARKETPLACE_REFUND_WINDOW_HOURS", default=48)
# Idempotency keys are kept at least this long (Stripe keeps them 24 h), then a beat task drops them.
MARKETPLACE_IDEMPOTENCY_TTL_HOURS = env.int("MARKETPLACE_IDEMPOTENCY_TTL_HOURS", default=24)
# Payout reports cover this many days (7: Monday to Sunday weeks; anything else: periods from 2026-01-05).
MARKETPLACE_PAYOUT_PERIOD_DAYS = env.int("MARKETPLACE_PAYOUT_PERIOD_DAYS", default=7)
# `seed_demo` gives each demo account this much wallet credit (once).
MARKETPLACE_DEMO_CREDIT_CENTS = env.int("MARKETPLACE_DEMO_CREDIT_CENTS", default=2_000)
# Stripe Connect (destination charges) when a secret key is set; otherwise the wallet only.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Another API address (a proxy, or the fake the tests run); empty: Stripe's own.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_CONNECT_COUNTRY = env("STRIPE_CONNECT_COUNTRY", default="")

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
# The push outbox (batches/pushes.py): a pusher holds a game's pending pushes this long; a killed
# pusher's pushes are taken over once it has passed (keep it above a whole push's duration).
FACTORY_PUSH_LEASE = env.int("FACTORY_PUSH_LEASE", default=900)

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

# Hashed, compressed names (after collectstatic) unless debugging; tests find files in place.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

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
# A site served over HTTPS (SITE_URL https://...) gets secure cookies, HSTS and the redirect.
if SITE_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Health probes come from the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if TRUSTED_PROXIES:
    # Only a proxy may say the client used HTTPS; from a client directly the header means nothing.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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

# --- multiplayer -------------------------------------------------------------------
# A dropped player keeps the seat this long (Colyseus's allowReconnection); then the player leaves.
MULTIPLAYER_RECONNECT_GRACE_S = env.float("MULTIPLAYER_RECONNECT_GRACE_S", default=30)
# Frames larger than this get an error frame (Nakama's default cap).
MULTIPLAYER_MAX_FRAME_BYTES = env.int("MULTIPLAYER_MAX_FRAME_BYTES", default=4096)
# Per socket: a sustained rate and a burst (token bucket); over it, an error frame.
MULTIPLAYER_RATE_PER_S = env.float("MULTIPLAYER_RATE_PER_S", default=30)
MULTIPLAYER_RATE_BURST = env.int("MULTIPLAYER_RATE_BURST", default=60)
# Error frames a socket may earn for breaking the limits before it is closed (4429 / 4413).
MULTIPLAYER_MAX_STRIKES = env.int("MULTIPLAYER_MAX_STRIKES", default=20)
# Broadcast frames kept per session (Redis, or memory without Redis) for a reconnecting player.
MULTIPLAYER_HISTORY = env.int("MULTIPLAYER_HISTORY", default=200)
# The host's "state" snapshot is written to session_data at most this often (it is in Redis at once).
MULTIPLAYER_SNAPSHOT_SAVE_S = env.float("MULTIPLAYER_SNAPSHOT_SAVE_S", default=1.0)
MULTIPLAYER_CODE_LENGTH = 6
# Sessions waiting with nobody connected for this long are closed by the reaper.
MULTIPLAYER_IDLE_WAITING_S = env.int("MULTIPLAYER_IDLE_WAITING_S", default=6 * 60 * 60)
