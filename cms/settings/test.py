"""The test suite: fast hashing, immediate tasks, in-memory email."""

from .base import *  # noqa: F403

DEBUG = False
# PROVINCE_CODE and TRACKING_PREFIX come from the environment as in base.py: CI runs the walks
# and tracking tests again with PROVINCE_CODE=50 (.ci/run).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files come from the app folders (runserver / live server), not from collectstatic.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
# A smaller proof of work than the phones get (like the fast password hasher): the tests solve
# real challenges, just fewer tries of them.
ALTCHA_MAX_NUMBER = 20
# A second alias on the same test database, as a read replica would be (core/db.py). Reads go
# there only in tests that set READ_REPLICA_DATABASE = "replica" (tests/deploy/).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
READ_REPLICA_DATABASE = None
# On SQLite the suite's database is a file (one per xdist worker: pytest-django adds the suffix),
# not memory: in memory SQLite shares one cache between connections, where a second writer fails
# at once ("database table is locked") instead of waiting its turn. The browser tests' live
# server, the LINE event worker's handler threads and the test itself each have a connection,
# as the web server and the task worker do under `make run`, with the same WAL and busy timeout.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
