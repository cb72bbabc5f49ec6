"""What the official account does for live chat: the rich-menu item opens a conversation, and
while it is open every message goes to the officers instead of the bot."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import services
from chat.models import ChatMessage, Conversation
from core import menu
from line_integration import messages as msg
from line_integration.handlers import (
    EventContext,
    register_message_interceptor,
    register_postback,
)


def _account(ctx: EventContext):
    """The follower's row, made (with their LINE name) if we missed their follow event."""
    account = ctx.account
    if account is None or not account.display_name:
        from line_integration.handlers import fetch_display_name
        from line_integration.services import record_follow

        name = fetch_display_name(ctx.line_user_id)
        account = record_follow(line_user_id=ctx.line_user_id, display_name=name)
    return account


def _open_conversation(ctx: EventContext) -> Conversation | None:
    if ctx.account is None:
        return None
    found = services.open_conversation_for(citizen=ctx.user, line_account=ctx.account)
    if found is None:
        return None
    return services.attach_line_account(found, citizen=ctx.user, line_account=ctx.account)


# Live chat answers the help item instead of line_integration's hotline text.
@register_postback(menu.CHAT.postback, purpose="chat.start", override=True)
def start(ctx: EventContext):
    conversation, created = services.conversation_start(
        channel=Conversation.Channel.LINE, citizen=ctx.user, line_account=_account(ctx)
    )
    lines = services.greeting_lines()
    if not created:
        lines[0] = _("การสนทนากับเจ้าหน้าที่ยังเปิดอยู่ พิมพ์ข้อความต่อได้เลย")
    return [msg.text("\n\n".join(lines), quick_replies=[services.end_action()])]


@register_postback("chat=end", purpose="chat.end")
def end(ctx: EventContext):
    conversation = _open_conversation(ctx)
    if conversation is None:
        return [msg.text(_("ขณะนี้ท่านไม่มีการสนทนากับเจ้าหน้าที่ที่เปิดอยู่"))]
    services.conversation_close(conversation=conversation, by=ctx.user, by_citizen=True)
    return None  # the closing message with the rating buttons goes through the outbox


@register_postback("chat=rate", purpose="chat.rate")
def rate(ctx: EventContext):
    params = ctx.postback_params
    conversation = Conversation.objects.filter(pk=params.get("c") or 0).first()
    try:
        score = int(params.get("s") or 0)
    except ValueError:
        score = 0
    refused = [msg.text(_("ไม่สามารถบันทึกคะแนนนี้ได้"))]
    if conversation is None or ctx.account is None:
        return refused
    try:
        services.conversation_rate(
            conversation=conversation, score=score, line_account=ctx.account, citizen=ctx.user
        )
    except (PermissionDenied, ValidationError):  # a stale or foreign button
        return refused
    return [msg.text(_("ขอบคุณสำหรับคะแนน %(score)s จาก 5") % {"score": score})]


@register_message_interceptor(purpose="chat.off_hours")
def to_officers(ctx: EventContext):
    """While a conversation is open the bot keeps quiet: the message waits for an officer."""
    conversation = _open_conversation(ctx)
    if conversation is None:
        return None
    message = ctx.message
    kind = message.get("type")
    if kind == "text" and ctx.text.strip().lower() in services.END_WORDS:
        services.conversation_close(conversation=conversation, by=ctx.user, by_citizen=True)
        return []
    now = timezone.now()
    fields = {"line_message_id": str(message.get("id") or "") or None, "now": now}
    if kind == "text":
        fields.update(kind=ChatMessage.Kind.TEXT, text=ctx.text)
    elif kind == "image":
        fields.update(kind=ChatMessage.Kind.IMAGE, image_status=ChatMessage.ImageStatus.PENDING)
    elif kind == "sticker":
        fields.update(
            kind=ChatMessage.Kind.STICKER,
            sticker_package_id=str(message.get("packageId") or "")[:32],
            sticker_id=str(message.get("stickerId") or "")[:32],
        )
    else:  # video, audio, file, location: not kept; say what we can take
        return [
            msg.text(
                _("ขออภัย การสนทนากับเจ้าหน้าที่รับได้เฉพาะข้อความ รูปภาพ และสติกเกอร์"),
                quick_replies=[services.end_action()],
            )
        ]
    chat_message, created = services.citizen_message_receive(conversation=conversation, **fields)
    if created and chat_message.kind == ChatMessage.Kind.IMAGE:
        from chat.tasks import fetch_line_image

        transaction.on_commit(lambda: fetch_line_image.enqueue(chat_message.pk))
    if created and services.off_hours_notice_due(conversation, now):
        from chat import hours

        return [msg.text(hours.expected_answer_text(now), quick_replies=[services.end_action()])]
    return []
