"""A news editor works on a news item in the Wagtail admin on a laptop: the rich-text editor
(Draftail), the date picker, the picture chooser, the live preview and publishing, all under the
admin's Content-Security-Policy (the suite fails on any violation); then a visitor reads it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.accounts.factories import DEFAULT_PASSWORD, StaffFactory
from tests.news.support import cover_image, make_news

pytestmark = pytest.mark.django_db(transaction=True)

ADDED = "หน่วยบริการเคลื่อนที่รับเรื่องร้องเรียน "
BOLD = "ณ ที่ว่าการอำเภอบรรพตพิสัย"


def test_an_editor_writes_picks_a_cover_previews_and_publishes(browser, live_server):
    editor = StaffFactory(role=Role.NEWS_EDITOR)
    news = make_news("ศูนย์ดำรงธรรมลงพื้นที่", summary="รับเรื่องร้องเรียนนอกสถานที่")
    cover_image("ภาพกิจกรรมลงพื้นที่")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        base_url=live_server.url,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/admin/login/")
        page.locator("input[name=username]").fill(editor.username)
        page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        expect(page).to_have_url(f"{live_server.url}/admin/")

        page.goto(reverse("wagtailadmin_pages:edit", args=[news.pk]))
        body = page.locator(".Draftail-Editor [contenteditable=true]")
        body.click()
        page.keyboard.type(ADDED)
        page.keyboard.press("Control+b")
        page.keyboard.type(BOLD)
        expect(body).to_contain_text(ADDED + BOLD)

        page.locator("#id_date").click()  # the date picker starts from an inline script
        expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
        page.keyboard.press("Escape")

        chooser = page.locator("#id_cover_image-chooser")
        chooser.get_by_role("button", name="เลือกรูปภาพ").click()
        page.locator(".modal [data-chooser-modal-choice]", has_text="ภาพกิจกรรมลงพื้นที่").click()
        expect(chooser.locator("[data-chooser-title]")).to_have_text("ภาพกิจกรรมลงพื้นที่")

        page.locator("[data-side-panel-toggle=preview]").click()
        preview = page.frame_locator("#w-preview-iframe")
        expect(preview.locator("main")).to_contain_text(ADDED + BOLD, timeout=20_000)

        page.locator("footer .w-dropdown__toggle").click()
        page.locator("button[name=action-publish]").click()
        expect(page.locator(".messages .success")).to_contain_text("ศูนย์ดำรงธรรมลงพื้นที่")
    finally:
        context.close()

    news.refresh_from_db()
    assert f"<b>{BOLD}</b>" in news.body and news.cover_image.title == "ภาพกิจกรรมลงพื้นที่"
    visitor = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        reader = visitor.new_page()
        reader.goto(news.url)
        expect(reader.get_by_text(BOLD)).to_be_visible()
        expect(reader.locator("main img").first).to_be_visible()
    finally:
        visitor.close()
