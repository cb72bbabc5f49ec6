import pytest
from playwright.sync_api import expect

from tests.e2e.phones import laid_out

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_on_a_phone_shows_the_six_services(page):
    page.goto("/")
    tiles = page.locator("a.tile")
    expect(tiles).to_have_count(6)
    expect(tiles.first).to_contain_text("ร้องเรียนร้องทุกข์")
    # Two tiles per row on a 390 px screen, each big enough to tap.
    laid_out(page)
    first, second = tiles.nth(0).bounding_box(), tiles.nth(1).bounding_box()
    assert first["y"] == second["y"]
    assert first["height"] >= 48 and first["width"] >= 120
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_chat_tile_asks_a_visitor_to_log_in_first(page):
    page.goto("/")
    page.get_by_role("link", name="ติดต่อขอความช่วยเหลือประชาชน").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("เข้าสู่ระบบ")
    assert page.url.endswith("/accounts/login/?next=/chat/")
