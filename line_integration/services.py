"""Writes about LINE accounts, events and the outbox; each one is a single transaction."""

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import centre
from core.sqlite_writes import write_promptly
from line_integration import messages as msg
from line_integration import outbox, webhook_sql
from line_integration.models import LineAccount, LinkNonce, OutboundMessage, WebhookEvent

logger = logging.getLogger(__name__)


# Webhook events -----------------------------------------------------------------------------


def _event_id(event: dict) -> str:
    """LINE's webhookEventId; a content hash for the rare event without one."""
    event_id = event.get("webhookEventId")
    if isinstance(event_id, str) and event_id:
        return event_id[:64]
    raw = json.dumps(event, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:57]


def _source_id(event: dict) -> str:
    """The chat an event belongs to (user, group or room): its events are answered in order."""
    source = event.get("source")
    if not isinstance(source, dict):
        return ""
    for key in ("userId", "groupId", "roomId"):
        value = source.get(key)
        if isinstance(value, str) and value:
            return value[:64]
    return ""


def record_webhook_events(*, events: list[dict]) -> None:
    """Store each new event and see that a task will handle it; repeats are skipped (a
    redelivered event whose first delivery was stored has the same webhookEventId).

    LINE waits for this answer, so it costs as little as it can: one statement stores the
    events (a repeat is dropped by the unique ID, whichever delivery commits first), and a
    task is queued only when none is waiting to start. A waiting task will find these events,
    because they were committed before the look (the webhook runs outside a transaction): a
    worker that starts it afterwards sees them.
    Only a crash between the two steps leaves events without a task; the next webhook's task,
    LINE's redelivery or ``line_outbox_flush`` (every minute or two) takes them then.
    The task handles whatever is waiting, not these events only (line_integration.events).
    Both statements are written out once (webhook_sql) rather than built by the ORM on each
    request: building them cost more than running them.
    """
    fresh: dict[str, WebhookEvent] = {}
    for event in events:
        if not isinstance(event, dict):
            continue
        event_id = _event_id(event)
        delivery = event.get("deliveryContext")
        delivery = delivery if isinstance(delivery, dict) else {}
        fresh.setdefault(
            event_id,
            WebhookEvent(
                webhook_event_id=event_id,
                event_type=str(event.get("type") or "")[:64],
                payload=event,
                source_id=_source_id(event),
                is_redelivery=bool(delivery.get("isRedelivery")),
            ),
        )
    if not fresh:
        return
    from line_integration.tasks import process_webhook_event

    if not _queued_for_a_worker(process_webhook_event):
        # A backend that runs each task as it is queued (the tests'): inside this transaction,
        # so the events are handled here, before the answer (line_integration.tasks).
        with transaction.atomic():
            WebhookEvent.objects.bulk_create(fresh.values(), ignore_conflicts=True)
            process_webhook_event.enqueue()
        return
    from django_tasks_db.models import DBTaskResult

    # With SQLite both writes go ahead of the task worker's (core.sqlite_writes).
    write_promptly(router.db_for_write(WebhookEvent), webhook_sql.store, list(fresh.values()))
    if not webhook_sql.task_waiting_to_start(process_webhook_event):
        write_promptly(router.db_for_write(DBTaskResult), process_webhook_event.enqueue)


