"""The Messaging API endpoints line-bot-sdk v3 calls, answered as LINE answers them.

Each handler takes (state, request) and returns an Answer; server.py does the HTTP, the
access-token check, fault injection, latency and the request log around it.
"""

import re
import secrets
from dataclasses import dataclass, field

from linebot.v3.messaging import (
    BroadcastRequest,
    CreateRichMenuAliasRequest,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuBulkLinkRequest,
    RichMenuBulkUnlinkRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    UpdateRichMenuAliasRequest,
    ValidateMessageRequest,
)

from core import province

from . import events
from .state import StandInState, now_ms
from .validation import (
    ALIAS_ID,
    MAX_IMAGE_BYTES,
    TO_ID,
    USER_ID,
    UUID,
    body_error,
    check_body,
    detail,
    image_size,
)

RETRY_KEY_PATHS = {
    "/v2/bot/message/push",
    "/v2/bot/message/multicast",
    "/v2/bot/message/broadcast",
    "/v2/bot/message/narrowcast",
}
NOT_FOUND = {"message": "Not found"}
MENU_NOT_FOUND = {"message": "richmenu not found"}
NO_IMAGE = {"message": "must upload richmenu image before applying it to user"}


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    raw: bytes
    json: object = None
    params: dict = field(default_factory=dict)


@dataclass
class Answer:
    status: int
    json: object = None
    raw: bytes | None = None
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)


def ok(body: object = None, status: int = 200) -> Answer:
    return Answer(status, {} if body is None else body)


def error(status: int, body: dict, **headers) -> Answer:
    return Answer(status, body, headers=headers)


def invalid(details: list[dict]) -> Answer:
    return error(400, body_error(details))


# Messages ----------------------------------------------------------------------------------


def _sent(messages: list[dict]) -> list[dict]:
    return [
        {"id": events.new_message_id(), "quoteToken": events.new_quote_token()} for _ in messages
    ]


def _deliver(
    state: StandInState, user_id: str, messages: list, sent: list, via: str, request_id: str
) -> None:
    user = state.users.get(user_id)
    delivered = bool(user and user["following"])
    for message, ids in zip(messages, sent, strict=True):
        state.add_chat(
            user_id,
            {
                "direction": "bot",
                "via": via,
                "message": message,
                "id": ids["id"],
                "quoteToken": ids["quoteToken"],
                "requestId": request_id,
                "delivered": delivered,
            },
        )


def _with_retry_key(state: StandInState, req: Request, request_id: str, accept) -> Answer:
    """Run `accept` once per X-Line-Retry-Key: a key already accepted answers 409."""
    key = req.headers.get("x-line-retry-key")
    if key is None:
        return accept()
    if not UUID.match(key):
        return error(400, {"message": "The value for the 'X-Line-Retry-Key' header is invalid"})
    with state.lock:
        accepted = state.retry_keys.get(key)
        if accepted:
            body = {"message": "The retry key is already accepted"}
            if accepted["sentMessages"]:
                body["sentMessages"] = accepted["sentMessages"]
            return error(409, body, **{"x-line-accepted-request-id": accepted["requestId"]})
        answer = accept()
        if answer.status < 300:
            state.retry_keys[key] = {
                "requestId": request_id,
                "path": req.path,
                "sentMessages": (answer.json or {}).get("sentMessages", []),
            }
        return answer


def push(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}

    def accept() -> Answer:
        to = body.get("to")
        details = check_body(PushMessageRequest, body)
        if details:
            return invalid(details)
        if not TO_ID.match(to):
            return error(
                400,
                {
                    "message": "The property, 'to', in the request body is invalid "
                    "(line: -, column: -)"
                },
            )
        with state.lock:
            if to not in state.users:
                return error(400, {"message": "Failed to send messages"})
            sent = _sent(body["messages"])
            _deliver(state, to, body["messages"], sent, "push", request_id)
        return ok({"sentMessages": sent})

    return _with_retry_key(state, req, request_id, accept)


def multicast(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}

    def accept() -> Answer:
        to = body.get("to")
        details = check_body(MulticastRequest, body) or [
            detail("Invalid user ID", f"to[{i}]")
            for i, uid in enumerate(to)
            if not USER_ID.match(uid)
        ]
        if details:
            return invalid(details)
        with state.lock:
            for user_id in dict.fromkeys(to):
                if user_id in state.users:
                    _deliver(
                        state,
                        user_id,
                        body["messages"],
                        _sent(body["messages"]),
                        "multicast",
                        request_id,
                    )
        return ok()

    return _with_retry_key(state, req, request_id, accept)


