import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEY",
            "ALTCHA_HMAC_KEY",
            "DATABASE_URL",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "SITE_URL",
        )
        and not k.startswith("LINE_")
    }
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(tmp_path) -> dict:
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "ALTCHA_HMAC_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "ALLOWED_HOSTS": "damrongdhamma.example.go.th",
        "SITE_URL": "https://damrongdhamma.example.go.th",
    }


def test_check_deploy_reports_no_warnings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_real_secret_key(tmp_path):
    env = _production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = _manage("check", **{**_production_env(tmp_path), "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", [None, "dev-altcha-hmac-key-not-for-production", "too-short"])
def test_production_refuses_to_start_without_a_real_altcha_key(tmp_path, key):
    """The key that signs the not-a-robot challenges: a known one would let anyone forge them."""
    env = _production_env(tmp_path)
    if key is None:
        env.pop("ALTCHA_HMAC_KEY")
    else:
        env["ALTCHA_HMAC_KEY"] = key
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ALTCHA_HMAC_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_field_encryption_key(tmp_path):
    env = _production_env(tmp_path)
    env.pop("FIELD_ENCRYPTION_KEY")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


LINE_LOGIN = {"LINE_LOGIN_CHANNEL_ID": "1650000000", "LINE_LOGIN_CHANNEL_SECRET": "s" * 32}
REAL_LINE = {
    "LINE_CHANNEL_ACCESS_TOKEN": "a-long-lived-channel-access-token",
    "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
    **LINE_LOGIN,
}


def test_production_starts_with_real_line_credentials(tmp_path):
    result = _manage("check", **_production_env(tmp_path), **REAL_LINE)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "secret",
    [None, "local-standin-channel-secret", "change-me"],
    ids=["missing", "the-stand-ins", "env-example-placeholder"],
)
def test_production_refuses_line_without_a_real_channel_secret(tmp_path, secret):
    """Anyone can read the stand-in's secret (it is in the code) and sign webhook calls with it."""
    env = {**_production_env(tmp_path), **REAL_LINE}
    env.pop("LINE_CHANNEL_SECRET")
    if secret is not None:
        env["LINE_CHANNEL_SECRET"] = secret
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "LINE_CHANNEL_SECRET must be" in result.stderr


def test_production_without_line_accepts_no_webhook_signed_with_the_stand_ins_secret(tmp_path):
    body = '{"destination":"U0","events":[]}'
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "from line_integration.standin.events import sign;"
        f"body = {body!r};"
        "r = Client(HTTP_HOST='damrongdhamma.example.go.th', HTTP_X_FORWARDED_PROTO='https')"
        ".post('/line/webhook/', body, content_type='application/json',"
        " headers={'X-Line-Signature': sign(body.encode(), 'local-standin-channel-secret')});"
        "print(r.status_code)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "DEBUG")
        and not k.startswith("LINE_")
    }
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.production", **_production_env(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "400"


@pytest.mark.parametrize(
    "site_url",
    [None, "http://damrongdhamma.example.go.th", "damrongdhamma.example.go.th"],
    ids=["missing", "plain-http", "no-scheme"],
)
def test_production_refuses_a_site_url_that_is_not_https(tmp_path, site_url):
    """Links in LINE messages and mails are built on it; LINE refuses http images."""
    env = _production_env(tmp_path)
    env.pop("SITE_URL")
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SITE_URL must be" in result.stderr


def test_production_with_line_needs_the_line_login_channel_too(tmp_path):
    line = {k: v for k, v in REAL_LINE.items() if k not in LINE_LOGIN}
    refused = _manage("check", **_production_env(tmp_path), **line)
    assert refused.returncode != 0
    assert "LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET" in refused.stderr
    accepted = _manage("check", **_production_env(tmp_path), **REAL_LINE)
    assert accepted.returncode == 0, accepted.stderr
