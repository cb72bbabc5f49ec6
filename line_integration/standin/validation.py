"""Request checks the LINE Platform makes, with its error wording, so mistakes surface offline.

Each check returns a list of {"message", "property"} details; an empty list means valid.
Limits are those of LINE's Messaging API reference (message objects, rich menus).
"""

import json
import re
import struct
from urllib.parse import urlsplit

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
TO_ID = re.compile(r"^[UCR][0-9a-f]{32}$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ALIAS_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

MESSAGE_TYPES = {
    "text",
    "sticker",
    "image",
    "video",
    "audio",
    "location",
    "imagemap",
    "template",
    "flex",
}
ACTION_TYPES = {
    "postback",
    "message",
    "uri",
    "datetimepicker",
    "camera",
    "cameraRoll",
    "location",
    "richmenuswitch",
    "clipboard",
}
# LINE requires HTTPS for media; the stand-in also lets loopback http through for local runs.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "[::1]"}
MAX_IMAGE_BYTES = 1024 * 1024


def detail(message: str, prop: str) -> dict:
    return {"message": message, "property": prop}


def body_error(details: list[dict]) -> dict:
    return {"message": f"The request body has {len(details)} error(s)", "details": details}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _length(value, low: int, high: int, prop: str) -> list[dict]:
    if not isinstance(value, str):
        return [detail("Must be specified", prop)] if low else []
    if not low <= utf16_len(value) <= high:
        return [detail(f"Length must be between {low} and {high}", prop)]
    return []


def _media_url(value, prop: str) -> list[dict]:
    if not isinstance(value, str) or not value:
        return [detail("Must be specified", prop)]
    parts = urlsplit(value)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not local:
        return [detail("Must be a valid HTTPS URL", prop)]
    return _length(value, 1, 2000, prop)


def check_action(action, prop: str, *, label_max: int = 40) -> list[dict]:
    if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
        return [detail("Invalid action type", f"{prop}.type")]
    kind, errors = action["type"], []
    if "label" in action:
        errors += _length(action["label"], 0, label_max, f"{prop}.label")
    if kind == "postback":
        errors += _length(action.get("data"), 1, 300, f"{prop}.data")
        for key in ("displayText", "text"):
            if key in action:
                errors += _length(action[key], 1, 300, f"{prop}.{key}")
    elif kind == "message":
        errors += _length(action.get("text"), 1, 300, f"{prop}.text")
    elif kind == "uri":
        uri = action.get("uri")
        errors += _length(uri, 1, 1000, f"{prop}.uri")
        if isinstance(uri, str) and urlsplit(uri).scheme not in {"http", "https", "line", "tel"}:
            errors.append(detail("Invalid URI scheme", f"{prop}.uri"))
    elif kind == "richmenuswitch":
        errors += _length(action.get("richMenuAliasId"), 1, 32, f"{prop}.richMenuAliasId")
        errors += _length(action.get("data"), 1, 300, f"{prop}.data")
    return errors


def _nested_actions(node, prop: str, label_max: int) -> list[dict]:
    """Every action object inside flex/template contents (also defaultAction)."""
    errors: list[dict] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"action", "defaultAction"} and isinstance(value, dict):
                errors += check_action(value, f"{prop}.{key}", label_max=label_max)
            elif key == "actions" and isinstance(value, list):
                for index, action in enumerate(value):
                    errors += check_action(action, f"{prop}.actions[{index}]", label_max=label_max)
            else:
                errors += _nested_actions(value, f"{prop}.{key}", label_max)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            errors += _nested_actions(item, f"{prop}[{index}]", label_max)
    return errors


def _check_flex(message: dict, prop: str) -> list[dict]:
    errors = _length(message.get("altText"), 1, 1500, f"{prop}.altText")
    contents = message.get("contents")
    if not isinstance(contents, dict) or contents.get("type") not in {"bubble", "carousel"}:
        return errors + [detail("Must be a bubble or a carousel", f"{prop}.contents")]
    size = len(json.dumps(contents, ensure_ascii=False, separators=(",", ":")).encode())
    if contents["type"] == "bubble" and size > 30 * 1024:
        errors.append(detail("The size of a bubble must be 30 KB or less", f"{prop}.contents"))
    if contents["type"] == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= 12:
            errors.append(detail("Size must be between 1 and 12", f"{prop}.contents.contents"))
        if size > 50 * 1024:
            errors.append(
                detail("The size of a carousel must be 50 KB or less", f"{prop}.contents")
            )
    return errors + _nested_actions(contents, f"{prop}.contents", 40)


