"""What the officers' chat screens read, shaped as plain dicts the templates and the polling
JSON share (so a row looks the same whether the server or officer-inbox.js draws it).

The polled reads are a fixed number of indexed queries whatever the history length: the inbox
one query (the last message by a correlated subquery), a conversation two (itself, then the
messages after the id the screen already has).
"""

import datetime

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import staff_name
from chat.models import ChatMessage, Conversation
from core.thai_dates import format_thai_datetime

INBOX_LIMIT = 200
HISTORY_LIMIT = 300  # messages drawn when a conversation page opens
POLL_LIMIT = 200  # messages one poll returns at most
CLOSED_DAYS = 7
CLOSED_LIMIT = 50
PREVIEW_CHARS = 80

Status = Conversation.Status
Kind = ChatMessage.Kind
Sender = ChatMessage.Sender


def waiting_label(since: datetime.datetime | None, now: datetime.datetime) -> str:
    """ "รอ 12 นาที": how long the oldest unanswered citizen message has waited."""
    if since is None:
        return ""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return _("รอไม่ถึง 1 นาที")
    if minutes < 60:
        return ngettext("รอ %(n)d นาที", "รอ %(n)d นาที", minutes) % {"n": minutes}
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        if rest:
            return _("รอ %(h)d ชั่วโมง %(m)d นาที") % {"h": hours, "m": rest}
        return ngettext("รอ %(n)d ชั่วโมง", "รอ %(n)d ชั่วโมง", hours) % {"n": hours}
    days = hours // 24
    return ngettext("รอ %(n)d วัน", "รอ %(n)d วัน", days) % {"n": days}


def _preview(kind: str | None, text: str | None, sender: str | None) -> str:
    if kind == Kind.IMAGE:
        body = _("[รูปภาพ]")
    elif kind == Kind.STICKER:
        body = _("[สติกเกอร์]")
    else:
        body = " ".join((text or "").split())
        if len(body) > PREVIEW_CHARS:
            body = body[: PREVIEW_CHARS - 1] + "…"
    if sender == Sender.OFFICER:
        return _("เจ้าหน้าที่: %(text)s") % {"text": body}
    return body


def _with_last_message(queryset: QuerySet) -> QuerySet:
    last = ChatMessage.objects.filter(conversation=OuterRef("pk")).order_by("-id")
    return queryset.annotate(
        last_kind=Subquery(last.values("kind")[:1]),
        last_text=Subquery(last.values("text")[:1]),
        last_sender=Subquery(last.values("sender")[:1]),
    ).select_related("assigned_to")


def inbox_conversations(*, officer, mine: bool = False) -> QuerySet[Conversation]:
    """Open conversations, the citizen who has waited longest first; then those nobody waits
    on, the most recently active first."""
    found = Conversation.objects.filter(status=Status.OPEN)
    if mine:
        found = found.filter(assigned_to=officer)
    found = found.order_by(F("waiting_since").asc(nulls_last=True), "-last_message_at", "id")
    return _with_last_message(found)[:INBOX_LIMIT]


def recently_closed(*, now: datetime.datetime | None = None) -> QuerySet[Conversation]:
    since = (now or timezone.now()) - datetime.timedelta(days=CLOSED_DAYS)
    found = Conversation.objects.filter(status=Status.CLOSED, closed_at__gte=since)
    return _with_last_message(found.order_by("-closed_at", "-id"))[:CLOSED_LIMIT]


def waiting_count() -> int:
    """Open conversations with a citizen waiting for an answer (the menu's number)."""
    return Conversation.objects.filter(status=Status.OPEN, waiting_since__isnull=False).count()


def conversation_rows(conversations, *, now: datetime.datetime, closed: bool = False) -> list:
    """Rows as the inbox draws them. The same strings for every row are made once: this runs
    on every poll of every open inbox."""
    base = reverse("chat_admin:inbox")
    nobody = _("ยังไม่มีผู้รับ")
    channels = dict(Conversation.Channel.choices)
    rows = []
    for conversation in conversations:
        row = {
            "id": conversation.pk,
            "url": f"{base}{conversation.pk}/",
            "name": str(conversation),
            "channel": str(channels.get(conversation.channel, conversation.channel)),
            "unread": conversation.unread_count,
            "waiting": waiting_label(conversation.waiting_since, now),
            "assigned": staff_name(conversation.assigned_to) or nobody,
            "assigned_id": conversation.assigned_to_id,
            "preview": _preview(
                getattr(conversation, "last_kind", None),
                getattr(conversation, "last_text", None),
                getattr(conversation, "last_sender", None),
            ),
        }
        if closed:
            row.update(
                closed_at=format_thai_datetime(conversation.closed_at), rating=conversation.rating
            )
        rows.append(row)
    return rows