def _queued_for_a_worker(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


# Followers ----------------------------------------------------------------------------------


@transaction.atomic
def record_follow(*, line_user_id: str, display_name: str = "") -> LineAccount:
    account, _created = LineAccount.objects.select_for_update().get_or_create(
        line_user_id=line_user_id
    )
    account.followed = True
    if display_name:
        account.display_name = display_name[:255]
    account.save(update_fields=["followed", "display_name", "updated_at"])
    return account


@transaction.atomic
def record_unfollow(*, line_user_id: str) -> LineAccount | None:
    """Blocked: nothing more is pushed to them, but the link stays for when they come back."""
    account = LineAccount.objects.select_for_update().filter(line_user_id=line_user_id).first()
    if account is None:
        return None
    account.followed = False
    account.save(update_fields=["followed", "updated_at"])
    return account


# Account linking ----------------------------------------------------------------------------


class LinkOutcome(StrEnum):
    LINKED = "linked"
    ALREADY_LINKED = "already_linked"
    INVALID_NONCE = "invalid_nonce"
    LINE_USER_TAKEN = "line_user_taken"
    ACCOUNT_TAKEN = "account_taken"


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    account: LineAccount | None = None


@transaction.atomic
def create_link_nonce(*, user) -> LinkNonce:
    """A fresh single-use nonce for LINE's account-link dialog (32 random bytes)."""
    LinkNonce.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return LinkNonce.objects.create(nonce=secrets.token_urlsafe(32), user=user)


@transaction.atomic
def complete_account_link(
    *, line_user_id: str, nonce: str, now: datetime | None = None
) -> LinkResult:
    """Bind a LINE user to the account that created ``nonce``, if both are free.

    The nonce is spent by any attempt, so a replayed accountLink event can never link again.
    Neither side is silently re-pointed: one LINE user, one account, each way.
    """
    now = now or timezone.now()
    nonce_row = (
        LinkNonce.objects.select_for_update().select_related("user").filter(nonce=nonce).first()
        if nonce
        else None
    )
    if nonce_row is None or not nonce_row.is_usable(now=now) or not nonce_row.user.is_active:
        return LinkResult(LinkOutcome.INVALID_NONCE)
    nonce_row.used_at = now
    nonce_row.line_user_id = line_user_id
    nonce_row.save(update_fields=["used_at", "line_user_id"])
    user = nonce_row.user

    return _bind(line_user_id=line_user_id, user=user, now=now, followed=True)


def _bind(
    *, line_user_id: str, user, now: datetime, followed: bool = False, display_name: str = ""
) -> LinkResult:
    """The one rule for every way of linking: one LINE user, one account, each way, and
    neither side is silently re-pointed. A deleted or closed holder frees the LINE user."""
    account, _created = LineAccount.objects.select_for_update().get_or_create(
        line_user_id=line_user_id, defaults={"followed": followed}
    )
    holder = account.user if account.is_active else None
    if holder is not None and holder.is_active:
        same = holder.pk == user.pk
        outcome = LinkOutcome.ALREADY_LINKED if same else LinkOutcome.LINE_USER_TAKEN
        return LinkResult(outcome, account)
    if LineAccount.objects.filter(user=user, is_active=True).exists():
        return LinkResult(LinkOutcome.ACCOUNT_TAKEN, account)
    account.user = user
    account.is_active = True
    account.linked_at = now
    account.unlinked_at = None
    if display_name and not account.display_name:
        account.display_name = display_name[:255]
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # the account was linked to another LINE user a moment ago
        return LinkResult(LinkOutcome.ACCOUNT_TAKEN, account)
    return LinkResult(LinkOutcome.LINKED, account)


@transaction.atomic
def link_signed_in_line_user(
    *, user, line_user_id: str, display_name: str = "", now: datetime | None = None
) -> LinkResult:
    """Bind the LINE user that LINE Login has just verified to ``user``, who proved the
    account in this browser (signed in with its password, or registered it just now).

    Linked: the citizen hears it in LINE (through the outbox, when they follow the account)
    and a staff member gets their rich menu, as after the bot's account-link flow.
    """
    from line_integration.tasks import link_rich_menu

    result = _bind(
        line_user_id=line_user_id,
        user=user,
        now=now or timezone.now(),
        display_name=display_name,
    )
    if result.outcome == LinkOutcome.LINKED:
        outbox.enqueue_to_user(
            user=user,
            messages=[msg.text(str(LINKED_TEXT) % {"username": user.username})],
            purpose="line.linked",
        )
        transaction.on_commit(lambda: link_rich_menu.enqueue(line_user_id))
    return result


def citizen_register_with_line(
    *,
    account: dict,
    person: dict,
    address: dict,
    notice,
    ip_address: str | None,
    line_user_id: str,
    display_name: str = "",
):
    """Register a citizen who started from LINE and link that LINE user, or do neither.

    The account is made by the registration service (same fields, same checks); the link
    follows the one linking rule, and a LINE user taken since LINE Login verified it undoes
    the registration (a ``ValidationError``). The welcome reaches the citizen in LINE.
    """
    from accounts.services.registration import citizen_register
    from line_integration.tasks import link_rich_menu

    with transaction.atomic():
        user = citizen_register(
            account=account, person=person, address=address, notice=notice, ip_address=ip_address
        )
        result = _bind(
            line_user_id=line_user_id,
            user=user,
            now=timezone.now(),
            display_name=display_name,
        )
        if result.outcome != LinkOutcome.LINKED:
            raise ValidationError(
                _("บัญชี LINE นี้เพิ่งเชื่อมต่อกับบัญชีอื่น จึงลงทะเบียนด้วย LINE นี้ไม่ได้"),
                code="line_user_taken",
            )
        outbox.enqueue_to_user(
            user=user,
            messages=[
                msg.text(str(REGISTERED_TEXT) % {"username": user.username, **centre.texts()})
            ],
            purpose="line.registered",
        )
        transaction.on_commit(lambda: link_rich_menu.enqueue(line_user_id))
    return user


REGISTERED_TEXT = gettext_lazy(
    "ลงทะเบียนกับ%(name)sเรียบร้อยแล้ว ชื่อผู้ใช้ของท่านคือ %(username)s "
    "บัญชีนี้เชื่อมต่อกับ LINE แล้ว ท่านจะได้รับใบรับเรื่องและความคืบหน้าเรื่องร้องเรียนทาง LINE"
)
LINKED_TEXT = gettext_lazy(
    "เชื่อมต่อบัญชี LINE กับบัญชี %(username)s เรียบร้อยแล้ว ท่านจะได้รับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE"
)


@transaction.atomic
def unlink_line_account(*, user, notify: bool = True) -> LineAccount | None:
    """End the link from the website: no more pushes, the staff rich menu goes away.

    ``notify=False`` skips the "unlinked" message: account closure ends the link without
    sending anything to the person whose account is closed.
    """
    from line_integration.tasks import unlink_rich_menu

    account = LineAccount.objects.select_for_update().filter(user=user, is_active=True).first()
    if account is None:
        return None
    had_menu = bool(account.rich_menu_role)
    if account.followed and notify:
        outbox.enqueue_push(
            to=account.line_user_id,
            messages=[
                msg.text(
                    _(
                        "ยกเลิกการเชื่อมต่อบัญชี LINE กับเว็บไซต์ศูนย์ดำรงธรรมแล้ว "
                        "ท่านจะไม่ได้รับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE อีก"
                    )
                )
            ],
            purpose="line.unlinked",
        )
    account.user = None
    account.is_active = False
    account.unlinked_at = timezone.now()
    account.rich_menu_role = ""
    account.save()
    if had_menu:
        line_user_id = account.line_user_id
        transaction.on_commit(lambda: unlink_rich_menu.enqueue(line_user_id))
    return account


@transaction.atomic
def set_rich_menu_role(*, line_user_id: str, role: str) -> None:
    LineAccount.objects.filter(line_user_id=line_user_id).update(rich_menu_role=role[:32])


# Outbox -------------------------------------------------------------------------------------


@transaction.atomic
def retry_outbound(*, outbound_id: int) -> OutboundMessage:
    """Send a failed row again with the same retry key (LINE still drops a duplicate)."""
    row = OutboundMessage.objects.select_for_update().get(pk=outbound_id)
    if row.status != OutboundMessage.Status.FAILED or row.kind == OutboundMessage.Kind.REPLY:
        raise ValueError("only failed push or multicast messages can be retried")
    row.status = OutboundMessage.Status.PENDING
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: outbox.schedule_delivery(row.pk))
    return row
