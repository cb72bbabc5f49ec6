"""The not-a-robot check as a citizen passes it in a browser: one tap on the box, then the page
says "ยืนยันแล้ว…" once the phone has done its proof of work."""

from playwright.sync_api import expect

LABEL = "ฉันไม่ใช่โปรแกรมอัตโนมัติ"
VERIFIED = "ยืนยันแล้วว่าไม่ใช่โปรแกรมอัตโนมัติ"


def pass_robot_check(page) -> None:
    # The script swaps the plain box for the ALTCHA widget once it has loaded.
    expect(page.locator("altcha-widget")).to_be_attached()
    page.get_by_text(LABEL, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=VERIFIED)).to_be_visible(timeout=20_000)


def tick_robot_box_without_javascript(page) -> None:
    page.get_by_label(LABEL, exact=True).check()
