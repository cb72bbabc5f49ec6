"""ติดต่อขอความช่วยเหลือประชาชน on the site (/chat/): the same chat as in LINE, for citizens
who do not use LINE (or prefer the web). Log-in required.

A citizen only ever reaches their own conversations (``citizen_conversations``), through the
page, the JSON that static/chat/citizen.js polls every CHAT_POLL_INTERVAL_MS while the tab is
visible, and the picture view. Officers are "เจ้าหน้าที่" here, never a name. Without
JavaScript everything still works: each action is a form POST that redirects back.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import works_in_admin
from chat import drafts, services
from chat.forms import MessageForm, RatingForm, start_conversation
from chat.models import ChatMessage, Conversation
from chat.selectors import poll_interval
from core import centre
from core.files import protected_file_response
from core.http import client_ip
from core.ratelimit import Rate, allow
from core.thai_dates import format_thai_datetime
from line_integration.selectors import active_line_account_for

Sender = ChatMessage.Sender
Kind = ChatMessage.Kind
MESSAGES_PER_ACCOUNT = Rate(10, 30)
MESSAGES_PER_CLIENT = Rate(60, 60)
TOO_MANY_MESSAGES = gettext_lazy("ส่งข้อความถี่เกินไป กรุณารอสักครู่แล้วกดส่งอีกครั้ง ข้อความของท่านยังอยู่ในช่องพิมพ์")
HISTORY_LIMIT = 300
POLL_LIMIT = 200
IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
IMAGE_LABELS = {
    ChatMessage.ImageStatus.PENDING: gettext_lazy("กำลังรับรูปภาพ…"),
    ChatMessage.ImageStatus.REFUSED: gettext_lazy("รูปภาพไม่ผ่านการตรวจสอบ จึงไม่ได้ส่งถึงเจ้าหน้าที่"),
    ChatMessage.ImageStatus.FAILED: gettext_lazy("รับรูปภาพไม่สำเร็จ"),
}


# Whose is what --------------------------------------------------------------------------------


def citizen_conversations(user):
    """The conversations a citizen may read: their own, and those their linked LINE account
    started before it was linked to any site account."""
    return Conversation.objects.filter(
        Q(citizen=user)
        | Q(citizen__isnull=True, line_account__user=user, line_account__is_active=True)
    )


def open_conversation(user) -> Conversation | None:
    return (
        citizen_conversations(user).filter(status=Conversation.Status.OPEN).order_by("-id").first()
    )


def last_closed_unrated(user) -> Conversation | None:
    last = (
        citizen_conversations(user)
        .filter(status=Conversation.Status.CLOSED)
        .order_by("-closed_at", "-id")
        .first()
    )
    return last if last is not None and last.rating is None else None


def _names_an_officer(message: ChatMessage, text: str) -> bool:
    """System lines like "วิไล ตั้งใจ รับเรื่องสนทนานี้" are for officers' eyes only."""
    author = message.author
    if message.sender != Sender.SYSTEM or author is None:
        return False
    if author.pk == message.conversation.citizen_id:
        return False
    names = (author.get_full_name(), author.username)
    return any(name and name in text for name in names)


def message_view(message: ChatMessage) -> dict | None:
    """One message as the citizen sees it (None: not shown to citizens)."""
    text = message.text if message.kind == Kind.TEXT else ""
    link = None
    if message.sender == Sender.SYSTEM:
        text, token = drafts.split_draft_link(text)
        if token:
            link = {
                "url": f"{reverse('complaints:new')}?draft={token}",
                "label": _("กรอกเรื่องร้องเรียนต่อ"),
            }
    if _names_an_officer(message, text):
        return None
    image_url = image_label = ""
    if message.kind == Kind.IMAGE:
        if message.image_status == ChatMessage.ImageStatus.READY and message.image:
            image_url = reverse("chat:image", args=[message.pk])
        else:
            image_label = str(IMAGE_LABELS.get(message.image_status, _("ไม่มีรูปภาพ")))
    who = {Sender.CITIZEN: _("ท่าน"), Sender.OFFICER: _("เจ้าหน้าที่")}.get(message.sender, "")
    return {
        "id": message.pk,
        "sender": message.sender,
        "who": who,
        "text": text,
        "sticker": _("[สติกเกอร์]") if message.kind == Kind.STICKER else "",
        "image_url": image_url,
        "image_label": image_label,
        "link": link,
        "at": format_thai_datetime(message.created_at),
        "iso": message.created_at.isoformat(),
    }


