"""A citizen registers (the not-a-robot tap on the last step), logs out, logs in and edits the
profile, on a phone, in Thai."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.models import CitizenProfile, ConsentRecord
from core import province
from tests.e2e.phones import script_arrives_late
from tests.e2e.robot import VERIFIED, pass_robot_check, tick_robot_box_without_javascript
from tests.places import place

pytestmark = pytest.mark.django_db(transaction=True)

NATIONAL_ID = "3100600445635"


def _fill_registration(page, *, username: str, district: str, subdistrict: str) -> None:
    page.goto("/accounts/register/")
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    page.get_by_label("เลขประจำตัวประชาชน").fill("3-1006-00445-63-5")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน", exact=True).fill("Nakhon2569sawan")
    page.get_by_label("ยืนยันรหัสผ่าน").fill("Nakhon2569sawan")
    page.get_by_role("button", name="ถัดไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    page.get_by_label("คำนำหน้าชื่อ").select_option("นางสาว")
    page.get_by_label("ชื่อ", exact=True).fill("มาลี")
    page.get_by_label("นามสกุล").fill("ศรีสุข")
    page.get_by_label("วันเกิด").fill("1990-07-21")
    page.get_by_label("โทรศัพท์").fill("089-123-4567")
    page.get_by_label("อีเมล").fill("malee@example.com")
    page.get_by_role("button", name="ถัดไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    page.get_by_label("บ้านเลขที่").fill("45/2")
    page.get_by_label("หมู่ที่").fill("4")
    page.get_by_label("จังหวัด").select_option(label=place().province)
    district_select = page.get_by_label("อำเภอ")
    # The district list is narrowed to the province's districts (15 for นครสวรรค์), plus the
    # prompt.
    expect(district_select.locator("option")).to_have_count(place().districts_in_province + 1)
    district_select.select_option(label=district)
    subdistrict_select = page.get_by_label("ตำบล")
    expect(subdistrict_select.locator("option", has_text=subdistrict)).to_have_count(1)
    subdistrict_select.select_option(label=subdistrict)
    page.get_by_role("button", name="ถัดไป").click()


def test_citizen_registers_logs_out_logs_in_and_edits_the_profile(page):
    other = place(2)  # ชุมแสง / ชุมแสง in นครสวรรค์
    _fill_registration(
        page, username="malee2569", district=other.district, subdistrict=other.subdistrict
    )

    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    summary = page.locator("main")
    expect(summary).to_contain_text("x-xxxx-xxxxx-63-5")
    expect(summary).not_to_contain_text(NATIONAL_ID)
    expect(summary).to_contain_text("นางสาวมาลี ศรีสุข")
    expect(summary).to_contain_text("ประกาศความเป็นส่วนตัว")
    pass_robot_check(page)
    page.get_by_role("button", name="ลงทะเบียน").click()
    # Without the consent box ticked, the page says so beside it and keeps everything, the
    # not-a-robot check passed included.
    expect(page.locator("#id_confirm-accept_privacy_notice_error")).to_be_visible()
    expect(page.get_by_text(VERIFIED)).to_be_visible()
    page.get_by_label(re.compile("ยอมรับประกาศความเป็นส่วนตัว")).check()
    page.get_by_role("button", name="ลงทะเบียน").click()

    expect(page.get_by_text("ลงทะเบียนเรียบร้อยแล้ว")).to_be_visible()
    expect(page.locator("main")).to_contain_text("นางสาวมาลี ศรีสุข")
    expect(page.locator("main")).to_contain_text("21 ก.ค. 2533")  # Buddhist era
    profile = CitizenProfile.objects.get(user__username="malee2569")
    assert profile.district.name_th == other.district
    assert profile.province.code == province.code()
    assert profile.phone == "+66891234567"
    assert NATIONAL_ID not in profile.national_id_encrypted
    assert ConsentRecord.objects.filter(user=profile.user).count() == 1

    page.locator("main").get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("MALEE2569")
    page.get_by_label("Password").fill("Nakhon2569sawan")
    page.get_by_role("button", name="LOG IN").click()
    expect(page.locator("main")).to_contain_text("นางสาวมาลี ศรีสุข")

    page.get_by_role("link", name="แก้ไขข้อมูล").click()
    page.get_by_label("โทรศัพท์").fill("0861112222")
    home = place()  # เมืองนครสวรรค์ / ปากน้ำโพ / 60000
    page.get_by_label("อำเภอ").select_option(label=home.district)
    page.get_by_label("ตำบล").select_option(label=home.subdistrict)
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("main")).to_contain_text("086 111 2222")
    expect(page.locator("main")).to_contain_text(home.subdistrict)
    profile.refresh_from_db()
    assert profile.district.name_th == home.district
    assert profile.postal_code == home.postal_code


def _to_the_address_step(page, *, username: str) -> None:
    """บุญมี มั่นคง's first two steps of registration, with or without scripts."""
    page.goto("/accounts/register/")
    page.get_by_label("เลขประจำตัวประชาชน").fill("1101700230708")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน", exact=True).fill("Nakhon2569sawan")
    page.get_by_label("ยืนยันรหัสผ่าน").fill("Nakhon2569sawan")
    page.get_by_role("button", name="ถัดไป").click()
    page.get_by_label("คำนำหน้าชื่อ").select_option("นาย")
    page.get_by_label("ชื่อ", exact=True).fill("บุญมี")
    page.get_by_label("นามสกุล").fill("มั่นคง")
    page.get_by_label("วันเกิด").fill("1985-03-15")
    page.get_by_label("โทรศัพท์").fill("0812345678")
    page.get_by_label("อีเมล").fill("boonmee@example.com")
    page.get_by_role("button", name="ถัดไป").click()


