"""An officer works a case in the Wagtail admin on a phone-sized screen: logs in through the
admin's own form (django-axes watching), opens the list and the case, moves it to "อยู่ระหว่าง
ดำเนินการ" with a note for the citizen; the citizen, logged in on another phone, sees both."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from complaints.models import State, StateChange
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory
from tests.complaints.admin_support import case, grant_officer_screen_permissions
from tests.e2e.phones import phone

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_NOTE = "เจ้าหน้าที่ประสานเทศบาลให้ซ่อมถนนแล้ว คาดว่าเสร็จภายในสัปดาห์นี้"


def test_officer_moves_a_case_and_the_citizen_sees_it(page, browser, live_server):
    grant_officer_screen_permissions()
    officer = StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")
    citizen = CitizenFactory()
    complaint = case(profile=citizen, days_left=-1)
    other = case(days_left=12)

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.locator("input[name=username]").fill(officer.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto("/admin/complaints/complaint/")
    expect(page.get_by_role("heading", name="เรื่องร้องเรียน", exact=True)).to_be_visible()
    expect(page.get_by_text("เกินกำหนด 1 เรื่อง")).to_be_visible()
    numbers = page.locator("td.field-tracking_number .title-wrapper a")
    expect(numbers).to_have_text([complaint.tracking_number, other.tracking_number])

    numbers.first.click()
    expect(page.locator(".w-header__subtitle")).to_have_text(complaint.tracking_number)
    expect(page.locator("[data-person=name]")).to_have_text(complaint.complainant_name)
    form = page.locator("#action-state")
    form.get_by_label("สถานะใหม่").select_option(label="อยู่ระหว่างดำเนินการ")
    form.get_by_label("ข้อความถึงผู้ร้องเรียน").fill(PUBLIC_NOTE)
    form.get_by_role("button", name="บันทึกการเปลี่ยนสถานะ").click()

    expect(
        page.get_by_text(f"เปลี่ยนสถานะเรื่อง {complaint.tracking_number} เป็น “อยู่ระหว่างดำเนินการ” แล้ว")
    ).to_be_visible()
    expect(page.locator(".case-state")).to_have_text("อยู่ระหว่างดำเนินการ")
    expect(page.locator("tr[data-history-kind=state]").last).to_contain_text(PUBLIC_NOTE)
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    assert complaint.history.filter(
        kind=StateChange.Kind.STATE, by=officer, public_note=PUBLIC_NOTE
    ).exists()

    context, citizen_page = phone(browser, live_server)
    try:
        citizen_page.goto(f"/complaints/{complaint.tracking_number}/")
        citizen_page.get_by_label("Username").fill(citizen.user.username)
        citizen_page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        citizen_page.get_by_role("button", name="LOG IN").click()
        expect(citizen_page.get_by_role("heading", name="ติดตามเรื่องร้องเรียน")).to_be_visible()
        expect(citizen_page.locator(".complaint-facts .state-label")).to_have_text(
            "อยู่ระหว่างดำเนินการ"
        )
        expect(citizen_page.get_by_text(PUBLIC_NOTE)).to_be_visible()
    finally:
        context.close()
