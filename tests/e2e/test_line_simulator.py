"""A developer plays a LINE user in the /dev/line/ simulator: the chat, the rich menu and the
bot's answers travel through the stand-in and our real webhook, signed as LINE signs them."""

import re

import pytest
from playwright.sync_api import expect

from line_integration import richmenu
from tests.e2e.waiting import wait_for

pytestmark = [pytest.mark.urls("tests.line_integration.simulator_urls")]


@pytest.fixture
def simulator(live_server, line_standin, settings):
    settings.DEBUG = True
    settings.LINE_USE_STANDIN = True
    line_standin.state.webhook_url = live_server.url + "/line/webhook/"
    richmenu.sync_rich_menus()
    return line_standin


def webhooks_sent(simulator, count: int) -> list[dict]:
    """The webhooks the stand-in has sent, once it has sent ``count`` (the chat shows a tap
    at once; the stand-in records its webhook when our answer to it has come back)."""
    wait_for(lambda: len(simulator.state.webhooks) >= count, timeout=10)
    return list(simulator.state.webhooks)


def test_a_new_user_follows_chats_and_taps_the_rich_menu(simulator, page):
    page.goto("/dev/line/")
    page.get_by_label("สร้างผู้ใช้ใหม่ (ชื่อที่แสดงใน LINE)").fill("สมชาย")
    page.get_by_role("button", name="สร้างและเพิ่มเพื่อน").click()

    expect(page.locator("#sim-chat li.user").first).to_contain_text("เพิ่มเพื่อน")
    expect(page.locator("#sim-richmenu .area")).to_have_count(6)
    expect(page.locator("#sim-chat li.bot").first).to_be_visible()  # the bot greeted

    page.get_by_label("ข้อความ", exact=True).fill("สวัสดีครับ")
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(page.locator("#sim-chat li.user").last).to_contain_text("สวัสดีครับ")
    expect(page.get_by_label("ข้อความ", exact=True)).to_have_value("")

    page.locator("#sim-richmenu").get_by_role("button", name="ข่าวสารศูนย์ดำรงธรรม").click()
    expect(page.locator("#sim-chat li.user").last).to_contain_text("ติดตามข่าวสารศูนย์ดำรงธรรม")

    hooks = webhooks_sent(simulator, 3)
    assert [h["event"]["type"] for h in hooks] == ["follow", "message", "postback"]
    assert hooks[-1]["event"]["postback"]["data"] == "menu=news"
    assert all(h["status"] == 200 for h in hooks)  # our webhook verified every signature


def test_the_simulator_keeps_working_after_logging_in_on_the_site(simulator, page):
    """Logging in gives the browser a new CSRF token; the simulator, open in another tab since
    before, must send with the new one (it answered 403 to every button)."""
    from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory

    citizen = CitizenFactory()
    page.goto("/dev/line/")
    page.get_by_label("สร้างผู้ใช้ใหม่ (ชื่อที่แสดงใน LINE)").fill("สมชาย")
    page.get_by_role("button", name="สร้างและเพิ่มเพื่อน").click()
    expect(page.locator("#sim-chat li.user").first).to_contain_text("เพิ่มเพื่อน")

    site = page.context.new_page()
    site.goto("/accounts/login/")
    site.get_by_label("Username").fill(citizen.user.username)
    site.get_by_label("Password").fill(DEFAULT_PASSWORD)
    site.get_by_role("button", name="LOG IN").click()
    expect(site).to_have_url(re.compile(r"/accounts/profile/"))

    page.get_by_label("ข้อความ", exact=True).fill("ยังส่งได้ไหมครับ")
    page.get_by_role("button", name="ส่ง", exact=True).click()
    expect(page.locator("#sim-chat li.user").last).to_contain_text("ยังส่งได้ไหมครับ")
    expect(page.locator("#sim-status")).not_to_have_class(re.compile("error"))
    page.get_by_role("button", name="บล็อก (unfollow)").click()
    expect(page.locator("#sim-chat li.user").last).to_contain_text("บล็อก")
    hooks = webhooks_sent(simulator, 3)
    assert [h["event"]["type"] for h in hooks] == ["follow", "message", "unfollow"]
