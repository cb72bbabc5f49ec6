"""The LINE stand-in answers the real SDK the way LINE does: what the bot sends is recorded,
LINE's limits and error answers hold, and failures can be injected."""

import base64
import io
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3
from django.conf import settings
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    CreateRichMenuAliasRequest,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
    UpdateRichMenuAliasRequest,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import AccountLinkEvent, FollowEvent, MessageEvent, PostbackEvent
from PIL import Image
from pydantic.v1 import ValidationError

from line_integration.client import messaging_api, messaging_api_blob
from line_integration.standin import events, start_standin
from tests.line_integration.support import raw_call


def push(api, to: str, text: str = "สวัสดีครับ", retry_key: str | None = None):
    request = PushMessageRequest(to=to, messages=[TextMessage(text=text)])
    return api.push_message(
        request, x_line_retry_key=retry_key, _request_timeout=settings.LINE_HTTP_TIMEOUT
    )


def error_body(exc: ApiException) -> dict:
    return json.loads(exc.body)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#0b5394").save(out, "PNG")
    return out.getvalue()


class WebhookCatcher:
    """A stand-in for our own webhook view: records what LINE posted, answers 200."""

    def __init__(self):
        caught = self.caught = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                caught.append((body, self.headers["X-Line-Signature"]))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/line/webhook/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def events(self) -> list[dict]:
        return [event for body, _ in self.caught for event in json.loads(body)["events"]]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def citizen(line_standin):
    return line_standin.state.add_user(display_name="สมหญิง ใจดี")


@pytest.fixture
def webhook(line_standin):
    catcher = WebhookCatcher()
    line_standin.state.webhook_url = catcher.url
    yield catcher
    catcher.close()


# Sending messages ------------------------------------------------------------------------


def test_push_is_delivered_and_recorded(line_standin, citizen):
    key = str(uuid.uuid4())
    with messaging_api() as api:
        response = api.push_message_with_http_info(
            PushMessageRequest(to=citizen["userId"], messages=[TextMessage(text="รับเรื่องแล้ว")]),
            x_line_retry_key=key,
            _request_timeout=settings.LINE_HTTP_TIMEOUT,
        )

    assert response.status_code == 200
    assert response.headers["x-line-request-id"]
    assert len(response.data.sent_messages) == 1
    delivered = line_standin.state.deliveries(citizen["userId"])
    assert [(d["via"], d["message"]["text"]) for d in delivered] == [("push", "รับเรื่องแล้ว")]
    assert delivered[0]["id"] == response.data.sent_messages[0].id
    [logged] = line_standin.state.requests("/v2/bot/message/push")
    assert (logged["status"], logged["retryKey"]) == (200, key)
    assert logged["body"]["to"] == citizen["userId"]


def test_wrong_access_token_is_refused_with_401(line_standin, citizen, settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = "not-the-channel-token"
    with messaging_api() as api, pytest.raises(ApiException) as raised:
        push(api, citizen["userId"])

    assert raised.value.status == 401
    assert error_body(raised.value)["message"].startswith("Authentication failed")
    assert line_standin.state.deliveries() == []


def test_push_to_a_user_line_does_not_know_fails(line_standin):
    with messaging_api() as api, pytest.raises(ApiException) as raised:
        push(api, "U" + "0" * 32)

    assert raised.value.status == 400
    assert error_body(raised.value) == {"message": "Failed to send messages"}


def test_message_limits_are_lines(line_standin, citizen):
    too_long = {"type": "text", "text": "ก" * 5001}
    flex = {
        "type": "flex",
        "altText": "ข" * 1501,
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": []},
        },
    }
    status, body = raw_call(
        line_standin,
        "POST",
        "/v2/bot/message/push",
        {"to": citizen["userId"], "messages": [too_long, flex]},
    )

    assert status == 400
    assert body["message"] == "The request body has 2 error(s)"
    assert [d["property"] for d in body["details"]] == ["messages[0].text", "messages[1].altText"]
    status, body = raw_call(
        line_standin,
        "POST",
        "/v2/bot/message/push",
        {"to": citizen["userId"], "messages": [{"type": "text", "text": "x"}] * 6},
    )
    assert (status, body["details"][0]["property"]) == (400, "messages")
    assert line_standin.state.deliveries() == []


