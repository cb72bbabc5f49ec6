"""An officer in the admin: following a log-out link from elsewhere (a GET, as any site could
plant) keeps them logged in; the admin's own "ออกจากระบบ" button logs them out."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import DEFAULT_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_only_the_admins_own_button_logs_the_officer_out(browser, live_server):
    officer = StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="th-TH", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/admin/login/")
        page.locator("input[name=username]").fill(officer.username)
        page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        expect(page).to_have_url(f"{live_server.url}/admin/")

        # As a link or a picture on another site would ask, with the browser's cookies.
        assert context.request.get("/admin/logout/").status == 405
        page.goto("/admin/")
        expect(page).to_have_url(f"{live_server.url}/admin/")

        page.get_by_role("button", name=re.compile("วิไล")).click()
        page.get_by_role("button", name="ออกจากระบบ").click()
        expect(page).to_have_url(re.compile(r"/admin/login/"))
        page.goto("/admin/")
        expect(page).to_have_url(re.compile(r"/admin/login/"))
    finally:
        context.close()
