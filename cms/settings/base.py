"""Settings shared by every environment. The environment is read here and nowhere else."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-insecure-key-only-for-local-development-never-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Key for personal data at rest (national ID). Separate from SECRET_KEY so that rotating the
# session secret does not make stored IDs unreadable.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "dev-field-encryption-key-not-for-production")

INSTALLED_APPS = [
    "core",
    "home",
    "accounts",
    "addresses",
    "line_integration",
    "complaints",
    "news",
    "dashboard",
    "chat",
    "alerts",
    "open311",
    "opendata",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "formtools",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so that a stored page gets the policy of the moment (core/csp.py).
    "core.csp.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may touch the database: a Thai "try again" page (503) when it
    # cannot be reached.
    "core.middleware_db.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous visitors' pages from the cache (after CSRF, which sets their token's cookie).
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every authentication.
    "axes.middleware.AxesMiddleware",
]

# The webhook's own gunicorn (cms/wsgi_line.py) runs only these of MIDDLEWARE: LINE's request
# needs no session, user, messages, language, CSRF check, page cache or log-in lockout.
LINE_WEBHOOK_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware_db.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cms.urls"

# Content-Security-Policy (django-csp, core/csp.py): what a page may load and run. Everything
# from this site only; no inline script, no inline style (style attributes included), no eval,
# no plug-ins, never inside another site's frame, forms only to this site. An injected
# <script>, onclick= or style= does nothing. core/csp.py adds the map-tile and LINE hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin's screens for logged-in staff (core/csp.py): what Wagtail 8's own pages
# need on top of the policy above, found by running the admin under it in Chromium
# (tests/e2e/test_officer_admin.py keeps it free of violations). README: "Content security
# policy". Never 'unsafe-eval'; requests, pictures and fonts stay on this site.
CONTENT_SECURITY_POLICY_ADMIN = {
    "REPLACE": {
        "frame-ancestors": [SELF],  # the live preview shows the page in a frame of the editor
    },
    "UPDATE": {
        # Date pickers, choosers and inline panels start from inline <script>s in their widgets'
        # templates, which render without the request (no nonce possible).
        "script-src": [UNSAFE_INLINE],
        # Draftail writes <style> elements whose text depends on the editor and the language.
        "style-src": [UNSAFE_INLINE],
        "img-src": ["blob:"],  # previews of pictures chosen for upload
    },
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.centre.context_processor",
            ],
        },
    },
]

# Plain inputs and text areas written in Python, every other widget through its template.
FORM_RENDERER = "core.form_renderer.FormRenderer"

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# PostgreSQL through Django's backend with a health check that asks the server only when the
# connection's socket says something happened (core/db_backends/postgresql/base.py).
POSTGRESQL_ENGINE = "core.db_backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = POSTGRESQL_ENGINE
    # Parameters sent apart from the statement (psycopg's C code adapts them; client-side
    # binding quoted each one in Python), and a statement run often is prepared once per
    # connection (psycopg's prepare_threshold), so PostgreSQL stops parsing and planning it.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica for reads that may lag a little (the executives' dashboard, core/db.py): set
# DATABASE_REPLICA_URL and those reads go to the "replica" alias; writes never do.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["ENGINE"] = POSTGRESQL_ENGINE
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
READ_REPLICA_DATABASE = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]

# A shared cache for several web nodes (Wagtail caches its site routing in the default cache):
# REDIS_URL, e.g. redis://127.0.0.1:6379/1. Without it each process keeps its own memory cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "core.cache.RedisCache",  # Django's, one client per pool
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "ddc",
    }
# Anonymous visitors' copies of the home and news pages (core/page_cache.py). Every web process
# and node must share one cache, or an editor's publish would purge only the copies of the
# process that handled it: Redis when REDIS_URL is set, else a table in the site's own database
# (created after migrate). Never a local-memory cache: it is per process.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "600"))
# The centre's name, address, hotline and logo (core/centre.py) are read once per this many
# seconds in each process; a change in the admin shows at once in the process that saved it.
CENTRE_CACHE_SECONDS = int(env("CENTRE_CACHE_SECONDS", "60"))
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "ddc-pages", "TIMEOUT": PAGE_CACHE_SECONDS}
    if env("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "home_page_cache",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
)
# Rate limits (core/ratelimit.py) count across every process and node, so never in a
# per-process memory cache: Redis when REDIS_URL is set, else a table of the site's database.
CACHES["ratelimit"] = (
    {**CACHES["default"], "KEY_PREFIX": "ddc-ratelimit"}
    if env("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "core_rate_limits",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.AccountBackend",
    # Only for sessions signed in before AccountBackend (accounts/backends.py): it never checks a
    # password, because AccountBackend's refusal ends the log-in.
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.ConfiguredArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Argon2id cost (accounts/hashers.py): OWASP's m=19 MiB, t=2, p=1 by default, about 23 ms a hash.
ARGON2_TIME_COST = int(env("ARGON2_TIME_COST", "2"))
ARGON2_MEMORY_COST_KIB = int(env("ARGON2_MEMORY_COST_KIB", "19456"))
ARGON2_PARALLELISM = int(env("ARGON2_PARALLELISM", "1"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.LettersAndDigitsPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"

# Sessions hold the wizards' steps, so every node must see the same, current copy. With the
# shared Redis cache (REDIS_URL): read from Redis, written to Redis and the database (a Redis
# restart loses nothing), so a request no longer reads its session from the database; each
# write is one statement (core/sessions.py: Django's cached_db with a leaner write). Without
# Redis the database alone: a per-process memory cache would let one gunicorn worker read a
# wizard step that another has already changed. Signed cookies are no place for wizard data.
SESSION_ENGINE = "core.sessions" if env("REDIS_URL") else "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Five failures for one username, or from one address, lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
# Failures are what the lockout needs. axes' access log would also keep every successful
# log-in's address and browser, forever, read by no one (PDPA: collect no more than needed), at
# a write on every log-in and log-out.
AXES_DISABLE_ACCESS_LOG = True
# Reverse proxies in front of the site (nginx: 1). Every place that records or counts a
# client's address reads it through core.http.client_ip, django-axes included.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"

# The province whose Damrongdhamma centre this is (the official two-digit code; geothai knows all
# 77). Default 60, นครสวรรค์. The tracking prefix, the default province in forms, the map's centre,
# the seeded district offices and the Open311 jurisdiction follow from it.
PROVINCE_CODE = env("PROVINCE_CODE", "60")
# Tracking numbers start with the province's usual three-letter abbreviation (NSN, CMI, BKK:
# core/province.py); set this (2 to 5 capital letters) to choose another. Numbers already given
# keep their prefix and are still found.
TRACKING_PREFIX = env("TRACKING_PREFIX", "")


def _centre_name(code: str) -> str:
    """The centre's usual name, for the admin's title and the mail sender (the site's pages
    take it from the site settings, core/centre.py)."""
    import geothai

    found = geothai.province(code)
    if found is None:
        return "ศูนย์ดำรงธรรม"  # the system check (core/province.py) says what is wrong
    return "ศูนย์ดำรงธรรม" + (found.name_th if code == "10" else f"จังหวัด{found.name_th}")


CENTRE_NAME = _centre_name(PROVINCE_CODE)

# Open311 GeoReport v2 (open311/): requests a partner's key may POST an hour, and public GETs
# one client address may make a minute.
OPEN311_POST_LIMIT = int(env("OPEN311_POST_LIMIT", "120"))
OPEN311_GET_LIMIT = int(env("OPEN311_GET_LIMIT", "120"))

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private files (complaint evidence) live outside MEDIA_ROOT and are served only through views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# S3-compatible object storage (AWS S3, MinIO, Ceph, ...) through django-storages, so that web
# nodes keep nothing on their own disks. MEDIA_S3_BUCKET: public media (news pictures and
# documents). PRIVATE_S3_BUCKET: evidence, internal attachments and wizard uploads in progress;
# that bucket must not be public, and its files leave only through the permission-checking views
# (core/files.py streams them: no signed URL that could be forwarded).
S3_OPTIONS = {
    "endpoint_url": env("S3_ENDPOINT_URL"),
    "region_name": env("S3_REGION"),
    "access_key": env("S3_ACCESS_KEY_ID"),
    "secret_key": env("S3_SECRET_ACCESS_KEY"),
    "addressing_style": env("S3_ADDRESSING_STYLE"),
    "signature_version": "s3v4",
    "file_overwrite": False,
}
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": MEDIA_S3_BUCKET,
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN"),
            "querystring_auth": False,  # public pictures: plain, cacheable addresses
        },
    }
    # Documents go through Wagtail's view (collection privacy), never a bucket address.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
PRIVATE_S3_BUCKET = env("PRIVATE_S3_BUCKET")
if PRIVATE_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": PRIVATE_S3_BUCKET,
            "querystring_expire": 60,  # should anything ever ask for an address
        },
    }

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{CENTRE_NAME} <noreply@localhost>")

TASK_QUEUES = ["default", "line_events"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

WAGTAIL_SITE_NAME = CENTRE_NAME
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
# No Gravatar pictures in the admin: an officer's e-mail (hashed) would go to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.staff_only.StaffLoginForm"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# LINE Messaging API. With no access token the project talks to its own local stand-in
# (line_integration/standin), which `make run` starts on LINE_STANDIN_PORT.
# The stand-in's secret is public (it is here): production never accepts it (production.py).
LINE_STANDIN_CHANNEL_SECRET = "local-standin-channel-secret"
LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", LINE_STANDIN_CHANNEL_SECRET)
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN")
LINE_USE_STANDIN = LINE_CHANNEL_ACCESS_TOKEN is None
LINE_STANDIN_PORT = int(env("LINE_STANDIN_PORT", "8001"))
if LINE_USE_STANDIN:
    LINE_CHANNEL_ACCESS_TOKEN = "local-standin-access-token"
_line_default_host = f"http://127.0.0.1:{LINE_STANDIN_PORT}" if LINE_USE_STANDIN else None
LINE_API_HOST = env("LINE_API_HOST", _line_default_host or "https://api.line.me")
LINE_API_DATA_HOST = env("LINE_API_DATA_HOST", _line_default_host or "https://api-data.line.me")
# Where LINE's account-link page lives (the stand-in serves its own copy).
LINE_ACCESS_HOST = env("LINE_ACCESS_HOST", _line_default_host or "https://access.line.me")
LINE_HTTP_TIMEOUT = float(env("LINE_HTTP_TIMEOUT", "10"))
# LINE Login (OpenID Connect, line_integration/line_login.py): a LINE Login channel under the
# same provider as the Messaging API channel, so its ID tokens' `sub` is the bot's userId.
# The stand-in plays the channel with these values when no LINE credentials are set.
LINE_LOGIN_CHANNEL_ID = env("LINE_LOGIN_CHANNEL_ID", "1000000001" if LINE_USE_STANDIN else "")
LINE_LOGIN_CHANNEL_SECRET = env(
    "LINE_LOGIN_CHANNEL_SECRET", "local-standin-login-channel-secret" if LINE_USE_STANDIN else ""
)
# LINE's consent screen offers to add the official account as a friend ("normal"), or asks
# again right after it ("aggressive"); empty: not at all. Receipts reach friends only.
LINE_LOGIN_BOT_PROMPT = env("LINE_LOGIN_BOT_PROMPT", "normal")
# One task worker answers many LINE events at once (line_integration/event_worker.py): events
# in flight, threads for their handlers (each a database connection), the seconds one run
# takes new events before the worker's other queues get a turn, and LINE calls per second
# per process (LINE allows 2,000 a second per channel for replies and pushes).
LINE_EVENT_CONCURRENCY = int(env("LINE_EVENT_CONCURRENCY", "64"))
# With SQLite every write takes the one write lock, and the webhook waits behind the worker's
# (SQLite's busy wait backs off to tens of milliseconds): fewer threads leave it room.
LINE_EVENT_THREADS = int(
    env("LINE_EVENT_THREADS", "2" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "8")
)
LINE_EVENT_RUN_SECONDS = float(env("LINE_EVENT_RUN_SECONDS", "30"))
LINE_API_RATE = float(env("LINE_API_RATE", "500"))

# The not-a-robot check (core/robot_check.py): an ALTCHA proof of work that the citizen's own
# phone solves after one tap, checked here; nothing is sent to any other service. The key signs
# the challenges (required in production). The phone looks for a counter between
# ALTCHA_MAX_NUMBER / 2 and ALTCHA_MAX_NUMBER, each try one PBKDF2-SHA-256 of ALTCHA_COST
# rounds: about 1 s on a cheap phone (bench/altcha_solve.py measures it). Without JavaScript
# the tick box alone is accepted from ALTCHA_FALLBACK_MIN_WAIT after the page was shown.
ALTCHA_HMAC_KEY = env("ALTCHA_HMAC_KEY", "dev-altcha-hmac-key-not-for-production")
ALTCHA_ALGORITHM = "PBKDF2/SHA-256"
ALTCHA_COST = int(env("ALTCHA_COST", "1000"))
ALTCHA_MAX_NUMBER = int(env("ALTCHA_MAX_NUMBER", "400"))
ALTCHA_EXPIRES = timedelta(minutes=5)
ALTCHA_FALLBACK_MIN_WAIT = timedelta(seconds=3)
ALTCHA_FALLBACK_EXPIRES = timedelta(minutes=30)

# Map tiles for the complaint location picker (Leaflet is served by the project itself).
# Tiles come through this site (nginx caches them from OpenStreetMap: deploy/nginx/ddc.conf;
# under `make run` a development-only view fetches them), so phones talk to no other host.
MAP_TILE_URL = env("MAP_TILE_URL", "/maptiles/{z}/{x}/{y}.png")
MAP_TILE_UPSTREAM = env("MAP_TILE_UPSTREAM", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# Behind nginx, evidence downloads can be handed to nginx with X-Accel-Redirect.
PRIVATE_FILES_X_ACCEL_REDIRECT = env_bool("PRIVATE_FILES_X_ACCEL_REDIRECT", False)

# Live chat: officers answer on weekdays (not on chat.ServiceHoliday dates) within these hours,
# Asia/Bangkok. Outside them citizens are told when to expect an answer.
CHAT_SERVICE_START = env("CHAT_SERVICE_START", "08:30")
CHAT_SERVICE_END = env("CHAT_SERVICE_END", "16:30")  # "24:00" for the end of the day
CHAT_SERVICE_DAYS = env("CHAT_SERVICE_DAYS", "01234")  # Monday is 0
# How often open officer and citizen screens ask for new messages (milliseconds).
CHAT_POLL_INTERVAL_MS = int(env("CHAT_POLL_INTERVAL_MS", "1000"))
