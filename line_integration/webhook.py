"""Receiving LINE webhooks: signature check, parsing, and processing of stored events.

The signature is checked on its own (not through the SDK's parser) because the parser refuses
event types it does not know, and LINE adds new ones; those must be stored and ignored.
"""

import json
import logging
import math
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from linebot.v3.webhook import SignatureValidator

from line_integration import replies, webhook_sql
from line_integration.models import WebhookEvent
from line_integration.replies import ReplyResult, ReplyToSend

logger = logging.getLogger(__name__)


class InvalidWebhook(Exception):
    """The request did not come from LINE, or is not a webhook body."""


def parse_signed_body(body: bytes, signature: str | None) -> list[dict]:
    """The events of a request that LINE signed with our channel secret."""
    if not signature:
        raise InvalidWebhook("missing X-Line-Signature")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidWebhook("body is not UTF-8") from exc
    if not SignatureValidator(settings.LINE_CHANNEL_SECRET).validate(text, signature):
        raise InvalidWebhook("wrong X-Line-Signature")
    try:
        payload = storable(json.loads(text))
    except (ValueError, RecursionError) as exc:
        raise InvalidWebhook("body is not JSON that can be stored") from exc
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise InvalidWebhook("no events list")
    return events


MAX_DEPTH = 32


def storable(value, depth: int = 0):
    """The parsed body as PostgreSQL's jsonb can keep it: strings without NUL characters or
    lone surrogates (JSON escapes can carry both), no infinite or NaN numbers, and no deeper
    than LINE ever nests. LINE sends none of these; a signed body is still checked."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    if isinstance(value, list):
        return [storable(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {storable(key, depth + 1): storable(item, depth + 1) for key, item in value.items()}
    return value


# Processing ---------------------------------------------------------------------------------
#
# An event is claimed (processed_at, at most once), its handler runs and says what to answer
# (begin), the reply goes to LINE (line_integration.replies: no database), and the outcome is
# recorded (finish: the reply row, a push in its place, finished_at). The task worker runs many
# events at once this way (line_integration.event_worker); inside a transaction (the immediate
# task backend of the tests) they run here, one after the other.

# A claimed event left unfinished this long was held by a worker that stopped: it is given up
# (not run again: answering twice is worse than not at all) so the chat's next events go on.
STALE_AFTER = timedelta(minutes=2)
SCAN_LIMIT = 2000
# While a burst of webhooks is still coming in, the task worker waits before claiming (at most
# SETTLE_AT_MOST after the burst's first event): the webhook answers LINE first, on the CPU
# the worker's handlers would take, and the replies go a moment later, all at once. An event
# that comes alone waits at most SETTLE_QUIET.
SETTLE_QUIET = timedelta(milliseconds=60)
SETTLE_AT_MOST = timedelta(milliseconds=600)


@dataclass
class Prepared:
    """A handled event and what it says: the reply, and answers pushed after it."""

    event_id: int
    outcome: str
    to: str | None
    reply: ReplyToSend | None = None
    later: list[tuple[list[dict], str]] = field(default_factory=list)


def claim_waiting(*, limit: int, now: datetime | None = None) -> list[WebhookEvent]:
    """Claim up to ``limit`` waiting events, oldest first, at most one per chat and none of a
    chat whose previous event is still being handled (by any worker); the claimed events, read
    in one query."""
    now = now or timezone.now()
    give_up_stale(now=now)
    running = WebhookEvent.objects.filter(processed_at__isnull=False, finished_at__isnull=True)
    busy = set(running.exclude(source_id="").values_list("source_id", flat=True))
    waiting = (
        WebhookEvent.objects.filter(processed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "source_id")[:SCAN_LIMIT]
    )
    chosen = []
    for pk, source_id in waiting:
        if source_id:
            if source_id in busy:
                continue  # its turn comes after the chat's earlier event
            busy.add(source_id)
        chosen.append(pk)
        if len(chosen) >= limit:
            break
    if not chosen:
        return []
    taken = webhook_sql.claim(chosen, now)  # the whole burst in one statement
    claimed = (
        _claim_one_by_one(chosen, now) if taken is None else [pk for pk in chosen if pk in taken]
    )
    if not claimed:
        return []
    records = WebhookEvent.objects.in_bulk(claimed)
    return [records[pk] for pk in claimed]


def _claim_one_by_one(chosen: list[int], now: datetime) -> list[int]:
    claimed = []
    with transaction.atomic():
        for pk in chosen:
            try:
                with transaction.atomic():
                    unclaimed = WebhookEvent.objects.filter(pk=pk, processed_at__isnull=True)
                    if unclaimed.update(processed_at=now):
                        claimed.append(pk)
            except IntegrityError:
                continue  # another worker took this chat's previous event meanwhile
    return claimed


def still_arriving(*, now: datetime | None = None) -> bool:
    """Whether waiting events are still coming in a burst: the newest came less than
    SETTLE_QUIET ago and the oldest less than SETTLE_AT_MOST ago (one query)."""
    now = now or timezone.now()
    span = WebhookEvent.objects.filter(processed_at__isnull=True).aggregate(
        oldest=Min("received_at"), newest=Max("received_at")
    )
    if span["newest"] is None:
        return False
    return now - span["newest"] < SETTLE_QUIET and now - span["oldest"] < SETTLE_AT_MOST


def waiting_exists() -> bool:
    return WebhookEvent.objects.filter(processed_at__isnull=True).exists()


def give_up_stale(*, now: datetime) -> int:
    stale = WebhookEvent.objects.filter(
        processed_at__lt=now - STALE_AFTER, finished_at__isnull=True
    )
    if not stale.exists():  # a read: no write lock on SQLite when there is nothing to do
        return 0
    return stale.update(
        finished_at=now, error="the worker stopped while handling this event; not run again"
    )


def begin(event: WebhookEvent | int) -> Prepared:
    """Run the handler of a claimed event (as claim_waiting read it, or by its id) and turn
    its answers into the reply to send."""
    from line_integration import handlers, outbox

    record = event if isinstance(event, WebhookEvent) else WebhookEvent.objects.get(pk=event)
    event_id = record.pk
    ctx = handlers.EventContext(event=record.payload, record=record)
    try:
        outcome = handlers.dispatch(record.payload, record=record, ctx=ctx)
    except Exception as exc:  # any handler bug is stored on the event for staff
        logger.exception("LINE event %s (%s) failed", record.webhook_event_id, record.event_type)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        WebhookEvent.objects.filter(pk=event_id).update(error=error[:4000])
        outcome = "error"
    prepared = Prepared(event_id, outcome, ctx.line_user_id, later=list(ctx.answers))
    if prepared.later and ctx.reply_token:
        messages, purpose = prepared.later.pop(0)
        row = outbox.prepare_reply(to=ctx.line_user_id, messages=messages, purpose=purpose)
        prepared.reply = ReplyToSend(row.pk, ctx.reply_token, messages, _event_time(record))
    return prepared


@transaction.atomic
def finish(prepared: Prepared, result: ReplyResult | None) -> str:
    """Record the reply's outcome, push what the reply could not carry, close the event."""
    from line_integration import outbox

    if prepared.reply is not None and result is not None:
        outbox.reply_done(
            row_id=prepared.reply.row_id,
            sent=result.sent,
            attempts=result.attempts,
            request_id=result.request_id,
            error=result.error,
        )
    for messages, purpose in prepared.later:
        if prepared.to:
            outbox.enqueue_push(to=prepared.to, messages=messages, purpose=purpose)
    WebhookEvent.objects.filter(pk=prepared.event_id).update(finished_at=timezone.now())
    return prepared.outcome


