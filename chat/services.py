"""Every change to a conversation goes through here, in a transaction, and every message to a
citizen's LINE goes through the outbox (a dedupe key per chat message: never sent twice)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import may_answer_chats
from chat import hours
from chat.models import ChatMessage, Conversation
from core import centre
from line_integration import messages as msg
from line_integration import outbox
from line_integration.models import LineAccount

Sender = ChatMessage.Sender
Kind = ChatMessage.Kind
TEXT_MAX = 2000
END_WORDS = {"จบการสนทนา", "จบแชท", "end chat"}


def _require_officer(user) -> None:
    if not may_answer_chats(user):
        raise PermissionDenied


def _citizen_name(user) -> str:
    profile = getattr(user, "citizen_profile", None)
    if profile is not None:
        return profile.full_name
    return user.get_full_name() or user.username


# Opening --------------------------------------------------------------------------------------


def open_conversation_for(*, citizen=None, line_account: LineAccount | None = None):
    """The open conversation of this citizen (by site account first, then LINE user)."""
    if citizen is not None:
        found = Conversation.objects.filter(citizen=citizen, status=Conversation.Status.OPEN)
        found = found.first()
        if found is not None:
            return found
    if line_account is not None:
        return Conversation.objects.filter(
            line_account=line_account, status=Conversation.Status.OPEN
        ).first()
    return None


def conversation_start(
    *, channel: str, citizen=None, line_account: LineAccount | None = None
) -> tuple[Conversation, bool]:
    """Open a conversation, or continue the one already open: (conversation, created)."""
    if citizen is None and line_account is None:
        raise ValueError("a citizen or a LINE account is needed")
    found = open_conversation_for(citizen=citizen, line_account=line_account)
    if found is not None:
        return attach_line_account(found, citizen=citizen, line_account=line_account), False
    if citizen is not None:
        name = _citizen_name(citizen)
    else:
        name = line_account.display_name or _("ผู้ใช้ LINE")
    if line_account is not None and citizen is not None and line_account.user_id != citizen.pk:
        line_account = None
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                citizen=citizen, line_account=line_account, channel=channel, display_name=name
            )
            _system(conversation, _("เริ่มการสนทนา"))
    except IntegrityError:  # the same citizen opened it a moment ago from another request
        found = open_conversation_for(citizen=citizen, line_account=line_account)
        if found is None:
            raise
        return found, False
    return conversation, True


def attach_line_account(conversation, *, citizen, line_account) -> Conversation:
    """One conversation per person across channels: a linked citizen writing from LINE
    continues their web conversation (replies reach LINE from then on), and a chat begun in
    LINE before linking becomes the citizen's once their account is linked."""
    if line_account is None or citizen is None or line_account.user_id != citizen.pk:
        return conversation
    open_ = Conversation.objects.filter(status=Conversation.Status.OPEN)
    changed = []
    if (
        conversation.line_account_id is None
        and not open_.filter(line_account=line_account).exists()
    ):
        conversation.line_account = line_account
        changed.append("line_account")
    if (
        conversation.citizen_id is None
        and conversation.line_account_id == line_account.pk
        and not open_.filter(citizen=citizen).exists()
    ):
        conversation.citizen = citizen
        conversation.display_name = _citizen_name(citizen)
        changed += ["citizen", "display_name"]
    if changed:
        conversation.save(update_fields=changed)
    return conversation


def greeting_lines(now: datetime.datetime | None = None) -> list[str]:
    lines = [
        _("ท่านเข้าสู่การสนทนากับเจ้าหน้าที่%(name)sแล้ว พิมพ์คำถามหรือส่งรูปภาพได้เลย เจ้าหน้าที่จะตอบกลับโดยเร็ว")
        % centre.texts(),
        hours.hours_text(),
        _("ต้องการจบการสนทนา กดปุ่ม “จบการสนทนา” หรือพิมพ์ว่า จบการสนทนา"),
    ]
    if not hours.is_service_time(now):
        lines.insert(1, hours.expected_answer_text(now))
    return lines


# Citizen messages -----------------------------------------------------------------------------


def _system(conversation: Conversation, text: str, *, author=None) -> ChatMessage:
    return ChatMessage.objects.create(
        conversation=conversation, sender=Sender.SYSTEM, text=text, author=author
    )


