"""Sign in with LINE: LINE Login v2.1 (OpenID Connect) through Authlib's Django client.

Authlib makes the authorization request (state, nonce and a PKCE S256 challenge, kept in the
session), exchanges the code and checks the ID token: its HS256 signature with the channel
secret (LINE signs web-login ID tokens so, not with the ES256 keys its discovery document
lists, which are for the LINE SDKs and LIFF), the issuer, the audience (our channel ID), the
expiry and the nonce. Nothing here decodes a token by hand.

https://developers.line.biz/en/docs/line-login/integrate-line-login/
https://developers.line.biz/en/docs/line-login/verify-id-token/

The LINE Login channel sits under the same provider as the Messaging API channel, so the ID
token's ``sub`` is the userId the bot sees in webhooks: one LineAccount row for both.
"""

import base64
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

ISSUER = "https://access.line.me"
SCOPE = "profile openid"
NEXT_KEY = "line_login_next"
IDENTITY_KEY = "line_login_identity"
IDENTITY_LIFETIME = 60 * 60  # long enough to fill in the registration form
RETRY_KEY = "line_login_retry"


def client():
    """The LINE Login client for the current settings (tests point the hosts elsewhere)."""
    secret = settings.LINE_LOGIN_CHANNEL_SECRET.encode()
    channel_key = {
        "kty": "oct",
        "alg": "HS256",
        "k": base64.urlsafe_b64encode(secret).rstrip(b"=").decode("ascii"),
    }
    return OAuth().register(
        name="line",
        client_id=settings.LINE_LOGIN_CHANNEL_ID,
        client_secret=settings.LINE_LOGIN_CHANNEL_SECRET,
        authorize_url=settings.LINE_ACCESS_HOST.rstrip("/") + "/oauth2/v2.1/authorize",
        access_token_url=settings.LINE_API_HOST.rstrip("/") + "/oauth2/v2.1/token",
        api_base_url=settings.LINE_API_HOST.rstrip("/") + "/",
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post",
            "default_timeout": settings.LINE_HTTP_TIMEOUT,
        },
        # What Authlib reads from an OpenID provider's metadata, given here: LINE's discovery
        # document advertises the ES256 keys of the SDKs, not the HS256 of web login.
        issuer=ISSUER,
        id_token_signing_alg_values_supported=["HS256"],
        jwks={"keys": [channel_key]},
    )


def claims_options() -> dict:
    """ID-token claims that must be present and equal (Authlib checks nonce and expiry)."""
    return {
        "iss": {"essential": True, "values": [ISSUER]},
        "aud": {"essential": True, "values": [settings.LINE_LOGIN_CHANNEL_ID]},
        "sub": {"essential": True},
    }


def callback_url(request) -> str:
    return request.build_absolute_uri(reverse("line:login_callback"))


def entry_path(next_path: str) -> str:
    """Our "sign in with LINE, then go to ``next_path``" address (rich menu, LINE messages)."""
    return reverse("line:login") + "?" + urlencode({"next": next_path})


# Where to go afterwards ---------------------------------------------------------------------


def safe_next(request, candidate: str | None) -> str | None:
    """``candidate`` when it is a path on this site, else None: never another host."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else None


def remember_next(request, candidate: str | None) -> None:
    request.session[NEXT_KEY] = safe_next(request, candidate) or ""


def next_path(request, *, pop: bool = False) -> str:
    """Where the citizen was going (checked again), else the profile page."""
    stored = request.session.pop(NEXT_KEY, "") if pop else request.session.get(NEXT_KEY, "")
    return safe_next(request, stored) or reverse(settings.LOGIN_REDIRECT_URL)


# The LINE user who signed in but has no account yet -----------------------------------------


@dataclass(frozen=True)
class LineIdentity:
    """Who LINE said this browser's user is, as the verified ID token said, for a while."""

    line_user_id: str
    display_name: str
    verified_at: float

    def is_fresh(self) -> bool:
        return 0 <= time.time() - self.verified_at <= IDENTITY_LIFETIME


def keep_identity(request, *, line_user_id: str, display_name: str) -> LineIdentity:
    identity = LineIdentity(line_user_id, display_name[:255], time.time())
    request.session[IDENTITY_KEY] = {
        "sub": identity.line_user_id,
        "name": identity.display_name,
        "at": identity.verified_at,
    }
    return identity


def pending_identity(request) -> LineIdentity | None:
    """The LINE user verified in this session, if still fresh."""
    data = request.session.get(IDENTITY_KEY)
    if not isinstance(data, dict) or not data.get("sub"):
        return None
    identity = LineIdentity(str(data["sub"]), str(data.get("name") or ""), float(data["at"]))
    return identity if identity.is_fresh() else None


def forget_identity(request) -> None:
    request.session.pop(IDENTITY_KEY, None)
