"""LINE Login v2.1 as the stand-in plays it: the authorization page on access.line.me (with
LINE's log-in and consent screens), and the token, verify and profile endpoints on
api.line.me, answered as LINE answers them.

https://developers.line.biz/en/docs/line-login/integrate-line-login/
https://developers.line.biz/en/reference/line-login/

ID tokens are signed as LINE signs them for web login: HS256 with the channel secret, header
``{"typ": "JWT", "alg": "HS256"}``, issuer ``https://access.line.me``, audience the channel ID.
The "phone" of the simulator is a browser tab: ``/__standin/inapp`` (what tapping a link in the
LINE app does) remembers in a cookie of this host which simulated user the tab's LINE app is
logged in as, so the authorization page signs them in without a password, as LINE's
auto-login does in its in-app browser. A user already asked once is not asked again.
"""

import base64
import hashlib
import html
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from .api import Answer, Request, error, ok
from .state import StandInState, now_ms

ISSUER = "https://access.line.me"
SESSION_COOKIE = "standin_line_session"
CODE_TTL = 600  # an authorization code is good for 10 minutes, once
ACCESS_TOKEN_TTL = 30 * 24 * 3600
ID_TOKEN_TTL = 3600
SCOPES = {"openid", "profile", "email"}
PATHS = ("/oauth2/v2.1/", "/v2/profile", "/__standin/inapp", "/__standin/login/")
INVALID_ID_TOKEN = {"error": "invalid_request", "error_description": "Invalid IdToken."}


@dataclass
class Grant:
    """What an authorization code or an access token stands for."""

    user_id: str
    scope: str
    redirect_uri: str = ""
    nonce: str | None = None
    code_challenge: str | None = None
    issued_at: float = field(default_factory=time.time)
    used: bool = False


class LoginChannel:
    """One LINE Login channel (its ID and secret) and what LINE remembers about it."""

    def __init__(self, *, channel_id: str, channel_secret: str, callback_urls=()):
        self.channel_id = channel_id
        self.channel_secret = channel_secret
        self.callback_urls = list(callback_urls)  # empty: any loopback URL is accepted
        self.lock = threading.RLock()
        self.pending: dict[str, dict] = {}  # authorization requests waiting on a screen
        self.codes: dict[str, Grant] = {}
        self.access_tokens: dict[str, Grant] = {}
        self.consents: dict[str, set[str]] = {}  # user id -> scopes granted to this channel

    def key(self) -> OctKey:
        return OctKey.import_key(self.channel_secret)

    def consented(self, user_id: str, scope: str) -> bool:
        with self.lock:
            return set(scope.split()) <= self.consents.get(user_id, set())

    def forget_consent(self, user_id: str) -> None:
        """The user removes the app from LINE's "Authorized apps": asked again next time."""
        with self.lock:
            self.consents.pop(user_id, None)

    def issue_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = grant
            self.consents.setdefault(grant.user_id, set()).update(grant.scope.split())
        return code

    def id_token(self, grant: Grant, state: StandInState) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": grant.user_id,
            "aud": self.channel_id,
            "exp": now + ID_TOKEN_TTL,
            "iat": now,
            "amr": ["linesso"],
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        user = state.user(grant.user_id) or {}
        if "profile" in grant.scope.split():
            claims["name"] = user.get("displayName", "")
            claims["picture"] = f"https://profile.line-scdn.net/{grant.user_id}"
        if "email" in grant.scope.split():
            claims["email"] = f"{grant.user_id.lower()}@example.com"
        return jwt.encode({"typ": "JWT", "alg": "HS256"}, claims, self.key())


# Helpers ------------------------------------------------------------------------------------


def _form(req: Request) -> dict:
    return dict(parse_qsl(req.raw.decode("utf-8", "replace"), keep_blank_values=True))