@transaction.atomic
def citizen_message_receive(
    *,
    conversation: Conversation,
    kind: str = Kind.TEXT,
    text: str = "",
    line_message_id: str | None = None,
    sticker_package_id: str = "",
    sticker_id: str = "",
    image_status: str = "",
    now: datetime.datetime | None = None,
) -> tuple[ChatMessage, bool]:
    """Store what the citizen sent: (message, created). The same LINE message twice is kept once."""
    now = now or timezone.now()
    if line_message_id:
        existing = ChatMessage.objects.filter(line_message_id=line_message_id).first()
        if existing is not None:
            return existing, False
    text = (text or "").strip()[:TEXT_MAX] if kind == Kind.TEXT else ""
    if kind == Kind.TEXT and not text:
        raise ValidationError(_("กรุณาพิมพ์ข้อความ"), code="required")
    message = ChatMessage.objects.create(
        conversation=conversation,
        sender=Sender.CITIZEN,
        author=conversation.citizen,
        kind=kind,
        text=text,
        line_message_id=line_message_id or None,
        sticker_package_id=sticker_package_id,
        sticker_id=sticker_id,
        image_status=image_status,
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now, unread_count=F("unread_count") + 1
    )
    Conversation.objects.filter(pk=conversation.pk, waiting_since__isnull=True).update(
        waiting_since=now
    )
    return message, True


def off_hours_notice_due(conversation: Conversation, now: datetime.datetime) -> bool:
    """Tell the citizen once per closed period (not after every message) when we will answer."""
    if hours.is_service_time(now):
        return False
    last = conversation.off_hours_notified_at
    if last is not None and hours.next_service_start(last) == hours.next_service_start(now):
        return False
    updated = Conversation.objects.filter(
        pk=conversation.pk, off_hours_notified_at=conversation.off_hours_notified_at
    ).update(off_hours_notified_at=now)
    return bool(updated)


def store_image(*, message: ChatMessage, content: bytes, name: str = "line-image.jpg") -> str:
    """Check a citizen's picture like complaint evidence and keep it privately."""
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import check_upload

    try:
        checked = check_upload(SimpleUploadedFile(name, content))
    except ValidationError:
        ChatMessage.objects.filter(pk=message.pk).update(
            image_status=ChatMessage.ImageStatus.REFUSED
        )
        return ChatMessage.ImageStatus.REFUSED
    if checked.kind != "image":
        ChatMessage.objects.filter(pk=message.pk).update(
            image_status=ChatMessage.ImageStatus.REFUSED
        )
        return ChatMessage.ImageStatus.REFUSED
    message.image.save(
        f"{message.pk}.{checked.extension}", ContentFile(checked.content), save=False
    )
    message.image_status = ChatMessage.ImageStatus.READY
    message.save(update_fields=["image", "image_status"])
    return ChatMessage.ImageStatus.READY


# Officers -------------------------------------------------------------------------------------


def push_to_citizen(
    conversation: Conversation, messages: list[dict], *, key: str, purpose: str = "chat.reply"
) -> None:
    """To the citizen's LINE, if they follow the OA, through the outbox (once per ``key``).
    Nothing goes to a closed account (closure attributes LINE-only chats to it)."""
    account = conversation.line_account
    if account is None or not account.followed:
        return
    if conversation.citizen_id is not None and not conversation.citizen.is_active:
        return
    outbox.enqueue_push(to=account.line_user_id, messages=messages, purpose=purpose, dedupe_key=key)


def _locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("line_account", "citizen")
        .get(pk=conversation.pk)
    )


@transaction.atomic
def officer_reply(*, conversation: Conversation, officer, text: str) -> ChatMessage:
    """An officer's answer: shown on the citizen's screen and pushed to their LINE."""
    _require_officer(officer)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("กรุณาพิมพ์ข้อความตอบกลับ"), code="required")
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _("ข้อความยาวเกิน %(max)s ตัวอักษร") % {"max": f"{TEXT_MAX:,}"}, code="max_length"
        )
    conversation = _locked(conversation)
    if not conversation.is_open:
        raise ValidationError(_("การสนทนานี้ปิดแล้ว"), code="closed")
    now = timezone.now()
    if conversation.assigned_to_id is None:
        conversation.assigned_to = officer
    conversation.waiting_since = None
    conversation.unread_count = 0
    conversation.last_message_at = now
    conversation.save(
        update_fields=["assigned_to", "waiting_since", "unread_count", "last_message_at"]
    )
    message = ChatMessage.objects.create(
        conversation=conversation, sender=Sender.OFFICER, author=officer, text=text, created_at=now
    )
    push_to_citizen(
        conversation,
        [msg.text(_("เจ้าหน้าที่: %(text)s") % {"text": text}, quick_replies=[end_action()])],
        key=f"chat:message:{message.pk}",
    )
    return message


def end_action() -> dict:
    return msg.postback_action(_("จบการสนทนา"), "chat=end", display_text=_("จบการสนทนา"))


@transaction.atomic
def conversation_take(*, conversation: Conversation, officer) -> Conversation:
    _require_officer(officer)
    conversation = _locked(conversation)
    if conversation.assigned_to_id != officer.pk:
        conversation.assigned_to = officer
        conversation.save(update_fields=["assigned_to"])
        _system(
            conversation,
            _("%(name)s รับเรื่องสนทนานี้") % {"name": officer.get_full_name() or officer.username},
            author=officer,
        )
    return conversation