def _messages(conversation: Conversation, *, after: int = 0, limit: int) -> list[ChatMessage]:
    found = ChatMessage.objects.filter(conversation=conversation).select_related("author")
    if after:
        return list(found.filter(id__gt=after).order_by("id")[:limit])
    return list(reversed(found.order_by("-id")[:limit]))


def _views(conversation: Conversation, rows: list[ChatMessage]) -> list[dict]:
    for row in rows:
        row.conversation = conversation  # one query for the lot, not one per message
    return [view for view in map(message_view, rows) if view is not None]


def _inbox_url() -> str:
    try:
        return reverse("chat_admin:inbox")
    except NoReverseMatch:
        return reverse("wagtailadmin_home")


# The page -------------------------------------------------------------------------------------


def _page(request, *, form=None, rating_form=None, status=200):
    user = request.user
    if works_in_admin(user):
        context = {"staff": True, "inbox_url": _inbox_url()}
        return render(request, "chat/conversation.html", context, status=status)
    conversation = open_conversation(user)
    # A refused message is shown again in its box even if the chat ended meanwhile.
    typing = form is not None and form.is_bound
    to_rate = None if conversation is not None or typing else last_closed_unrated(user)
    shown = conversation or to_rate
    rows = _messages(shown, limit=HISTORY_LIMIT) if shown is not None else []
    context = {
        "greeting": services.greeting_lines(),
        "conversation": conversation,
        "to_rate": to_rate,
        "chat_messages": _views(shown, rows) if shown is not None else [],
        "last_id": rows[-1].pk if rows else 0,
        "form": form or MessageForm(),
        "rating_form": rating_form or RatingForm(),
        "poll_url": reverse("chat:messages"),
        "poll_interval": poll_interval(),
    }
    return render(request, "chat/conversation.html", context, status=status)


@never_cache
@login_required
def conversation(request):
    """The chat: GET shows it; POST sends a message (the first one opens the conversation)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method != "POST":
        return _page(request)
    if works_in_admin(request.user):
        return _page(request, status=403)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        if form.is_end_request():
            return _end(request)
        if not _message_allowed(request):
            form.add_error(None, TOO_MANY_MESSAGES)
            return _page(request, form=form, status=429)
        account = active_line_account_for(request.user)
        if form.send(citizen=request.user, line_account=account) is not None:
            return redirect(reverse("chat:conversation") + "#compose")
    return _page(request, form=form, status=400)


def _message_allowed(request) -> bool:
    """A person types a message in seconds; a script sends fifteen in one. Officers read
    every message, so a flood from one account or one address waits (core/ratelimit.py)."""
    return allow("chat-account", request.user.pk, MESSAGES_PER_ACCOUNT) and allow(
        "chat-client", client_ip(request), MESSAGES_PER_CLIENT
    )


def _end(request):
    found = open_conversation(request.user)
    if found is None:
        messages.info(request, _("ขณะนี้ท่านไม่มีการสนทนากับเจ้าหน้าที่ที่เปิดอยู่"))
    else:
        services.conversation_close(conversation=found, by=request.user, by_citizen=True)
        messages.success(request, _("จบการสนทนาแล้ว ขอบคุณที่ติดต่อ%(name)s") % centre.texts(request))
    return redirect("chat:conversation")


@require_POST
@login_required
def end(request):
    if works_in_admin(request.user):
        return _page(request, status=403)
    return _end(request)


@require_POST
@login_required
def start(request):
    """เริ่มการสนทนาใหม่ after a finished one (whether or not it was rated)."""
    if works_in_admin(request.user):
        return _page(request, status=403)
    start_conversation(citizen=request.user, line_account=active_line_account_for(request.user))
    return redirect(reverse("chat:conversation") + "#compose")


@require_POST
@login_required
def rate(request):
    if works_in_admin(request.user):
        return _page(request, status=403)
    found = citizen_conversations(request.user).filter(pk=_int(request.POST.get("conversation")))
    found = found.first()
    if found is None:
        raise Http404
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, rating_form=form, status=400)
    try:
        services.conversation_rate(
            conversation=found,
            score=form.cleaned_data["score"],
            citizen=request.user,
            line_account=active_line_account_for(request.user),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _page(request, rating_form=form, status=400)
    messages.success(
        request,
        _("ขอบคุณสำหรับคะแนน %(score)s จาก 5") % {"score": form.cleaned_data["score"]},
    )
    return redirect("chat:conversation")


BIGINT_MAX = 2**63 - 1


def _int(value) -> int:
    """A positive id from the query string; anything else (or too big for the database) is 0."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= BIGINT_MAX else 0


