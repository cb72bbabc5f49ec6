"""The citizen's live chats in "ข้อมูลของฉัน" (PDPA section 30): every conversation they can read
on their chat page, web or LINE, with its messages; officers only as "officer", pictures only
as kind and status, and nobody else's chat."""

import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from chat import services
from chat.models import ChatMessage, Conversation
from line_integration.models import LineAccount
from line_integration.standin.events import new_user_id
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.factories import jpeg_bytes

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("accounts:my_data_download")
PAGE = reverse("accounts:my_data")
Kind = ChatMessage.Kind


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


def link_line(user) -> LineAccount:
    return LineAccount.objects.create(
        line_user_id=new_user_id(), user=user, display_name="มาลี", followed=True, is_active=True
    )


def say(conversation, text="", **fields) -> ChatMessage:
    message, _created = services.citizen_message_receive(
        conversation=conversation, text=text, **fields
    )
    return message


def download(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    raw = response.content.decode()
    return json.loads(raw), raw


def test_download_holds_my_web_chat_with_officers_as_a_role_only(client, citizen, officer):
    conversation, _created = services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=citizen.user
    )
    say(conversation, "ไฟถนนหน้าบ้านดับมาหนึ่งสัปดาห์-MINE")
    services.conversation_take(conversation=conversation, officer=officer)
    services.officer_reply(
        conversation=conversation, officer=officer, text="รับทราบค่ะ จะแจ้งเทศบาลให้-REPLY"
    )
    say(conversation, kind=Kind.STICKER, sticker_package_id="446", sticker_id="1989")
    picture = say(conversation, kind=Kind.IMAGE, image_status=ChatMessage.ImageStatus.PENDING)
    services.store_image(message=picture, content=jpeg_bytes())
    picture.refresh_from_db()
    services.conversation_close(conversation=conversation, by=officer)
    services.conversation_rate(conversation=conversation, score=5, citizen=citizen.user)

    data, raw = download(client, citizen.user)

    [chat] = data["chat"]
    assert (chat["channel"], chat["status"], chat["rating"]) == ("web", "closed", 5)
    assert chat["opened_at"] and chat["closed_at"] and chat["rated_at"]
    said = [(m["sender"], m["kind"], m["text"]) for m in chat["messages"]]
    assert ("citizen", "text", "ไฟถนนหน้าบ้านดับมาหนึ่งสัปดาห์-MINE") in said
    assert ("officer", "text", "รับทราบค่ะ จะแจ้งเทศบาลให้-REPLY") in said
    assert ("citizen", "sticker", "[สติกเกอร์]") in said
    [image] = [m for m in chat["messages"] if m["kind"] == "image"]
    assert (image["image_status"], image["text"]) == ("ready", "")
    assert picture.image.name and picture.image.name not in raw and "chat/" not in raw
    for secret in ("วิไล", "ตั้งใจ", officer.username):
        assert secret not in raw, secret  # "วิไล ตั้งใจ รับเรื่องสนทนานี้" is for officers only


def test_download_holds_the_chat_my_line_account_started(client, citizen):
    account = link_line(citizen.user)
    conversation, _created = services.conversation_start(
        channel=Conversation.Channel.LINE, line_account=account
    )
    assert conversation.citizen_id is None  # begun in LINE before the site account was used
    say(conversation, "ถามเรื่องเบี้ยยังชีพผู้สูงอายุ-LINE")

    data, _raw = download(client, citizen.user)

    [chat] = data["chat"]
    assert chat["channel"] == "line" and chat["status"] == "open"
    assert "ถามเรื่องเบี้ยยังชีพผู้สูงอายุ-LINE" in [m["text"] for m in chat["messages"]]


def test_download_has_no_chat_of_anyone_else(client, citizen):
    mine, _created = services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=citizen.user
    )
    say(mine, "ของฉันเอง")
    neighbour = CitizenFactory()
    theirs, _created = services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=neighbour.user
    )
    say(theirs, "ความลับของเพื่อนบ้าน-OTHER")
    stranger = LineAccount.objects.create(line_user_id=new_user_id(), followed=True)
    line_only, _created = services.conversation_start(
        channel=Conversation.Channel.LINE, line_account=stranger
    )
    say(line_only, "คนแปลกหน้าใน LINE-STRANGER")

    data, raw = download(client, citizen.user)

    assert len(data["chat"]) == 1
    assert "ของฉันเอง" in raw
    assert "OTHER" not in raw and "STRANGER" not in raw


def test_page_counts_my_conversations(client, citizen):
    for _ in range(2):
        conversation, _created = services.conversation_start(
            channel=Conversation.Channel.WEB, citizen=citizen.user
        )
        services.conversation_close(conversation=conversation, by_citizen=True)
    client.force_login(citizen.user)

    html = client.get(PAGE).content.decode()

    assert "<dt>การสนทนากับเจ้าหน้าที่</dt>" in html
    assert f'<a href="{reverse("chat:conversation")}">2 ครั้ง</a>' in html
