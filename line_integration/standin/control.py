"""/__standin/ control endpoints (for the simulator page and other processes) and the
account-link page LINE would show on access.line.me. Not part of LINE's API: no token needed;
the stand-in only ever listens on loopback."""

import base64
import binascii
import html
import re
from urllib.parse import urlencode, urlsplit

from .api import Answer, Request, error, ok
from .state import StandInState

SEND_KINDS = {"message", "image", "sticker", "postback", "follow", "unfollow", "accountLink"}


def _body(req: Request) -> dict:
    return req.json if isinstance(req.json, dict) else {}


def index(state: StandInState, req: Request) -> Answer:
    return ok(
        {
            "service": "LINE Messaging API stand-in",
            "webhookUrl": state.webhook_url,
            "users": len(state.users),
            "requests": len(state.request_log),
        }
    )


def list_requests(state: StandInState, req: Request) -> Answer:
    found = state.requests(req.query.get("path") or None, req.query.get("method") or None)
    since = int(req.query.get("since") or 0)
    return ok([entry for entry in found if entry["seq"] > since])


def chats(state: StandInState, req: Request) -> Answer:
    user_id = req.query.get("user", "")
    user = state.user(user_id)
    if user is None:
        return error(404, {"message": "unknown user"})
    menu = state.effective_rich_menu(user_id)
    return ok(
        {
            "user": user,
            "messages": state.chat(user_id, since=int(req.query.get("since") or 0)),
            "richMenu": menu,
        }
    )


def users(state: StandInState, req: Request) -> Answer:
    if req.method == "GET":
        with state.lock:
            return ok(sorted((dict(u) for u in state.users.values()), key=lambda u: u["createdAt"]))
    body = _body(req)
    name = str(body.get("displayName") or "").strip()[:20] or "ผู้ใช้ทดสอบ"
    user_id = body.get("userId")
    if user_id is not None and not re.fullmatch(r"U[0-9a-f]{32}", str(user_id)):
        return error(400, {"message": "userId must be U followed by 32 hex digits"})
    user = state.add_user(
        display_name=name, user_id=user_id, following=bool(body.get("following", False))
    )
    return ok(user, status=201)


def faults(state: StandInState, req: Request) -> Answer:
    if req.method == "GET":
        return ok(state.fault_list())
    body = _body(req)
    try:
        fault = state.inject(
            str(body.get("path") or "/"),
            status=body.get("status"),
            timeout=bool(body.get("timeout")),
            accept_then_timeout=bool(body.get("accept_then_timeout")),
            times=int(body.get("times") or 1),
            method=body.get("method"),
            retry_after=int(body["retry_after"]) if body.get("retry_after") else None,
        )
    except (TypeError, ValueError) as exc:
        return error(400, {"message": str(exc)})
    return ok({"path": fault.path, "times": fault.times}, status=201)


def latency(state: StandInState, req: Request) -> Answer:
    try:
        state.latency_ms = max(0, int(_body(req).get("ms") or 0))
    except (TypeError, ValueError):
        return error(400, {"message": "ms must be a number"})
    return ok({"ms": state.latency_ms})


def reset(state: StandInState, req: Request) -> Answer:
    state.reset(keep_users=bool(_body(req).get("keepUsers")))
    return ok()


def send(state: StandInState, req: Request) -> Answer:
    """A user does something in the LINE app: the event goes to our webhook, signed."""
    body = _body(req)
    kind, user_id = body.get("type"), str(body.get("userId") or "")
    if kind not in SEND_KINDS:
        return error(400, {"message": f"type must be one of {sorted(SEND_KINDS)}"})
    if state.user(user_id) is None:
        return error(404, {"message": "unknown user"})
    fields: dict = {}
    if kind == "message":
        text = str(body.get("text") or "")
        if not text.strip():
            return error(400, {"message": "text is empty"})
        fields["text"] = text[:5000]
    elif kind == "postback":
        fields.update(data=str(body.get("data") or ""), display_text=body.get("displayText"))
        if isinstance(body.get("params"), dict):
            fields["params"] = body["params"]
    elif kind == "image":
        try:
            fields["image"] = base64.b64decode(str(body.get("image") or ""), validate=True)
        except (binascii.Error, ValueError):
            return error(400, {"message": "image must be base64"})
        fields["content_type"] = str(body.get("contentType") or "image/jpeg")
    elif kind == "sticker":
        fields.update(
            package_id=str(body.get("packageId") or "446"),
            sticker_id=str(body.get("stickerId") or "1988"),
        )
    elif kind == "accountLink":
        fields.update(result=str(body.get("result") or "ok"), nonce=str(body.get("nonce") or ""))
    elif kind == "follow":
        fields["is_unblocked"] = bool(body.get("isUnblocked"))
    return ok(state.send(kind, user_id, **fields))


