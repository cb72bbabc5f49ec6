"""A citizen who taps "สำหรับเจ้าหน้าที่" or "สำหรับผู้บริหาร" (rich menu, home tiles) gets a Thai
page that says who the item is for, how those staff log in, and the way back to the citizen
services; the admin's own log-in page is Thai from its title to its last checkbox."""

import re

import pytest
from django.utils import translation

from accounts.roles import Role
from tests.accounts.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

ENGLISH_LEFT_BY_WAGTAIL = (
    "You do not have permission",
    "Forbidden",
    "Sign in",
    "Password",
    "Forgotten password?",
    "Remember me",
    "Skip to main content",
    "JavaScript is required",
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_thai_only(html: str) -> None:
    text = visible_text(html)
    left = [english for english in ENGLISH_LEFT_BY_WAGTAIL if english in text]
    assert not left, f"English on a Thai page: {left}"


def logout_form_next(html: str) -> str:
    """Where the page's "log out, then log in as staff" button leads."""
    forms = re.findall(r'<form[^>]*action="/accounts/logout/"[^>]*>(.*?)</form>', html, re.S)
    nexts = [re.search(r'name="next" value="([^"]*)"', form) for form in forms]
    found = [match.group(1) for match in nexts if match]
    assert found, "a way for staff on a shared phone to log out and in again"
    return found[0]


def test_a_citizen_opening_the_dashboard_gets_a_thai_page_for_executives(client):
    client.force_login(CitizenFactory().user)

    response = client.get("/dashboard/")

    assert response.status_code == 403
    html = response.content.decode()
    assert_thai_only(html)
    assert "<h1>สำหรับผู้บริหาร</h1>" in html
    assert "ผู้บริหารและหัวหน้าเจ้าหน้าที่" in html  # who it is for
    assert "บัญชีประชาชน" in html  # why this account cannot
    assert logout_form_next(html) == "/accounts/login/?next=/dashboard/"
    assert 'href="/"' in html and "บริการสำหรับประชาชน" in html


def test_an_officer_gets_the_same_page_for_the_dashboard_without_being_called_a_citizen(client):
    client.force_login(StaffFactory(role=Role.CASE_OFFICER))

    response = client.get("/dashboard/export.xlsx")

    assert response.status_code == 403
    html = response.content.decode()
    assert "สำหรับผู้บริหาร" in html and "บัญชีประชาชน" not in html


def test_a_citizen_opening_the_admin_gets_a_thai_page_for_officers(client):
    client.force_login(CitizenFactory().user)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert response.status_code == 403
    html = response.content.decode()
    assert_thai_only(html)
    assert "<h1>สำหรับเจ้าหน้าที่</h1>" in html
    assert "เจ้าหน้าที่ผู้ปฏิบัติงานของศูนย์ดำรงธรรมจังหวัดนครสวรรค์" in html
    assert logout_form_next(html) == "/admin/login/?next=/admin/"
    assert 'href="/"' in html
    # Wagtail's refusal is not repeated above the page that explains it.
    assert 'class="messages"' not in html
    # The next page the citizen opens carries no leftover message either.
    assert "ระบบหลังบ้าน" not in client.get("/accounts/profile/").content.decode()


def test_the_admin_log_in_page_is_thai_for_a_thai_browser(client):
    response = client.get("/admin/login/?next=/admin/", HTTP_ACCEPT_LANGUAGE="th-TH,th;q=0.9")

    assert response.status_code == 200
    html = response.content.decode()
    assert_thai_only(html)
    assert "<title>เข้าสู่ระบบสำหรับเจ้าหน้าที่ - ศูนย์ดำรงธรรมจังหวัดนครสวรรค์</title>" in html
    for thai in ("เข้าสู่ระบบสำหรับเจ้าหน้าที่", "รหัสผ่าน", "ลืมรหัสผ่าน", "จดจำการเข้าสู่ระบบ"):
        assert thai in html, thai
    # A citizen who tapped the item by mistake finds the way back.
    assert 'href="/"' in html and "บริการสำหรับประชาชน" in html


def test_the_admin_log_in_page_still_logs_officers_in(client):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    response = client.post(
        "/admin/login/", {"username": officer.username, "password": "Sawan2569pass"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wagtails_admin_refusal_reads_in_thai():
    with translation.override("th"):
        refusal = translation.gettext("You do not have permission to access the admin.")
    assert refusal == "ท่านไม่มีสิทธิ์ใช้ระบบสำหรับเจ้าหน้าที่"


def test_the_staff_only_page_follows_the_english_switch(client):
    client.force_login(CitizenFactory().user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/dashboard/").content.decode()

    assert "<h1>For executives</h1>" in html
    assert "สำหรับผู้บริหาร" not in html
