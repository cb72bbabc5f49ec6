"""The only way the project sends LINE messages.

Callers write an ``OutboundMessage`` in their own transaction (so a rolled-back complaint never
notifies anyone) and delivery starts after commit, in the task worker. Each row carries a retry
key that LINE uses to drop duplicates, so a retry after a timeout can never reach a citizen
twice; the row lock and status transition make sure two workers never both send.
"""

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import urllib3
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from line_integration import messages as msg
from line_integration.models import OutboundMessage

if TYPE_CHECKING:
    from linebot.v3.messaging.exceptions import ApiException

# The LINE SDK (line_integration.client) is imported where a message is sent, not here: this
# module is loaded with the apps (line_integration.citizen_data), and the SDK's models cost about
# a second of CPU to import, paid by every process that starts (cron's runs every two minutes,
# each management command, each task worker) whether or not it sends anything.

logger = logging.getLogger(__name__)

MULTICAST_MAX = 500
# Backoff 2, 4, ... 128 s, then every 300 s: 20 attempts ride out about an hour of LINE being
# down (8 gave up after 4 minutes: loadtest.faults). A retry key stays valid for 24 hours
# (https://developers.line.biz/en/docs/messaging-api/retrying-api-request/).
MAX_ATTEMPTS = 20
BACKOFF_CAP_SECONDS = 300
Status = OutboundMessage.Status
Kind = OutboundMessage.Kind


# Enqueueing ---------------------------------------------------------------------------------


def enqueue_push(
    *, to: str, messages: list[dict], purpose: str, dedupe_key: str | None = None
) -> OutboundMessage:
    """Send ``messages`` to one LINE user, once per ``dedupe_key`` if one is given."""
    if not to:
        raise ValueError("a LINE user ID is needed")
    return _enqueue(
        kind=Kind.PUSH, recipients=[to], messages=messages, purpose=purpose, dedupe_key=dedupe_key
    )


def enqueue_multicast(
    *, to: list[str], messages: list[dict], purpose: str, dedupe_key: str | None = None
) -> list[OutboundMessage]:
    """Send to many LINE users: one row (and one retry key) per 500 recipients."""
    recipients = list(dict.fromkeys(r for r in to if r))
    rows = []
    for index, start in enumerate(range(0, len(recipients), MULTICAST_MAX)):
        chunk = recipients[start : start + MULTICAST_MAX]
        key = f"{dedupe_key}:{index}" if dedupe_key else None
        rows.append(
            _enqueue(
                kind=Kind.MULTICAST,
                recipients=chunk,
                messages=messages,
                purpose=purpose,
                dedupe_key=key,
            )
        )
    return rows


def enqueue_to_user(
    *, user, messages: list[dict], purpose: str, dedupe_key: str | None = None
) -> OutboundMessage | None:
    """Push to a site user's linked LINE account; nothing when they have none or blocked us."""
    from line_integration.selectors import active_line_account_for

    if user is None or not user.is_active:
        return None
    account = active_line_account_for(user)
    if account is None or not account.followed:
        return None
    return enqueue_push(
        to=account.line_user_id, messages=messages, purpose=purpose, dedupe_key=dedupe_key
    )


def _enqueue(*, kind, recipients, messages, purpose, dedupe_key) -> OutboundMessage:
    msg.validate(messages)
    if dedupe_key and len(dedupe_key) > 190:
        raise ValueError("dedupe_key is at most 190 characters")
    if dedupe_key:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            row = OutboundMessage.objects.create(
                kind=kind,
                recipients=recipients,
                messages=messages,
                purpose=purpose[:100],
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if not dedupe_key:
            raise
        return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(lambda: schedule_delivery(row.pk))
    return row


def schedule_delivery(outbound_id: int, *, run_after: datetime | None = None) -> None:
    """Hand the row to the task worker, deferred when the backend can defer."""
    from line_integration.tasks import deliver_outbound

    task = deliver_outbound
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # deliver_due() (manage.py line_outbox_flush) picks it up
        task = task.using(run_after=run_after)
    task.enqueue(outbound_id)


# Delivery -----------------------------------------------------------------------------------


def _lease() -> timedelta:
    """How long a row stays claimed; after that a crashed worker's row is tried again."""
    return timedelta(seconds=max(60.0, settings.LINE_HTTP_TIMEOUT * 3))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, BACKOFF_CAP_SECONDS))


