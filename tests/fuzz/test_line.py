"""Bad input on the LINE webhook (unsigned, wrongly signed, and correctly signed bodies that
are not what LINE sends) and on the citizen's link / unlink pages."""

import json
import socket

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from line_integration.models import LineAccount, LinkNonce, OutboundMessage, WebhookEvent
from line_integration.standin import start_standin
from line_integration.standin.events import sign
from tests.fuzz.strategies import (
    any_char,
    form_posts,
    hostile_text,
    json_values,
    raw_bodies,
)
from tests.fuzz.support import isolated, send, snapshot, submit

pytestmark = pytest.mark.django_db

WEBHOOK = reverse("line:webhook")
PORTS = range(24100, 24200)  # this sweep's own ports for the LINE stand-in
USER_ID = "U" + "f" * 32
WEBHOOK_ROWS = (WebhookEvent, OutboundMessage, LineAccount, LinkNonce)
POSTBACKS = (
    "menu=track",
    "menu=news",
    "menu=chat",
    "action=link",
    "chat=end",
    "chat=rate",
    "chat=rate&score=5",
    "chat=rate&score=999999999999",
    "menu=track&page=-1",
)
EVENT_TYPES = (
    "message",
    "follow",
    "unfollow",
    "postback",
    "accountLink",
    "join",
    "leave",
    "memberJoined",
    "beacon",
    "things",
    "unsend",
    "videoPlayComplete",
)
MESSAGE_TYPES = ("text", "image", "video", "audio", "file", "location", "sticker")
TEXTS = ("ติดตาม", "ติดตามเรื่อง 123", "ข่าว", "แชท", "สวัสดี", "NSN-2569-000001")


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 24100-24199")


@pytest.fixture
def standin(settings):
    """The LINE stand-in on one of this sweep's ports: replies and pushes the handlers make
    while the fuzzed events are processed go there, never to a server someone else runs."""
    server = start_standin(
        port=free_port(),
        access_token="fuzz-access-token",
        channel_secret=settings.LINE_CHANNEL_SECRET,
    )
    settings.LINE_API_HOST = server.url
    settings.LINE_API_DATA_HOST = server.url
    settings.LINE_ACCESS_HOST = server.url
    settings.LINE_CHANNEL_ACCESS_TOKEN = "fuzz-access-token"
    settings.LINE_HTTP_TIMEOUT = 1.0
    server.state.add_user(user_id=USER_ID, display_name="ผู้ทดสอบ")
    yield server
    server.stop()


def maybe(strategy):
    return st.one_of(strategy, strategy, json_values)


user_ids = st.one_of(st.just(USER_ID), hostile_text(oversized=False), json_values)


@st.composite
def events(draw):
    """An event shaped like LINE's, with any part missing, of the wrong type or hostile."""
    event = {
        "type": draw(st.one_of(st.sampled_from(EVENT_TYPES), hostile_text(oversized=False))),
        "mode": draw(st.sampled_from(["active", "standby", "", "x"])),
        "timestamp": draw(maybe(st.integers(min_value=-(2**70), max_value=2**70))),
        "source": draw(maybe(st.fixed_dictionaries({"type": st.just("user"), "userId": user_ids}))),
        "webhookEventId": draw(st.one_of(st.uuids().map(str), hostile_text(), json_values)),
        "deliveryContext": draw(maybe(st.fixed_dictionaries({"isRedelivery": st.booleans()}))),
        "replyToken": draw(maybe(st.text(max_size=40))),
        "message": draw(
            maybe(
                st.fixed_dictionaries(
                    {
                        "type": st.one_of(st.sampled_from(MESSAGE_TYPES), hostile_text()),
                        "id": maybe(st.integers().map(str)),
                        "text": st.one_of(st.sampled_from(TEXTS), hostile_text(), json_values),
                    }
                )
            )
        ),
        "postback": draw(
            maybe(
                st.fixed_dictionaries(
                    {
                        "data": st.one_of(st.sampled_from(POSTBACKS), hostile_text(), json_values),
                        "params": json_values,
                    }
                )
            )
        ),
        "link": draw(
            maybe(
                st.fixed_dictionaries(
                    {"result": st.sampled_from(["ok", "failed", ""]), "nonce": hostile_text()}
                )
            )
        ),
    }
    dropped = draw(st.sets(st.sampled_from(sorted(event)), max_size=4))
    return {key: value for key, value in event.items() if key not in dropped}


@st.composite
def webhook_bodies(draw) -> bytes:
    shape = draw(st.sampled_from(["events", "events", "events", "json", "raw", "text"]))
    if shape == "events":
        payload = {
            "destination": draw(st.one_of(st.just("U" + "d" * 32), json_values)),
            "events": draw(st.lists(st.one_of(events(), events(), json_values), max_size=4)),
        }
        text = json.dumps(payload, ensure_ascii=draw(st.booleans()), allow_nan=True)
        return text.encode("utf-8", "surrogatepass")
    if shape == "json":
        return json.dumps(draw(json_values), allow_nan=True).encode("utf-8", "surrogatepass")
    if shape == "text":
        return draw(st.text(any_char, max_size=200)).encode("utf-8", "surrogatepass")
    return draw(raw_bodies)


@given(
    body=webhook_bodies(),
    signing=st.sampled_from(["right", "right", "right", "none", "wrong", "garbled", "other"]),
    content_type=st.sampled_from(["application/json", "text/plain", "", "multipart/form-data"]),
)
def test_webhook(standin, body, signing, content_type):
    headers = {
        "right": {"X-Line-Signature": sign(body, django_settings.LINE_CHANNEL_SECRET)},
        "none": {},
        "wrong": {"X-Line-Signature": sign(body, "not-our-secret")},
        "garbled": {"X-Line-Signature": "\u0e01\u0e02 not base64 ==="},
        "other": {"X-Line-Signature": sign(body + b" ", django_settings.LINE_CHANNEL_SECRET)},
    }[signing]
    client = Client()
    with isolated(client):
        before = snapshot(*WEBHOOK_ROWS)
        response = send(
            client,
            "line:webhook",
            "POST",
            WEBHOOK,
            encoding="raw",
            raw=(body, content_type),
            headers=headers,
        )
        if signing != "right":
            assert response.status_code == 400
        if response.status_code != 200:
            assert snapshot(*WEBHOOK_ROWS) == before, "a refused webhook stored something"


@given(
    form=form_posts(["linkToken"], fixed={"linkToken": "fuzzLinkToken123"}),
    method=st.sampled_from(["GET", "POST"]),
)
def test_link(citizen_client, standin, form, method):
    with isolated(citizen_client):
        if method == "GET":
            send(citizen_client, "line:link", "GET", reverse("line:link"), form[0])
        else:
            submit(
                citizen_client,
                "line:link",
                reverse("line:link"),
                form,
                models=(LineAccount,),
                accepted=lambda r: r.status_code == 302,
            )


@pytest.fixture
def linked(citizen):
    return LineAccount.objects.create(line_user_id=USER_ID, user=citizen.user, followed=True)


@given(form=form_posts(["confirm", "next"]))
def test_unlink(citizen_client, linked, form):
    with isolated(citizen_client):
        submit(
            citizen_client,
            "line:unlink",
            reverse("line:unlink"),
            form,
            models=(LineAccount,),
            accepted=lambda r: r.status_code == 302,
        )
