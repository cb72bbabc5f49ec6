"""Live chat, the whole loop: a citizen plays LINE in the /dev/line/ simulator (the stand-in
signs every event for our real webhook) while an officer works the chat in the Wagtail admin
in another browser. What the citizen sends is on the officer's open screens within two seconds
without reloading; the answer reaches the citizen's LINE through the outbox; transfer, close
and the rating buttons follow. Pictures come back from LINE's content API to officers only."""

import io
import re

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import Role
from chat.models import ChatMessage, Conversation, QuickReplyTemplate
from line_integration import richmenu
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory
from tests.e2e.waiting import wait_for

pytestmark = [
    pytest.mark.urls("tests.line_integration.simulator_urls"),
    pytest.mark.django_db(transaction=True),
]

QUESTION = "ถนนหน้าบ้านชำรุดเป็นหลุมใหญ่ ต้องแจ้งที่ไหนครับ"
ANSWER = "เจ้าหน้าที่รับเรื่องแล้ว จะประสานเทศบาลให้ครับ"
LIVE = 2000  # ms: an officer's answer reaches the citizen within two seconds


@pytest.fixture
def simulator(live_server, line_standin, settings):
    settings.DEBUG = True
    settings.LINE_USE_STANDIN = True
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"
    line_standin.state.webhook_url = live_server.url + "/line/webhook/"
    richmenu.sync_rich_menus()
    return line_standin


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


