"""Duplicates on a phone and in the admin: a citizen filing about a broken street light sees
the report a neighbour made 40 m away and follows it instead of filing again; an officer merges
two reports of the same pothole from the case page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from complaints.models import ClosedReason, ComplaintCategory, ComplaintFollower, State
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory
from tests.complaints.admin_support import case, grant_officer_screen_permissions, inspect_url
from tests.e2e.phones import script_arrives_late
from tests.e2e.test_complaint_filing import POSITION, citizen, log_in_and_consent, phone  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

UTILITIES = "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา"


def test_a_citizen_sees_a_nearby_report_and_follows_it(browser, live_server, citizen):  # noqa: F811
    utilities = ComplaintCategory.objects.get(name=UTILITIES)
    neighbour = case(
        category=utilities,
        latitude=Decimal("15.703360"),  # 40 m north of the phone
        longitude=Decimal(f"{POSITION['longitude']:.6f}"),
        target_place="เสาไฟหน้าศาลาประชาคม",
        details="ไฟถนนดับทั้งซอย บ้านเลขที่ 12 ของข้าพเจ้ามืดมาก",
        profile=CitizenFactory(first_name="เพื่อนบ้านคนแรก"),
    )
    context, page = phone(browser, live_server, geolocation=POSITION, permissions=["geolocation"])
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()

    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label=UTILITIES)
    page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()

    hint = page.locator("[data-nearby]")
    expect(hint.get_by_role("heading", name="มีผู้แจ้งเรื่องประเภทเดียวกันไว้แล้วในบริเวณนี้")).to_be_visible()
    expect(hint).to_contain_text("เสาไฟหน้าศาลาประชาคม")
    expect(hint).to_contain_text("ประมาณ 40 เมตร")
    expect(hint).to_contain_text("1 คน")
    expect(hint).not_to_contain_text("บ้านเลขที่ 12")
    expect(hint).not_to_contain_text("เพื่อนบ้านคนแรก")

    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label="ยาเสพติด")
    expect(hint.get_by_role("heading")).to_have_count(0)  # nothing of that kind nearby
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label=UTILITIES)
    hint.get_by_role("button", name="ติดตามเรื่องนี้").click()

    expect(page.get_by_role("heading", name="เรื่องที่ท่านติดตาม")).to_be_visible()
    expect(page.locator(".tracking-number")).to_have_text(neighbour.tracking_number)
    expect(page.get_by_text("2 คน")).to_be_visible()
    assert ComplaintFollower.objects.filter(complaint=neighbour, citizen=citizen.user).exists()
    page.get_by_role("link", name="เรื่องร้องเรียนของฉัน").first.click()
    expect(page.locator(".complaint-followed")).to_contain_text(neighbour.tracking_number)
    context.close()


def test_a_category_chosen_before_the_script_arrived_still_gets_its_hint(
    browser,
    live_server,
    citizen,  # noqa: F811
):
    """On a slow network step ๒ shows before its scripts have run: a category chosen in
    between still brings the hint of that kind in the citizen's subdistrict."""
    neighbour = case(
        category=ComplaintCategory.objects.get(name=UTILITIES),
        target_district=citizen.district,
        target_subdistrict=citizen.subdistrict,
        target_place="เสาไฟหน้าศาลาประชาคม",
    )
    context, page = phone(browser, live_server)
    script_arrives_late(page, "complaint-nearby")
    log_in_and_consent(page, citizen)
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label=UTILITIES)

    hint = page.locator("[data-nearby]")
    expect(hint.get_by_role("heading", name="มีผู้แจ้งเรื่องประเภทเดียวกันไว้แล้วในบริเวณนี้")).to_be_visible()
    expect(hint).to_contain_text(neighbour.target_place)
    context.close()


def test_an_officer_merges_two_reports_of_the_same_pothole(page, live_server):
    grant_officer_screen_permissions()
    officer = StaffFactory(role=Role.CASE_OFFICER)
    spot = {"latitude": Decimal("15.710000"), "longitude": Decimal("100.120000")}
    first = case(details="ถนนหน้าตลาดเป็นหลุมลึก รถจักรยานยนต์ล้ม", **spot)
    second = case(details="ถนนหน้าตลาดเป็นหลุมลึกมาก อันตราย", **spot)

    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(officer.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.goto(inspect_url(first))

    duplicates = page.get_by_role("region", name="เรื่องที่อาจซ้ำกัน")
    candidate = duplicates.locator(f"[data-duplicate='{second.tracking_number}']")
    expect(candidate).to_contain_text("ห่าง 0 เมตร")
    expect(
        candidate.get_by_label(re.compile(f"^ดำเนินการต่อในเรื่องนี้ \\({first.tracking_number}\\)"))
    ).to_be_checked()
    candidate.get_by_label("ข้อความถึงผู้ร้องของเรื่องที่ยุติ").fill("เป็นหลุมเดียวกับที่มีผู้แจ้งไว้แล้ว")
    candidate.get_by_role("button", name="รวมเป็นเรื่องเดียวกัน").click()

    expect(
        page.get_by_text(f"รวมเรื่อง {second.tracking_number} เข้ากับเรื่อง {first.tracking_number} แล้ว")
    ).to_be_visible()
    expect(page.locator("[data-merged-duplicates]")).to_contain_text(second.tracking_number)
    expect(page.get_by_role("region", name="เรื่องที่อาจซ้ำกัน")).to_have_count(0)
    page.locator("[data-merged-duplicates] a").click()
    expect(page.locator(".case-state")).to_have_text("ยุติเรื่อง")
    expect(page.locator("[data-merged-into]")).to_have_text(first.tracking_number)
    second.refresh_from_db()
    assert second.state == State.CLOSED and second.closed_reason == ClosedReason.DUPLICATE
    assert ComplaintFollower.objects.filter(complaint=first, citizen=second.citizen).exists()
