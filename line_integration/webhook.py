"""Receiving LINE webhooks: signature check, parsing, and processing of stored events.

The signature is checked on its own (not through the SDK's parser) because the parser refuses
event types it does not know, and LINE adds new ones; those must be stored and ignored.
"""

import json
import logging
import math
import traceback

from django.conf import settings
from django.utils import timezone
from linebot.v3.webhook import SignatureValidator

from line_integration.models import WebhookEvent

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


def process_event(event_id: int) -> str:
    """Run the handler of one stored event, at most once.

    Claiming sets processed_at with a conditional UPDATE, so a second run (a duplicate task,
    a second worker) does nothing. A failing handler is recorded, not retried: answering a
    citizen twice is worse than logging an error for staff.
    """
    from line_integration import handlers

    now = timezone.now()
    claimed = WebhookEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(
        processed_at=now
    )
    if not claimed:
        return "skipped"
    record = WebhookEvent.objects.get(pk=event_id)
    try:
        outcome = handlers.dispatch(record.payload, record=record)
    except Exception as exc:  # noqa: BLE001 - any handler bug is stored on the event for staff
        logger.exception("LINE event %s (%s) failed", record.webhook_event_id, record.event_type)
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        WebhookEvent.objects.filter(pk=event_id).update(error=error[:4000])
        return "error"
    return outcome
