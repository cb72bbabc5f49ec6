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
        )
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


def test_production_with_line_needs_the_line_login_channel_too(tmp_path):
    line = {"LINE_CHANNEL_ACCESS_TOKEN": "token", "LINE_CHANNEL_SECRET": "secret"}
    refused = _manage("check", **_production_env(tmp_path), **line)
    assert refused.returncode != 0
    assert "LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET" in refused.stderr
    login = {"LINE_LOGIN_CHANNEL_ID": "1650000000", "LINE_LOGIN_CHANNEL_SECRET": "s" * 32}
    accepted = _manage("check", **_production_env(tmp_path), **line, **login)
    assert accepted.returncode == 0, accepted.stderr
