"""A citizen rates a completed case on a phone, from the link in LINE's "completed" message:
logs in through the real log-in page, taps four stars, writes a comment, sends it."""

import pytest
from playwright.sync_api import expect

from complaints.models import SatisfactionRating, State
from complaints.notifications import STATE_PURPOSE
from complaints.workflow import complaint_change_state
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import (
    grant_case_permissions,
    link_line,
    messages_to,
    officer,
)
from tests.e2e.phones import laid_out
from tests.line_integration.support import actions_of, signed_in_target

pytestmark = pytest.mark.django_db(transaction=True)


def rate_link_in_line(line_id: str) -> str:
    """The "ประเมินความพึงพอใจ" button of the message LINE would show the citizen."""
    [row] = [row for row in messages_to(line_id) if row.purpose == STATE_PURPOSE]
    [message] = row.messages
    [button] = [a for a in actions_of(message) if a.get("label") == "ประเมินความพึงพอใจ"]
    return button["uri"]


def test_citizen_rates_four_stars_from_the_line_link(page, live_server, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # links in LINE messages point here
    settings.SITE_URL = live_server.url
    grant_case_permissions()
    citizen = CitizenFactory()
    line_id = link_line(citizen.user)
    complaint = ComplaintFactory(profile=citizen)
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=officer(), public_note="ซ่อมไฟถนนเรียบร้อยแล้ว"
    )
    # In LINE the button signs the citizen in with LINE first (tests/e2e/test_line_journeys.py);
    # the same page opened in another browser asks for the seed's log-in.
    link = live_server.url + signed_in_target(rate_link_in_line(line_id))
    assert link == f"{live_server.url}/complaints/{complaint.tracking_number}/rate/"

    page.goto(link)
    page.get_by_label("Username").fill(citizen.user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="LOG IN").click()

    expect(page.get_by_role("heading", name="ประเมินความพึงพอใจ")).to_be_visible()
    assert page.url == link
    four = page.locator("label.star-choice", has_text="4 ดาว ดี")
    laid_out(page)
    box = four.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300  # a large target for a thumb
    four.tap()
    expect(page.get_by_label("4 ดาว ดี")).to_be_checked()
    page.get_by_label("ความคิดเห็นเพิ่มเติม (ถ้ามี)").fill("เจ้าหน้าที่ติดตามงานรวดเร็ว")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="ส่งผลการประเมิน").tap()

    expect(page.get_by_text("ขอบคุณที่ประเมินความพึงพอใจ")).to_be_visible()
    expect(page.locator("[data-rating-current]")).to_contain_text("4/5 ดี")
    rating = SatisfactionRating.objects.get(complaint=complaint)
    assert (rating.score, rating.comment) == (4, "เจ้าหน้าที่ติดตามงานรวดเร็ว")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
