"""The stand-in judges request bodies as LINE does: by LINE's API description (through
line-bot-sdk v3's models, generated from it) and LINE's documented limits, so a message LINE
would refuse is refused here too, and one LINE accepts (`textV2`, `coupon`) goes through.

Each case sends a valid body, then the same body with one change, and expects the change alone
to be named in LINE's error body."""

import copy
import re

import pytest
from django.conf import settings
from linebot.v3.messaging import (
    MentionSubstitutionObject,
    PushMessageRequest,
    TextMessageV2,
    UserMentionTarget,
)

from complaints.line_handlers import carousel
from line_integration import messages as msg
from line_integration import richmenu
from line_integration.client import messaging_api
from tests.line_integration.support import raw_call

REMOVE = object()
LINK = "https://damrongdhama.example/complaints/track/"
TEXT = {"type": "text", "text": "เรื่องของท่านอยู่ระหว่างดำเนินการ"}
URI_ACTION = {"type": "uri", "label": "ดูรายละเอียด", "uri": LINK}
POSTBACK_ACTION = {
    "type": "postback",
    "label": "ติดตามเรื่อง",
    "data": "menu=track",
    "displayText": "ติดตามเรื่อง",
}
CAMERA_ACTION = {"type": "camera", "label": "ถ่ายรูป"}


def flex_with(*components: dict) -> dict:
    """A Flex bubble whose body holds the given components."""
    return {
        "type": "flex",
        "altText": "เรื่องของท่าน",
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": list(components)},
        },
    }


def button(action: dict) -> dict:
    return {"type": "button", "style": "primary", "action": action}


def buttons_template(actions: int = 4, *, text: str = "เลือกบริการ") -> dict:
    return {
        "type": "template",
        "altText": "บริการของศูนย์ดำรงธรรม",
        "template": {
            "type": "buttons",
            "title": "ศูนย์ดำรงธรรม",
            "text": text,
            "actions": [{**URI_ACTION, "label": f"บริการ {i}"} for i in range(actions)],
        },
    }


def carousel_template(columns: int) -> dict:
    column = {"title": "เรื่องร้องเรียน", "text": "ดูความคืบหน้า", "actions": [URI_ACTION]}
    return {
        "type": "template",
        "altText": "เรื่องร้องเรียนของท่าน",
        "template": {"type": "carousel", "columns": [column] * columns},
    }


def image_carousel(label: str) -> dict:
    return {
        "type": "template",
        "altText": "ข่าวสาร",
        "template": {
            "type": "image_carousel",
            "columns": [
                {
                    "imageUrl": "https://damrongdhama.example/media/news.jpg",
                    "action": {**URI_ACTION, "label": label},
                }
            ],
        },
    }


LOCATION = {
    "type": "location",
    "title": "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์",
    "address": "ศาลากลางจังหวัดนครสวรรค์ ถนนสวรรค์วิถี",
    "latitude": 15.7047,
    "longitude": 100.1372,
}
WITH_QUICK_REPLY = {
    **TEXT,
    "quickReply": {"items": [{"type": "action", "action": POSTBACK_ACTION}]},
}


def edited(body: dict, path: str, value) -> dict:
    """A copy of ``body`` with the property at ``path`` (LINE's notation, as in its error
    details: ``messages[0].contents.body.layout``) set to ``value``, appended when the index is
    just past a list's end, or removed."""
    body = copy.deepcopy(body)
    keys = [int(i) if i else name for name, i in re.findall(r"(\w+)|\[(\d+)\]", path)]
    node = body
    for key in keys[:-1]:
        node = node[key]
    if value is REMOVE:
        del node[keys[-1]]
    elif isinstance(node, list) and keys[-1] == len(node):
        node.append(value)
    else:
        node[keys[-1]] = value
    return body


def push_body(user_id: str, message: dict) -> dict:
    return {"to": user_id, "messages": [message], "notificationDisabled": True}


def case(message: dict, path: str, value, id: str, *, refused: str | None = None):
    """A valid message, the one change that makes LINE refuse it, and the property LINE names
    (the changed one unless told)."""
    return pytest.param(message, path, value, refused, id=id)


