"""Request checks the LINE Platform makes, with its error wording, so mistakes surface offline.

A body is judged twice, and every problem is one {"message", "property"} detail (an empty list
means valid), as LINE reports them:

1. By LINE's OpenAPI description, through line-bot-sdk v3's request models, which are generated
   from it: required properties, types, enums, array sizes, and the discriminated message,
   template, action and Flex component types. The walk follows the models' own pydantic fields
   and validators, so each problem carries its full path (``messages[0].contents.body.layout``);
   a body it passes must then pass the SDK's own ``from_dict`` too.
2. By the limits LINE documents but the description leaves out (the rules below), each with
   the part of the reference that states it: lengths counted as LINE counts them, where an
   action may be used, template sizes, HTTPS media, rich-menu geometry.
"""

import ast
import json
import re
import struct
from urllib.parse import urlsplit

import regex
from linebot.v3.messaging import models as sdk
from pydantic.v1 import BaseModel
from pydantic.v1.error_wrappers import flatten_errors
from pydantic.v1.fields import SHAPE_DICT, SHAPE_LIST, SHAPE_MAPPING, SHAPE_SINGLETON

REFERENCE = "https://developers.line.biz/en/reference/messaging-api/"
USER_ID = re.compile(r"^U[0-9a-f]{32}$")
TO_ID = re.compile(r"^[UCR][0-9a-f]{32}$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ALIAS_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# LINE requires HTTPS for media; the stand-in also lets loopback http through for local runs.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "[::1]"}
MAX_IMAGE_BYTES = 1024 * 1024


def detail(message: str, prop: str) -> dict:
    return {"message": message, "property": prop}


def body_error(details: list[dict]) -> dict:
    return {"message": f"The request body has {len(details)} error(s)", "details": details}


def check_body(model: type[BaseModel], body) -> list[dict]:
    """Everything LINE would say about ``body`` sent where the SDK sends ``model``."""
    errors = _walk(model, body if isinstance(body, dict) else {}, "", ())
    if not errors:
        try:
            model.from_dict(body)
        except (ValueError, TypeError, KeyError) as exc:  # pydantic's ValidationError included
            errors = [detail(str(exc).splitlines()[0], "")]
    return errors


# 1. The description, through the SDK's models ---------------------------------------------


def _own_mapping(model: type) -> dict | None:
    """The discriminator map a generated base class (Message, Action, ...) declares."""
    return model.__dict__.get(f"_{model.__name__}__discriminator_value_class_map")


_TYPE_OF = {  # concrete class -> the `type` it stands for (FlexBox -> "box")
    getattr(sdk, name): kind
    for base in vars(sdk).values()
    if isinstance(base, type) and _own_mapping(base)
    for kind, name in _own_mapping(base).items()
}


def _join(prop: str, key) -> str:
    if isinstance(key, int):
        return f"{prop}[{key}]"
    return f"{prop}.{key}" if prop else key


def _walk(model: type[BaseModel], value, prop: str, trail: tuple) -> list[dict]:
    """Check ``value`` against ``model``; ``trail`` names the models it sits in, outermost
    first, for the rules that depend on place (an action in a quick reply or a Flex button)."""
    if not isinstance(value, dict):
        return [detail("Must be an object", prop)]
    mapping, kind = _own_mapping(model), value.get("type")
    if mapping or model in _TYPE_OF:
        allowed = list(mapping) if mapping else [_TYPE_OF[model]]
        if kind is None:
            return [detail("Must be specified", _join(prop, "type"))]
        if kind not in allowed:
            values = ", ".join(allowed)
            return [detail(f"Must be one of the following values: [{values}]", _join(prop, "type"))]
        if mapping:
            model = getattr(sdk, mapping[kind])
    trail = (*trail, model.__name__)
    errors: list[dict] = []
    for field in model.__fields__.values():
        errors += _field(model, field, value.get(field.alias), _join(prop, field.alias), trail)
    for rule in (*RULES.get(model.__name__, ()), *RULES["*"]):
        errors += rule(value, prop, trail)
    return errors


def _field(model, field, item, prop: str, trail: tuple) -> list[dict]:
    if item is None:
        return [detail("Must be specified", prop)] if field.required else []
    inner = field.type_
    if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
        return _scalar(model, field, item, prop)
    if field.shape == SHAPE_SINGLETON:
        return _walk(inner, item, prop, trail)
    if field.shape == SHAPE_LIST:
        if not isinstance(item, list):
            return [detail("Must be an array", prop)]
        low, high = field.outer_type_.min_items or 0, field.outer_type_.max_items
        errors = [] if _within(len(item), low, high) else [detail(_size(low, high), prop)]
        for index, each in enumerate(item):
            errors += _walk(inner, each, f"{prop}[{index}]", trail)
        return errors
    if field.shape in (SHAPE_DICT, SHAPE_MAPPING):
        if not isinstance(item, dict):
            return [detail("Must be an object", prop)]
        return [e for key, each in item.items() for e in _walk(inner, each, f"{prop}.{key}", trail)]
    raise NotImplementedError(f"{model.__name__}.{field.alias}: shape {field.shape}")


def _within(count: int, low: int, high: int | None) -> bool:
    return low <= count and (high is None or count <= high)


def _size(low: int, high: int | None) -> str:
    return f"Size must be between {low} and {high}" if high else f"Size must be {low} or more"


TYPE_MESSAGES = {
    "type_error.str": "Must be a string",
    "value_error.strictbool": "Must be a boolean",
    "type_error.integer": "Must be an integer",
    "type_error.float": "Must be a number",
    "type_error.list": "Must be an array",
    "type_error.dict": "Must be an object",
}
BOUND_MESSAGES = {  # pydantic's error family -> LINE's wording, the constraints it reads
    "value_error.list.": ("Size must be between {} and {}", "min_items", "max_items"),
    "value_error.any_str.": ("Length must be between {} and {}", "min_length", "max_length"),
    "value_error.number.": ("Must be between {} and {}", "ge", "le"),
}


def _scalar(model, field, item, prop: str) -> list[dict]:
    """A property of plain values, judged by the model's own field (type, bounds, enum)."""
    _, problem = field.validate(item, {}, loc=field.alias, cls=model)
    if not problem:
        return []
    errors, named = [], set()
    for error in flatten_errors([problem], model.__config__):
        inside = error["loc"][1:]  # the item of a list, when the list itself is fine
        where = prop + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in inside)
        constrained = field.sub_fields[0].outer_type_ if inside else field.outer_type_
        if where not in named:  # a union (number: float or int) fails once per member
            named.add(where)
            errors.append(detail(_wording(error, constrained), where))
    return errors