def _cookie_user(state: StandInState, req: Request) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(req.headers.get("cookie", ""))
    except Exception:  # noqa: BLE001 - a mangled cookie header means no session
        return None
    morsel = cookie.get(SESSION_COOKIE)
    user_id = morsel.value if morsel else None
    return user_id if user_id and state.user(user_id) else None


def _session_cookie(user_id: str) -> str:
    return f"{SESSION_COOKIE}={user_id}; Path=/; HttpOnly; SameSite=Lax"


def _redirect(url: str, **headers) -> Answer:
    return Answer(302, raw=b"", content_type="text/plain", headers={"Location": url, **headers})


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _log(state: StandInState, req: Request, status: int, body: dict | None = None) -> None:
    """Requests the site made to LINE Login, in the same log as the Messaging API's."""
    fields = dict(body or {})
    for secret in ("client_secret", "code", "code_verifier", "id_token", "refresh_token"):
        if secret in fields:
            fields[secret] = "(given)"
    state.log_request(
        {
            "requestId": secrets.token_hex(8),
            "time": now_ms(),
            "method": req.method,
            "path": req.path,
            "query": {},
            "retryKey": None,
            "headers": {},
            "authorized": None,
            "body": fields,
            "status": status,
            "answered": True,
            "fault": None,
        }
    )


# access.line.me: the authorization page ---------------------------------------------------


PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:Sarabun,Tahoma,sans-serif;margin:0;background:#f5f5f5;color:#1c1c1c}}
header{{background:#06c755;color:#fff;padding:1rem;font-weight:700}}
main{{background:#fff;margin:1rem;border-radius:12px;padding:1.25rem}}
h1{{font-size:1.25rem}}ul{{padding-left:1.2rem}}
button{{display:block;width:100%;margin-top:.75rem;padding:.9rem;border-radius:8px;
font-size:1.05rem;font-weight:700;border:1px solid #06c755;background:#fff;color:#05633a}}
button.primary{{background:#06c755;color:#fff}}label{{display:block;margin:.75rem 0}}
small{{color:#555}}</style></head><body><header>LINE</header><main>{body}
<p><small>LINE (จำลอง) สำหรับทดสอบ</small></p></main></body></html>"""


def _page(title: str, body: str, status: int = 200, **headers) -> Answer:
    page = PAGE.format(title=html.escape(title), body=body)
    return Answer(
        status, raw=page.encode(), content_type="text/html; charset=utf-8", headers=headers
    )


def _error_page(message: str) -> Answer:
    """LINE's own error screen: a bad client_id or redirect_uri never goes back to the app."""
    body = f"<h1>400 Bad Request</h1><p>{html.escape(message)}</p>"
    return _page("LINE", body, status=400)


def _check_authorize(channel: LoginChannel, query: dict) -> str | None:
    """Why LINE would refuse this authorization request on its own page, or None."""
    if query.get("response_type") != "code":
        return "response_type must be code"
    if query.get("client_id") != channel.channel_id:
        return "Invalid client_id"
    redirect_uri = query.get("redirect_uri", "")
    parts = urlsplit(redirect_uri)
    if channel.callback_urls:
        bare = urlunsplit(parts._replace(query="", fragment=""))
        if bare not in channel.callback_urls:
            return "Invalid redirect_uri (not a registered callback URL)"
    elif parts.scheme not in ("http", "https") or parts.hostname not in (
        "127.0.0.1",
        "localhost",
        "testserver",
    ):
        return "Invalid redirect_uri"
    if not query.get("state"):
        return "state is required"
    scopes = set(query.get("scope", "").split())
    if not scopes or not scopes <= SCOPES:
        return "Invalid scope"
    if query.get("code_challenge") and query.get("code_challenge_method") != "S256":
        return "code_challenge_method must be S256"
    return None


def authorize(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    """GET /oauth2/v2.1/authorize: log in to LINE if needed, consent once, then back."""
    query = dict(req.query)
    problem = _check_authorize(channel, query)
    if problem:
        return _error_page(problem)
    user_id = _cookie_user(state, req)
    auto_login = query.get("disable_auto_login") != "true"
    if user_id and auto_login and query.get("prompt") != "consent":
        if channel.consented(user_id, query["scope"]):
            return _finish(channel, state, query, user_id, add_friend=False)
    request_id = secrets.token_urlsafe(12)
    with channel.lock:
        channel.pending[request_id] = query
    if user_id and auto_login:
        return _consent_page(state, query, request_id, user_id)
    return _login_page(state, request_id, user_id)


def _login_page(state: StandInState, request_id: str, current: str | None) -> Answer:
    """LINE's log-in screen (e-mail and password, or QR code), played as "pick who you are"."""
    with state.lock:
        users = sorted(state.users.values(), key=lambda u: u["createdAt"])
    if not users:
        body = "<h1>เข้าสู่ระบบ LINE</h1><p>ยังไม่มีผู้ใช้ LINE จำลอง สร้างได้ที่หน้า /dev/line/</p>"
        return _page("LINE", body)
    choices = "".join(
        f'<button type="submit" name="user" value="{html.escape(u["userId"])}"'
        f"{' class=primary' if u['userId'] == current else ''}>"
        f"{html.escape(u['displayName'])}</button>"
        for u in users
    )
    body = (
        "<h1>เข้าสู่ระบบ LINE</h1><p>เลือกผู้ใช้ LINE จำลองที่จะเข้าสู่ระบบ</p>"
        f'<form method="post" action="/oauth2/v2.1/authorize">'
        f'<input type="hidden" name="request" value="{html.escape(request_id)}">'
        f'<input type="hidden" name="step" value="login">{choices}</form>'
    )
    return _page("LINE", body)


def _consent_page(state: StandInState, query: dict, request_id: str, user_id: str) -> Answer:
    user = state.user(user_id) or {}
    scopes = query["scope"].split()
    rows = []
    if "profile" in scopes:
        rows.append("<li>ชื่อที่แสดงและรูปโปรไฟล์ (จำเป็น)</li>")
    if "openid" in scopes:
        rows.append("<li>รหัสผู้ใช้ LINE ของท่าน (จำเป็น)</li>")
    if "email" in scopes:
        rows.append("<li>ที่อยู่อีเมล</li>")
    friend = ""
    if query.get("bot_prompt") in ("normal", "aggressive") and not user.get("following"):
        friend = (
            '<label><input type="checkbox" name="add_friend" value="1" checked> '
            "เพิ่มบัญชีทางการเป็นเพื่อน</label>"
        )
    body = (
        f"<h1>ขออนุญาตเข้าถึงข้อมูล</h1><p>ท่านเข้าสู่ระบบ LINE ในชื่อ "
        f"<strong>{html.escape(user.get('displayName', ''))}</strong></p>"
        f"<p>ผู้ให้บริการขอเข้าถึงข้อมูลต่อไปนี้</p><ul>{''.join(rows)}</ul>"
        f'<form method="post" action="/oauth2/v2.1/authorize">'
        f'<input type="hidden" name="request" value="{html.escape(request_id)}">'
        f'<input type="hidden" name="user" value="{html.escape(user_id)}">{friend}'
        '<button type="submit" name="step" value="allow" class="primary">อนุญาต</button>'
        '<button type="submit" name="step" value="cancel">ยกเลิก</button></form>'
    )
    return _page("LINE", body)


def authorize_answer(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    """POST /oauth2/v2.1/authorize: the log-in or consent screen was answered."""
    form = _form(req)
    with channel.lock:
        query = channel.pending.get(form.get("request", ""))
    user_id = form.get("user", "")
    if query is None or not state.user(user_id):
        return _error_page("The login session has expired. Start again from the app.")
    step = form.get("step")
    cookie = {"Set-Cookie": _session_cookie(user_id)}
    if step == "login":
        if channel.consented(user_id, query["scope"]) and query.get("prompt") != "consent":
            with channel.lock:
                channel.pending.pop(form["request"], None)
            answer = _finish(channel, state, query, user_id, add_friend=False)
        else:
            answer = _consent_page(state, query, form["request"], user_id)
        answer.headers.update(cookie)
        return answer
    with channel.lock:
        channel.pending.pop(form["request"], None)
    if step == "cancel":
        params = {
            "error": "access_denied",
            "error_description": "The resource owner denied the request.",
            "state": query["state"],
        }
        return _redirect(_with_query(query["redirect_uri"], params), **cookie)
    answer = _finish(channel, state, query, user_id, add_friend=form.get("add_friend") == "1")
    answer.headers.update(cookie)
    return answer


def _finish(
    channel: LoginChannel, state: StandInState, query: dict, user_id: str, *, add_friend: bool
) -> Answer:
    """Back to the app's callback URL with a fresh authorization code and its state."""
    grant = Grant(
        user_id=user_id,
        scope=query["scope"],
        redirect_uri=query["redirect_uri"],
        nonce=query.get("nonce"),
        code_challenge=query.get("code_challenge"),
    )
    params = {"code": channel.issue_code(grant), "state": query["state"]}
    if query.get("bot_prompt") in ("normal", "aggressive"):
        params["friendship_status_changed"] = "true" if add_friend else "false"
    if add_friend:
        state.send("follow", user_id, is_unblocked=False)
    return _redirect(_with_query(query["redirect_uri"], params))


def inapp(state: StandInState, req: Request) -> Answer:
    """What tapping a link in the LINE app does: open it in LINE's in-app browser, which is
    logged in to LINE as the phone's user (a cookie of this host), then go to the link."""
    user_id, target = req.query.get("user", ""), req.query.get("to", "")
    if not state.user(user_id):
        return error(404, {"message": "unknown user"})
    if urlsplit(target).scheme not in ("http", "https"):
        return error(400, {"message": "to must be an http(s) URL"})
    return _redirect(target, **{"Set-Cookie": _session_cookie(user_id)})


def log_out(state: StandInState, req: Request) -> Answer:
    """POST /__standin/login/logout: this browser is no longer logged in to LINE."""
    cookie = f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
    return Answer(200, {}, headers={"Set-Cookie": cookie})


def forget(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    """POST /__standin/login/forget {"userId"}: the user removed the app's permission."""
    body = req.json if isinstance(req.json, dict) else {}
    channel.forget_consent(str(body.get("userId") or ""))
    return ok()


# api.line.me: token, verify, profile -------------------------------------------------------


def token(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    """POST /oauth2/v2.1/token: an authorization code for tokens (client_secret_post)."""
    form = _form(req)
    answer = _token_answer(channel, state, form)
    _log(state, req, answer.status, form)
    return answer


def _token_answer(channel: LoginChannel, state: StandInState, form: dict) -> Answer:
    if form.get("grant_type") != "authorization_code":
        return error(400, {"error": "unsupported_grant_type", "error_description": "grant_type"})
    if form.get("client_id") != channel.channel_id or not secrets.compare_digest(
        form.get("client_secret", ""), channel.channel_secret
    ):
        return error(401, {"error": "invalid_client", "error_description": "invalid client"})
    with channel.lock:
        grant = channel.codes.get(form.get("code", ""))
        if grant is None or grant.used or time.time() - grant.issued_at > CODE_TTL:
            if grant is not None:
                grant.used = True
            return error(400, {"error": "invalid_grant", "error_description": "invalid code"})
        grant.used = True
    if form.get("redirect_uri") != grant.redirect_uri:
        return error(
            400, {"error": "invalid_grant", "error_description": "redirect_uri does not match"}
        )
    if grant.code_challenge:
        verifier = form.get("code_verifier", "")
        if not verifier or not secrets.compare_digest(_s256(verifier), grant.code_challenge):
            return error(
                400, {"error": "invalid_grant", "error_description": "code_verifier does not match"}
            )
    access_token = secrets.token_urlsafe(32)
    with channel.lock:
        channel.access_tokens[access_token] = Grant(user_id=grant.user_id, scope=grant.scope)
    body = {
        "access_token": access_token,
        "expires_in": ACCESS_TOKEN_TTL,
        "refresh_token": secrets.token_urlsafe(16),
        "scope": grant.scope,
        "token_type": "Bearer",
    }
    if "openid" in grant.scope.split():
        body["id_token"] = channel.id_token(grant, state)
    return ok(body)


def _access_grant(channel: LoginChannel, access_token: str) -> Grant | None:
    with channel.lock:
        grant = channel.access_tokens.get(access_token)
    if grant is None or time.time() - grant.issued_at > ACCESS_TOKEN_TTL:
        return None
    return grant


def verify(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    """GET verifies an access token; POST verifies an ID token and returns its claims."""
    if req.method == "GET":
        grant = _access_grant(channel, req.query.get("access_token", ""))
        if grant is None:
            return error(
                400, {"error": "invalid_request", "error_description": "access token expired"}
            )
        expires = int(ACCESS_TOKEN_TTL - (time.time() - grant.issued_at))
        return ok({"scope": grant.scope, "client_id": channel.channel_id, "expires_in": expires})
    form = _form(req)
    answer = _verify_id_token(channel, form)
    _log(state, req, answer.status, form)
    return answer


def _verify_id_token(channel: LoginChannel, form: dict) -> Answer:
    if form.get("client_id") != channel.channel_id:
        return error(400, {"error": "invalid_client_id", "error_description": "Invalid client_id."})
    try:
        decoded = jwt.decode(form.get("id_token", ""), channel.key(), algorithms=["HS256"])
    except (JoseError, ValueError):
        return error(400, INVALID_ID_TOKEN)
    claims = decoded.claims
    if claims.get("exp", 0) < time.time():
        return error(400, {"error": "invalid_request", "error_description": "IdToken expired."})
    if form.get("nonce") and form["nonce"] != claims.get("nonce"):
        return error(400, {"error": "invalid_request", "error_description": "Invalid nonce."})
    if form.get("user_id") and form["user_id"] != claims.get("sub"):
        return error(400, {"error": "invalid_request", "error_description": "Invalid user_id."})
    return ok(claims)


def profile(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    """GET /v2/profile with the user's LINE Login access token."""
    auth = req.headers.get("authorization", "")
    grant = _access_grant(channel, auth[7:]) if auth.startswith("Bearer ") else None
    if grant is None or "profile" not in grant.scope.split():
        return error(401, {"message": "invalid token"})
    user = state.user(grant.user_id) or {}
    return ok(
        {
            "userId": grant.user_id,
            "displayName": user.get("displayName", ""),
            "pictureUrl": f"https://profile.line-scdn.net/{grant.user_id}",
            "statusMessage": "",
        }
    )


ROUTES = {
    ("GET", "/oauth2/v2.1/authorize"): authorize,
    ("POST", "/oauth2/v2.1/authorize"): authorize_answer,
    ("POST", "/oauth2/v2.1/token"): token,
    ("GET", "/oauth2/v2.1/verify"): verify,
    ("POST", "/oauth2/v2.1/verify"): verify,
    ("GET", "/v2/profile"): profile,
    ("POST", "/__standin/login/forget"): forget,
}
STATE_ONLY = {
    ("GET", "/__standin/inapp"): inapp,
    ("POST", "/__standin/login/logout"): log_out,
}


def handles(path: str) -> bool:
    return path.startswith(PATHS)


def answer(channel: LoginChannel, state: StandInState, req: Request) -> Answer:
    key = (req.method, req.path)
    if key in STATE_ONLY:
        return STATE_ONLY[key](state, req)
    handler = ROUTES.get(key)
    if handler is None:
        known = any(path == req.path for _method, path in (*ROUTES, *STATE_ONLY))
        return error(405 if known else 404, {"message": "Not found"})
    return handler(channel, state, req)