BUTTON_ACTION = "messages[0].contents.body.contents[0].action"
CASES = [
    case(flex_with(TEXT), "messages[0].contents.body.layout", REMOVE, "box-no-layout"),
    case(
        flex_with(TEXT),
        "messages[0].contents.body.contents[0].type",
        "marquee",
        "unknown-component",
    ),
    case(
        flex_with({**TEXT, "weight": "bold"}),
        "messages[0].contents.body.contents[0].weight",
        "heavy",
        "weight-heavy",
    ),
    case(flex_with(button(URI_ACTION)), BUTTON_ACTION, REMOVE, "button-no-action"),
    case(
        WITH_QUICK_REPLY,
        "messages[0].quickReply.items[0].type",
        "button",
        "quick-reply-item-not-action",
    ),
    case(
        flex_with(button(POSTBACK_ACTION)),
        f"{BUTTON_ACTION}.text",
        "ติดตามเรื่อง",
        "postback-displayText-and-text",
    ),
    case(flex_with(button(URI_ACTION)), f"{BUTTON_ACTION}.type", "camera", "camera-in-flex"),
    case(LOCATION, "messages[0].address", REMOVE, "location-no-address"),
    case(
        flex_with(button(URI_ACTION)),
        f"{BUTTON_ACTION}.uri",
        "https://damrongdhama.example/complaints/track me/",
        "uri-with-space",
    ),
    case(TEXT, "notificationDisabled", "true", "notificationDisabled-string"),
    case(
        WITH_QUICK_REPLY,
        "messages[0].quickReply.items[0].action.label",
        "ติดตามเรื่องร้องเรียนของท่าน",  # 22 grapheme clusters
        "quick-reply-label-over-20",
    ),
    case(
        image_carousel("ดูข่าว"),
        "messages[0].template.columns[0].action.label",
        "ดูรายละเอียดข่าวสาร",  # 16 characters: fine elsewhere, over 12 here
        "image-carousel-label-over-12",
    ),
    case(
        buttons_template(text="ข" * 60),
        "messages[0].template.text",
        "ข" * 61,  # within 160, but the template has a title
        "buttons-text-over-60-with-title",
    ),
    case(
        buttons_template(actions=4),
        "messages[0].template.actions[4]",
        {**URI_ACTION, "label": "บริการ 5"},
        "buttons-over-4-actions",
        refused="messages[0].template.actions",
    ),
    case(
        carousel_template(10),
        "messages[0].template.columns[10]",
        carousel_template(1)["template"]["columns"][0],
        "carousel-over-10-columns",
        refused="messages[0].template.columns",
    ),
]


@pytest.mark.parametrize(("message", "path", "value", "refused"), CASES)
def test_what_line_refuses_is_refused(line_standin, message, path, value, refused):
    user_id = line_standin.state.add_user(display_name="สมชาย ใจดี")["userId"]
    good = push_body(user_id, message)

    status, body = raw_call(line_standin, "POST", "/v2/bot/message/push", good)
    assert status == 200, body
    status, body = raw_call(line_standin, "POST", "/v2/bot/message/push", edited(good, path, value))

    assert status == 400
    assert body["message"] == "The request body has 1 error(s)"
    assert [d["property"] for d in body["details"]] == [refused or path]
    assert body["details"][0]["message"]
    assert len(line_standin.state.deliveries(user_id)) == 1  # only the valid push


def rich_menu(action: dict) -> dict:
    return {
        "size": {"width": 2500, "height": 843},
        "selected": False,
        "name": "เมนูประชาชน",
        "chatBarText": "เมนู",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843}, "action": action}],
    }


@pytest.mark.parametrize("path", ["/v2/bot/richmenu/validate", "/v2/bot/richmenu"])
def test_camera_action_in_a_rich_menu_is_refused(line_standin, path):
    assert raw_call(line_standin, "POST", path, rich_menu(POSTBACK_ACTION))[0] == 200
    status, body = raw_call(line_standin, "POST", path, rich_menu(CAMERA_ACTION))

    assert status == 400
    assert [d["property"] for d in body["details"]] == ["areas[0].action.type"]


TEXT_V2 = {
    "type": "textV2",
    "text": "เรียน {citizen} เรื่องของท่านได้รับการแก้ไขแล้ว",
    "substitution": {
        "citizen": {"type": "mention", "mentionee": {"type": "user", "userId": "U" + "a" * 32}}
    },
}


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(TEXT_V2, id="textV2"),
        pytest.param({"type": "coupon", "couponId": "01JYNW8JMQVFBNHD4TYSDJ5FC2"}, id="coupon"),
        pytest.param(
            {**TEXT, "quickReply": {"items": [{"type": "action", "action": CAMERA_ACTION}]}},
            id="camera-in-quick-reply",
        ),
        pytest.param(image_carousel("ดูรายละเอียด"), id="image-carousel-short-label"),
        pytest.param(
            edited(
                WITH_QUICK_REPLY,
                "quickReply.items[0].action.label",
                "ติดตามเรื่องร้องเรียน",  # 21 UTF-16 units, 16 grapheme clusters
            ),
            id="label-counted-in-grapheme-clusters",
        ),
        pytest.param(LOCATION, id="location"),
    ],
)
def test_what_line_accepts_is_delivered(line_standin, message):
    user_id = line_standin.state.add_user(display_name="สมหญิง ใจดี")["userId"]
    status, body = raw_call(
        line_standin, "POST", "/v2/bot/message/push", push_body(user_id, message)
    )

    assert status == 200, body
    [delivered] = line_standin.state.deliveries(user_id)
    assert delivered["message"] == message


