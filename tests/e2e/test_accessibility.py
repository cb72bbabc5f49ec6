"""axe-core on every page a citizen meets, on a phone, plus the officer's case page and the
executives' dashboard: 0 serious and 0 critical findings.

The walk uses the demo data (news with covers, somchai01's complaints in every state, a chat,
an officer's case with its history). Each page is checked as a person sees it: with a flash
message, with the map drawn on step ๒ and on the review step (tiles played by page.route),
with evidence uploaded, and the staff-only and error pages a citizen may land on. The figures
per page are written to standard output (``pytest -s``).
"""

import io
import re
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from PIL import Image
from playwright.sync_api import expect
from wagtail.models import Collection

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint, State
from tests.accounts.factories import DEFAULT_PASSWORD, StaffFactory
from tests.complaints import files as evidence_files
from tests.complaints.admin_support import grant_officer_screen_permissions, inspect_url
from tests.complaints.factories import pdf_bytes
from tests.e2e import phones
from tests.e2e.axe import AxeReport, assert_no_blocking, axe_check
from tests.e2e.test_complaint_filing import log_in_and_consent

pytestmark = pytest.mark.django_db(transaction=True)

POSITION = {"latitude": 15.7030, "longitude": 100.1370, "accuracy": 18}
PICTOGRAPHS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), "#cfe3c8").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def demo(live_server, settings):
    """The demo data, with map tiles served by the test (page.route) and a known password."""
    settings.MAP_TILE_URL = live_server.url + "/tiles/{z}/{x}/{y}.png"
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"
    if Collection.get_first_root_node() is None:  # emptied by the previous test's flush
        Collection.add_root(name="Root")
    call_command("load_demo_data", allow_production=True, stdout=io.StringIO())
    somchai = User.objects.get(username="somchai01")
    somchai.set_password(DEFAULT_PASSWORD)
    somchai.save()
    return somchai


def phone(browser, live_server, **options):
    context, page = phones.phone(browser, live_server, **options)
    tile = tile_png()
    context.route("**/tiles/**", lambda route: route.fulfill(body=tile, content_type="image/png"))
    return context, page