def test_flex_bubble_over_30_kb_is_refused(line_standin, citizen):
    texts = [{"type": "text", "text": "ข้อความ" * 100} for _ in range(60)]
    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": texts}}
    status, body = raw_call(
        line_standin,
        "POST",
        "/v2/bot/message/push",
        {
            "to": citizen["userId"],
            "messages": [{"type": "flex", "altText": "ข่าว", "contents": bubble}],
        },
    )

    assert status == 400
    assert body["details"][0]["message"] == "The size of a bubble must be 30 KB or less"


def test_multicast_takes_at_most_500_recipients(line_standin):
    users = [line_standin.state.add_user(display_name=f"ผู้ใช้ {i}") for i in range(3)]
    recipients = [u["userId"] for u in users] + [events.new_user_id() for _ in range(497)]
    with messaging_api() as api:
        api.multicast(
            MulticastRequest(to=recipients, messages=[TextMessage(text="ประกาศ")]),
            _request_timeout=settings.LINE_HTTP_TIMEOUT,
        )
        with pytest.raises(ValidationError):  # the SDK itself refuses a 501st recipient
            MulticastRequest(
                to=recipients + [events.new_user_id()], messages=[TextMessage(text="ประกาศ")]
            )

    status, body = raw_call(
        line_standin,
        "POST",
        "/v2/bot/message/multicast",
        {"to": recipients + [events.new_user_id()], "messages": [{"type": "text", "text": "x"}]},
    )
    assert status == 400
    assert body["details"] == [{"message": "Size must be between 1 and 500", "property": "to"}]
    for user in users:
        assert [d["message"]["text"] for d in line_standin.state.deliveries(user["userId"])] == [
            "ประกาศ"
        ]


# Retry keys and injected failures --------------------------------------------------------


def test_same_retry_key_twice_answers_409_and_delivers_once(line_standin, citizen):
    key = str(uuid.uuid4())
    with messaging_api() as api:
        first = push(api, citizen["userId"], retry_key=key)
        with pytest.raises(ApiException) as raised:
            push(api, citizen["userId"], retry_key=key)

    assert raised.value.status == 409
    body = error_body(raised.value)
    assert body["message"] == "The retry key is already accepted"
    assert body["sentMessages"][0]["id"] == first.sent_messages[0].id
    assert len(line_standin.state.deliveries(citizen["userId"])) == 1


def test_retry_key_must_be_a_uuid(line_standin, citizen):
    with messaging_api() as api, pytest.raises(ApiException) as raised:
        push(api, citizen["userId"], retry_key="send-42")

    assert raised.value.status == 400
    assert line_standin.state.deliveries() == []


def test_injected_500_three_times_then_success(line_standin, citizen):
    line_standin.state.inject("/v2/bot/message/push", status=500, times=3)
    key, statuses = str(uuid.uuid4()), []
    with messaging_api() as api:
        for _ in range(4):
            try:
                push(api, citizen["userId"], retry_key=key)
                statuses.append(200)
            except ApiException as exc:
                statuses.append(exc.status)

    assert statuses == [500, 500, 500, 200]
    assert len(line_standin.state.deliveries(citizen["userId"])) == 1
    assert [r["fault"] for r in line_standin.state.requests("/v2/bot/message/push")] == [
        "status 500",
        "status 500",
        "status 500",
        None,
    ]


def test_429_carries_lines_body(line_standin, citizen):
    line_standin.state.inject("/v2/bot/message/push", status=429)
    with messaging_api() as api, pytest.raises(ApiException) as raised:
        push(api, citizen["userId"])

    assert raised.value.status == 429
    assert error_body(raised.value) == {"message": "Too Many Requests"}


def test_timeout_fault_makes_the_client_give_up_within_its_timeout(line_standin, citizen):
    line_standin.state.inject("/v2/bot/message/push", timeout=True)
    started = time.monotonic()
    with messaging_api() as api, pytest.raises(urllib3.exceptions.TimeoutError):
        push(api, citizen["userId"], retry_key=str(uuid.uuid4()))

    assert time.monotonic() - started < settings.LINE_HTTP_TIMEOUT + 1
    assert line_standin.state.deliveries() == []
    assert line_standin.state.requests("/v2/bot/message/push")[0]["answered"] is False