def _wording(error: dict, constrained) -> str:
    """pydantic's error as LINE words it (its reference shows "Must be one of the following
    values: [...]", "Size must be between 1 and 5", "Length must be between 0 and 20")."""
    kind = error["type"]
    if kind in TYPE_MESSAGES:
        return TYPE_MESSAGES[kind]
    for family, (wording, low, high) in BOUND_MESSAGES.items():
        if kind.startswith(family) and getattr(constrained, high, None) is not None:
            return wording.format(getattr(constrained, low, None) or 0, getattr(constrained, high))
    enum = re.fullmatch(r"must be one of enum values (\(.*\))", error["msg"])
    if enum:
        values = ", ".join(ast.literal_eval(enum[1]))
        return f"Must be one of the following values: [{values}]"
    return error["msg"][:1].upper() + error["msg"][1:]


# 2. LINE's documented limits the description leaves out -----------------------------------
#
# Each rule takes (object, its property path, trail of model names) and returns details.

RULES: dict[str, list] = {"*": []}


def rule(*models: str):
    def register(check):
        for name in models:
            RULES.setdefault(name, []).append(check)
        return check

    return register


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _length(value, high: int, prop: str, *, count=utf16_len, low: int = 0) -> list[dict]:
    """LINE counts text in UTF-16 code units, but labels, action texts, template texts and
    titles in grapheme clusters (a Thai consonant with its vowel and tone marks is one):
    https://developers.line.biz/en/docs/messaging-api/text-character-count/"""
    if isinstance(value, str) and not low <= count(value) <= high:
        return [detail(f"Length must be between {low} and {high}", prop)]
    return []


