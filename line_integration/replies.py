"""Sending one event's reply: with its reply token while the token is fresh, retried when LINE
is busy, never in place of a push LINE would still take.

A reply is free and reaches the citizen at once; a push counts against the account's monthly
quota. LINE's reply token works once and for about a minute
(https://developers.line.biz/en/reference/messaging-api/#send-reply-message). So:

- 429 (LINE did nothing, https://developers.line.biz/en/docs/messaging-api/handling-http-429-errors/),
  5xx and connection failures are tried again after Retry-After or a jittered backoff, as long
  as the token is young enough; after that the answer goes out as a push (the outbox).
- LINE's 400 (an unknown, used or expired token; a message LINE refuses) means a push.
- When an attempt's answer was lost (a timeout after the request went out) and LINE then says
  the token is used while it was still young, the lost attempt is what used it: the citizen
  has the answer, and pushing it again would say it twice.

Nothing here touches the database: the worker's event loop runs it (many at once), and the
caller records the outcome.
"""

import asyncio
import time
from dataclasses import dataclass

import aiohttp
from django.conf import settings
from linebot.v3.messaging.exceptions import ApiException

from line_integration.client import (
    RateGate,
    api_error_text,
    async_messaging_api,
    backoff_seconds,
    post_reply,
    response_header,
    retry_after_seconds,
)

# LINE honours a token for about a minute; retries stop early enough to leave room for the
# last attempt's round trip.
TOKEN_FRESH_SECONDS = 50.0


@dataclass(frozen=True)
class ReplyToSend:
    row_id: int
    reply_token: str
    messages: list[dict]
    event_time: float  # when LINE says the event happened (epoch seconds): the token's age


@dataclass(frozen=True)
class ReplyResult:
    sent: bool
    attempts: int
    request_id: str = ""
    error: str = ""
    unconfirmed: bool = False  # sent by an attempt whose answer was lost


async def send(api, reply: ReplyToSend, *, gate: RateGate) -> ReplyResult:
    """Reply once, retrying what LINE did not take while the token is fresh."""
    timeout = aiohttp.ClientTimeout(total=settings.LINE_HTTP_TIMEOUT)
    attempts, answer_lost, error = 0, False, ""
    while True:
        await gate.wait()
        attempts += 1
        wait = None
        try:
            response = await post_reply(api, reply.reply_token, reply.messages, timeout=timeout)
        except ApiException as exc:
            error = api_error_text(exc)
            status = exc.status or 0
            if status == 429:
                wait = retry_after_seconds(exc.headers) or backoff_seconds(attempts)
                gate.pause(wait)
            elif status >= 500:
                answer_lost = True  # LINE may have sent it all the same
            else:
                young = time.time() - reply.event_time < TOKEN_FRESH_SECONDS
                if status == 400 and answer_lost and young:
                    return ReplyResult(True, attempts, error=error, unconfirmed=True)
                return ReplyResult(False, attempts, error=error)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            error = f"LINE did not answer: {exc.__class__.__name__} {exc}".strip()
            answer_lost = answer_lost or not isinstance(exc, aiohttp.ClientConnectorError)
        else:
            return ReplyResult(
                True, attempts, response_header(response.headers, "x-line-request-id")
            )
        wait = wait if wait is not None else backoff_seconds(attempts)
        if time.time() + wait - reply.event_time >= TOKEN_FRESH_SECONDS:
            return ReplyResult(False, attempts, error=f"{error} (the reply token ran out)")
        await asyncio.sleep(wait)


def send_now(reply: ReplyToSend) -> ReplyResult:
    """One reply from code that is not in an event loop (the immediate task backend)."""

    async def one() -> ReplyResult:
        async with async_messaging_api(connections=1) as api:
            return await send(api, reply, gate=RateGate(settings.LINE_API_RATE))

    return asyncio.run(one())