def test_accepted_then_timed_out_push_answers_409_on_retry(line_standin, citizen):
    line_standin.state.inject("/v2/bot/message/push", accept_then_timeout=True)
    key = str(uuid.uuid4())
    with messaging_api() as api:
        with pytest.raises(urllib3.exceptions.TimeoutError):
            push(api, citizen["userId"], retry_key=key)
        with pytest.raises(ApiException) as raised:
            push(api, citizen["userId"], retry_key=key)

    assert raised.value.status == 409
    assert len(line_standin.state.deliveries(citizen["userId"])) == 1


def test_latency_delays_every_answer(line_standin, citizen):
    line_standin.state.latency_ms = 300
    started = time.monotonic()
    with messaging_api() as api:
        push(api, citizen["userId"])

    assert time.monotonic() - started >= 0.3


def test_faults_and_users_can_be_driven_over_http(line_standin):
    def control(method, path, body=None):
        return raw_call(line_standin, method, "/__standin/" + path, body)

    status, user = control("POST", "users", {"displayName": "ทดสอบ", "following": True})
    assert status == 201 and user["userId"].startswith("U") and len(user["userId"]) == 33
    assert control("POST", "faults", {"path": "/v2/bot/message/push", "status": 503})[0] == 201
    with messaging_api() as api, pytest.raises(ApiException) as raised:
        push(api, user["userId"])
    assert raised.value.status == 503
    with messaging_api() as api:
        push(api, user["userId"], text="รอบสอง")

    status, chat = control("GET", f"chats?user={user['userId']}")
    assert [m["message"]["text"] for m in chat["messages"]] == ["รอบสอง"]
    status, logged = control("GET", "requests?path=/v2/bot/message/push")
    assert [r["status"] for r in logged] == [503, 200]
    assert control("POST", "reset")[0] == 200
    assert control("GET", "users")[1] == []


# Replies ---------------------------------------------------------------------------------


def test_reply_token_works_once(line_standin, citizen):
    event = line_standin.state.new_event("message", citizen["userId"], text="สวัสดี")
    request = ReplyMessageRequest(
        reply_token=event["replyToken"], messages=[TextMessage(text="สวัสดีค่ะ")]
    )
    with messaging_api() as api:
        api.reply_message(request, _request_timeout=settings.LINE_HTTP_TIMEOUT)
        with pytest.raises(ApiException) as raised:
            api.reply_message(request, _request_timeout=settings.LINE_HTTP_TIMEOUT)

    assert raised.value.status == 400
    assert error_body(raised.value) == {"message": "Invalid reply token"}
    chat = line_standin.state.chat(citizen["userId"])
    assert [(m["direction"], m.get("text") or m["message"]["text"]) for m in chat] == [
        ("user", "สวัสดี"),
        ("bot", "สวัสดีค่ะ"),
    ]


def test_unknown_or_expired_reply_token_is_invalid(line_standin, citizen):
    line_standin.state.reply_token_ttl = 0.0
    event = line_standin.state.new_event("postback", citizen["userId"], data="menu=track")
    time.sleep(0.01)
    with messaging_api() as api:
        for token in (event["replyToken"], events.new_reply_token()):
            request = ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="x")])
            with pytest.raises(ApiException) as raised:
                api.reply_message(request, _request_timeout=settings.LINE_HTTP_TIMEOUT)
            assert raised.value.status == 400
    assert line_standin.state.deliveries() == []


# Users, account linking, content ---------------------------------------------------------


def test_profile_and_loading_animation(line_standin, citizen):
    with messaging_api() as api:
        profile = api.get_profile(citizen["userId"], _request_timeout=settings.LINE_HTTP_TIMEOUT)
        api.show_loading_animation(
            ShowLoadingAnimationRequest(chat_id=citizen["userId"], loading_seconds=5),
            _request_timeout=settings.LINE_HTTP_TIMEOUT,
        )
        with pytest.raises(ApiException) as raised:
            api.get_profile(events.new_user_id(), _request_timeout=settings.LINE_HTTP_TIMEOUT)

    assert (profile.display_name, profile.language) == ("สมหญิง ใจดี", "th")
    assert raised.value.status == 404


def test_image_a_user_sent_can_be_downloaded(line_standin, citizen):
    photo = png(40, 30)
    event = line_standin.state.new_event(
        "image", citizen["userId"], image=photo, content_type="image/png"
    )
    with messaging_api_blob() as blob:
        content = blob.get_message_content(
            event["message"]["id"], _request_timeout=settings.LINE_HTTP_TIMEOUT
        )

    assert bytes(content) == photo