def _required(obj: dict, prop: str, *keys: str) -> list[dict]:
    return [detail("Must be specified", _join(prop, k)) for k in keys if obj.get(k) is None]


def _count(items, low: int, high: int, prop: str) -> list[dict]:
    if isinstance(items, list) and not low <= len(items) <= high:
        return [detail(f"Size must be between {low} and {high}", prop)]
    return []


URI_PROPERTIES = {
    "uri",
    "linkUri",
    "url",
    "previewUrl",
    "imageUrl",
    "iconUrl",
    "baseUrl",
    "thumbnailImageUrl",
    "originalContentUrl",
    "previewImageUrl",
}
MEDIA_PROPERTIES = URI_PROPERTIES - {"uri", "linkUri"}


@rule("*")
def _uris(obj: dict, prop: str, trail: tuple) -> list[dict]:
    """The description declares these properties `format: uri` (RFC 3986: a scheme, and no
    spaces or control characters), which the SDK does not check; media must be HTTPS, at most
    2,000 characters (#image-message, #flex-image, #items-object and the like)."""
    errors = []
    for key in [k for k in obj if k in URI_PROPERTIES]:
        value, where = obj[key], _join(prop, key)
        if not isinstance(value, str):
            continue
        if not urlsplit(value).scheme or re.search(r"[\s\x00-\x1f\x7f]", value):
            errors.append(detail("Must be a valid URI", where))
        elif key in MEDIA_PROPERTIES:
            parts = urlsplit(value)
            if parts.scheme != "https" and not (
                parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
            ):
                errors.append(detail("Must be a valid HTTPS URL", where))
            errors += _length(value, 2000, where)
    return errors


# Messages (#message-objects) --------------------------------------------------------------


@rule("TextMessage", "TextMessageV2")
def _text(obj, prop, trail):  # #text-message, #text-message-v2
    return _length(obj.get("text"), 5000, _join(prop, "text"), low=1)


@rule("LocationMessage")
def _location(obj, prop, trail):  # #location-message
    return _length(obj.get("title"), 100, _join(prop, "title")) + _length(
        obj.get("address"), 100, _join(prop, "address")
    )


@rule("ImagemapMessage", "FlexMessage")
def _alt_text_1500(obj, prop, trail):  # #imagemap-message, #flex-message
    return _length(obj.get("altText"), 1500, _join(prop, "altText"), low=1)


@rule("TemplateMessage")
def _alt_text_400(obj, prop, trail):  # #template-messages
    return _length(obj.get("altText"), 400, _join(prop, "altText"), low=1)


@rule("FlexMessage")
def _flex_size(obj, prop, trail):
    """A bubble is at most 30 KB, a carousel 50 KB and 12 bubbles (#f-bubble, #f-carousel)."""
    contents = obj.get("contents")
    if not isinstance(contents, dict):
        return []
    size = len(json.dumps(contents, ensure_ascii=False, separators=(",", ":")).encode())
    where = _join(prop, "contents")
    if contents.get("type") == "bubble" and size > 30 * 1024:
        return [detail("The size of a bubble must be 30 KB or less", where)]
    if contents.get("type") == "carousel" and size > 50 * 1024:
        return [detail("The size of a carousel must be 50 KB or less", where)]
    return []


@rule("FlexCarousel")
def _flex_carousel(obj, prop, trail):
    return _count(obj.get("contents"), 1, 12, _join(prop, "contents"))


@rule("QuickReply")
def _quick_reply(obj, prop, trail):  # #quick-reply: 1 to 13 buttons
    return _required(obj, prop, "items") + _count(obj.get("items"), 1, 13, _join(prop, "items"))