def inbox_rows(*, officer, mine: bool = False, now: datetime.datetime | None = None) -> list:
    conversations = inbox_conversations(officer=officer, mine=mine)
    return conversation_rows(conversations, now=now or timezone.now())


def closed_rows(*, now: datetime.datetime | None = None) -> list:
    now = now or timezone.now()
    return conversation_rows(recently_closed(now=now), now=now, closed=True)


# One conversation ---------------------------------------------------------------------------


def conversation_for_officer(pk: int) -> Conversation | None:
    return (
        Conversation.objects.select_related("assigned_to", "citizen", "line_account")
        .filter(pk=pk)
        .first()
    )


IMAGE_LABELS = {
    ChatMessage.ImageStatus.PENDING: gettext_lazy("กำลังรับรูปภาพ…"),
    ChatMessage.ImageStatus.REFUSED: gettext_lazy("รูปภาพไม่ผ่านการตรวจสอบความปลอดภัย จึงไม่ได้เก็บไว้"),
    ChatMessage.ImageStatus.FAILED: gettext_lazy("รับรูปภาพจาก LINE ไม่สำเร็จ"),
}


def message_dict(message: ChatMessage) -> dict:
    """One message as the conversation screen shows it. Sticker images live on LINE's servers:
    the screen shows a label instead of loading them (no requests to outside hosts)."""
    image_url = ""
    image_label = ""
    if message.kind == Kind.IMAGE:
        if message.image_status == ChatMessage.ImageStatus.READY and message.image:
            image_url = reverse("chat_admin:image", args=[message.pk])
        else:
            image_label = str(IMAGE_LABELS.get(message.image_status, _("ไม่มีรูปภาพ")))
    if message.sender == Sender.OFFICER:
        who = staff_name(message.author) or _("เจ้าหน้าที่")
    elif message.sender == Sender.CITIZEN:
        who = _("ประชาชน")
    else:
        who = _("ระบบ")
    return {
        "id": message.pk,
        "sender": message.sender,
        "who": who,
        "kind": message.kind,
        "text": message.text if message.kind == Kind.TEXT else "",
        "sticker": _("[สติกเกอร์]") if message.kind == Kind.STICKER else "",
        "image_status": message.image_status,
        "image_url": image_url,
        "image_label": image_label,
        "at": format_thai_datetime(message.created_at),
    }


def messages_after(conversation: Conversation, after: int = 0) -> list[ChatMessage]:
    """Messages newer than ``after`` (the last id the screen has), oldest first."""
    return list(
        ChatMessage.objects.filter(conversation=conversation, id__gt=after)
        .select_related("author")
        .order_by("id")[:POLL_LIMIT]
    )


def history(conversation: Conversation) -> tuple[list[ChatMessage], bool]:
    """The latest HISTORY_LIMIT messages, oldest first, and whether older ones were left out."""
    latest = list(
        ChatMessage.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("-id")[: HISTORY_LIMIT + 1]
    )
    cut = len(latest) > HISTORY_LIMIT
    return list(reversed(latest[:HISTORY_LIMIT])), cut


def conversation_state(conversation: Conversation) -> dict:
    return {
        "id": conversation.pk,
        "is_open": conversation.is_open,
        "status": conversation.get_status_display(),
        "assigned_id": conversation.assigned_to_id,
        "assigned": staff_name(conversation.assigned_to) or _("ยังไม่มีผู้รับ"),
        "closed_at": format_thai_datetime(conversation.closed_at),
        "rating": conversation.rating,
    }


def citizen_name(conversation: Conversation) -> str:
    """The name on the citizen's site account, when the chat is linked to one."""
    citizen = conversation.citizen
    if citizen is None:
        return ""
    profile = getattr(citizen, "citizen_profile", None)
    return profile.full_name if profile is not None else staff_name(citizen)


def citizen_text(conversation: Conversation, limit: int = 4000) -> str:
    """The citizen's typed messages, joined: the starting text of a complaint draft."""
    texts = ChatMessage.objects.filter(
        conversation=conversation, sender=Sender.CITIZEN, kind=Kind.TEXT
    ).values_list("text", flat=True)
    return "\n".join(texts)[:limit]


def linked_complaints(*, conversation: Conversation, officer) -> list:
    """The citizen's complaints this officer may see, never one whose complainant is concealed
    from them (complainant_display decides, as everywhere)."""
    from complaints.models import Complaint
    from complaints.selectors import complainant_display

    if conversation.citizen_id is None:
        return []
    found = (
        Complaint.objects.visible_to(officer)
        .filter(citizen_id=conversation.citizen_id)
        .select_related("category")
        .order_by("-submitted_at")[:20]
    )
    return [c for c in found if not complainant_display(c, viewer=officer)["concealed"]]


def poll_interval() -> int:
    """How often an open chat screen asks for news, in milliseconds (citizen's and officer's)."""
    return max(250, int(getattr(settings, "CHAT_POLL_INTERVAL_MS", 1000)))