def redeliver(state: StandInState, req: Request) -> Answer:
    result = state.redeliver(str(_body(req).get("webhookEventId") or ""))
    return ok(result) if result else error(404, {"message": "unknown webhookEventId"})


def webhooks(state: StandInState, req: Request) -> Answer:
    with state.lock:
        return ok(list(state.webhooks))


def rich_menu_image(state: StandInState, req: Request) -> Answer:
    with state.lock:
        entry = state.rich_menus.get(req.params["richMenuId"])
        if not entry or entry["image"] is None:
            return error(404, {"message": "Not found"})
        return Answer(200, raw=entry["image"], content_type=entry["contentType"])


PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:Sarabun,Tahoma,sans-serif;margin:0;background:#06c755;color:#fff;
display:flex;min-height:100vh;align-items:center;justify-content:center;text-align:center}}
main{{background:#fff;color:#1c1c1c;border-radius:12px;padding:2rem 1.5rem;max-width:22rem}}
a{{display:inline-block;margin-top:1rem;background:#06c755;color:#fff;padding:.8rem 1.4rem;
border-radius:8px;text-decoration:none;font-weight:700}}small{{color:#555}}</style></head>
<body><main><h1>{title}</h1><p>{detail}</p>{link}<p><small>LINE (จำลอง)</small></p></main>
</body></html>"""


def account_link_page(state: StandInState, req: Request) -> Answer:
    """access.line.me/dialog/bot/accountLink: tells the bot, by webhook, how linking went."""
    token, nonce = req.query.get("linkToken", ""), req.query.get("nonce", "")
    user_id, valid = state.use_link_token(token)
    user_id = user_id or req.query.get("user") or None
    webhook = None
    if user_id and state.user(user_id):
        result = "ok" if valid else "failed"
        webhook = state.send("accountLink", user_id, result=result, nonce=nonce)["webhook"]
    if valid:
        title, detail = "เชื่อมต่อบัญชีเรียบร้อย กลับไปที่ LINE", "ระบบได้รับการยืนยันแล้ว"
    else:
        title = "เชื่อมต่อบัญชีไม่สำเร็จ"
        detail = "ลิงก์นี้หมดอายุหรือถูกใช้ไปแล้ว กรุณาเริ่มเชื่อมต่อบัญชีใหม่จากห้องแชต LINE"
    if webhook and webhook["status"] != 200:
        detail += f" (webhook ตอบ {webhook['status'] or webhook['error']})"
    link = ""
    back = state.simulator_url or _site_simulator(state.webhook_url)
    if back:
        href = back + ("?" + urlencode({"user": user_id}) if user_id else "")
        link = f'<a href="{html.escape(href)}">กลับไปที่ LINE</a>'
    page = PAGE.format(title=html.escape(title), detail=html.escape(detail), link=link)
    return Answer(200 if valid else 400, raw=page.encode(), content_type="text/html")


def _site_simulator(webhook_url: str | None) -> str | None:
    if not webhook_url:
        return None
    parts = urlsplit(webhook_url)
    return f"{parts.scheme}://{parts.netloc}/dev/line/"


ROUTES = [
    ("GET", "/__standin/", index),
    ("GET", "/__standin/requests", list_requests),
    ("GET", "/__standin/chats", chats),
    ("GET", "/__standin/users", users),
    ("POST", "/__standin/users", users),
    ("GET", "/__standin/faults", faults),
    ("POST", "/__standin/faults", faults),
    ("POST", "/__standin/latency", latency),
    ("POST", "/__standin/reset", reset),
    ("POST", "/__standin/send", send),
    ("POST", "/__standin/redeliver", redeliver),
    ("GET", "/__standin/webhooks", webhooks),
    ("GET", "/__standin/richmenu/(?P<richMenuId>[^/]+)/image", rich_menu_image),
    ("GET", "/dialog/bot/accountLink", account_link_page),
]
COMPILED = [(method, re.compile(f"^{pattern}$"), handler) for method, pattern, handler in ROUTES]


def route(method: str, path: str):
    for route_method, pattern, handler in COMPILED:
        match = pattern.match(path)
        if match and route_method == method:
            return handler, match.groupdict()
    return None, {}
