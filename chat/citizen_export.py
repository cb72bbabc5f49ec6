"""A citizen's live chats in their own copy of their data (PDPA section 30, "ข้อมูลของฉัน").

Registered from ``ChatConfig.ready()`` as the export section "chat". It holds what the citizen's
own chat page shows them, through that page's ``citizen_conversations`` (web chats and those
their linked LINE account started) and ``message_view`` (which leaves out the system lines that
name an officer). Officers appear as the role "officer" only; pictures as kind and status
(neither content nor storage path); stickers as a label.
"""

from itertools import groupby
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import DataSummary, iso_date
from chat.models import ChatMessage, Conversation
from chat.views import citizen_conversations, message_view

Kind = ChatMessage.Kind


def _message(message: ChatMessage) -> dict[str, Any] | None:
    view = message_view(message)
    if view is None:
        return None
    return {
        "at": iso_date(message.created_at),
        "sender": message.sender,
        "kind": message.kind,
        "text": str(view["sticker"]) if message.kind == Kind.STICKER else view["text"],
        "image_status": message.image_status if message.kind == Kind.IMAGE else "",
        "image_status_label": (
            str(message.get_image_status_display()) if message.kind == Kind.IMAGE else ""
        ),
    }


def _conversation(conversation: Conversation, messages: list[ChatMessage]) -> dict[str, Any]:
    for message in messages:
        message.conversation = conversation  # message_view reads it: no query per message
    entries = (_message(message) for message in messages)
    return {
        "channel": conversation.channel,
        "channel_label": str(conversation.get_channel_display()),
        "status": conversation.status,
        "status_label": str(conversation.get_status_display()),
        "opened_at": iso_date(conversation.opened_at),
        "closed_at": iso_date(conversation.closed_at),
        "rating": conversation.rating,
        "rated_at": iso_date(conversation.rated_at),
        "messages": [entry for entry in entries if entry is not None],
    }


def export_chat(user: User) -> list[dict[str, Any]]:
    """Every conversation of the user, oldest first, each with all its messages (two queries)."""
    conversations = list(citizen_conversations(user).order_by("opened_at", "pk"))
    rows = (
        ChatMessage.objects.filter(conversation__in=[c.pk for c in conversations])
        .select_related("author")
        .order_by("conversation_id", "id")
    )
    by_conversation = {
        key: list(group) for key, group in groupby(rows, key=lambda m: m.conversation_id)
    }
    return [_conversation(c, by_conversation.get(c.pk, [])) for c in conversations]


def summarise_chat(user: User) -> DataSummary:
    count = citizen_conversations(user).count()
    return DataSummary(
        label=_("การสนทนากับเจ้าหน้าที่"),
        value=_("%(count)s ครั้ง") % {"count": f"{count:,}"},
        url=reverse("chat:conversation"),
    )