def test_textV2_sent_through_the_sdk_arrives(line_standin):
    citizen = line_standin.state.add_user(display_name="สมหญิง ใจดี")
    message = TextMessageV2(
        text="{citizen} เรื่องของท่านได้รับการแก้ไขแล้ว",
        substitution={
            "citizen": MentionSubstitutionObject(
                mentionee=UserMentionTarget(user_id=citizen["userId"])
            )
        },
    )
    with messaging_api() as api:
        api.push_message(
            PushMessageRequest(to=citizen["userId"], messages=[message]),
            _request_timeout=settings.LINE_HTTP_TIMEOUT,
        )

    [delivered] = line_standin.state.deliveries(citizen["userId"])
    assert delivered["message"]["type"] == "textV2"


# Every body the stand-in takes is held to its SDK request model -------------------------


@pytest.mark.parametrize(
    ("path", "body", "prop"),
    [
        (
            "/v2/bot/message/broadcast",
            {"messages": [TEXT], "notificationDisabled": 1},
            "notificationDisabled",
        ),
        (
            "/v2/bot/message/multicast",
            {"to": ["U" + "1" * 32], "messages": [TEXT], "notificationDisabled": "no"},
            "notificationDisabled",
        ),
        (
            "/v2/bot/message/reply",
            {"replyToken": "x", "messages": [TEXT], "notificationDisabled": "no"},
            "notificationDisabled",
        ),
        ("/v2/bot/message/validate/push", {"messages": [{"type": "text"}]}, "messages[0].text"),
        (
            "/v2/bot/chat/loading/start",
            {"chatId": "U" + "1" * 32, "loadingSeconds": "5"},
            "loadingSeconds",
        ),
        (
            "/v2/bot/richmenu/alias",
            {"richMenuAliasId": "citizen-menu", "richMenuId": 7},
            "richMenuId",
        ),
        ("/v2/bot/richmenu/alias/citizen-menu", {}, "richMenuId"),
        ("/v2/bot/richmenu/bulk/link", {"userIds": ["U" + "1" * 32]}, "richMenuId"),
        ("/v2/bot/richmenu/bulk/unlink", {"userIds": "U" + "1" * 32}, "userIds"),
    ],
)
def test_each_endpoint_checks_its_body_against_the_sdk_model(line_standin, path, body, prop):
    status, answer = raw_call(line_standin, "POST", path, body)

    assert status == 400
    assert prop in [d["property"] for d in answer["details"]]


# What the site itself sends passes --------------------------------------------------------


def site_messages() -> list[dict]:
    track = msg.postback_action("ติดตามเรื่องร้องเรียน", "menu=track")
    news = msg.postback_action("ข่าวสาร", "menu=news")
    site = msg.uri_action("ดูเรื่องทั้งหมด", msg.site_url("/complaints/mine/"))
    bubble = msg.bubble(
        title="NSN-2569-000001",
        lines=["สถานะ: กำลังดำเนินการ", "หน่วยงาน: อำเภอเมืองนครสวรรค์"],
        buttons=[site, msg.uri_action("ประเมินความพึงพอใจ", msg.site_url("/rate/"))],
        quick_replies=[track, news, site],
    )
    return [
        msg.text("ยินดีต้อนรับสู่ศูนย์ดำรงธรรม", quick_replies=[track, news, site]),
        bubble,
        msg.bubble(title="ยังไม่มีเรื่องร้องเรียน"),
        carousel([bubble] * 13, alt_text="เรื่องร้องเรียนของท่าน", quick_replies=[site]),
    ]


def test_the_sites_own_messages_pass(line_standin):
    status, body = raw_call(
        line_standin, "POST", "/v2/bot/message/validate/push", {"messages": site_messages()}
    )

    assert (status, body) == (200, {})


@pytest.mark.parametrize("role", richmenu.ROLES)
def test_the_sites_rich_menus_pass(line_standin, role):
    menu = {**richmenu.menu_body(role), "name": f"{role} menu"}
    status, body = raw_call(line_standin, "POST", "/v2/bot/richmenu/validate", menu)

    assert (status, body) == (200, {})