@rule("QuickReplyItem")
def _quick_reply_item(obj, prop, trail):  # #items-object: type "action", an action
    errors = _required(obj, prop, "action")
    if obj.get("type") != "action":
        errors.append(detail("Must be one of the following values: [action]", _join(prop, "type")))
    return errors


# Templates (#template-messages): texts and titles count grapheme clusters -------------------


def _template_text(obj, prop, high: int, high_with_title: int) -> list[dict]:
    """Buttons and carousel texts are shorter when an image or a title is shown."""
    titled = obj.get("title") or obj.get("thumbnailImageUrl")
    limit = high_with_title if titled else high
    return _length(obj.get("title"), 40, _join(prop, "title"), count=graphemes) + _length(
        obj.get("text"), limit, _join(prop, "text"), count=graphemes, low=1
    )


@rule("ButtonsTemplate")
def _buttons(obj, prop, trail):  # #buttons
    return _template_text(obj, prop, 160, 60) + _count(
        obj.get("actions"), 1, 4, _join(prop, "actions")
    )


@rule("ConfirmTemplate")
def _confirm(obj, prop, trail):  # #confirm
    return _length(obj.get("text"), 240, _join(prop, "text"), count=graphemes, low=1) + _count(
        obj.get("actions"), 2, 2, _join(prop, "actions")
    )


@rule("CarouselColumn")
def _carousel_column(obj, prop, trail):  # #column-object-for-carousel
    return _template_text(obj, prop, 120, 60) + _count(
        obj.get("actions"), 1, 3, _join(prop, "actions")
    )


@rule("CarouselTemplate", "ImageCarouselTemplate")
def _carousel(obj, prop, trail):  # #carousel, #image-carousel: 1 to 10 columns
    columns = obj.get("columns")
    errors = _count(columns, 1, 10, _join(prop, "columns"))
    counts = {len(c["actions"]) for c in columns or [] if isinstance(c, dict) and "actions" in c}
    if len(counts) > 1:
        errors.append(
            detail("All columns must have the same number of actions", _join(prop, "columns"))
        )
    return errors


# Actions (#action-objects) ----------------------------------------------------------------

ACTIONS = (
    "PostbackAction",
    "MessageAction",
    "URIAction",
    "DatetimePickerAction",
    "CameraAction",
    "CameraRollAction",
    "LocationAction",
    "RichMenuSwitchAction",
    "ClipboardAction",
)
ONLY_IN = {  # action type -> the one place LINE lets it be used
    "camera": "quick reply",
    "cameraRoll": "quick reply",
    "location": "quick reply",
    "richmenuswitch": "rich menu",
}


def _place(prop: str, trail: tuple) -> str:
    """Where an action sits; ``trail`` ends with the action's own model, then its holder."""
    if "QuickReplyItem" in trail:
        return "quick reply"
    if "RichMenuArea" in trail:
        return "rich menu"
    if "ImageCarouselColumn" in trail:
        return "image carousel"
    if "FlexMessage" in trail:
        return "flex button" if trail[-2] == "FlexButton" else "flex"
    if "TemplateMessage" in trail and not prop.endswith("defaultAction"):
        return "template button"
    return "elsewhere"


LABELS = {  # place -> (label required, at most this many grapheme clusters)
    "quick reply": (True, 20),
    "template button": (True, 20),
    "image carousel": (False, 12),
    "rich menu": (False, 20),
    "flex button": (True, 40),
    "flex": (False, 40),
    "elsewhere": (False, 20),
}


@rule(*ACTIONS)
def _action(obj, prop, trail):
    """Where each action may be used, and its label ("label" under #action-objects)."""
    place, kind = _place(prop, trail), obj.get("type")
    if kind in ONLY_IN and ONLY_IN[kind] != place:
        return [
            detail(f"The {kind} action can only be used in a {ONLY_IN[kind]}", _join(prop, "type"))
        ]
    required, high = LABELS[place]
    errors = _required(obj, prop, "label") if required else []
    return errors + _length(obj.get("label"), high, _join(prop, "label"), count=graphemes)


