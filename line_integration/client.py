"""The one place that builds LINE SDK clients (other modules import only the SDK's request
models and its ApiException).

The host comes from settings: LINE's own servers when credentials are set, otherwise the local
stand-in (line_integration/standin), so the same code path runs offline and in production.

Two kinds: the blocking client (urllib3) for code that runs one call at a time, and the
asynchronous one (aiohttp) with which the task worker keeps many replies in flight
(line_integration.event_worker).
"""

import asyncio
import json
import random
import time
from contextlib import asynccontextmanager, contextmanager

from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    AsyncApiClient,
    AsyncMessagingApi,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
)


def configuration(*, data: bool = False) -> Configuration:
    host = settings.LINE_API_DATA_HOST if data else settings.LINE_API_HOST
    return Configuration(host=host, access_token=settings.LINE_CHANNEL_ACCESS_TOKEN)


@contextmanager
def messaging_api():
    with ApiClient(configuration()) as api_client:
        yield MessagingApi(api_client)


@contextmanager
def messaging_api_blob():
    with ApiClient(configuration(data=True)) as api_client:
        yield MessagingApiBlob(api_client)


@asynccontextmanager
async def async_messaging_api(*, connections: int):
    """The aiohttp-based client, with up to ``connections`` requests to LINE at once."""
    api = new_async_messaging_api(connections=connections)
    async with api.api_client:
        yield api


def new_async_messaging_api(*, connections: int) -> AsyncMessagingApi:
    """The same, for a caller that keeps it and closes it itself (``api.api_client.close()``);
    made inside a running event loop, which it then belongs to."""
    config = configuration()
    config.connection_pool_maxsize = max(1, connections)
    return AsyncMessagingApi(AsyncApiClient(config))


REPLY_PATH = "/v2/bot/message/reply"


async def post_reply(api: AsyncMessagingApi, reply_token: str, messages: list[dict], *, timeout):
    """``POST /v2/bot/message/reply`` through the SDK's client (its connections, its bearer
    token, its ApiException for a refusal or a failed connection), with the body as the
    outbox stored it; the answer's status and headers (``x-line-request-id``).

    ``reply_message_with_http_info`` first turns the messages into the SDK's pydantic models
    (``ReplyMessageRequest.from_dict``) and back to JSON (``to_dict``), and then reads LINE's
    answer into models too: about 1 ms of CPU a reply (in a 210-event burst the event loop's
    own work went from 3.4-3.8 to 2.4-2.5 ms an event). The messages were checked when the
    reply was written (line_integration.messages.validate), and the stand-in refuses any body
    LINE's API description refuses (tests/line_integration/test_standin_openapi.py).
    """
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    return await api.api_client.call_api(
        REPLY_PATH,
        "POST",
        header_params=headers,
        body={"replyToken": reply_token, "messages": messages},
        response_types_map={},  # the answer's body (the sent messages' ids) is not read
        auth_settings=["Bearer"],
        _request_timeout=timeout,
    )


class RateGate:
    """Keeps one process's calls to LINE under a rate, and everyone waiting after a 429.

    LINE limits each endpoint per channel (2,000 requests a second for replies and pushes,
    https://developers.line.biz/en/reference/messaging-api/#rate-limits) and asks clients to
    limit themselves below that and, after a 429, to wait (Retry-After when given, otherwise
    exponential backoff with jitter) before anyone tries again: a 429 means LINE did nothing
    with the request. For one event loop; not thread-safe.
    """

    def __init__(self, per_second: float):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_slot = 0.0
        self.paused_until = 0.0
        self.throttled = 0  # how many 429 answers this gate has seen

    async def wait(self) -> None:
        now = time.monotonic()
        start = max(now, self.next_slot, self.paused_until)
        self.next_slot = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def pause(self, seconds: float) -> None:
        self.throttled += 1
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


def backoff_seconds(attempt: int, *, base: float = 0.5, cap: float = 8.0) -> float:
    """Exponential backoff with full jitter, as LINE's 429 guide recommends."""
    return random.uniform(0, min(cap, base * 2**attempt))


def response_header(headers, name: str) -> str:
    """A header of LINE's answer (``name`` in lower case), "" when absent."""
    if not headers:
        return ""
    for key, value in dict(headers).items():
        if key.lower() == name:
            return str(value)
    return ""


def retry_after_seconds(headers) -> float | None:
    """LINE's Retry-After header in seconds, when the answer carries one."""
    value = response_header(headers, "retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def api_error_text(exc) -> str:
    """What LINE said when it refused a call, for the outbox row and the log: "HTTP 400: {…}"
    (its JSON body kept readable, Thai included), or the reason when there is no body."""
    body = exc.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body:
        try:
            body = json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            pass
    return f"HTTP {exc.status or 0}: {body or exc.reason or ''}"
