"""The stand-in plays LINE Login v2.1 as LINE does: the authorization page on access.line.me,
token, verify and profile on api.line.me, ID tokens signed HS256 with the channel secret."""

import base64
import hashlib
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import OctKey

from line_integration.standin.login import SESSION_COOKIE

CALLBACK = "http://127.0.0.1:9/line/login/callback/"
VERIFIER = "v" * 43


def challenge(verifier: str = VERIFIER) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture
def channel(line_standin):
    return line_standin.login


@pytest.fixture
def phone(line_standin):
    """A browser logged in to LINE as a simulated user (LINE's in-app browser)."""
    user = line_standin.state.add_user(display_name="สมหญิง", following=True)
    session = requests.Session()
    answer = session.get(
        f"{line_standin.url}/__standin/inapp",
        params={"user": user["userId"], "to": "http://127.0.0.1:9/"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "http://127.0.0.1:9/"
    assert session.cookies.get(SESSION_COOKIE) == user["userId"]
    session.user_id = user["userId"]
    return session


def authorize_url(line_standin, channel, **changes) -> str:
    params = {
        "response_type": "code",
        "client_id": channel.channel_id,
        "redirect_uri": CALLBACK,
        "state": "st4te",
        "scope": "profile openid",
        "nonce": "n0nce",
        "code_challenge": challenge(),
        "code_challenge_method": "S256",
    }
    params.update(changes)
    return f"{line_standin.url}/oauth2/v2.1/authorize?{urlencode(params)}"


def code_for(line_standin, channel, phone) -> str:
    """Agree on the consent screen (once) and return the code LINE sends back."""
    channel.consents[phone.user_id] = {"profile", "openid"}
    answer = phone.get(authorize_url(line_standin, channel), allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["st4te"]
    return query["code"][0]


def redeem(line_standin, channel, code: str, **changes):
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "client_id": channel.channel_id,
        "client_secret": channel.channel_secret,
        "code_verifier": VERIFIER,
    }
    form.update(changes)
    return requests.post(f"{line_standin.url}/oauth2/v2.1/token", data=form, timeout=5)


def test_consent_is_asked_once_then_line_answers_at_once(line_standin, channel, phone):
    first = phone.get(authorize_url(line_standin, channel), allow_redirects=False, timeout=5)
    assert first.status_code == 200 and "อนุญาต" in first.text
    request_id = first.text.split('name="request" value="')[1].split('"')[0]
    allowed = phone.post(
        f"{line_standin.url}/oauth2/v2.1/authorize",
        data={"request": request_id, "user": phone.user_id, "step": "allow"},
        allow_redirects=False,
        timeout=5,
    )
    assert allowed.status_code == 302 and allowed.headers["Location"].startswith(CALLBACK)
    again = phone.get(authorize_url(line_standin, channel), allow_redirects=False, timeout=5)
    assert again.status_code == 302  # auto-login: no screen
    forced = phone.get(
        authorize_url(line_standin, channel, disable_auto_login="true"),
        allow_redirects=False,
        timeout=5,
    )
    assert forced.status_code == 200 and "เข้าสู่ระบบ LINE" in forced.text


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": "123"},
        {"redirect_uri": "https://evil.example/cb"},
        {"response_type": "token"},
        {"code_challenge_method": "plain"},
    ],
)
def test_a_bad_authorization_request_stays_on_lines_error_page(
    line_standin, channel, phone, changes
):
    answer = phone.get(authorize_url(line_standin, channel, **changes), allow_redirects=False)
    assert answer.status_code == 400 and "Location" not in answer.headers


def test_the_id_token_is_signed_hs256_with_the_channel_secret_as_line_does(
    line_standin, channel, phone
):
    answer = redeem(line_standin, channel, code_for(line_standin, channel, phone))
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "profile openid"
    token = jwt.decode(body["id_token"], OctKey.import_key(channel.channel_secret))
    assert token.header == {"typ": "JWT", "alg": "HS256"}
    claims = token.claims
    assert claims["iss"] == "https://access.line.me"
    assert (claims["sub"], claims["aud"], claims["nonce"]) == (
        phone.user_id,
        channel.channel_id,
        "n0nce",
    )
    assert claims["name"] == "สมหญิง" and claims["amr"] == ["linesso"]
    assert claims["exp"] - claims["iat"] == 3600


@pytest.mark.parametrize(
    "changes, status, error",
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"code_verifier": "w" * 43}, 400, "invalid_grant"),
        ({"code_verifier": ""}, 400, "invalid_grant"),
        ({"redirect_uri": "http://127.0.0.1:9/other/"}, 400, "invalid_grant"),
    ],
)
def test_the_token_endpoint_refuses_what_line_refuses(
    line_standin, channel, phone, changes, status, error
):
    answer = redeem(line_standin, channel, code_for(line_standin, channel, phone), **changes)
    assert answer.status_code == status
    assert answer.json()["error"] == error


def test_a_code_is_good_once(line_standin, channel, phone):
    code = code_for(line_standin, channel, phone)
    assert redeem(line_standin, channel, code).status_code == 200
    assert redeem(line_standin, channel, code).json()["error"] == "invalid_grant"


def test_verify_and_profile_endpoints(line_standin, channel, phone):
    body = redeem(line_standin, channel, code_for(line_standin, channel, phone)).json()
    api = line_standin.url
    verified = requests.post(
        f"{api}/oauth2/v2.1/verify",
        data={"id_token": body["id_token"], "client_id": channel.channel_id, "nonce": "n0nce"},
        timeout=5,
    )
    assert verified.status_code == 200 and verified.json()["sub"] == phone.user_id
    forged = body["id_token"][:-4] + ("AAAA" if not body["id_token"].endswith("AAAA") else "BBBB")
    refused = requests.post(
        f"{api}/oauth2/v2.1/verify",
        data={"id_token": forged, "client_id": channel.channel_id},
        timeout=5,
    )
    assert refused.status_code == 400 and refused.json()["error_description"] == "Invalid IdToken."
    access = requests.get(
        f"{api}/oauth2/v2.1/verify", params={"access_token": body["access_token"]}, timeout=5
    )
    assert access.json()["client_id"] == channel.channel_id
    profile = requests.get(
        f"{api}/v2/profile", headers={"Authorization": f"Bearer {body['access_token']}"}, timeout=5
    )
    assert profile.json()["userId"] == phone.user_id
    assert profile.json()["displayName"] == "สมหญิง"
    no_token = requests.get(f"{api}/v2/profile", timeout=5)
    assert no_token.status_code == 401


def test_cancel_goes_back_with_access_denied(line_standin, channel, phone):
    page = phone.get(authorize_url(line_standin, channel), timeout=5)
    request_id = page.text.split('name="request" value="')[1].split('"')[0]
    cancelled = phone.post(
        f"{line_standin.url}/oauth2/v2.1/authorize",
        data={"request": request_id, "user": phone.user_id, "step": "cancel"},
        allow_redirects=False,
        timeout=5,
    )
    query = parse_qs(urlsplit(cancelled.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["st4te"]
    assert "code" not in query