def test_a_province_picked_before_the_script_arrived_narrows_the_districts(page):
    """On a slow network the address step shows before its script has run, and the script
    hides the "แสดงอำเภอ/ตำบล" button when it runs: a province picked in between still gets
    its own districts, then the district its subdistricts."""

    script_arrives_late(page, "address-select")
    _to_the_address_step(page, username="slow2569")

    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    page.get_by_label("จังหวัด").select_option(label=place().province)
    refresh = page.get_by_role("button", name="แสดงอำเภอ/ตำบล")
    expect(refresh).to_be_visible()  # the script has not run yet
    expect(refresh).to_be_hidden()  # now it has
    district_select = page.get_by_label("อำเภอ")
    expect(district_select.locator("option")).to_have_count(place().districts_in_province + 1)
    district_select.select_option(label=place(6).district)  # ตาคลี
    subdistrict_select = page.get_by_label("ตำบล")
    expect(subdistrict_select.locator("option", has_text=place(6).subdistrict)).to_have_count(1)


def test_registration_works_without_javascript(browser, live_server, settings):
    """LINE's browser on an old phone may block scripts: the address step still works, and the
    not-a-robot check is a plain tick box (counted from a moment after the page was shown)."""
    settings.ALTCHA_FALLBACK_MIN_WAIT = datetime.timedelta(0)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
        base_url=live_server.url,
        locale="th-TH",
    )
    page = context.new_page()
    _to_the_address_step(page, username="nojs2569")

    page.get_by_label("จังหวัด").select_option(label=place().province)
    page.get_by_role("button", name="แสดงอำเภอ/ตำบล").click()
    expect(page.locator(".errorlist")).to_have_count(0)
    page.get_by_label("อำเภอ").select_option(label=place(6).district)  # ตาคลี
    page.get_by_role("button", name="แสดงอำเภอ/ตำบล").click()
    page.get_by_label("ตำบล").select_option(index=1)
    page.get_by_role("button", name="ถัดไป").click()
    page.get_by_label(re.compile("ยอมรับประกาศความเป็นส่วนตัว")).check()
    tick_robot_box_without_javascript(page)
    page.get_by_role("button", name="ลงทะเบียน").click()
    expect(page.get_by_text("ลงทะเบียนเรียบร้อยแล้ว")).to_be_visible()
    profile = CitizenProfile.objects.get(user__username="nojs2569")
    assert profile.district.name_th == place(6).district
    assert str(profile.birth_date) == "1985-03-15"
    context.close()
