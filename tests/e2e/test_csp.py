"""The Content-Security-Policy in a real browser: what an attacker manages to slip into a page
(an inline script, an event-handler attribute, a style attribute, a script from another host)
does not run, and the suite's violation capture (conftest.watch_csp) notices each attempt, so
that a page of ours that needed any of these could not pass a browser test unseen."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injectedScriptRan = true;";
  document.body.append(script);

  const button = document.createElement("button");
  button.id = "injected-button";
  button.textContent = "injected";
  button.setAttribute("onclick", "window.injectedHandlerRan = true;");
  document.body.append(button);

  const styled = document.createElement("p");
  styled.id = "injected-style";
  styled.setAttribute("style", "color: rgb(255, 0, 0)");
  styled.textContent = "red?";
  document.body.append(styled);

  const remote = document.createElement("script");
  remote.src = "https://evil.example/steal.js";
  document.body.append(remote);
}"""


def wait_for(page, violations, condition, timeout_ms: int = 3000) -> bool:
    """The reports reach Python through a binding and the console, a moment after the fact."""
    for _ in range(timeout_ms // 100):
        if condition(violations):
            return True
        page.wait_for_timeout(100)
    return condition(violations)


def test_injected_script_handler_and_style_are_refused_and_recorded(page, csp_violations):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not csp_violations  # the home page itself needs nothing the policy refuses

    page.evaluate(INJECT)
    page.locator("#injected-button").click()

    assert page.evaluate("window.injectedScriptRan") is None
    assert page.evaluate("window.injectedHandlerRan") is None
    color = page.locator("#injected-style").evaluate("e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)"
    recorded = wait_for(
        page,
        csp_violations,
        lambda found: (
            {"script-src-elem", "script-src-attr", "style-src-attr"}
            <= {item.get("directive") for item in found}
            and any(item.get("blocked") == "https://evil.example/steal.js" for item in found)
        ),
    )
    assert recorded, csp_violations
    csp_violations.clear()  # provoked on purpose: this test must not fail at teardown


def test_a_page_framed_by_another_page_is_refused_and_recorded(
    browser, live_server, csp_violations
):
    """frame-ancestors: a refused frame is reported only on the console; that is recorded too,
    in a context a test opens itself (not only the ``page`` fixture's)."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.route(
            "**/framing-probe/",
            lambda route: route.fulfill(
                content_type="text/html",
                body=f'<iframe src="{live_server.url}/" title="probe"></iframe>',
            ),
        )
        page.goto("/framing-probe/")
        recorded = wait_for(
            page,
            csp_violations,
            lambda found: any("frame-ancestors" in item.get("console", "") for item in found),
        )
    finally:
        context.close()
    assert recorded, csp_violations
    csp_violations.clear()
