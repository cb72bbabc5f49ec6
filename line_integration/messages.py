"""Builders for LINE message objects (plain dicts, as the outbox stores them).

Every builder trims to LINE's limits so that a long Thai title never turns a notification into a
400 from LINE: text 5,000 UTF-16 units, altText 400, action labels 20 grapheme clusters,
postback data 300, URIs 1,000, quick reply 13 items, 5 messages per request.
"""

import unicodedata

from django.conf import settings

TEXT_MAX = 5000
ALT_TEXT_MAX = 400
LABEL_MAX = 20
DATA_MAX = 300
URI_MAX = 1000
QUICK_REPLY_MAX = 13
MESSAGES_PER_REQUEST = 5

BRAND_COLOR = "#0b5394"


def _utf16_len(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


def clip_text(value: str, limit: int = TEXT_MAX) -> str:
    """Cut to ``limit`` UTF-16 code units (LINE's unit for text), ending with an ellipsis."""
    value = str(value)
    if _utf16_len(value) <= limit:
        return value
    out = []
    used = 1
    for char in value:
        size = _utf16_len(char)
        if used + size > limit:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def _graphemes(value: str) -> list[str]:
    """Thai vowel and tone marks (category Mn) belong to the consonant before them."""
    clusters: list[str] = []
    for char in value:
        if clusters and unicodedata.category(char) in ("Mn", "Me"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def clip_label(value: str, limit: int = LABEL_MAX) -> str:
    clusters = _graphemes(str(value))
    if len(clusters) <= limit:
        return "".join(clusters)
    return "".join(clusters[: limit - 1]) + "…"


def site_url(path: str) -> str:
    """An absolute link to this site, for buttons that open LINE's in-app browser."""
    base = getattr(settings, "SITE_URL", None) or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def signed_in_url(path: str) -> str:
    """A link to a page that needs an account: LINE signs the citizen in on the way (LINE
    Login's auto-login in the in-app browser), then the page opens."""
    from line_integration.line_login import entry_path  # authlib: only where a link is made

    return site_url(entry_path(path))


# Actions -------------------------------------------------------------------------------------


def uri_action(label: str, uri: str) -> dict:
    if len(uri) > URI_MAX:
        raise ValueError(f"LINE URIs are at most {URI_MAX} characters")
    return {"type": "uri", "label": clip_label(label), "uri": uri}


def postback_action(label: str, data: str, *, display_text: str | None = None) -> dict:
    if len(data) > DATA_MAX:
        raise ValueError(f"postback data is at most {DATA_MAX} characters")
    action = {"type": "postback", "label": clip_label(label), "data": data}
    action["displayText"] = clip_text(display_text or label, 300)
    return action


def quick_reply(actions: list[dict]) -> dict:
    return {"items": [{"type": "action", "action": a} for a in actions[:QUICK_REPLY_MAX]]}


# Messages ------------------------------------------------------------------------------------


def text(body: str, *, quick_replies: list[dict] | None = None) -> dict:
    message = {"type": "text", "text": clip_text(body)}
    if quick_replies:
        message["quickReply"] = quick_reply(quick_replies)
    return message


def bubble(
    *,
    title: str,
    lines: list[str] | None = None,
    buttons: list[dict] | None = None,
    alt_text: str | None = None,
    quick_replies: list[dict] | None = None,
) -> dict:
    """A Flex bubble: coloured header, wrapped body lines, one full-width button per action.

    ``alt_text`` is what LINE shows in the chat list and on old phones; it defaults to the title
    and body so that nothing is lost where Flex cannot be drawn.
    """
    lines = [line for line in (lines or []) if line]
    body_contents = [
        {"type": "text", "text": clip_text(line, 2000), "wrap": True, "size": "md"}
        for line in lines
    ] or [{"type": "text", "text": " ", "size": "xs"}]
    contents: dict = {
        "type": "bubble",
        "header": {
            "type": "box",
            "layout": "vertical",
            "backgroundColor": BRAND_COLOR,
            "contents": [
                {
                    "type": "text",
                    "text": clip_text(title, 2000),
                    "wrap": True,
                    "weight": "bold",
                    "size": "lg",
                    "color": "#ffffff",
                }
            ],
        },
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body_contents},
    }
    if buttons:
        contents["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {
                    "type": "button",
                    "action": action,
                    "style": "primary" if index == 0 else "secondary",
                    "height": "md",
                }
                for index, action in enumerate(buttons)
            ],
        }
    message = {
        "type": "flex",
        "altText": clip_text(alt_text or "\n".join([title, *lines]), ALT_TEXT_MAX),
        "contents": contents,
    }
    if quick_replies:
        message["quickReply"] = quick_reply(quick_replies)
    return message


def validate(messages: list[dict]) -> list[dict]:
    """Refuse what LINE would refuse for the whole request, before it reaches the outbox."""
    if not messages:
        raise ValueError("at least one message is needed")
    if len(messages) > MESSAGES_PER_REQUEST:
        raise ValueError(f"LINE takes at most {MESSAGES_PER_REQUEST} messages per request")
    for message in messages:
        if not isinstance(message, dict) or "type" not in message:
            raise ValueError("each message is a dict with a 'type'")
        if message["type"] == "flex" and not message.get("altText"):
            raise ValueError("a Flex message needs an altText")
    return messages
