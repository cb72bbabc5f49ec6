"""Playwright driving Debian's Chromium (never a downloaded browser) against a live server.

Every browser context a test opens (the ``page`` fixture's, and any from ``browser.new_context``)
records the Content-Security-Policy violations of its pages and frames, and a test with any
violation fails at teardown: a page that needs something the policy refuses is broken for
citizens (the script or style did not run), so it is a defect like any other.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.phones import phone

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

# Runs in every document before its own scripts (CDP injects it, so the policy does not apply
# to it); each violation event is handed to Python through the binding.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation?.({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    disposition: event.disposition,
    page: document.location.href,
  });
}, true);
"""
_csp_violations: list[dict] = []


def watch_csp(context) -> None:
    """Record the violations of ``context``'s pages: the DOM's events and, for those that reach
    only the console (a refused frame ancestor), Chromium's console message."""
    context.add_init_script(CSP_LISTENER)
    context.expose_binding("__cspViolation", lambda _source, found: _csp_violations.append(found))

    def on_console(message):
        if "Content Security Policy" in message.text:
            _csp_violations.append({"console": message.text, "page": message.location.get("url")})

    context.on("console", on_console)


class WatchedBrowser:
    """The session's browser; every context it opens is watched (watch_csp)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        watch_csp(context)
        return context

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)
        watch_csp(page.context)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def csp_violations():
    """The violations recorded during this test; none may be left at its end. A test that
    provokes one on purpose takes it out of the list after checking it."""
    _csp_violations.clear()
    yield _csp_violations
    found = list(_csp_violations)
    _csp_violations.clear()
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(map(str, found))


def pytest_collection_modifyitems(items):
    """Browser tests run last, so the browser they share is not alive during other tests."""
    e2e = [item for item in items if "tests/e2e/" in str(item.fspath)]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    items[:] = [item for item in items if item not in e2e] + e2e


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it: apt-get install -y chromium",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in a test body are
    # still plain synchronous code, so tell Django that is intended (for browser tests only).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield WatchedBrowser(browser)
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (390x844, as LINE's in-app browser on a common phone)."""
    context, page = phone(browser, live_server)
    yield page
    context.close()
