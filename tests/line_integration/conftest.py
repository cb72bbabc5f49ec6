"""The `line_standin` fixture: a fresh LINE Platform stand-in per test, with the project's
settings pointed at it, so tests drive the real SDK over real HTTP."""

import pytest

from line_integration.standin import start_standin

TEST_ACCESS_TOKEN = "test-standin-access-token"


@pytest.fixture
def line_standin(settings):
    """Yields the running server (.url, .state, .stop()). Users must exist before the bot
    can push to them: `line_standin.state.add_user(...)`. Webhook events are not posted
    anywhere unless a test sets `line_standin.state.webhook_url`."""
    server = start_standin(
        port=0,
        access_token=TEST_ACCESS_TOKEN,
        channel_secret=settings.LINE_CHANNEL_SECRET,
        login_channel_id=settings.LINE_LOGIN_CHANNEL_ID,
        login_channel_secret=settings.LINE_LOGIN_CHANNEL_SECRET,
    )
    server.state.hang_seconds = 5.0  # a "timeout" fault outlasts the 1 s client timeout
    settings.LINE_API_HOST = server.url
    settings.LINE_API_DATA_HOST = server.url
    settings.LINE_ACCESS_HOST = server.url
    settings.LINE_CHANNEL_ACCESS_TOKEN = TEST_ACCESS_TOKEN
    settings.LINE_HTTP_TIMEOUT = 1.0
    yield server
    server.stop()