def broadcast(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}

    def accept() -> Answer:
        details = check_body(BroadcastRequest, body)
        if details:
            return invalid(details)
        with state.lock:
            for user_id, user in state.users.items():
                if user["following"]:
                    _deliver(
                        state,
                        user_id,
                        body["messages"],
                        _sent(body["messages"]),
                        "broadcast",
                        request_id,
                    )
        return ok()

    return _with_retry_key(state, req, request_id, accept)


def reply(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    details = check_body(ReplyMessageRequest, body)
    if details:
        return invalid(details)
    with state.lock:
        user_id = state.use_reply_token(body["replyToken"])
        if user_id is None:
            return error(400, {"message": "Invalid reply token"})
        sent = _sent(body["messages"])
        _deliver(state, user_id, body["messages"], sent, "reply", request_id)
    return ok({"sentMessages": sent})


def validate_messages(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    details = check_body(ValidateMessageRequest, body)
    return invalid(details) if details else ok()


def loading(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    chat_id, seconds = body.get("chatId"), body.get("loadingSeconds", 20)
    details = check_body(ShowLoadingAnimationRequest, body)
    if not details and not USER_ID.match(chat_id):
        details = [detail("Invalid chat ID", "chatId")]
    if details:
        return invalid(details)
    with state.lock:
        user = state.users.get(chat_id)
        if user and user["following"]:
            state.add_chat(
                chat_id,
                {"direction": "bot", "via": "loading", "seconds": seconds, "delivered": False},
            )
    return ok(status=202)


def message_content(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        found = state.contents.get(req.params["messageId"])
    if not found:
        return error(404, NOT_FOUND)
    data, content_type = found
    return Answer(200, raw=data, content_type=content_type)


# Users and account linking -----------------------------------------------------------------


def profile(state: StandInState, req: Request, request_id: str) -> Answer:
    user = state.user(req.params["userId"])
    if not user or not user["following"]:
        return error(404, NOT_FOUND)
    return ok({key: user[key] for key in ("userId", "displayName", "language")})


def link_token(state: StandInState, req: Request, request_id: str) -> Answer:
    user_id = req.params["userId"]
    if not USER_ID.match(user_id) or state.user(user_id) is None:
        return error(400, {"message": "Failed to issue link token"})
    token = secrets.token_urlsafe(24)
    with state.lock:
        state.link_tokens[token] = {"userId": user_id, "issuedAt": now_ms() / 1000, "used": False}
    return ok({"linkToken": token})


def bot_info(state: StandInState, req: Request, request_id: str) -> Answer:
    return ok(
        {
            "userId": state.destination,
            "basicId": "@000standin",
            "displayName": province.current().centre_name("th"),
            "chatMode": "bot",
            "markAsReadMode": "auto",
        }
    )


# Rich menus --------------------------------------------------------------------------------


def _menu_or_error(state: StandInState, menu_id: str, *, need_image: bool) -> Answer | None:
    entry = state.rich_menus.get(menu_id)
    if entry is None:
        return error(404, MENU_NOT_FOUND)
    if need_image and entry["image"] is None:
        return error(400, NO_IMAGE)
    return None


def create_rich_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    details = check_body(RichMenuRequest, req.json)
    if details:
        return invalid(details)
    menu_id = "richmenu-" + secrets.token_hex(16)
    menu = {
        "richMenuId": menu_id,
        **{key: req.json[key] for key in ("size", "selected", "name", "chatBarText", "areas")},
    }
    with state.lock:
        if len(state.rich_menus) >= 1000:
            return error(400, {"message": "The maximum number of rich menus has been reached"})
        state.rich_menus[menu_id] = {"menu": menu, "image": None, "contentType": None}
    return ok({"richMenuId": menu_id})


def validate_rich_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    details = check_body(RichMenuRequest, req.json)
    return invalid(details) if details else ok()


def list_rich_menus(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        return ok({"richmenus": [entry["menu"] for entry in state.rich_menus.values()]})


def get_rich_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        entry = state.rich_menus.get(req.params["richMenuId"])
        return ok(entry["menu"]) if entry else error(404, NOT_FOUND)


def delete_rich_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    menu_id = req.params["richMenuId"]
    with state.lock:
        if state.rich_menus.pop(menu_id, None) is None:
            return error(404, NOT_FOUND)
        if state.default_rich_menu == menu_id:
            state.default_rich_menu = None
        for table in (state.user_rich_menus, state.aliases):
            for key in [k for k, v in table.items() if v == menu_id]:
                del table[key]
    return ok()


def upload_rich_menu_image(state: StandInState, req: Request, request_id: str) -> Answer:
    menu_id = req.params["richMenuId"]
    content_type = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in {"image/png", "image/jpeg"}:
        return error(415, {"message": f"The content type, '{content_type}', is not supported"})
    if len(req.raw) > MAX_IMAGE_BYTES:
        return error(400, {"message": "The image file size must be 1 MB or less"})
    with state.lock:
        entry = state.rich_menus.get(menu_id)
        if entry is None:
            return error(404, NOT_FOUND)
        if entry["image"] is not None:
            return error(400, {"message": "An image has already been uploaded to the richmenu"})
        size = image_size(req.raw, content_type)
        if size is None:
            return error(400, {"message": "Invalid image"})
        wanted = (entry["menu"]["size"]["width"], entry["menu"]["size"]["height"])
        if size != wanted:
            return error(
                400,
                {
                    "message": "The image size must be the same as the rich menu "
                    f"size ({wanted[0]}x{wanted[1]})"
                },
            )
        entry["image"], entry["contentType"] = req.raw, content_type
    return ok()


def download_rich_menu_image(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        entry = state.rich_menus.get(req.params["richMenuId"])
        if not entry or entry["image"] is None:
            return error(404, NOT_FOUND)
        return Answer(200, raw=entry["image"], content_type=entry["contentType"])


def set_default_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        problem = _menu_or_error(state, req.params["richMenuId"], need_image=True)
        if problem:
            return problem
        state.default_rich_menu = req.params["richMenuId"]
    return ok()


def get_default_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    menu_id = state.default_rich_menu
    return (
        ok({"richMenuId": menu_id}) if menu_id else error(404, {"message": "no default richmenu"})
    )


def delete_default_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        state.default_rich_menu = None
    return ok()


def link_user_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    user_id = req.params["userId"]
    if not USER_ID.match(user_id):
        return error(400, {"message": "The value for the 'userId' parameter is invalid"})
    with state.lock:
        problem = _menu_or_error(state, req.params["richMenuId"], need_image=True)
        if problem:
            return problem
        state.user_rich_menus[user_id] = req.params["richMenuId"]
    return ok()


def get_user_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    menu_id = state.user_rich_menus.get(req.params["userId"])
    return (
        ok({"richMenuId": menu_id})
        if menu_id
        else error(404, {"message": "the user has no richmenu"})
    )


def unlink_user_menu(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        state.user_rich_menus.pop(req.params["userId"], None)
    return ok()


def _user_ids(model, body: dict) -> tuple[list, list[dict]]:
    details = check_body(model, body)
    if details:
        return [], details
    user_ids = body["userIds"]
    return user_ids, [
        detail("Invalid user ID", f"userIds[{i}]")
        for i, uid in enumerate(user_ids)
        if not USER_ID.match(uid)
    ]


def bulk_link(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    user_ids, details = _user_ids(RichMenuBulkLinkRequest, body)
    if details:
        return invalid(details)
    with state.lock:
        problem = _menu_or_error(state, body["richMenuId"], need_image=True)
        if problem:
            return problem
        for user_id in user_ids:
            state.user_rich_menus[user_id] = body["richMenuId"]
    return ok(status=202)


def bulk_unlink(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    user_ids, details = _user_ids(RichMenuBulkUnlinkRequest, body)
    if details:
        return invalid(details)
    with state.lock:
        for user_id in user_ids:
            state.user_rich_menus.pop(user_id, None)
    return ok(status=202)


def create_alias(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    alias_id = body.get("richMenuAliasId")
    details = check_body(CreateRichMenuAliasRequest, body)
    if not details and not ALIAS_ID.match(alias_id):
        details = [detail("Must match [A-Za-z0-9_-]{1,32}", "richMenuAliasId")]
    if details:
        return invalid(details)
    with state.lock:
        if alias_id in state.aliases:
            return error(400, {"message": "conflict richmenu alias id"})
        problem = _menu_or_error(state, body["richMenuId"], need_image=True)
        if problem:
            return error(400, problem.json)
        state.aliases[alias_id] = body["richMenuId"]
    return ok()


def update_alias(state: StandInState, req: Request, request_id: str) -> Answer:
    body = req.json if isinstance(req.json, dict) else {}
    details = check_body(UpdateRichMenuAliasRequest, body)
    if details:
        return invalid(details)
    with state.lock:
        if req.params["aliasId"] not in state.aliases:
            return error(404, {"message": "richmenu alias not found"})
        problem = _menu_or_error(state, body["richMenuId"], need_image=True)
        if problem:
            return error(400, problem.json)
        state.aliases[req.params["aliasId"]] = body["richMenuId"]
    return ok()


def get_alias(state: StandInState, req: Request, request_id: str) -> Answer:
    menu_id = state.aliases.get(req.params["aliasId"])
    if menu_id is None:
        return error(404, {"message": "richmenu alias not found"})
    return ok({"richMenuAliasId": req.params["aliasId"], "richMenuId": menu_id})


def list_aliases(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        return ok(
            {
                "aliases": [
                    {"richMenuAliasId": alias, "richMenuId": menu}
                    for alias, menu in state.aliases.items()
                ]
            }
        )


def delete_alias(state: StandInState, req: Request, request_id: str) -> Answer:
    with state.lock:
        if state.aliases.pop(req.params["aliasId"], None) is None:
            return error(404, {"message": "richmenu alias not found"})
    return ok()


_ID = r"(?P<{}>[^/]+)"
ROUTES = [
    ("POST", "/v2/bot/message/push", push),
    ("POST", "/v2/bot/message/multicast", multicast),
    ("POST", "/v2/bot/message/broadcast", broadcast),
    ("POST", "/v2/bot/message/reply", reply),
    (
        "POST",
        "/v2/bot/message/validate/(push|reply|multicast|broadcast|narrowcast)",
        validate_messages,
    ),
    ("GET", f"/v2/bot/message/{_ID.format('messageId')}/content", message_content),
    ("POST", "/v2/bot/chat/loading/start", loading),
    ("GET", "/v2/bot/info", bot_info),
    ("GET", f"/v2/bot/profile/{_ID.format('userId')}", profile),
    ("POST", f"/v2/bot/user/{_ID.format('userId')}/linkToken", link_token),
    ("POST", "/v2/bot/richmenu", create_rich_menu),
    ("POST", "/v2/bot/richmenu/validate", validate_rich_menu),
    ("GET", "/v2/bot/richmenu/list", list_rich_menus),
    ("POST", "/v2/bot/richmenu/bulk/link", bulk_link),
    ("POST", "/v2/bot/richmenu/bulk/unlink", bulk_unlink),
    ("POST", "/v2/bot/richmenu/alias", create_alias),
    ("GET", "/v2/bot/richmenu/alias/list", list_aliases),
    ("GET", f"/v2/bot/richmenu/alias/{_ID.format('aliasId')}", get_alias),
    ("POST", f"/v2/bot/richmenu/alias/{_ID.format('aliasId')}", update_alias),
    ("DELETE", f"/v2/bot/richmenu/alias/{_ID.format('aliasId')}", delete_alias),
    ("GET", f"/v2/bot/richmenu/{_ID.format('richMenuId')}", get_rich_menu),
    ("DELETE", f"/v2/bot/richmenu/{_ID.format('richMenuId')}", delete_rich_menu),
    ("POST", f"/v2/bot/richmenu/{_ID.format('richMenuId')}/content", upload_rich_menu_image),
    ("GET", f"/v2/bot/richmenu/{_ID.format('richMenuId')}/content", download_rich_menu_image),
    ("POST", f"/v2/bot/user/all/richmenu/{_ID.format('richMenuId')}", set_default_menu),
    ("GET", "/v2/bot/user/all/richmenu", get_default_menu),
    ("DELETE", "/v2/bot/user/all/richmenu", delete_default_menu),
    (
        "POST",
        f"/v2/bot/user/{_ID.format('userId')}/richmenu/{_ID.format('richMenuId')}",
        link_user_menu,
    ),
    ("GET", f"/v2/bot/user/{_ID.format('userId')}/richmenu", get_user_menu),
    ("DELETE", f"/v2/bot/user/{_ID.format('userId')}/richmenu", unlink_user_menu),
]
COMPILED = [(method, re.compile(f"^{pattern}$"), handler) for method, pattern, handler in ROUTES]


def route(method: str, path: str):
    """(handler, path params) for an API path; (None, {}) if unknown; ("method", {}) if the
    path exists with another method."""
    path_known = False
    for route_method, pattern, handler in COMPILED:
        match = pattern.match(path)
        if match:
            if route_method == method:
                return handler, match.groupdict()
            path_known = True
    return ("method" if path_known else None), {}
