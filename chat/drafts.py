"""A conversation turned into a complaint draft for the citizen to finish.

The officer writes what the citizen asked for; the citizen gets a link (in LINE, and as a line
in their conversation on the site) that opens the complaint wizard with step ๒ filled in. The
complaint itself is only filed when the citizen checks it and confirms, under their own consent.
The link travels inside the system line's text, so officers see exactly what the citizen got.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import may_answer_chats
from chat import services
from chat.models import ChatMessage, Conversation
from complaints.models import ComplaintCategory, ComplaintDraft
from complaints.services import complaint_draft_create
from line_integration import messages as msg

DETAILS_MAX = 4000
SOURCE = "chat"
DRAFT_PATH = "/complaints/new/?draft="
_LINK = re.compile(r"\s*\S*/complaints/new/\?draft=([0-9a-fA-F-]{36})\S*")


def draft_path(draft: ComplaintDraft) -> str:
    return f"{DRAFT_PATH}{draft.token}"


def split_draft_link(text: str) -> tuple[str, str | None]:
    """A system line's text without its draft link, and the draft's token (None: no link)."""
    match = _LINK.search(text or "")
    if match is None:
        return text, None
    return (text[: match.start()] + text[match.end() :]).strip(), match.group(1).lower()


@transaction.atomic
def conversation_to_complaint_draft(
    *,
    conversation: Conversation,
    officer,
    category: ComplaintCategory | None,
    details: str,
) -> ComplaintDraft:
    """Prepare a complaint from a chat: the draft, a line in the conversation, and the link in
    the citizen's LINE (once per draft). Raises ValidationError with Thai messages."""
    if not may_answer_chats(officer):
        raise PermissionDenied
    details = (details or "").strip()
    if not details:
        raise ValidationError({"details": _("กรุณากรอกรายละเอียดเรื่องร้องเรียน")}, code="required")
    if len(details) > DETAILS_MAX:
        raise ValidationError(
            {"details": _("รายละเอียดยาวเกิน 4,000 ตัวอักษร กรุณาตัดให้สั้นลง")}, code="max_length"
        )
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("line_account")
        .get(pk=conversation.pk)
    )
    draft = complaint_draft_create(
        citizen=conversation.citizen,
        category=category,
        details=details,
        created_by=officer,
        source=SOURCE,
    )
    link = msg.site_url(draft_path(draft))
    ChatMessage.objects.create(
        conversation=conversation,
        sender=ChatMessage.Sender.SYSTEM,
        author=officer,
        text=f"{_('เจ้าหน้าที่สร้างร่างเรื่องร้องเรียนให้แล้ว')}\n{link}",
    )
    services.push_to_citizen(
        conversation,
        [
            draft_message(
                msg.signed_in_url(draft_path(draft)),
                category=category,
                still_open=conversation.is_open,
            )
        ],
        key=f"chat:draft:{draft.pk}",
        purpose="chat.complaint_draft",
    )
    return draft


def draft_message(link: str, *, category: ComplaintCategory | None, still_open: bool) -> dict:
    lines = [
        _(
            "เจ้าหน้าที่เตรียมร่างเรื่องร้องเรียนจากการสนทนาไว้ให้แล้ว "
            "กรุณาตรวจสอบและกรอกข้อมูลให้ครบ แล้วกดยืนยันเพื่อยื่นเรื่อง"
        ),
    ]
    if category is not None:
        lines.append(_("ประเภทเรื่อง: %(name)s") % {"name": category.name})
    return msg.bubble(
        title=_("ร่างเรื่องร้องเรียน"),
        lines=lines,
        buttons=[msg.uri_action(_("กรอกเรื่องร้องเรียนต่อ"), link)],
        quick_replies=[services.end_action()] if still_open else None,
    )
