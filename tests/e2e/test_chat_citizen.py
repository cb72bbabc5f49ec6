"""A citizen without LINE chats with an officer on a phone (/chat/): logs in through the real
log-in page, sends a message and a picture, sees the officer's answer arrive without reloading,
ends the chat and rates it. Another citizen cannot read any of it."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from chat import services
from chat.models import ChatMessage, Conversation
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory
from tests.complaints.factories import jpeg_bytes
from tests.e2e.phones import laid_out

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def always_open(settings):
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"


def log_in(page, user):
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="LOG IN").click()


def test_a_citizen_chats_ends_and_rates_on_a_phone(page, browser, live_server):
    citizen = CitizenFactory()
    officer = StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")

    page.goto("/chat/")
    log_in(page, citizen.user)
    expect(page.get_by_role("heading", level=1)).to_have_text("ติดต่อขอความช่วยเหลือประชาชน")
    assert page.url == f"{live_server.url}/chat/"
    expect(page.get_by_text("เจ้าหน้าที่จะตอบกลับโดยเร็ว")).to_be_visible()

    page.get_by_label("ข้อความ").fill("ไฟถนนหน้าบ้านดับ ต้องแจ้งที่ไหนคะ")
    page.get_by_label("แนบรูปภาพ (ถ้ามี)").set_input_files(
        files=[{"name": "ไฟถนน.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.get_by_role("button", name="ส่ง", exact=True).tap()

    mine = page.locator(".chat-msg.from-citizen")
    expect(mine.last).to_contain_text("ไฟถนนหน้าบ้านดับ ต้องแจ้งที่ไหนคะ")
    picture = page.get_by_role("img", name="รูปภาพที่ส่งในการสนทนา")
    expect(picture).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.chat-image'); "
        "return i && i.complete && i.naturalWidth > 0; }"
    )
    assert laid_out(page).evaluate("document.documentElement.scrollWidth") <= 390
    conversation = Conversation.objects.get()
    image_url = picture.get_attribute("src")

    # The officer answers in the admin; the citizen's page shows it without a reload.
    page.evaluate("window.sameDocument = true")
    services.officer_reply(
        conversation=conversation, officer=officer, text="แจ้งเทศบาลได้ที่เบอร์ 056-000-000 ค่ะ"
    )
    answer = page.locator(".chat-msg.from-officer").last
    expect(answer).to_contain_text("แจ้งเทศบาลได้ที่เบอร์ 056-000-000 ค่ะ", timeout=2_000)
    expect(answer).to_contain_text("เจ้าหน้าที่")
    assert page.evaluate("window.sameDocument") is True
    assert "วิไล" not in page.content()

    page.get_by_role("button", name="จบการสนทนา").tap()
    expect(page.get_by_role("group", name="ให้คะแนนความพึงพอใจ")).to_be_visible()
    page.locator("label.star-choice", has_text="4 ดาว ดี").tap()
    expect(page.get_by_label("4 ดาว ดี")).to_be_checked()
    page.get_by_role("button", name="ส่งคะแนน").tap()
    expect(page.get_by_text("ขอบคุณสำหรับคะแนน 4 จาก 5")).to_be_visible()
    conversation.refresh_from_db()
    assert (conversation.is_open, conversation.rating) == (False, 4)
    expect(page.get_by_label("ข้อความ")).to_be_visible()  # ready for a new conversation

    # Another citizen, on another phone, gets nothing of it.
    other = CitizenFactory()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        stranger = context.new_page()
        stranger.goto("/chat/")
        log_in(stranger, other.user)
        expect(stranger.get_by_role("heading", level=1)).to_be_visible()
        assert "ไฟถนนหน้าบ้านดับ" not in stranger.content()
        found = context.request.get(f"/chat/messages/?conversation={conversation.pk}&after=0")
        assert found.status == 404
        own = context.request.get("/chat/messages/?after=0").json()
        assert own["messages"] == []
        assert context.request.get(image_url).status == 404
        assert ChatMessage.objects.filter(kind="image", image_status="ready").count() == 1
    finally:
        context.close()