def _check_template(message: dict, prop: str) -> list[dict]:
    errors = _length(message.get("altText"), 1, 400, f"{prop}.altText")
    template = message.get("template")
    kinds = {"buttons", "confirm", "carousel", "image_carousel"}
    if not isinstance(template, dict) or template.get("type") not in kinds:
        return errors + [detail("Invalid template type", f"{prop}.template.type")]
    if template["type"] in {"buttons", "confirm"}:
        limit = 160 if template["type"] == "buttons" else 240
        errors += _length(template.get("text"), 1, limit, f"{prop}.template.text")
    return errors + _nested_actions(template, f"{prop}.template", 20)


def check_message(message, prop: str) -> list[dict]:
    if not isinstance(message, dict):
        return [detail("Must be an object", prop)]
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        return [detail("Invalid message type", f"{prop}.type")]
    errors: list[dict] = []
    if kind == "text":
        errors += _length(message.get("text"), 1, 5000, f"{prop}.text")
    elif kind == "flex":
        errors += _check_flex(message, prop)
    elif kind == "template":
        errors += _check_template(message, prop)
    elif kind in {"image", "video"}:
        errors += _media_url(message.get("originalContentUrl"), f"{prop}.originalContentUrl")
        errors += _media_url(message.get("previewImageUrl"), f"{prop}.previewImageUrl")
    elif kind == "sticker":
        for key in ("packageId", "stickerId"):
            if not isinstance(message.get(key), str) or not message.get(key):
                errors.append(detail("Must be specified", f"{prop}.{key}"))
    quick = message.get("quickReply")
    if isinstance(quick, dict):
        items = quick.get("items")
        if not isinstance(items, list) or not 1 <= len(items) <= 13:
            errors.append(detail("Size must be between 1 and 13", f"{prop}.quickReply.items"))
        else:
            for index, item in enumerate(items):
                errors += check_action(
                    (item or {}).get("action"),
                    f"{prop}.quickReply.items[{index}].action",
                    label_max=20,
                )
    return errors


def check_messages(messages) -> list[dict]:
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [detail("Size must be between 1 and 5", "messages")]
    errors: list[dict] = []
    for index, message in enumerate(messages):
        errors += check_message(message, f"messages[{index}]")
    return errors


def check_rich_menu(body) -> list[dict]:
    if not isinstance(body, dict):
        return [detail("Must be an object", "")]
    errors: list[dict] = []
    size = body.get("size") if isinstance(body.get("size"), dict) else {}
    width, height = size.get("width"), size.get("height")
    if not isinstance(width, int) or not 800 <= width <= 2500:
        errors.append(detail("Must be between 800 and 2500", "size.width"))
    if not isinstance(height, int) or height < 250:
        errors.append(detail("Must be 250 or more", "size.height"))
    elif isinstance(width, int) and width / height < 1.45:
        errors.append(detail("The aspect ratio (width / height) must be 1.45 or more", "size"))
    if not isinstance(body.get("selected"), bool):
        errors.append(detail("Must be specified", "selected"))
    errors += _length(body.get("name"), 1, 300, "name")
    errors += _length(body.get("chatBarText"), 1, 14, "chatBarText")
    areas = body.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        return errors + [detail("Size must be between 1 and 20", "areas")]
    for index, area in enumerate(areas):
        errors += _check_area(area, f"areas[{index}]", width, height)
    return errors


def _check_area(area, prop: str, width, height) -> list[dict]:
    bounds = (area or {}).get("bounds") if isinstance(area, dict) else None
    if not isinstance(bounds, dict) or not all(
        isinstance(bounds.get(k), int) for k in ("x", "y", "width", "height")
    ):
        return [detail("Must be specified", f"{prop}.bounds")]
    errors = check_action(area.get("action"), f"{prop}.action", label_max=20)
    inside = (
        bounds["x"] >= 0
        and bounds["y"] >= 0
        and bounds["width"] > 0
        and bounds["height"] > 0
        and isinstance(width, int)
        and isinstance(height, int)
        and bounds["x"] + bounds["width"] <= width
        and bounds["y"] + bounds["height"] <= height
    )
    if not inside:
        errors.append(detail("The area must be inside the rich menu", f"{prop}.bounds"))
    return errors


def image_size(data: bytes, content_type: str) -> tuple[int, int] | None:
    """Width and height read from the PNG or JPEG header, None when the bytes are not one."""
    if content_type == "image/png":
        if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", data[16:24])
    if content_type in {"image/jpeg", "image/jpg"} and data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                return None
            marker = data[index + 1]
            length = struct.unpack(">H", data[index + 2 : index + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in {0xC4, 0xC8, 0xCC}:
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return width, height
            index += 2 + length
    return None
