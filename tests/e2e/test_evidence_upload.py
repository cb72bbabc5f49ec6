"""ขั้นตอนที่ ๓ on a phone: one large "ถ่ายรูปหรือเลือกไฟล์" control; picked files upload at once
with a progress bar each, a file can be removed, a refused file is explained next to the field,
and "ต่อไป" goes on (waiting for uploads still running). Without JavaScript, picking and
"ต่อไป" still upload."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from complaints.models import Complaint
from tests.complaints import files as evidence_files
from tests.complaints.factories import pdf_bytes
from tests.e2e import test_complaint_filing as filing
from tests.e2e.phones import laid_out, script_arrives_late
from tests.e2e.test_complaint_filing import log_in_and_consent, phone

citizen = filing.citizen  # the fixture: a registered citizen, the consent text published

pytestmark = pytest.mark.django_db(transaction=True)


def to_evidence_step(page):
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label="สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา")
    page.get_by_label("รายละเอียดการร้องเรียน").fill("ไฟถนนดับทั้งซอย")
    page.get_by_label("อำเภอ").select_option(label="เมืองนครสวรรค์")
    page.get_by_label("ตำบล").select_option(label="ปากน้ำโพ")
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()


def photo(name="ไฟดับ.jpg"):
    return {"name": name, "mimeType": "image/jpeg", "buffer": evidence_files.jpeg()}


def large_photo(name: str) -> dict:
    """A few hundred kilobytes of camera noise, so that a slow upload takes seconds."""
    out = io.BytesIO()
    Image.effect_noise((900, 700), 120).convert("RGB").save(out, "JPEG", quality=95)
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


def document(name="หนังสือ.pdf"):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def test_picked_files_upload_at_once_and_one_is_removed(browser, live_server, citizen):
    context, page = phone(browser, live_server)
    log_in_and_consent(page, citizen)
    to_evidence_step(page)

    picker = page.locator("label.file-button")
    expect(picker).to_have_text("ถ่ายรูปหรือเลือกไฟล์")
    laid_out(page)
    box = picker.bounding_box()
    assert box["height"] >= 56 and box["width"] >= 300  # the largest control on the step
    expect(page.get_by_role("button", name="แนบไฟล์ที่เลือก")).to_have_count(0)

    page.get_by_label("แนบหลักฐาน").set_input_files([photo(), document()])
    staged = page.locator("[data-evidence-files] li")
    expect(staged).to_have_count(2)
    expect(staged.nth(0)).to_contain_text("ไฟดับ.jpg")
    expect(staged.nth(1)).to_contain_text("หนังสือ.pdf")
    expect(page.locator("[data-evidence-uploads] li")).to_have_count(0)  # progress rows gone

    page.get_by_role("button", name="ลบไฟล์ ไฟดับ.jpg").click()
    expect(staged).to_have_count(1)
    expect(staged.first).to_contain_text("หนังสือ.pdf")

    page.get_by_label("แนบหลักฐาน").set_input_files(
        [{"name": "โปรแกรม.jpg", "mimeType": "image/jpeg", "buffer": b"MZ\x90\x00" * 50}]
    )
    expect(page.locator("[data-evidence-errors]")).to_have_text(
        "ไฟล์ โปรแกรม.jpg ไม่ใช่รูปภาพ JPEG/PNG/HEIC หรือ PDF ที่ถูกต้อง"
    )
    expect(staged).to_have_count(1)

    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    expect(page.locator("main")).to_contain_text("หนังสือ.pdf")
    expect(page.locator("main")).not_to_contain_text("ไฟดับ.jpg")
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_role("heading", name="ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")).to_be_visible()
    assert [f.original_name for f in Complaint.objects.get().files.all()] == ["หนังสือ.pdf"]
    context.close()


def test_files_picked_before_the_script_arrived_upload_when_it_runs(browser, live_server, citizen):
    """On a slow network the page shows before its deferred script has run: a citizen who picks
    files at that moment sees them uploaded as soon as the script runs, not lost to it."""
    context, page = phone(browser, live_server)

    script_arrives_late(page, "evidence-upload")
    log_in_and_consent(page, citizen)
    to_evidence_step(page)
    expect(page.locator("[data-evidence-uploader].is-enhanced")).to_have_count(0)

    page.get_by_label("แนบหลักฐาน").set_input_files([photo(), document()])
    staged = page.locator("[data-evidence-files] li")
    expect(staged).to_have_count(2)
    expect(staged.nth(0)).to_contain_text("ไฟดับ.jpg")
    expect(staged.nth(1)).to_contain_text("หนังสือ.pdf")
    page.get_by_label(re.compile("เปิดเผยข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ไฟดับ.jpg")
    expect(page.locator("main")).to_contain_text("หนังสือ.pdf")
    context.close()


def test_a_slow_upload_shows_its_progress_and_next_waits_for_it(browser, live_server, citizen):
    context, page = phone(browser, live_server)
    log_in_and_consent(page, citizen)
    to_evidence_step(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 100, "downloadThroughput": -1, "uploadThroughput": 120_000},
    )

    page.get_by_label("แนบหลักฐาน").set_input_files([large_photo("ใหญ่.jpg")])
    progress = page.get_by_role("progressbar", name="ความคืบหน้าการอัปโหลด ใหญ่.jpg")
    expect(progress).to_be_visible()
    page.get_by_label(re.compile("เปิดเผยข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()  # while the photo is still on its way

    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible(timeout=30_000)
    expect(page.locator("main")).to_contain_text("ใหญ่.jpg")
    context.close()


def test_without_javascript_picking_and_next_upload(browser, live_server, citizen):
    context, page = phone(browser, live_server)
    log_in_and_consent(page, citizen)
    to_evidence_step(page)
    cookies = context.cookies()
    context.close()

    # The same citizen, session and wizard, on a phone whose browser runs no scripts.
    context, page = phone(browser, live_server, java_script_enabled=False)
    context.add_cookies(cookies)
    page.goto("/complaints/new/steps/")
    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    page.get_by_label("แนบหลักฐาน").set_input_files([photo(), document()])
    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ไฟดับ.jpg")
    expect(page.locator("main")).to_contain_text("หนังสือ.pdf")
    context.close()
