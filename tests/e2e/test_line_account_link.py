"""A citizen links LINE to their account from the chat, through LINE's account-link flow, and
unlinks it again from the profile page: the simulator, our webhook and our pages, for real."""

import re

import pytest
from playwright.sync_api import expect

from line_integration import richmenu
from line_integration.models import LineAccount
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory

pytestmark = [pytest.mark.urls("tests.line_integration.simulator_urls")]


@pytest.fixture
def simulator(live_server, line_standin, settings):
    settings.DEBUG = True
    settings.LINE_USE_STANDIN = True
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # links in LINE messages point here
    line_standin.state.webhook_url = live_server.url + "/line/webhook/"
    richmenu.sync_rich_menus()
    return line_standin


def test_citizen_links_line_from_the_chat_and_unlinks_from_the_profile(simulator, page):
    citizen = CitizenFactory(first_name="มาลี", last_name="ศรีสุข").user

    page.goto("/dev/line/")
    page.get_by_label("สร้างผู้ใช้ใหม่ (ชื่อที่แสดงใน LINE)").fill("มาลี")
    page.get_by_role("button", name="สร้างและเพิ่มเพื่อน").click()
    welcome = page.locator("#sim-chat li.bot").first
    expect(welcome).to_contain_text("ยินดีต้อนรับ")

    welcome.get_by_role("button", name="เชื่อมต่อบัญชี").click()
    link_button = page.locator("#sim-chat li.bot").get_by_role(
        "button", name=re.compile("เข้าสู่ระบบ")
    )
    expect(link_button).to_be_visible()
    with page.context.expect_page() as opened:
        link_button.click()
    site = opened.value
    site.set_viewport_size({"width": 390, "height": 844})

    # LINE opened our log-in page; the citizen logs in with the seed's username and password.
    site.get_by_label("Username").fill(citizen.username)
    site.get_by_label("Password").fill(DEFAULT_PASSWORD)
    site.get_by_role("button", name="LOG IN").click()
    expect(site.locator("main")).to_contain_text(citizen.username)
    site.get_by_role("button", name="เชื่อมต่อ").first.click()
    # LINE's account-link page (the stand-in's) reports success and sends the event.
    expect(site.locator("body")).to_contain_text("เชื่อมต่อบัญชีเรียบร้อย")

    account = LineAccount.objects.get(user=citizen)
    assert account.is_active
    assert account.line_user_id.startswith("U")
    expect(page.locator("#sim-chat li.bot").last).to_contain_text("เชื่อมต่อ")

    site.goto("/accounts/profile/")
    expect(site.locator("#line-link-heading")).to_be_visible()
    expect(site.locator("main")).to_contain_text("เชื่อมต่อกับ มาลี แล้ว")
    site.get_by_role("button", name="ยกเลิกการเชื่อมต่อ LINE").click()
    expect(site.locator("main")).to_contain_text("ยังไม่ได้เชื่อมต่อ LINE")
    assert not LineAccount.objects.filter(user=citizen, is_active=True).exists()
