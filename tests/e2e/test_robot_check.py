"""The not-a-robot check on the consent page, in a phone's browser: one tap, the phone's proof of
work, "ยืนยันแล้ว…", then "ยืนยัน" lets the citizen in. In LINE's in-app browser (its user
agent), under the strict Content-Security-Policy the site is moving to (no inline script or
style, workers and requests only from the site), from the keyboard, and without JavaScript."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from complaints.setup import ensure_complaint_consent
from core.models import UsedChallenge
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory
from tests.e2e.phones import fetched, phone
from tests.e2e.robot import LABEL, VERIFIED, pass_robot_check, tick_robot_box_without_javascript

pytestmark = pytest.mark.django_db(transaction=True)

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
LINE_IN_APP = (
    "Mozilla/5.0 (Linux; Android 12; SM-A045F Build/SP1A.210812.016; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Line/14.1.2/IAB"
)
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.cspViolations = window.cspViolations || []).push(
    event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def citizen(live_server):
    ensure_complaint_consent()
    return CitizenFactory()


def log_in_to_consent(page, citizen):
    page.goto("/complaints/new/")
    page.get_by_label("Username").fill(citizen.user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="LOG IN").click()
    expect(page.get_by_role("heading", name="เข้าระบบร้องเรียน")).to_be_visible()


def with_strict_csp(route):
    response = fetched(route)
    if response is None:
        return
    route.fulfill(
        response=response, headers={**response.headers, "content-security-policy": STRICT_CSP}
    )


def test_one_tap_in_line_under_a_strict_csp_and_nothing_leaves_the_site(
    browser, live_server, citizen, csp_violations
):
    context, page = phone(browser, live_server, user_agent=LINE_IN_APP)
    context.route("**/*", with_strict_csp)
    context.add_init_script(REPORT_CSP)
    hosts, console_errors = set(), []
    context.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    log_in_to_consent(page, citizen)

    with page.expect_response(re.compile(r"/robot-check/challenge/$")) as challenge:
        pass_robot_check(page)
    assert challenge.value.status == 200
    assert page.get_by_role("checkbox", name=VERIFIED).is_checked()
    assert page.locator("input[type=hidden][name=robot]").input_value()  # the solved payload
    expect(page.get_by_text("ALTCHA")).to_have_count(0)  # no footer, no logo linking away
    page.get_by_role("button", name="ยืนยัน", exact=True).click()

    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    assert UsedChallenge.objects.count() == 1
    assert page.evaluate("window.cspViolations || []") == []
    assert not [text for text in console_errors if "Content Security Policy" in text]
    assert hosts == {urlsplit(live_server.url).netloc}
    # The policy was really in force: an inline style added now is refused.
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p{}'")
    expect(page.locator("main")).to_be_visible()
    assert page.evaluate("window.cspViolations")[0].startswith("style-src")
    context.close()
    # That one was provoked on purpose; the suite's own watch (conftest) saw it too.
    assert csp_violations and all("style-src" in str(found) for found in csp_violations)
    csp_violations.clear()


def test_the_check_from_the_keyboard_with_its_state_read_out(browser, live_server, citizen):
    context, page = phone(browser, live_server)
    log_in_to_consent(page, citizen)
    expect(page.locator("altcha-widget")).to_be_attached()
    box = page.get_by_role("checkbox", name=LABEL)
    box.focus()
    # Help text and errors are read with the box, as for every other field.
    assert page.locator("#id_robot_helptext").get_attribute("id") in (
        box.get_attribute("aria-describedby") or ""
    )
    page.keyboard.press("Space")
    status = page.get_by_role("status").filter(has_text=VERIFIED)
    expect(status).to_be_visible(timeout=20_000)
    assert status.get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="ยืนยัน", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    context.close()


def test_sent_without_the_tap_the_page_says_so_beside_the_box(browser, live_server, citizen):
    context, page = phone(browser, live_server)
    log_in_to_consent(page, citizen)
    expect(page.locator("altcha-widget")).to_be_attached()
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.locator("#id_robot_error")).to_contain_text(f"กรุณากดช่อง “{LABEL}”")
    pass_robot_check(page)
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    context.close()


def test_without_javascript_the_tick_box_lets_the_citizen_in(
    browser, live_server, citizen, settings
):
    """No script, no proof of work: the box's signed token counts from a few seconds after the
    page was shown. Sent sooner, the page asks to wait and keeps the box ticked."""
    settings.ALTCHA_FALLBACK_MIN_WAIT = datetime.timedelta(minutes=1)
    context, page = phone(browser, live_server, java_script_enabled=False)
    log_in_to_consent(page, citizen)
    tick_robot_box_without_javascript(page)
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.locator("#id_robot_error")).to_contain_text("กรุณารอสักครู่")
    expect(page.get_by_label(LABEL, exact=True)).to_be_checked()

    settings.ALTCHA_FALLBACK_MIN_WAIT = datetime.timedelta(0)  # the moment has passed
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    assert UsedChallenge.objects.get().key.startswith("wait:")
    context.close()