def test_account_link_page_sends_the_link_event_once(line_standin, citizen, webhook):
    with messaging_api() as api:
        token = api.issue_link_token(
            citizen["userId"], _request_timeout=settings.LINE_HTTP_TIMEOUT
        ).link_token
    url = f"{settings.LINE_ACCESS_HOST}/dialog/bot/accountLink?linkToken={token}&nonce=abc123"
    with urllib.request.urlopen(url, timeout=5) as page:
        html = page.read().decode()
    with pytest.raises(urllib.error.HTTPError) as again:
        urllib.request.urlopen(url, timeout=5)

    assert "เชื่อมต่อบัญชีเรียบร้อย กลับไปที่ LINE" in html
    assert again.value.code == 400
    first, second = webhook.events()
    assert first["link"] == {"result": "ok", "nonce": "abc123"} and "replyToken" in first
    assert second["link"]["result"] == "failed" and "replyToken" not in second
    assert first["source"] == {"type": "user", "userId": citizen["userId"]}


# Webhook events --------------------------------------------------------------------------


def test_built_webhook_verifies_with_the_sdk_parser_and_not_with_a_wrong_secret():
    user_id = events.new_user_id()
    built = [
        events.build_event("message", user_id=user_id, text="แจ้งเรื่อง"),
        events.build_event("postback", user_id=user_id, data="menu=news"),
        events.build_event("follow", user_id=user_id),
        events.build_event("accountLink", user_id=user_id, nonce="n-1"),
    ]
    body = events.webhook_body(built, destination="U" + "d" * 32).decode()
    signature = events.sign(body.encode(), "channel-secret")

    parsed = WebhookParser("channel-secret").parse(body, signature)
    assert [type(e) for e in parsed] == [MessageEvent, PostbackEvent, FollowEvent, AccountLinkEvent]
    assert parsed[0].message.text == "แจ้งเรื่อง"
    assert parsed[1].postback.data == "menu=news"
    assert len(parsed[0].webhook_event_id) == 26
    assert parsed[0].delivery_context.is_redelivery is False
    with pytest.raises(InvalidSignatureError):
        WebhookParser("another-secret").parse(body, signature)


def test_send_posts_a_signed_event_to_the_webhook(line_standin, citizen, webhook):
    status, result = raw_call(
        line_standin,
        "POST",
        "/__standin/send",
        {"userId": citizen["userId"], "type": "message", "text": "ถนนชำรุด"},
    )

    assert status == 200 and result["webhook"]["status"] == 200
    [(body, signature)] = webhook.caught
    [event] = WebhookParser(settings.LINE_CHANNEL_SECRET).parse(body.decode(), signature)
    assert event.message.text == "ถนนชำรุด"
    with messaging_api() as api:  # its reply token is one the stand-in accepts
        api.reply_message(
            ReplyMessageRequest(
                reply_token=event.reply_token, messages=[TextMessage(text="รับทราบ")]
            ),
            _request_timeout=settings.LINE_HTTP_TIMEOUT,
        )
    assert line_standin.state.deliveries(citizen["userId"])[0]["via"] == "reply"


def test_unfollow_stops_delivery_and_redelivery_is_flagged(line_standin, citizen, webhook):
    line_standin.state.send("unfollow", citizen["userId"])
    with messaging_api() as api:
        push(api, citizen["userId"])  # LINE accepts it, the user never sees it
    first = webhook.events()[0]
    line_standin.state.redeliver(first["webhookEventId"])

    assert line_standin.state.deliveries(citizen["userId"]) == []
    again = webhook.events()[1]
    assert again["webhookEventId"] == first["webhookEventId"]
    assert again["deliveryContext"]["isRedelivery"] is True


def test_simulated_image_message_over_http(line_standin, citizen, webhook):
    photo = png(20, 20)
    status, result = raw_call(
        line_standin,
        "POST",
        "/__standin/send",
        {
            "userId": citizen["userId"],
            "type": "image",
            "contentType": "image/png",
            "image": base64.b64encode(photo).decode(),
        },
    )

    assert status == 200
    message_id = webhook.events()[0]["message"]["id"]
    assert line_standin.state.contents[message_id] == (photo, "image/png")


