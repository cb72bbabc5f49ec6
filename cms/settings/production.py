"""Production: secrets only from the environment, HTTPS everywhere, refuse to start unsafely."""

import secrets

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALTCHA_HMAC_KEY,
    DATABASES,
    FIELD_ENCRYPTION_KEY,
    LINE_CHANNEL_ACCESS_TOKEN,
    LINE_CHANNEL_SECRET,
    LINE_LOGIN_CHANNEL_ID,
    LINE_LOGIN_CHANNEL_SECRET,
    LINE_STANDIN_CHANNEL_SECRET,
    LINE_USE_STANDIN,
    SECRET_KEY,
    env,
    env_bool,
)

DEBUG = False

if not SECRET_KEY or SECRET_KEY.startswith("dev-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to a random value of at least 50 characters."
    )
if not FIELD_ENCRYPTION_KEY or FIELD_ENCRYPTION_KEY.startswith("dev-"):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set in the environment.")
if not ALTCHA_HMAC_KEY or ALTCHA_HMAC_KEY.startswith("dev-") or len(ALTCHA_HMAC_KEY) < 32:
    raise ImproperlyConfigured(
        "ALTCHA_HMAC_KEY must be set in the environment to a random value of at least 32 "
        "characters (it signs the not-a-robot challenges)."
    )
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment.")
if not LINE_USE_STANDIN and not (LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET):
    raise ImproperlyConfigured(
        "With LINE credentials set, LINE_LOGIN_CHANNEL_ID and LINE_LOGIN_CHANNEL_SECRET (the "
        "LINE Login channel of the same provider) must be set as well."
    )
# Every link in LINE messages and mails is built on SITE_URL, and LINE shows no http images.
if not (env("SITE_URL") or "").startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the site's public https:// address.")


def _placeholder(value: str | None) -> bool:
    return not value or "change-me" in value


# A webhook call signed with a secret anyone can read would be taken for LINE's. With LINE
# connected, the channel's own secret is required; before that, no signature is accepted.
if not LINE_USE_STANDIN and (
    _placeholder(env("LINE_CHANNEL_SECRET"))
    or LINE_CHANNEL_SECRET == LINE_STANDIN_CHANNEL_SECRET
    or _placeholder(LINE_CHANNEL_ACCESS_TOKEN)
):
    raise ImproperlyConfigured(
        "LINE_CHANNEL_SECRET must be the channel's own secret (LINE Developers console) when "
        "LINE_CHANNEL_ACCESS_TOKEN is set, and neither may be a placeholder."
    )
if LINE_USE_STANDIN and LINE_CHANNEL_SECRET == LINE_STANDIN_CHANNEL_SECRET:
    LINE_CHANNEL_SECRET = secrets.token_hex(32)

# Persistent connections: opening one per request cost ~6 ms each on PostgreSQL (bench).
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