@transaction.atomic
def conversation_transfer(*, conversation: Conversation, officer, to) -> Conversation:
    _require_officer(officer)
    if not may_answer_chats(to):
        raise ValidationError(_("ผู้รับโอนต้องเป็นเจ้าหน้าที่ที่ตอบแชทได้"), code="invalid")
    conversation = _locked(conversation)
    if not conversation.is_open:
        raise ValidationError(_("การสนทนานี้ปิดแล้ว"), code="closed")
    conversation.assigned_to = to
    conversation.save(update_fields=["assigned_to"])
    _system(
        conversation,
        _("%(by)s โอนการสนทนาให้ %(to)s")
        % {
            "by": officer.get_full_name() or officer.username,
            "to": to.get_full_name() or to.username,
        },
        author=officer,
    )
    return conversation


def rating_actions(conversation: Conversation) -> list[dict]:
    labels = {1: "1 ⭐", 2: "2 ⭐", 3: "3 ⭐", 4: "4 ⭐", 5: "5 ⭐"}
    return [
        msg.postback_action(
            labels[score],
            f"chat=rate&c={conversation.pk}&s={score}",
            display_text=_("ให้คะแนน %(score)s") % {"score": score},
        )
        for score in range(5, 0, -1)
    ]


def _mark_closed(conversation: Conversation, *, by, text: str) -> None:
    conversation.status = Conversation.Status.CLOSED
    conversation.closed_at = timezone.now()
    conversation.closed_by = by
    conversation.waiting_since = None
    conversation.unread_count = 0
    conversation.save(
        update_fields=["status", "closed_at", "closed_by", "waiting_since", "unread_count"]
    )
    _system(conversation, text, author=by)


@transaction.atomic
def conversation_close(
    *, conversation: Conversation, by=None, by_citizen: bool = False
) -> Conversation:
    """End the chat (an officer, or the citizen themselves) and ask the citizen to rate it."""
    if not by_citizen:
        _require_officer(by)
    conversation = _locked(conversation)
    if not conversation.is_open:
        return conversation
    text = _("ประชาชนจบการสนทนา") if by_citizen else _("เจ้าหน้าที่จบการสนทนา")
    _mark_closed(conversation, by=by, text=text)
    push_to_citizen(
        conversation,
        [
            msg.text(
                _(
                    "การสนทนากับเจ้าหน้าที่สิ้นสุดแล้ว ขอบคุณที่ติดต่อ%(name)s "
                    "กรุณาให้คะแนนความพึงพอใจต่อการให้บริการครั้งนี้ (1-5)"
                )
                % centre.texts(),
                quick_replies=rating_actions(conversation),
            )
        ],
        key=f"chat:closed:{conversation.pk}",
    )
    return conversation


@transaction.atomic
def conversations_close_for_closed_account(*, user) -> int:
    """Account closure (a step of accounts.services.closure_request_complete): the person's
    open chats, on the site or through their LINE link, end without the rating request
    ``conversation_close`` pushes, since nothing may reach a closed account. Returns how many."""
    found = (
        Conversation.objects.select_for_update(of=("self",))
        .filter(Q(citizen=user) | Q(line_account__user=user), status=Conversation.Status.OPEN)
        .order_by("pk")
    )
    closed = 0
    for conversation in found:
        if conversation.citizen_id is None:
            # Reached through the LINE link, which closure releases next: keep whose it was,
            # so that nothing later (a complaint draft) pushes to the closed account's LINE.
            conversation.citizen = user
            conversation.save(update_fields=["citizen"])
        _mark_closed(conversation, by=None, text=_("การสนทนาสิ้นสุดเนื่องจากบัญชีผู้ใช้ถูกปิด"))
        closed += 1
    return closed


@transaction.atomic
def conversation_rate(
    *, conversation: Conversation, score: int, citizen=None, line_account=None
) -> Conversation:
    """The citizen's 1-5 score for a closed chat; they may change it later."""
    conversation = _locked(conversation)
    owner = (citizen is not None and conversation.citizen_id == citizen.pk) or (
        line_account is not None and conversation.line_account_id == line_account.pk
    )
    if not owner:
        raise PermissionDenied
    if conversation.is_open:
        raise ValidationError(_("ให้คะแนนได้เมื่อจบการสนทนาแล้ว"), code="open")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("กรุณาเลือกคะแนน 1 ถึง 5"), code="invalid")
    conversation.rating = score
    conversation.rated_at = timezone.now()
    conversation.save(update_fields=["rating", "rated_at"])
    return conversation


def conversation_mark_read(*, conversation: Conversation) -> None:
    if conversation.unread_count:
        Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
