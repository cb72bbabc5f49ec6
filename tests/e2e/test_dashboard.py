"""An executive opens the dashboard on a phone: logs in, sees the seven figures as large
numbers, filters by month, opens a chart's table; nothing runs off the side of the screen."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from complaints.models import State
from tests.accounts.factories import DEFAULT_PASSWORD, StaffFactory
from tests.dashboard.support import filed
from tests.e2e.phones import laid_out

pytestmark = pytest.mark.django_db(transaction=True)

SEVEN = (
    "จำนวนเรื่องร้องเรียนทั้งหมด",
    "จำนวนเรื่องร้องเรียนที่ดำเนินการเสร็จสิ้น",
    "จำนวนเรื่องร้องเรียนที่อยู่ระหว่างดำเนินการ",
    "จำนวนเรื่องร้องเรียนที่อยู่ระหว่างการตรวจสอบ",
    "ร้อยละความสำเร็จในการดำเนินการ",
    "คะแนนเฉลี่ยที่ได้จากการประเมิน",
    "จำนวนเรื่องร้องเรียนที่ได้รับการประเมิน",
)


def no_horizontal_overflow(page):
    assert laid_out(page).evaluate("document.documentElement.scrollWidth") <= 390


def test_executive_sees_the_seven_figures_on_a_phone(page, live_server):
    executive = StaffFactory(role=Role.EXECUTIVE)
    now = timezone.now()
    filed(now, state=State.COMPLETED, completed_at=now, ratings=[(0, 4)])
    filed(now, state=State.IN_PROGRESS)
    filed(now, state=State.CLOSED, closed_reason="duplicate")

    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=username]").fill(executive.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")

    figures = page.locator("li.figure")
    for label in SEVEN:
        expect(figures.filter(has_text=label)).to_be_visible()
    total = page.locator('[data-figure="total"] .figure-value')
    expect(total).to_have_text("3")
    assert float(total.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    expect(page.locator('[data-figure="success_percent"] .figure-value')).to_have_text("33.3")
    expect(page.get_by_text("๑ = ๒ + ๓ + ๔ + ยุติเรื่อง: 3 = 1 + 1 + 0 + 1")).to_be_visible()
    no_horizontal_overflow(page)

    months = page.locator("#section-months")
    expect(months.locator("svg")).to_be_visible()
    months.get_by_text("ดูเป็นตาราง").click()
    expect(months.locator("table")).to_be_visible()
    no_horizontal_overflow(page)

    page.get_by_text("ตัวกรอง", exact=False).first.click()
    page.get_by_label("ตั้งแต่วันที่").fill("2020-01-01")
    page.get_by_label("ถึงวันที่").fill("2020-01-31")
    page.get_by_role("button", name="แสดงผล").click()
    expect(page.locator('[data-figure="total"] .figure-value')).to_have_text("0")
    expect(page.locator(".dash-scope")).to_have_text("1 ม.ค. 2563 – 31 ม.ค. 2563")
    no_horizontal_overflow(page)