# Rich menus ------------------------------------------------------------------------------


def menu_request(name: str = "ทดสอบ") -> RichMenuRequest:
    return RichMenuRequest.from_dict(
        {
            "size": {"width": 800, "height": 270},
            "selected": False,
            "name": name,
            "chatBarText": "เมนู",
            "areas": [
                {
                    "bounds": {"x": 0, "y": 0, "width": 800, "height": 270},
                    "action": {"type": "postback", "data": "menu=news"},
                }
            ],
        }
    )


def test_rich_menu_round_trip(line_standin, citizen):
    t = {"_request_timeout": settings.LINE_HTTP_TIMEOUT}
    with messaging_api() as api, messaging_api_blob() as blob:
        menu_id = api.create_rich_menu(menu_request(), **t).rich_menu_id
        with pytest.raises(ApiException) as no_image:
            api.set_default_rich_menu(menu_id, **t)
        with pytest.raises(ApiException) as wrong_size:
            blob.set_rich_menu_image(
                menu_id, png(800, 400), _headers={"Content-Type": "image/png"}, **t
            )
        blob.set_rich_menu_image(
            menu_id, png(800, 270), _headers={"Content-Type": "image/png"}, **t
        )
        with pytest.raises(ApiException) as second_upload:
            blob.set_rich_menu_image(
                menu_id, png(800, 270), _headers={"Content-Type": "image/png"}, **t
            )
        api.set_default_rich_menu(menu_id, **t)
        other_id = api.create_rich_menu(menu_request("อีกเมนู"), **t).rich_menu_id
        blob.set_rich_menu_image(
            other_id, png(800, 270), _headers={"Content-Type": "image/png"}, **t
        )
        api.link_rich_menu_id_to_user(citizen["userId"], other_id, **t)
        api.create_rich_menu_alias(
            CreateRichMenuAliasRequest(rich_menu_alias_id="citizen-menu", rich_menu_id=menu_id), **t
        )
        api.update_rich_menu_alias(
            "citizen-menu", UpdateRichMenuAliasRequest(rich_menu_id=other_id), **t
        )

        assert api.get_default_rich_menu_id(**t).rich_menu_id == menu_id
        assert api.get_rich_menu_id_of_user(citizen["userId"], **t).rich_menu_id == other_id
        assert api.get_rich_menu_alias("citizen-menu", **t).rich_menu_id == other_id
        assert [a.rich_menu_alias_id for a in api.get_rich_menu_alias_list(**t).aliases] == [
            "citizen-menu"
        ]
        assert {m.name for m in api.get_rich_menu_list(**t).richmenus} == {"ทดสอบ", "อีกเมนู"}
        assert api.get_rich_menu(menu_id, **t).chat_bar_text == "เมนู"
        assert bytes(blob.get_rich_menu_image(menu_id, **t)) == png(800, 270)
        assert line_standin.state.effective_rich_menu(citizen["userId"])["name"] == "อีกเมนู"

        api.unlink_rich_menu_id_from_user(citizen["userId"], **t)
        assert line_standin.state.effective_rich_menu(citizen["userId"])["name"] == "ทดสอบ"
        api.delete_rich_menu_alias("citizen-menu", **t)
        api.delete_rich_menu(menu_id, **t)
        with pytest.raises(ApiException) as gone:
            api.get_default_rich_menu_id(**t)

    assert no_image.value.status == 400
    assert "size" in error_body(wrong_size.value)["message"]
    assert error_body(second_upload.value)["message"] == (
        "An image has already been uploaded to the richmenu"
    )
    assert gone.value.status == 404


def test_rich_menu_outside_lines_limits_is_refused(line_standin):
    status, body = raw_call(
        line_standin,
        "POST",
        "/v2/bot/richmenu/validate",
        {
            "size": {"width": 2600, "height": 1686},
            "selected": True,
            "name": "x",
            "chatBarText": "เมนูสำหรับเจ้าหน้าที่",
            "areas": [],
        },
    )

    assert status == 400
    assert {d["property"] for d in body["details"]} == {"size.width", "chatBarText", "areas"}


def test_two_stand_ins_keep_separate_state():
    with start_standin() as one, start_standin() as two:
        one.state.add_user(display_name="หนึ่ง")
        assert two.state.users == {}
        assert one.url != two.url
