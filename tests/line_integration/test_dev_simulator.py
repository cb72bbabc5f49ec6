"""The developer's phone simulator at /dev/line/: only with DEBUG and the stand-in, and its
same-origin proxy really reaches the stand-in."""

import json

import pytest
from django.conf import settings
from django.test import Client
from linebot.v3.messaging import PushMessageRequest, TextMessage

from line_integration import richmenu
from line_integration.client import messaging_api

pytestmark = [pytest.mark.urls("tests.line_integration.simulator_urls"), pytest.mark.django_db]


@pytest.fixture
def dev(settings, line_standin):
    settings.DEBUG = True
    settings.LINE_USE_STANDIN = True
    return line_standin


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_hidden_without_debug(client, line_standin, settings):
    settings.DEBUG = False
    assert client.get("/dev/line/").status_code == 404
    assert client.get("/dev/line/sent.json").status_code == 404


def test_hidden_when_talking_to_the_real_line(client, dev, settings):
    settings.LINE_USE_STANDIN = False
    assert client.get("/dev/line/api/users").status_code == 404


def test_page_is_a_thai_phone(client, dev):
    response = client.get("/dev/line/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "LINE จำลองสำหรับนักพัฒนา" in html
    assert 'id="sim-text"' in html and 'for="sim-text"' in html
    assert "js/line-simulator.js" in html


def test_a_created_user_talks_through_the_stand_in(client, dev):
    user = post_json(client, "/dev/line/api/users", {"displayName": "มานี"}).json()
    sent = post_json(
        client,
        "/dev/line/api/send",
        {"userId": user["userId"], "type": "message", "text": "มีเรื่องร้องเรียน"},
    )
    chat = client.get("/dev/line/api/chats", {"user": user["userId"]}).json()

    assert sent.status_code == 200
    assert sent.json()["event"]["message"]["text"] == "มีเรื่องร้องเรียน"
    assert dev.state.user(user["userId"])["displayName"] == "มานี"
    assert [m["text"] for m in chat["messages"]] == ["มีเรื่องร้องเรียน"]


def test_posts_need_the_csrf_token(dev):
    strict = Client(enforce_csrf_checks=True)
    response = post_json(strict, "/dev/line/api/users", {"displayName": "x"})

    assert response.status_code == 403
    assert dev.state.users == {}


def test_sent_json_lists_what_the_site_sent_to_line(client, dev):
    user = dev.state.add_user()
    with messaging_api() as api:
        api.push_message(
            PushMessageRequest(to=user["userId"], messages=[TextMessage(text="ok")]),
            _request_timeout=settings.LINE_HTTP_TIMEOUT,
        )

    logged = client.get("/dev/line/sent.json", {"path": "/v2/bot/message/push"}).json()

    assert [(r["method"], r["status"], r["body"]["to"]) for r in logged] == [
        ("POST", 200, user["userId"])
    ]


def test_rich_menu_image_comes_through_the_proxy(client, dev):
    menu_id = richmenu.sync_rich_menus()["citizen"]

    response = client.get(f"/dev/line/api/richmenu/{menu_id}.img")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == richmenu.draw_menu("citizen")


def test_stand_in_down_is_a_clear_502(client, dev, settings):
    dev.stop()
    response = client.get("/dev/line/api/users")

    assert response.status_code == 502
    assert "line_standin" in response.json()["message"]