def deliver(outbound_id: int, *, now: datetime | None = None) -> str:
    """Try one due row once. Returns what happened: sent, retry, failed or skipped."""
    now = now or timezone.now()
    row = _claim(outbound_id, now)
    if row is None:
        return "skipped"
    from linebot.v3.messaging.exceptions import ApiException

    try:
        request_id = _send(row)
    except ApiException as exc:
        return _after_api_error(row, exc, now)
    except urllib3.exceptions.HTTPError as exc:
        return _retry_or_fail(row, f"เชื่อมต่อ LINE ไม่ได้หรือหมดเวลา: {exc}", now)
    except ValueError as exc:
        return _fail(row, f"ข้อความไม่ถูกต้อง: {exc}")
    return _mark_sent(row, request_id, now)


def deliver_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Deliver every row whose time has come: retries, and rows of crashed workers."""
    now = now or timezone.now()
    due = (
        OutboundMessage.objects.filter(
            status__in=[Status.PENDING, Status.SENDING],
            kind__in=[Kind.PUSH, Kind.MULTICAST],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes: dict[str, int] = {}
    for pk in list(due):
        outcome = deliver(pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def withdraw_pending_to(*, line_user_ids: set[str], reason: str) -> int:
    """Account closure: pushes still waiting for these LINE users are not sent (failed, with
    ``reason``); a waiting multicast goes on without them. A row already being sent finishes.
    Returns how many rows changed."""
    if not line_user_ids:
        return 0
    waiting = OutboundMessage.objects.filter(
        status=Status.PENDING, kind__in=[Kind.PUSH, Kind.MULTICAST]
    )
    # Find them without locking every waiting row (a flood can queue thousands), then lock those.
    found = [
        pk
        for pk, recipients in waiting.values_list("pk", "recipients")
        if line_user_ids.intersection(recipients or [])
    ]
    changed = 0
    with transaction.atomic():
        rows = waiting.filter(pk__in=found)
        if connection.features.has_select_for_update:
            rows = rows.select_for_update()
        for row in rows:
            kept = [r for r in row.recipients if r not in line_user_ids]
            if kept:
                row.recipients = kept
                row.save(update_fields=["recipients"])
            else:
                row.status = Status.FAILED
                row.last_error = reason[:4000]
                row.save(update_fields=["status", "last_error"])
            changed += 1
    return changed


def _claim(outbound_id: int, now: datetime) -> OutboundMessage | None:
    """Move a due row to "sending" under a row lock; whoever commits first owns the attempt."""
    with transaction.atomic():
        rows = OutboundMessage.objects.filter(
            pk=outbound_id,
            status__in=[Status.PENDING, Status.SENDING],
            kind__in=[Kind.PUSH, Kind.MULTICAST],
            next_attempt_at__lte=now,
        )
        if connection.features.has_select_for_update:
            rows = rows.select_for_update(
                skip_locked=connection.features.has_select_for_update_skip_locked
            )
        row = rows.first()
        if row is None:
            return None
        row.status = Status.SENDING
        row.attempts += 1
        row.next_attempt_at = now + _lease()
        row.save(update_fields=["status", "attempts", "next_attempt_at"])
    return row


def _send(row: OutboundMessage) -> str:
    from linebot.v3.messaging import MulticastRequest, PushMessageRequest

    from line_integration.client import messaging_api, response_header

    options = {
        "x_line_retry_key": str(row.retry_key),
        "_request_timeout": settings.LINE_HTTP_TIMEOUT,
        "_preload_content": False,
    }
    with messaging_api() as api:
        if row.kind == Kind.PUSH:
            request = PushMessageRequest.from_dict(
                {"to": row.recipients[0], "messages": row.messages}
            )
            response = api.push_message_with_http_info(request, **options)
        else:
            request = MulticastRequest.from_dict({"to": row.recipients, "messages": row.messages})
            response = api.multicast_with_http_info(request, **options)
    return response_header(response.headers, "x-line-request-id")


def _after_api_error(row: OutboundMessage, exc: "ApiException", now: datetime) -> str:
    from line_integration.client import api_error_text, response_header, retry_after_seconds

    status = exc.status or 0
    if status == 409:
        # LINE already accepted this retry key: an earlier attempt got through.
        accepted = response_header(exc.headers, "x-line-accepted-request-id")
        return _mark_sent(row, accepted or response_header(exc.headers, "x-line-request-id"), now)
    error = api_error_text(exc)
    if status == 0 or status == 429 or status >= 500:
        return _retry_or_fail(row, error, now, at_least=retry_after_seconds(exc.headers))
    return _fail(row, error)


def _mark_sent(row: OutboundMessage, request_id: str, now: datetime) -> str:
    OutboundMessage.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=now, line_request_id=request_id[:64], last_error=""
    )
    return "sent"


def _retry_or_fail(
    row: OutboundMessage, error: str, now: datetime, *, at_least: float | None = None
) -> str:
    """Try again later: after the backoff, or after LINE's Retry-After when that is longer."""
    if row.attempts >= MAX_ATTEMPTS:
        return _fail(row, error)
    next_at = now + max(backoff(row.attempts), timedelta(seconds=at_least or 0))
    OutboundMessage.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.PENDING, next_attempt_at=next_at, last_error=error[:4000]
    )
    logger.warning("LINE outbox %s attempt %s: %s", row.pk, row.attempts, error)
    schedule_delivery(row.pk, run_after=next_at)
    return "retry"


