"""Live chat on the site (/chat/) for citizens without LINE, through the test client as a
citizen's browser without JavaScript posts it (the live part is tests/e2e/test_chat_citizen.py).
"""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from chat import services
from chat.models import ChatMessage, Conversation, ServiceHoliday
from line_integration.models import LineAccount, OutboundMessage
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.factories import jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

CHAT = reverse("chat:conversation")
POLL = reverse("chat:messages")


@pytest.fixture(autouse=True)
def always_open(settings):
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"


@pytest.fixture
def citizen():
    return CitizenFactory(first_name="มาลี", last_name="ศรีสุข")


@pytest.fixture
def browser(client, citizen):
    client.force_login(citizen.user)
    return client


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def send(client, text="", image=None):
    data = {"text": text}
    if image is not None:
        data["image"] = image
    return client.post(CHAT, data)


def jpeg(name="รูปถนน.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def poll(client, **params):
    return client.get(POLL, params)


def link_line(user, **fields) -> LineAccount:
    values = {"line_user_id": "U" + "c" * 32, "followed": True, "is_active": True}
    return LineAccount.objects.create(user=user, **{**values, **fields})


# --- who may come in ---------------------------------------------------------------------------


def test_the_chat_needs_a_login_and_comes_back_after_it(client):
    response = client.get(CHAT)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={CHAT}"
    assert poll(client).status_code == 401
    assert client.post(CHAT, {"text": "สวัสดี"}).status_code == 302
    assert not Conversation.objects.exists()


def test_staff_are_sent_to_the_admin_inbox(client, officer):
    client.force_login(officer)
    page = page_of(client.get(CHAT))
    assert "กล่องแชทในระบบหลังบ้าน" in page
    assert 'href="/admin/chat/"' in page
    assert 'name="text"' not in page

    assert send(client, "ทดสอบ").status_code == 403
    assert poll(client).status_code == 403
    assert not Conversation.objects.exists()


def test_the_home_page_tile_opens_the_chat(client):
    tiles = re.findall(
        r'<a class="tile" href="([^"]+)">.*?<span class="name">([^<]+)</span>',
        page_of(client.get("/")),
        re.S,
    )
    assert ("/chat/", "ติดต่อขอความช่วยเหลือประชาชน") in tiles


# --- before the first message ------------------------------------------------------------------


def test_the_page_greets_and_says_when_officers_answer(browser):
    page = page_of(browser.get(CHAT))
    assert "เจ้าหน้าที่จะตอบกลับโดยเร็ว" in page
    assert "เวลา 00:00–24:00 น." in page
    assert "“จบการสนทนา”" in page
    assert "นอกเวลาทำการ" not in page
    assert '<label for="id_text">ข้อความ</label>' in page
    assert ">ส่ง</button>" in page
    assert ">จบการสนทนา</button>" not in page  # nothing to end yet
    assert not Conversation.objects.exists()  # looking opens nothing


def test_outside_service_hours_the_page_says_when_to_expect_an_answer(browser):
    ServiceHoliday.objects.create(date=timezone.localdate(), name="วันหยุดทดสอบ")
    page = page_of(browser.get(CHAT))
    assert "ขณะนี้อยู่นอกเวลาทำการ" in page
    assert "เจ้าหน้าที่จะตอบกลับตั้งแต่วัน" in page

    assert send(browser, "ส่งนอกเวลาได้ไหม").status_code == 302
    assert ChatMessage.objects.filter(text="ส่งนอกเวลาได้ไหม").exists()  # it still waits


# --- sending -----------------------------------------------------------------------------------


def test_the_first_message_opens_a_conversation_and_is_shown(browser, citizen):
    response = send(browser, "ถนนหน้าบ้านน้ำท่วมขัง\nจะแจ้งใครได้บ้างคะ")

    assert response.status_code == 302
    assert response["Location"] == f"{CHAT}#compose"
    conversation = Conversation.objects.get()
    assert (conversation.channel, conversation.citizen, conversation.is_open) == (
        Conversation.Channel.WEB,
        citizen.user,
        True,
    )
    assert conversation.display_name == citizen.full_name
    assert conversation.unread_count == 1 and conversation.waiting_since is not None
    page = page_of(browser.get(CHAT))
    assert "ถนนหน้าบ้านน้ำท่วมขัง<br>จะแจ้งใครได้บ้างคะ" in page
    assert "เริ่มการสนทนา" in page
    assert ">จบการสนทนา</button>" in page

    send(browser, "เพิ่มเติมค่ะ")
    assert Conversation.objects.count() == 1
    assert Conversation.objects.get().unread_count == 2


def test_answers_show_the_officer_as_jao_nathi_never_by_name(browser, officer):
    send(browser, "สอบถามเรื่องเบี้ยยังชีพ")
    conversation = Conversation.objects.get()
    services.conversation_take(conversation=conversation, officer=officer)
    services.officer_reply(conversation=conversation, officer=officer, text="ติดต่อ อบต. ได้ค่ะ")
    other = StaffFactory(role=Role.CASE_OFFICER, first_name="สมศักดิ์", last_name="ดีงาม")
    services.conversation_transfer(conversation=conversation, officer=officer, to=other)

    page = page_of(browser.get(CHAT))

    assert "ติดต่อ อบต. ได้ค่ะ" in page
    assert '<span class="chat-who">เจ้าหน้าที่</span>' in page
    for name in ("วิไล", "ตั้งใจ", "สมศักดิ์", officer.username, other.username):
        assert name not in page
    assert "รับเรื่องสนทนานี้" not in page and "โอนการสนทนา" not in page


def test_an_empty_message_is_refused_in_thai(browser):
    response = send(browser, "   ")
    assert response.status_code == 400
    assert "กรุณาพิมพ์ข้อความหรือแนบรูปภาพ" in page_of(response)
    assert not Conversation.objects.exists()


def test_a_message_over_2000_characters_is_refused_and_kept(browser):
    text = "ก" * 2001
    response = send(browser, text)
    assert response.status_code == 400
    page = page_of(response)
    assert "ข้อความยาวเกิน 2,000 ตัวอักษร (ขณะนี้ 2,001)" in page
    assert f">\n{text}</textarea>" in page
    assert not ChatMessage.objects.exists()

    assert send(browser, "ข" * 1999 + "\r\n").status_code == 302  # line breaks count once
    assert send(browser, "ค" * 1000 + "\r\n" + "ง" * 999).status_code == 302
    assert ChatMessage.objects.filter(sender="citizen").count() == 2


def test_a_refused_message_sent_after_the_chat_ended_is_kept(browser, officer):
    send(browser, "สอบถามค่ะ")
    services.conversation_close(conversation=Conversation.objects.get(), by=officer)
    text = "ยังพิมพ์อยู่เลย " + "ก" * 2000
    response = send(browser, text)
    assert response.status_code == 400
    assert f">\n{text}</textarea>" in page_of(response)


def test_typing_the_end_words_ends_the_chat(browser):
    send(browser, "ขอบคุณค่ะ")
    send(browser, "จบการสนทนา")
    conversation = Conversation.objects.get()
    assert not conversation.is_open
    assert not ChatMessage.objects.filter(text="จบการสนทนา").exists()
    assert "ให้คะแนนความพึงพอใจ" in page_of(browser.get(CHAT))


# --- pictures ----------------------------------------------------------------------------------


def test_a_picture_is_stored_privately_and_shown_to_its_sender_only(browser, client, settings):
    response = send(browser, "รูปถนนค่ะ", image=jpeg())
    assert response.status_code == 302
    picture = ChatMessage.objects.get(kind=ChatMessage.Kind.IMAGE)
    assert picture.image_status == ChatMessage.ImageStatus.READY
    assert picture.image.storage.location == str(settings.PRIVATE_MEDIA_ROOT)
    assert ChatMessage.objects.filter(kind="text", text="รูปถนนค่ะ").exists()
    url = reverse("chat:image", args=[picture.pk])
    assert f'src="{url}"' in page_of(browser.get(CHAT))

    response = browser.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"

    stranger = CitizenFactory()
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404


def test_a_png_is_accepted_too(browser):
    png = SimpleUploadedFile("จอภาพ.png", png_bytes(), content_type="image/png")
    assert send(browser, image=png).status_code == 302
    picture = ChatMessage.objects.get(sender="citizen")
    assert picture.kind == ChatMessage.Kind.IMAGE and picture.image.name.endswith(".png")


@pytest.mark.parametrize(
    "name,content",
    [
        ("เอกสาร.pdf", pdf_bytes()),
        ("รูป.jpg", b"MZ\x90\x00 this is a program, not a picture"),
    ],
)
def test_a_refused_file_leaves_no_trace_and_keeps_the_text(browser, name, content):
    send(browser, "ข้อความแรก")
    before = Conversation.objects.get()

    response = send(browser, "ดูรูปนี้ด้วยค่ะ", image=SimpleUploadedFile(name, content, "image/jpeg"))

    assert response.status_code == 400
    page = page_of(response)
    assert "ส่งรูปภาพนี้ไม่ได้ ไฟล์ต้องเป็นรูปภาพ JPEG หรือ PNG" in page
    assert re.search(r'id="id_image_error"', page)  # next to the field
    assert ">\nดูรูปนี้ด้วยค่ะ</textarea>" in page
    assert list(ChatMessage.objects.values_list("text", flat=True)) == ["เริ่มการสนทนา", "ข้อความแรก"]
    after = Conversation.objects.get()
    assert after.unread_count == before.unread_count


def test_a_refused_first_picture_opens_no_conversation(browser):
    bad = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    assert send(browser, image=bad).status_code == 400
    assert not Conversation.objects.exists()


# --- the polling JSON --------------------------------------------------------------------------


def test_the_page_polls_for_what_is_new(browser, officer):
    send(browser, "มีใครอยู่ไหมคะ")
    conversation = Conversation.objects.get()
    last = ChatMessage.objects.latest("id").pk
    page = page_of(browser.get(CHAT))
    assert f'data-after="{last}"' in page
    assert f'data-conversation="{conversation.pk}"' in page
    assert 'data-poll-interval="1000"' in page

    data = poll(browser, conversation=conversation.pk, after=last).json()
    assert (data["open"], data["messages"], data["last_id"]) == (True, [], last)

    answer = services.officer_reply(conversation=conversation, officer=officer, text="อยู่ค่ะ")
    data = poll(browser, conversation=conversation.pk, after=last).json()
    [message] = data["messages"]
    assert message["id"] == answer.pk and data["last_id"] == answer.pk
    assert "อยู่ค่ะ" in message["html"] and "เจ้าหน้าที่" in message["html"]
    assert "วิไล" not in message["html"]

    services.conversation_close(conversation=conversation, by=officer)
    data = poll(browser, conversation=conversation.pk, after=answer.pk).json()
    assert data["open"] is False
    assert "เจ้าหน้าที่จบการสนทนา" in data["messages"][0]["html"]


def test_the_json_never_shows_another_citizens_conversation(browser, client):
    send(browser, "ข้อมูลส่วนตัวของฉัน")
    mine = Conversation.objects.get()
    stranger = CitizenFactory()
    client.force_login(stranger.user)

    assert poll(client, conversation=mine.pk, after=0).status_code == 404
    data = poll(client, after=0).json()
    assert data == {"conversation": None, "open": False, "messages": [], "last_id": 0}
    assert "ข้อมูลส่วนตัวของฉัน" not in page_of(client.get(CHAT))
    # Nonsense is never a server error.
    assert poll(client, after="abc").status_code == 200
    assert poll(client, conversation="9" * 30, after="-5").status_code == 404
    assert client.post(reverse("chat:rate"), {"conversation": "9" * 30}).status_code == 404


def test_characters_the_database_cannot_keep_are_refused_in_thai(browser):
    response = send(browser, "สวัสดี\x00ค่ะ")
    assert response.status_code == 400
    assert "ข้อความมีอักขระที่ใช้ไม่ได้" in page_of(response)
    assert not Conversation.objects.exists()


# --- LINE and the web are one conversation -----------------------------------------------------


def test_a_conversation_started_in_line_continues_on_the_web(browser, citizen, officer):
    account = link_line(citizen.user)
    started, _ = services.conversation_start(
        channel=Conversation.Channel.LINE, citizen=citizen.user, line_account=account
    )
    services.citizen_message_receive(conversation=started, text="พิมพ์จาก LINE")

    assert "พิมพ์จาก LINE" in page_of(browser.get(CHAT))
    send(browser, "พิมพ์ต่อจากเว็บ")

    assert Conversation.objects.get() == started
    reply = services.officer_reply(conversation=started, officer=officer, text="รับทราบค่ะ")
    row = OutboundMessage.objects.get(dedupe_key=f"chat:message:{reply.pk}")
    assert row.recipients == [account.line_user_id]


def test_a_web_conversation_of_a_linked_citizen_is_answered_in_line_too(browser, citizen, officer):
    account = link_line(citizen.user)
    send(browser, "สอบถามค่ะ")
    conversation = Conversation.objects.get()
    assert conversation.line_account == account
    services.officer_reply(conversation=conversation, officer=officer, text="ตอบแล้วค่ะ")
    assert OutboundMessage.objects.filter(recipients=[account.line_user_id]).exists()


# --- ending, rating, starting again ------------------------------------------------------------


def test_ending_then_rating_then_starting_again(browser, citizen):
    send(browser, "ขอบคุณค่ะ")
    conversation = Conversation.objects.get()

    response = browser.post(reverse("chat:end"))
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert not conversation.is_open and conversation.closed_by == citizen.user
    page = page_of(browser.get(CHAT))
    assert "การสนทนาที่สิ้นสุดแล้ว" in page and "ขอบคุณค่ะ" in page
    assert "ประชาชนจบการสนทนา" in page
    assert "<legend>ให้คะแนนความพึงพอใจ" in page
    assert "4 ดาว ดี" in page
    assert ">เริ่มการสนทนาใหม่</button>" in page
    assert 'name="text"' not in page

    response = browser.post(reverse("chat:rate"), {"conversation": conversation.pk})
    assert response.status_code == 400
    assert "กรุณาเลือกคะแนน 1 ถึง 5" in page_of(response)
    response = browser.post(reverse("chat:rate"), {"conversation": conversation.pk, "score": "9"})
    assert response.status_code == 400

    response = browser.post(
        reverse("chat:rate"), {"conversation": conversation.pk, "score": "4"}, follow=True
    )
    conversation.refresh_from_db()
    assert conversation.rating == 4 and conversation.rated_at is not None
    page = page_of(response)
    assert "ขอบคุณสำหรับคะแนน 4 จาก 5" in page
    assert "<legend>ให้คะแนนความพึงพอใจ" not in page
    assert 'name="text"' in page  # ready for a new conversation

    send(browser, "มีเรื่องใหม่ค่ะ")
    assert Conversation.objects.filter(status="open").count() == 1
    assert Conversation.objects.count() == 2


def test_starting_again_without_rating(browser):
    send(browser, "ขอบคุณค่ะ")
    browser.post(reverse("chat:end"))
    response = browser.post(reverse("chat:start"))
    assert response.status_code == 302
    assert Conversation.objects.filter(status="open").count() == 1
    page = page_of(browser.get(CHAT))
    assert "<legend>ให้คะแนนความพึงพอใจ" not in page
    assert ">จบการสนทนา</button>" in page


def test_nobody_rates_someone_elses_conversation(browser, client):
    send(browser, "ขอบคุณค่ะ")
    browser.post(reverse("chat:end"))
    conversation = Conversation.objects.get()
    client.force_login(CitizenFactory().user)
    response = client.post(reverse("chat:rate"), {"conversation": conversation.pk, "score": "1"})
    assert response.status_code == 404
    conversation.refresh_from_db()
    assert conversation.rating is None


def test_only_posts_change_anything(browser):
    assert browser.get(reverse("chat:end")).status_code == 405
    assert browser.get(reverse("chat:start")).status_code == 405
    assert not Conversation.objects.exists()
