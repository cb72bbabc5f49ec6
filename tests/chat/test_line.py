"""Live chat from the citizen's side in LINE: the menu item opens a conversation, the bot keeps
quiet while it is open, officers' answers and the end of the chat reach LINE through the outbox."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from chat import hours, services
from chat.models import ChatMessage, Conversation, ServiceHoliday
from line_integration.models import LineAccount, OutboundMessage
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.line_integration.support import actions_of, bot_messages, post_events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def always_open(settings):
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"


@pytest.fixture
def closed_today():
    ServiceHoliday.objects.create(date=timezone.localdate(), name="วันหยุดทดสอบ")


@pytest.fixture
def line_user(line_standin):
    return line_standin.state.add_user(display_name="สมหญิง รักไทย", following=True)


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


def texts(state, user_id) -> list[str]:
    return [m["message"].get("text", "") for m in bot_messages(state, user_id)]


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_menu_item_opens_a_conversation_and_says_who_answers_when_and_how_to_end(
    send, line_standin, line_user
):
    send("postback", line_user["userId"], data="menu=chat")

    conversation = Conversation.objects.get()
    assert conversation.is_open
    assert conversation.channel == Conversation.Channel.LINE
    assert conversation.display_name == "สมหญิง รักไทย"
    [greeting] = bot_messages(line_standin.state, line_user["userId"])
    text = greeting["message"]["text"]
    assert "เจ้าหน้าที่" in text and "ตอบกลับ" in text
    assert "เวลา 00:00–24:00 น." in text
    assert "จบการสนทนา" in text
    assert {"type": "postback", "label": "จบการสนทนา", "data": "chat=end"}.items() <= (
        actions_of(greeting["message"])[0].items()
    )


def test_tapping_the_menu_again_continues_the_open_conversation(send, line_standin, line_user):
    send("postback", line_user["userId"], data="menu=chat")
    send("message", line_user["userId"], text="ถนนหน้าบ้านชำรุด")
    send("postback", line_user["userId"], data="menu=chat")

    conversation = Conversation.objects.get()
    assert conversation.messages.filter(sender="citizen").count() == 1
    assert "ยังเปิดอยู่" in texts(line_standin.state, line_user["userId"])[-1]


def test_bot_is_silent_during_a_chat_and_every_kind_of_message_waits_for_officers(
    send, line_standin, line_user
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    before = len(bot_messages(line_standin.state, user_id))

    send("message", user_id, text="สวัสดีครับ ขอคำปรึกษาเรื่องที่ดิน")
    send("sticker", user_id, package_id="446", sticker_id="1989")
    send("image", user_id, image=jpeg_bytes(), content_type="image/jpeg")

    assert len(bot_messages(line_standin.state, user_id)) == before  # no help menu, no reply
    conversation = Conversation.objects.get()
    text, sticker, image = conversation.messages.filter(sender="citizen")
    assert text.text == "สวัสดีครับ ขอคำปรึกษาเรื่องที่ดิน"
    assert (sticker.kind, sticker.sticker_package_id, sticker.sticker_id) == (
        "sticker",
        "446",
        "1989",
    )
    assert image.kind == "image"
    assert conversation.unread_count == 3
    assert conversation.waiting_since == text.created_at


def test_a_picture_is_fetched_from_line_checked_and_stored_privately(
    send, line_standin, line_user, settings
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    event = send("image", user_id, image=jpeg_bytes(), content_type="image/jpeg")

    image = ChatMessage.objects.get(kind="image")
    assert image.image_status == ChatMessage.ImageStatus.READY
    assert line_standin.state.requests(f"/v2/bot/message/{event['message']['id']}/content")
    assert image.image.storage.location == str(settings.PRIVATE_MEDIA_ROOT)
    assert not str(image.image.path).startswith(str(settings.MEDIA_ROOT) + "/")
    with image.image.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"


def test_a_file_that_is_not_a_picture_is_refused_and_not_kept(send, line_standin, line_user):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    send("image", user_id, image=b"MZ\x90\x00 not a picture", content_type="image/jpeg")

    image = ChatMessage.objects.get(kind="image")
    assert image.image_status == ChatMessage.ImageStatus.REFUSED
    assert not image.image


def test_when_line_cannot_hand_over_the_picture_it_is_retried_then_marked_failed(
    send, line_standin, line_user
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    line_standin.state.inject("/v2/bot/message/", status=404, times=1)
    send("image", user_id, image=jpeg_bytes(), content_type="image/jpeg")

    assert ChatMessage.objects.get(kind="image").image_status == ChatMessage.ImageStatus.FAILED


def test_outside_service_hours_the_citizen_is_told_when_to_expect_an_answer_once(
    send, line_standin, line_user, closed_today
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    greeting = texts(line_standin.state, user_id)[-1]
    assert "นอกเวลาทำการ" in greeting

    send("message", user_id, text="มีใครอยู่ไหมครับ")
    send("message", user_id, text="รอได้ครับ")

    notices = [t for t in texts(line_standin.state, user_id) if "เจ้าหน้าที่จะตอบกลับตั้งแต่" in t]
    assert len(notices) == 2  # in the greeting, then once for the messages
    opens = hours.next_service_start()
    assert opens.date() == timezone.localdate() + datetime.timedelta(days=1)
    assert f"{opens.year + 543}" in notices[-1]
    assert Conversation.objects.get().messages.filter(sender="citizen").count() == 2


def test_officer_answer_reaches_line_once_through_the_outbox(
    send, line_standin, line_user, officer, django_capture_on_commit_callbacks
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    send("message", user_id, text="ขอเบอร์ติดต่ออำเภอ")
    conversation = Conversation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        message = services.officer_reply(
            conversation=conversation, officer=officer, text="โทร 056-000000 ค่ะ"
        )

    assert texts(line_standin.state, user_id)[-1] == "เจ้าหน้าที่: โทร 056-000000 ค่ะ"
    row = OutboundMessage.objects.get(dedupe_key=f"chat:message:{message.pk}")
    assert row.status == OutboundMessage.Status.SENT
    conversation.refresh_from_db()
    assert conversation.assigned_to == officer
    assert conversation.waiting_since is None and conversation.unread_count == 0


def test_citizen_ends_the_chat_rates_it_and_the_bot_answers_again(send, line_standin, line_user):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    send("postback", user_id, data="chat=end")

    conversation = Conversation.objects.get()
    assert not conversation.is_open
    closing = bot_messages(line_standin.state, user_id)[-1]["message"]
    assert "สิ้นสุดแล้ว" in closing["text"]
    scores = [a["data"] for a in actions_of(closing)]
    assert scores == [f"chat=rate&c={conversation.pk}&s={n}" for n in (5, 4, 3, 2, 1)]

    send("postback", user_id, data=f"chat=rate&c={conversation.pk}&s=4")
    conversation.refresh_from_db()
    assert conversation.rating == 4
    assert "ขอบคุณ" in texts(line_standin.state, user_id)[-1]

    send("message", user_id, text="สวัสดี")
    assert "กรุณาเลือกเมนู" in texts(line_standin.state, user_id)[-1]  # the bot is back
    assert conversation.messages.filter(text="สวัสดี").count() == 0


def test_typing_the_end_words_also_ends_the_chat(send, line_standin, line_user):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    send("message", user_id, text=" จบการสนทนา ")
    assert not Conversation.objects.get().is_open


def test_officer_closes_and_the_citizen_is_told_with_rating_buttons(
    send, line_standin, line_user, officer, django_capture_on_commit_callbacks
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    conversation = Conversation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_close(conversation=conversation, by=officer)

    closing = bot_messages(line_standin.state, user_id)[-1]["message"]
    assert "สิ้นสุดแล้ว" in closing["text"]
    assert len(actions_of(closing)) == 5
    assert conversation.messages.last().text == "เจ้าหน้าที่จบการสนทนา"


def test_someone_elses_rating_button_changes_nothing(send, line_standin, line_user):
    other = line_standin.state.add_user(display_name="คนอื่น", following=True)
    send("postback", line_user["userId"], data="menu=chat")
    send("postback", line_user["userId"], data="chat=end")
    conversation = Conversation.objects.get()

    send("postback", other["userId"], data=f"chat=rate&c={conversation.pk}&s=1")
    conversation.refresh_from_db()
    assert conversation.rating is None
    assert "ไม่สามารถบันทึกคะแนน" in texts(line_standin.state, other["userId"])[-1]


def test_a_message_line_delivers_twice_is_kept_once(
    send, client, line_standin, line_user, django_capture_on_commit_callbacks
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    event = send("message", user_id, text="ข้อความเดียว")

    again = dict(event, deliveryContext={"isRedelivery": True})
    with django_capture_on_commit_callbacks(execute=True):
        assert post_events(client, [again]).status_code == 200
    assert ChatMessage.objects.filter(text="ข้อความเดียว").count() == 1


def test_a_linked_citizen_continues_the_same_conversation_from_line_and_the_web(
    send, line_standin, line_user
):
    citizen = CitizenFactory().user
    account = LineAccount.objects.create(
        line_user_id=line_user["userId"], user=citizen, is_active=True, followed=True
    )
    web, _created = services.conversation_start(channel="web", citizen=citizen)
    assert web.line_account is None

    send("message", line_user["userId"], text="ต่อจากที่พิมพ์ในเว็บครับ")

    web.refresh_from_db()
    assert web.line_account == account
    assert web.messages.filter(text="ต่อจากที่พิมพ์ในเว็บครับ").exists()
    assert Conversation.objects.count() == 1


def test_a_chat_begun_in_line_before_linking_becomes_the_citizens_after_linking(
    send, line_standin, line_user
):
    user_id = line_user["userId"]
    send("postback", user_id, data="menu=chat")
    conversation = Conversation.objects.get()
    assert conversation.citizen is None

    citizen = CitizenFactory(first_name="สมหญิง", last_name="รักไทย").user
    LineAccount.objects.filter(line_user_id=user_id).update(user=citizen, is_active=True)
    send("message", user_id, text="ตอนนี้เชื่อมบัญชีแล้วค่ะ")

    conversation.refresh_from_db()
    assert conversation.citizen == citizen
    assert "สมหญิง รักไทย" in conversation.display_name
    assert services.open_conversation_for(citizen=citizen) == conversation