def _fail(row: OutboundMessage, error: str) -> str:
    OutboundMessage.objects.filter(pk=row.pk, status=Status.SENDING).update(
        status=Status.FAILED, last_error=error[:4000]
    )
    logger.error("LINE outbox %s failed for good: %s", row.pk, error)
    return "failed"


# Replies ------------------------------------------------------------------------------------


def prepare_reply(*, to: str | None, messages: list[dict], purpose: str) -> OutboundMessage:
    """The row for an event's reply, written before the reply is sent (by
    line_integration.replies, with the event's token) so that staff see every answer."""
    msg.validate(messages)
    return OutboundMessage.objects.create(
        kind=Kind.REPLY,
        recipients=[to] if to else [],
        messages=messages,
        purpose=purpose[:100],
        status=Status.SENDING,
        attempts=0,
    )


def reply_done(
    *, row_id: int, sent: bool, attempts: int, request_id: str = "", error: str = ""
) -> None:
    """Record how the reply went; one LINE did not take goes out as a push instead (the same
    messages, its own retry key), or fails when there is nobody to push to."""
    if sent:  # nearly always: one statement, the row is not read
        OutboundMessage.objects.filter(pk=row_id).update(
            attempts=attempts,
            status=Status.SENT,
            sent_at=timezone.now(),
            line_request_id=request_id[:64],
            last_error=error[:4000],  # an unconfirmed reply says why
        )
        return
    row = OutboundMessage.objects.get(pk=row_id)
    row.attempts = attempts
    if not row.recipients:
        row.status = Status.FAILED
        row.last_error = error[:4000]
        row.save(update_fields=["attempts", "status", "last_error"])
        logger.error("LINE reply %s failed for good: %s", row.pk, error)
        return
    row.kind = Kind.PUSH
    row.status = Status.PENDING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.last_error = f"ตอบกลับไม่สำเร็จ จึงส่งแบบ push แทน ({error})"[:4000]
    row.save(update_fields=["kind", "status", "attempts", "next_attempt_at", "last_error"])
    transaction.on_commit(lambda: schedule_delivery(row.pk))