@pytest.fixture
def officer_context(browser, live_server, officer):
    """The officer's own browser (a laptop screen), logged in through the admin's form."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(officer.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    page.close()
    yield context
    context.close()


def citizen_follows(page, name: str, simulator) -> str:
    """A new LINE user befriends the account in the simulator; their LINE user id."""
    page.goto("/dev/line/")
    page.get_by_label("สร้างผู้ใช้ใหม่ (ชื่อที่แสดงใน LINE)").fill(name)
    page.get_by_role("button", name="สร้างและเพิ่มเพื่อน").click()
    expect(page.locator("#sim-richmenu .area")).to_have_count(6)
    [user_id] = [uid for uid, u in simulator.state.users.items() if u["displayName"] == name]
    return user_id


def open_chat(page) -> None:
    page.locator("#sim-richmenu").get_by_role("button", name="ขอความช่วยเหลือ").click()
    expect(page.locator("#sim-chat li.bot").last).to_contain_text("จบการสนทนา")


def pushed_texts(simulator, user_id: str) -> list[str]:
    return [
        d["message"].get("text", "")
        for d in simulator.state.deliveries(user_id)
        if d.get("via") == "push"
    ]


def jpeg(size=(320, 240)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_citizen_message_to_officer_screen_answer_to_line_transfer_and_close(
    simulator, page, officer_context, officer
):
    colleague = StaffFactory(role=Role.SUPERVISOR, first_name="สมศักดิ์", last_name="ขยัน")
    QuickReplyTemplate.objects.create(title="รับเรื่องแล้ว", body=ANSWER)
    inbox = officer_context.new_page()
    inbox.goto("/admin/chat/")
    expect(inbox.get_by_role("heading", name=re.compile("การสนทนาที่เปิดอยู่"))).to_be_visible()
    expect(inbox.locator("#chat-inbox-rows")).to_contain_text("ยังไม่มีการสนทนาที่เปิดอยู่")

    user_id = citizen_follows(page, "สมชาย", simulator)
    open_chat(page)
    row = inbox.locator("#chat-inbox-rows tr", has_text="สมชาย")
    expect(row).to_contain_text("ยังไม่มีผู้รับ", timeout=LIVE)  # appeared without reloading
    expect(row).to_contain_text("LINE")

    conversation = officer_context.new_page()
    conversation.goto(row.get_by_role("link", name="สมชาย").get_attribute("href"))
    expect(conversation.locator("#chat-log")).to_contain_text("เริ่มการสนทนา")

    page.get_by_label("ข้อความ", exact=True).fill(QUESTION)
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(conversation.locator("#chat-log")).to_contain_text(QUESTION, timeout=LIVE)
    expect(row).to_contain_text(QUESTION[:20], timeout=LIVE)
    expect(row).to_contain_text(re.compile(r"รอ(ไม่ถึง 1| \d+) นาที"))
    assert pushed_texts(simulator, user_id) == []  # the bot kept quiet

    conversation.get_by_role("button", name="รับเรื่องแล้ว").click()  # a quick reply
    expect(conversation.get_by_role("textbox", name="ข้อความตอบกลับ")).to_have_value(ANSWER)
    conversation.get_by_role("button", name="ส่งข้อความ").click()
    expect(conversation.locator("#chat-log .chat-msg--officer").last).to_contain_text(ANSWER)
    expect(conversation.get_by_role("textbox", name="ข้อความตอบกลับ")).to_have_value("")
    expect(conversation.locator("#chat-assigned")).to_have_text("วิไล ตั้งใจ")
    assert wait_for(lambda: f"เจ้าหน้าที่: {ANSWER}" in pushed_texts(simulator, user_id))
    expect(page.locator("#sim-chat li.bot").last).to_contain_text(f"เจ้าหน้าที่: {ANSWER}")
    expect(row).to_contain_text("วิไล ตั้งใจ", timeout=LIVE)

    conversation.get_by_label("โอนให้เจ้าหน้าที่").select_option(label="สมศักดิ์ ขยัน")
    conversation.get_by_role("button", name="โอน", exact=True).click()
    expect(conversation.get_by_text("โอนการสนทนาให้ สมศักดิ์ ขยัน แล้ว")).to_be_visible()
    expect(conversation.locator("#chat-assigned")).to_have_text("สมศักดิ์ ขยัน")
    expect(row).to_contain_text("สมศักดิ์ ขยัน", timeout=LIVE)

    conversation.get_by_text("จบการสนทนา", exact=True).click()
    conversation.get_by_role("button", name="ยืนยันจบการสนทนา").click()
    expect(conversation.locator("#chat-closed-notice")).to_be_visible()
    expect(conversation.get_by_role("textbox", name="ข้อความตอบกลับ")).to_be_hidden()
    expect(row).to_have_count(0, timeout=LIVE)  # no longer open: gone from the inbox
    record = Conversation.objects.get()
    assert (record.status, record.assigned_to, record.closed_by) == ("closed", colleague, officer)

    expect(page.locator("#sim-chat li.bot").last).to_contain_text("การสนทนากับเจ้าหน้าที่สิ้นสุดแล้ว")
    rating = page.locator("#sim-quick")
    expect(rating.get_by_role("button")).to_have_count(5)
    rating.get_by_role("button", name="5 ⭐").click()
    expect(page.locator("#sim-chat li.bot").last).to_contain_text("ขอบคุณสำหรับคะแนน 5 จาก 5")
    record.refresh_from_db()
    assert record.rating == 5


def test_a_picture_and_a_sticker_reach_the_officer_and_the_picture_only_officers(
    simulator, page, officer_context, browser, live_server
):
    citizen_follows(page, "มาลี", simulator)
    open_chat(page)
    conversation = officer_context.new_page()
    conversation.goto(f"/admin/chat/{Conversation.objects.get().pk}/")

    page.get_by_label("ส่งรูปภาพ", exact=True).set_input_files(
        {"name": "pothole.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    picture = conversation.locator("#chat-log .chat-msg--citizen img")
    expect(picture).to_be_visible(timeout=LIVE)
    expect(picture).to_have_attribute("alt", "รูปภาพจากประชาชน")
    assert conversation.evaluate("img => img.naturalWidth", picture.element_handle()) == 320

    page.get_by_role("button", name="ส่งสติกเกอร์").click()
    expect(conversation.locator("#chat-log .chat-sticker")).to_have_text("[สติกเกอร์]", timeout=LIVE)

    image_url = picture.get_attribute("src")
    message = ChatMessage.objects.get(kind="image")
    assert image_url == f"/admin/chat/image/{message.pk}/"
    answer = conversation.request.get(image_url)
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.body()[:2] == b"\xff\xd8"

    citizen = CitizenFactory().user
    client = Client()
    client.force_login(citizen)
    context = browser.new_context(base_url=live_server.url)
    try:
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        refused = context.request.get(image_url, headers={"X-Requested-With": "XMLHttpRequest"})
        assert refused.status == 403
        sent_away = context.request.get(image_url, max_redirects=0)
        assert sent_away.status == 302
        assert "/admin/login/" in sent_away.headers["location"]
    finally:
        context.close()