@rule("PostbackAction")
def _postback(obj, prop, trail):  # #postback-action
    errors = _required(obj, prop, "data")
    for key in ("displayText", "text", "fillInText"):
        errors += _length(obj.get(key), 300, _join(prop, key), count=graphemes)
    if "displayText" in obj and "text" in obj:
        errors.append(detail("displayText and text cannot be used together", _join(prop, "text")))
    if _place(prop, trail) == "quick reply":
        errors += _required(obj, prop, "displayText")
    return errors


@rule("MessageAction")
def _message_action(obj, prop, trail):  # #message-action
    return _required(obj, prop, "text") + _length(
        obj.get("text"), 300, _join(prop, "text"), count=graphemes
    )


@rule("URIAction")
def _uri_action(obj, prop, trail):  # #uri-action: http, https, line or tel, 1,000 characters
    uri, where = obj.get("uri"), _join(prop, "uri")
    errors = _required(obj, prop, "uri") + _length(uri, 1000, where, low=1)
    scheme = urlsplit(uri).scheme if isinstance(uri, str) else ""
    if scheme and scheme not in {"http", "https", "line", "tel"}:  # none: _uris says so
        errors.append(detail("Invalid URI scheme", where))
    return errors


@rule("DatetimePickerAction")
def _datetime_picker(obj, prop, trail):  # #datetime-picker-action
    return _required(obj, prop, "data", "mode")


@rule("RichMenuSwitchAction")
def _rich_menu_switch(obj, prop, trail):  # #richmenu-switch-action
    return _required(obj, prop, "richMenuAliasId", "data")


# Rich menus (#rich-menu-object) and the loading animation -----------------------------------


@rule("RichMenuRequest")
def _rich_menu(obj, prop, trail):
    """Every property is required; 800 to 2,500 pixels wide, at least 250 high, width / height
    at least 1.45; 1 to 20 areas, each inside the menu."""
    errors = _required(obj, prop, "size", "selected", "name", "chatBarText", "areas")
    size = obj.get("size") if isinstance(obj.get("size"), dict) else {}
    width, height = size.get("width"), size.get("height")
    if isinstance(width, int) and not 800 <= width <= 2500:
        errors.append(detail("Must be between 800 and 2500", "size.width"))
    if isinstance(height, int) and height < 250:
        errors.append(detail("Must be 250 or more", "size.height"))
    elif isinstance(width, int) and isinstance(height, int) and width / height < 1.45:
        errors.append(detail("The aspect ratio (width / height) must be 1.45 or more", "size"))
    areas = obj.get("areas") if isinstance(obj.get("areas"), list) else []
    errors += _count(obj.get("areas"), 1, 20, "areas")
    for index, area in enumerate(areas):
        if isinstance(area, dict):
            errors += _area(area, f"areas[{index}]", width, height)
    return errors


def _area(area: dict, prop: str, width, height) -> list[dict]:
    errors = _required(area, prop, "bounds", "action")
    bounds = area.get("bounds") if isinstance(area.get("bounds"), dict) else {}
    box = [bounds.get(key) for key in ("x", "y", "width", "height")]
    if not bounds or not all(isinstance(n, int) for n in box):
        return errors + (
            _required(bounds, f"{prop}.bounds", "x", "y", "width", "height") if bounds else []
        )
    if not (
        isinstance(width, int)
        and isinstance(height, int)
        and box[0] + box[2] <= width
        and box[1] + box[3] <= height
    ):
        errors.append(detail("The area must be inside the rich menu", f"{prop}.bounds"))
    return errors


@rule("ShowLoadingAnimationRequest")
def _loading(obj, prop, trail):  # #display-a-loading-indicator: a multiple of 5 seconds
    seconds = obj.get("loadingSeconds")
    if isinstance(seconds, int) and seconds % 5:
        return [detail("Must be a multiple of 5 between 5 and 60", "loadingSeconds")]
    return []


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
