"""The production settings with every optional part of deploy/env.example switched on (read
replica, Redis, S3-compatible buckets, nginx downloads): `check --deploy` stays clean, and each
part lands where the code looks for it. (tests/home/test_production_settings.py covers the
plain configuration and the refusals.)"""

import json
import os
import secrets
import subprocess
import sys

from tests.deploy.support import ROOT

PROBE = """
import json
from importlib import import_module

import django

django.setup()
from django.conf import settings
from django.core.files.storage import default_storage

from core.storage import private_storage, wizard_upload_storage

found = {
    "media_bucket": default_storage.bucket_name,
    "media_signed": default_storage.querystring_auth,
    "private_bucket": private_storage.bucket_name,
    "private_location": private_storage.location,
    "wizard_bucket": wizard_upload_storage.bucket_name,
    "wizard_location": wizard_upload_storage.location,
}
found.update(
    media=type(default_storage._wrapped).__name__,
    private=type(private_storage._wrapped).__name__,
    databases=sorted(settings.DATABASES),
    replica_engine=settings.DATABASES["replica"]["ENGINE"],
    replica_host=settings.DATABASES["replica"]["HOST"],
    read_replica=settings.READ_REPLICA_DATABASE,
    cache=settings.CACHES["default"]["BACKEND"],
    sessions=settings.SESSION_ENGINE,
    sessions_cached_db=issubclass(
        import_module(settings.SESSION_ENGINE).SessionStore,
        import_module("django.contrib.sessions.backends.cached_db").SessionStore,
    ),
    ratelimit=settings.CACHES["ratelimit"]["BACKEND"],
    docs=settings.WAGTAILDOCS_SERVE_METHOD,
    accel=settings.PRIVATE_FILES_X_ACCEL_REDIRECT,
)
print(json.dumps(found))
"""


def everything_on(tmp_path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "S3_", "AWS_", "PYTEST_"))
        and k
        not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALTCHA_HMAC_KEY", "DATABASE_URL", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(32),
        ALTCHA_HMAC_KEY=secrets.token_urlsafe(32),
        DATABASE_URL="postgres://ddc:secret@db.internal:5432/ddc",
        DATABASE_REPLICA_URL="postgres://ddc_read:secret@replica.internal:5432/ddc",
        REDIS_URL="redis://cache.internal:6379/1",
        ALLOWED_HOSTS="ddc.example.go.th",
        SITE_URL="https://ddc.example.go.th",
        S3_ENDPOINT_URL="https://s3.example.go.th",
        S3_REGION="ap-southeast-1",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
        MEDIA_S3_BUCKET="ddc-media",
        PRIVATE_S3_BUCKET="ddc-private",
        PRIVATE_FILES_X_ACCEL_REDIRECT="1",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private_media"),
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_every_integration_on(tmp_path):
    args = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(args, everything_on(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_each_integration_lands_where_the_code_looks(tmp_path):
    result = run(["-c", PROBE], everything_on(tmp_path))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["databases"] == ["default", "replica"]
    assert found["replica_engine"] == "core.db_backends.postgresql"
    assert found["replica_host"] == "replica.internal"
    assert found["read_replica"] == "replica"
    assert found["cache"] == "core.cache.RedisCache"
    # Sessions are read from the shared cache, and still written to the database.
    assert found["sessions"] == "core.sessions"
    assert found["sessions_cached_db"] is True
    # Rate limits are counted in the same shared Redis, never per process.
    assert found["ratelimit"] == "core.cache.RedisCache"
    assert (found["media"], found["media_bucket"], found["media_signed"]) == (
        "S3Storage",
        "ddc-media",
        False,
    )
    assert (found["private"], found["private_bucket"], found["private_location"]) == (
        "S3Storage",
        "ddc-private",
        "",
    )
    # Uploads in progress share the private bucket, so any node can finish a wizard.
    assert (found["wizard_bucket"], found["wizard_location"]) == ("ddc-private", "wizard-uploads")
    assert found["docs"] == "serve_view"
    assert found["accel"] is True