def abandon(event_id: int, error: str) -> None:
    """Close an event whose handling broke outside its handler (the database went away)."""
    WebhookEvent.objects.filter(pk=event_id, finished_at__isnull=True).update(
        finished_at=timezone.now(), error=error[:4000]
    )


def process_event(event_id: int) -> str:
    """Handle one stored event here and now, at most once (a second run does nothing)."""
    claimed = WebhookEvent.objects.filter(pk=event_id, processed_at__isnull=True)
    try:
        with transaction.atomic():
            if not claimed.update(processed_at=timezone.now()):
                return "skipped"
    except IntegrityError:
        return "waiting"  # the chat's previous event is being handled; a worker takes it next
    return _run(event_id)


def process_waiting() -> dict[str, int]:
    """Handle every waiting event here, one after the other, in the order they came."""
    outcomes: dict[str, int] = {}
    while claimed := claim_waiting(limit=1):
        outcome = _run(claimed[0])
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _run(event: WebhookEvent | int) -> str:
    prepared = begin(event)
    result = replies.send_now(prepared.reply) if prepared.reply else None
    return finish(prepared, result)


def _event_time(record: WebhookEvent) -> float:
    """When the event happened by LINE's clock (ms in the payload), else when it arrived."""
    stamp = record.payload.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool) and stamp > 0:
        return min(stamp / 1000, time.time())
    return record.received_at.timestamp()