def signed_in(context, live_server, user) -> None:
    """Log a member of staff in by session cookie (their log-in pages are walked elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def write(report: AxeReport) -> AxeReport:
    sys.stdout.write(f"\naxe {report.line()}\n{report.describe()}\n")
    return report


def test_every_citizen_page_has_no_serious_or_critical_axe_finding(browser, live_server, demo):
    context, page = phone(browser, live_server, geolocation=POSITION, permissions=["geolocation"])
    reports: list[AxeReport] = []

    emoji: dict[str, list[str]] = {}

    def check(name: str) -> None:
        reports.append(write(axe_check(page, name)))
        found = PICTOGRAPHS.findall(page.locator("body").inner_text())
        if found:
            emoji[name] = found

    # Anonymous: home, news, log-in, the four registration steps.
    page.goto("/")
    expect(page.locator(".tiles")).to_be_visible()
    check("home")
    page.goto("/news/")
    check("news index")
    page.locator(".news-card a").first.click()
    expect(page.locator("article, main h1").first).to_be_visible()
    check("news item")
    page.goto("/opendata/")
    expect(page.get_by_role("heading", name="พจนานุกรมข้อมูล")).to_be_visible()
    check("open data")
    page.goto("/accounts/login/")
    check("log-in")
    page.goto("/accounts/register/")
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    check("register step 1")
    page.get_by_label("เลขประจำตัวประชาชน").fill("3-1006-00445-63-5")
    page.get_by_label("ชื่อผู้ใช้").fill("malee2569")
    page.get_by_label("รหัสผ่าน", exact=True).fill("Nakhon2569sawan")
    page.get_by_label("ยืนยันรหัสผ่าน").fill("Nakhon2569sawan")
    page.get_by_role("button", name="ถัดไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    check("register step 2")
    page.get_by_role("button", name="ถัดไป").click()  # nothing typed: the errors are shown
    expect(page.locator(".errorlist").first).to_be_visible()
    check("register step 2 with errors")
    page.get_by_label("คำนำหน้าชื่อ").select_option("นางสาว")
    page.get_by_label("ชื่อ", exact=True).fill("มาลี")
    page.get_by_label("นามสกุล").fill("ศรีสุข")
    page.get_by_label("วันเกิด").fill("1990-07-21")
    page.get_by_label("โทรศัพท์").fill("089-123-4567")
    page.get_by_label("อีเมล").fill("malee@example.com")
    page.get_by_role("button", name="ถัดไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    check("register step 3")
    page.get_by_label("บ้านเลขที่").fill("45/2")
    page.get_by_label("จังหวัด").select_option(label="นครสวรรค์")
    page.get_by_label("อำเภอ").select_option(label="ชุมแสง")
    page.get_by_label("ตำบล").select_option(label="ชุมแสง")
    page.get_by_role("button", name="ถัดไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    check("register step 4")
    page.goto("/no-such-page/")
    check("404 page")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    check("staff log-in (anonymous, สำหรับเจ้าหน้าที่)")

    # somchai01: consent, the four steps with the map, evidence, receipt.
    log_in_and_consent(page, demo.citizen_profile)
    check("wizard step 1")
    page.goto("/complaints/new/")
    check("consent (เข้าระบบร้องเรียน)")
    page.goto("/complaints/new/steps/")
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    check("wizard step 2")
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label="สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา")
    page.get_by_label("รายละเอียดการร้องเรียน").fill("ไฟถนนดับทั้งซอย")
    page.get_by_label("อำเภอ").select_option(label="เมืองนครสวรรค์")
    page.get_by_label("ตำบล").select_option(label="ปากน้ำโพ")
    page.get_by_role("button", name="แชร์ตำแหน่งที่ตั้งปัจจุบัน").click()
    expect(page.locator("[data-location-map] .leaflet-tile-loaded").first).to_be_visible()
    check("wizard step 2 with the map")
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    check("wizard step 3")
    page.get_by_label("แนบหลักฐาน").set_input_files(
        [
            {"name": "ไฟดับ.jpg", "mimeType": "image/jpeg", "buffer": evidence_files.jpeg()},
            {"name": "หนังสือ.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
            {"name": "โปรแกรม.exe", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00"},
        ]
    )
    expect(page.locator("main")).to_contain_text("หนังสือ.pdf")
    expect(page.locator(".errorlist")).to_contain_text("โปรแกรม.exe")
    check("wizard step 3 with files and a refused one")
    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()
    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    check("wizard step 4 (review)")
    page.get_by_role("button", name="ดูตำแหน่งบนแผนที่").click()
    expect(page.locator("[data-location-readonly] .leaflet-tile-loaded").first).to_be_visible()
    check("wizard step 4 with the map")
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_role("heading", name="ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")).to_be_visible()
    check("receipt")

    # Tracking, rating, chat, profile (with a flash message), my data.
    page.goto("/complaints/")
    check("tracking list")
    completed = Complaint.objects.filter(citizen=demo, state=State.COMPLETED).first()
    page.goto(f"/complaints/{completed.tracking_number}/")
    check("tracking detail")
    page.goto(f"/complaints/{completed.tracking_number}/rate/")
    check("rate")
    page.goto("/chat/")
    check("chat")
    page.goto("/accounts/profile/")
    check("profile")
    page.goto("/accounts/profile/edit/")
    check("profile edit")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกข้อมูลเรียบร้อยแล้ว")
    check("profile with a flash message")
    page.goto("/accounts/profile/my-data/")
    check("my data")

    # The staff-only items of the menu, as a citizen taps them.
    page.goto("/dashboard/")
    check("สำหรับผู้บริหาร (as a citizen)")
    page.goto("/admin/")
    check("สำหรับเจ้าหน้าที่ (as a citizen)")
    context.close()
    assert_no_blocking(reports)
    assert emoji == {}, "pictograms belong in inline SVG (core/icons.py), not emoji"


def test_staff_pages_have_no_serious_or_critical_axe_finding(browser, live_server, demo):
    grant_officer_screen_permissions()
    reports: list[AxeReport] = []
    officer = User.objects.get(username="officer01")
    complaint = (
        Complaint.objects.filter(history__isnull=False, state=State.COMPLETED).distinct().first()
    )

    context, page = phone(browser, live_server)
    signed_in(context, live_server, officer)
    page.goto(inspect_url(complaint))
    expect(page.locator(".case-history-wrap")).to_be_visible()
    reports.append(write(axe_check(page, "officer case page")))
    context.close()

    context, page = phone(browser, live_server)
    signed_in(context, live_server, StaffFactory(role=Role.EXECUTIVE))
    page.goto("/dashboard/")
    expect(page.locator("li.figure").first).to_be_visible()
    reports.append(write(axe_check(page, "dashboard")))
    context.close()
    assert_no_blocking(reports)


def test_error_pages_have_no_serious_or_critical_axe_finding(browser, live_server, demo):
    """403 (CSRF), 400 and 500 as a phone draws them: the CSRF page for real (a form sent
    without its cookie), the others as Django renders them, served at an address of the site
    so their style sheet loads."""
    reports: list[AxeReport] = []
    context, page = phone(browser, live_server)
    page.goto("/accounts/login/")
    context.clear_cookies()
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_be_visible()
    reports.append(write(axe_check(page, "403 CSRF failure")))

    for status, path in ((400, "/__error_400__/"), (500, "/__error_500__/")):
        html = _rendered_error(status)
        context.route(f"**{path}", _serving(html, status))
        page.goto(path)
        reports.append(write(axe_check(page, f"{status} page")))
    context.close()
    assert_no_blocking(reports)


def _serving(html: str, status: int):
    def fulfil(route):
        route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

    return fulfil


def _rendered_error(status: int) -> str:
    from django.test import RequestFactory
    from django.views import defaults

    request = RequestFactory().get("/")
    if status == 400:
        response = defaults.bad_request(request, Exception("bad"))
    else:
        response = defaults.server_error(request)
    assert response.status_code == status
    return response.content.decode()
