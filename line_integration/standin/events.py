"""LINE webhook events as the LINE Platform sends them: built, signed and posted.

Stdlib only, so the stand-in process and the tests of our webhook build identical payloads
(tests post them through Django's test client; the stand-in posts them over HTTP).
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# Events LINE attaches a reply token to (accountLink only when linking succeeded).
REPLYABLE = {"message", "postback", "follow", "accountLink"}
KINDS = {"message", "image", "sticker", "postback", "follow", "unfollow", "accountLink"}


def new_user_id() -> str:
    return "U" + secrets.token_hex(16)


def new_reply_token() -> str:
    return secrets.token_hex(16)


def new_message_id() -> str:
    """LINE message ids are decimal strings of about 18 digits."""
    return str(500_000_000_000_000_000 + secrets.randbelow(10**17))


def new_quote_token() -> str:
    return secrets.token_urlsafe(48)


def new_ulid(timestamp_ms: int | None = None) -> str:
    """26 Crockford base32 characters: 48 bits of milliseconds then 80 random bits."""
    ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    value = (ms << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def build_event(
    kind: str,
    *,
    user_id: str,
    text: str | None = None,
    data: str | None = None,
    params: dict | None = None,
    result: str = "ok",
    nonce: str | None = None,
    package_id: str = "446",
    sticker_id: str = "1988",
    message_id: str | None = None,
    reply_token: str | None = None,
    is_redelivery: bool = False,
    is_unblocked: bool = False,
    timestamp: int | None = None,
) -> dict:
    """One webhook event object. kind: message (text), image, sticker, postback, follow,
    unfollow, accountLink. A reply token is generated for reply-able events unless one is given."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    ts = int(time.time() * 1000) if timestamp is None else timestamp
    event_type = "message" if kind in {"image", "sticker"} else kind
    event: dict = {
        "type": event_type,
        "mode": "active",
        "timestamp": ts,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": new_ulid(ts),
        "deliveryContext": {"isRedelivery": is_redelivery},
    }
    if event_type in REPLYABLE and not (kind == "accountLink" and result != "ok"):
        event["replyToken"] = reply_token or new_reply_token()
    if kind == "message":
        event["message"] = {
            "type": "text",
            "id": message_id or new_message_id(),
            "text": text or "",
            "quoteToken": new_quote_token(),
        }
    elif kind == "image":
        event["message"] = {
            "type": "image",
            "id": message_id or new_message_id(),
            "contentProvider": {"type": "line"},
            "quoteToken": new_quote_token(),
        }
    elif kind == "sticker":
        event["message"] = {
            "type": "sticker",
            "id": message_id or new_message_id(),
            "packageId": str(package_id),
            "stickerId": str(sticker_id),
            "stickerResourceType": "STATIC",
            "keywords": ["Happy"],
            "quoteToken": new_quote_token(),
        }
    elif kind == "postback":
        event["postback"] = {"data": data or ""}
        if params:
            event["postback"]["params"] = params
    elif kind == "follow":
        event["follow"] = {"isUnblocked": is_unblocked}
    elif kind == "accountLink":
        event["link"] = {"result": result, "nonce": nonce or ""}
    return event


def webhook_body(events: list[dict], *, destination: str) -> bytes:
    """The exact bytes that are signed and posted (LINE sends compact UTF-8 JSON)."""
    payload = {"destination": destination, "events": events}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def sign(body: bytes, secret: str) -> str:
    """X-Line-Signature: base64 of HMAC-SHA256 of the raw body keyed by the channel secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class WebhookResult:
    status: int | None
    body: str
    error: str = ""


def post_webhook(
    url: str,
    events: list[dict],
    secret: str,
    *,
    destination: str | None = None,
    timeout: float = 10.0,
) -> WebhookResult:
    """POST signed events to a webhook URL as LINE does; never raises for HTTP trouble."""
    body = webhook_body(events, destination=destination or "U" + "0" * 32)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "LineBotWebhook/2.0",
            "X-Line-Signature": sign(body, secret),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return WebhookResult(response.status, response.read(2000).decode(errors="replace"))
    except urllib.error.HTTPError as exc:
        return WebhookResult(exc.code, exc.read(2000).decode(errors="replace"))
    except (urllib.error.URLError, OSError) as exc:
        return WebhookResult(None, "", error=str(exc))
