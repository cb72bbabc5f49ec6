"""A phone as citizens hold one: LINE's in-app browser on a common Android phone (390x844),
Thai, Bangkok time, touch."""

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
