"""A phone as citizens hold one: LINE's in-app browser on a common Android phone (390x844),
Thai, Bangkok time, touch."""

import re

from playwright._impl._errors import TargetClosedError  # not exported by sync_api

VIEWPORT = {"width": 390, "height": 844}


def phone(browser, server, **options):
    """A new phone-sized browser context on ``server`` (anything with a ``url``: the live
    server, a site started for the test) and a page in it."""
    context = browser.new_context(
        viewport=VIEWPORT,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        base_url=server.url,
        is_mobile=True,
        has_touch=True,
        **options,
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def fetched(route):
    """The real answer to the request ``route`` holds, for a handler to change; None when its
    page or context was closed before the handler ran (a stylesheet still on its way when a
    test ended), with nothing left to answer. Raised from a route handler, that error would
    fail whichever test the browser's next event happens to come in."""
    try:
        return route.fetch()
    except TargetClosedError:
        return None


def script_arrives_late(page, name: str, seconds: float = 1.5) -> None:
    """On a slow network a page shows before its deferred scripts have run. Make the static
    script ``name`` (e.g. "evidence-upload", whatever its hashed file name) run ``seconds``
    after it would have, so that a test can act in between as a citizen may."""

    def late(route):
        response = fetched(route)
        if response is None:
            return
        body = f"setTimeout(function () {{{response.text()}}}, {int(seconds * 1000)});"
        route.fulfill(response=response, body=body)

    page.route(re.compile(rf"/{re.escape(name)}[^/]*\.js(\?|$)"), late)


def laid_out(page):
    """``page`` once its stylesheets (with its images and deferred scripts) have arrived. The DOM
    can be read, and a heading found visible, while a stylesheet is still on its way; sizes read
    then are the unstyled page's, which no citizen sees (the browser paints only once the head's
    stylesheets are in). Measure sizes after this."""
    page.wait_for_load_state("load")
    return page