# What the page polls --------------------------------------------------------------------------


@never_cache
@require_safe
def messages_json(request):
    """``?after=<id>`` (and ``conversation=<id>``, the one the page shows): the newer messages,
    drawn by the same template as the page. Only ever the asking citizen's own."""
    if not request.user.is_authenticated:
        return JsonResponse({"message": _("กรุณาเข้าสู่ระบบ")}, status=401)
    if works_in_admin(request.user):
        return JsonResponse({"message": _("หน้านี้สำหรับประชาชน")}, status=403)
    wanted = request.GET.get("conversation")
    if wanted:
        found = citizen_conversations(request.user).filter(pk=_int(wanted)).first()
    else:
        found = open_conversation(request.user)
    if found is None:
        if wanted:
            raise Http404
        return JsonResponse({"conversation": None, "open": False, "messages": [], "last_id": 0})
    after = _int(request.GET.get("after"))
    rows = _messages(found, after=after, limit=POLL_LIMIT if after else HISTORY_LIMIT)
    views = _views(found, rows)
    return JsonResponse(
        {
            "conversation": found.pk,
            "open": found.is_open,
            "last_id": rows[-1].pk if rows else after,
            "messages": [
                {
                    "id": view["id"],
                    "sender": view["sender"],
                    "html": render_to_string("chat/message.html", {"m": view}, request=request),
                }
                for view in views
            ],
        }
    )


# Pictures -------------------------------------------------------------------------------------


_EXTENSION = re.compile(r"\.([A-Za-z0-9]+)$")


def image_response(message: ChatMessage):
    """A stored chat picture, shown inline and never sniffed; the caller checked who asks."""
    match = _EXTENSION.search(message.image.name)
    extension = match.group(1).lower() if match else ""
    content_type = IMAGE_TYPES.get(extension)
    if content_type is None:
        raise Http404
    return protected_file_response(
        message.image.name,
        filename=f"chat-{message.pk}.{extension}",
        content_type=content_type,
        inline=True,
    )


@require_safe
@login_required
def image(request, message_id: int):
    """A picture in the citizen's own conversation, from private storage; 404 for anyone
    else's, so the number reveals nothing."""
    message = (
        ChatMessage.objects.filter(
            pk=message_id,
            kind=Kind.IMAGE,
            image_status=ChatMessage.ImageStatus.READY,
            conversation__in=citizen_conversations(request.user),
        )
        .only("image")
        .first()
    )
    if message is None or not message.image:
        raise Http404
    return image_response(message)
