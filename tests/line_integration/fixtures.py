"""Fixtures for every test that plays LINE (a pytest plugin of tests/conftest.py):
`line_standin`, a fresh LINE Platform stand-in per test with the project's settings pointed at
it, so tests drive the real SDK over real HTTP; and `send`, a LINE user's action posted to our
webhook."""

import pytest

from line_integration.standin import start_standin
from tests.line_integration.support import send_event

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


@pytest.fixture
def send(client, line_standin, django_capture_on_commit_callbacks):
    """``send(kind, user_id, **fields)``: the stand-in builds a LINE user's event ("follow",
    "message" with text=..., "postback" with data=...), it is posted to our webhook, and what
    the worker would run after commit runs. Returns the event."""

    def send(kind: str, user_id: str, **fields) -> dict:
        return send_event(
            client, django_capture_on_commit_callbacks, line_standin.state, kind, user_id, **fields
        )

    return send
