"""The officers' chat screens in the Wagtail admin: the inbox and one conversation, each with a
small JSON twin that static/chat/officer-*.js polls every CHAT_POLL_INTERVAL_MS while the tab
is visible (no websockets: gunicorn sync workers, several stateless nodes).

Every screen needs chat.answer_conversation (403 otherwise; Wagtail itself sends people without
admin access to its log-in page). Nothing here writes to a model: each action is one function
of ``chat.services``. Without JavaScript every action is a plain form POST that redirects back.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import may_answer_chats, staff_name
from chat import selectors, services
from chat.admin_forms import DraftForm, ReplyForm, TransferForm
from chat.models import ChatMessage, QuickReplyTemplate
from chat.views import image_response
from complaints.notifications import admin_case_path


def wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest" or (
        "application/json" in request.headers.get("accept", "")
    )


def officer_required(view):
    """Only people who answer chats; anyone else with admin access gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_answer_chats(request.user):
            message = _("หน้านี้สำหรับเจ้าหน้าที่ที่ตอบแชทของประชาชนเท่านั้น")
            if wants_json(request):
                return JsonResponse({"message": message}, status=403)
            return TemplateResponse(
                request,
                "chat/admin/forbidden.html",
                {"page_title": _("ไม่มีสิทธิ์เข้าถึง"), "header_icon": "lock", "message": message},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _conversation_or_404(pk: int):
    conversation = selectors.conversation_for_officer(pk)
    if conversation is None:
        raise Http404
    return conversation


def _strings() -> dict:
    """Texts officer-*.js shows (translated here, like every other text)."""
    return {
        "empty": _("ยังไม่มีการสนทนาที่เปิดอยู่"),
        "emptyMine": _("ไม่มีการสนทนาที่ท่านรับไว้"),
        "unread": _("ยังไม่อ่าน %(n)s ข้อความ"),
        "image": _("[รูปภาพ]"),
        "imageAlt": _("รูปภาพจากประชาชน"),
        "offline": _("ขาดการเชื่อมต่อ กำลังลองใหม่…"),
        "expired": _("หมดเวลาเข้าสู่ระบบ กรุณาโหลดหน้านี้ใหม่"),
        "sendFailed": _("ส่งข้อความไม่สำเร็จ กรุณาลองอีกครั้ง"),
        "sending": _("กำลังส่ง…"),
        "columns": {
            "channel": _("ช่องทาง"),
            "unread": _("ยังไม่อ่าน"),
            "waiting": _("รอคำตอบ"),
            "assigned": _("ผู้รับเรื่อง"),
            "preview": _("ข้อความล่าสุด"),
        },
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


# Inbox ----------------------------------------------------------------------------------------


class InboxView(WagtailAdminTemplateMixin, View):
    template_name = "chat/admin/inbox.html"
    page_title = gettext_lazy("แชทกับประชาชน")
    header_icon = "comment"
    breadcrumbs_items = []

    def get(self, request):
        mine = request.GET.get("mine") == "1"
        now = timezone.now()
        context = self.get_context_data(
            rows=selectors.inbox_rows(officer=request.user, mine=mine, now=now),
            closed_rows=selectors.closed_rows(now=now),
            mine=mine,
            closed_days=selectors.CLOSED_DAYS,
            poll_url=reverse("chat_admin:inbox_json") + ("?mine=1" if mine else ""),
            poll_interval=selectors.poll_interval(),
            templates_url=_snippet_index(request.user, "quickreplytemplate"),
            holidays_url=_snippet_index(request.user, "serviceholiday"),
            strings=_strings(),
        )
        return _no_store(self.render_to_response(context))


def _snippet_index(user, model_name: str) -> str:
    if not user.has_perm(f"chat.view_{model_name}"):
        return ""
    return reverse(f"wagtailsnippets_chat_{model_name}:list")


@never_cache
@require_safe
def inbox_json(request):
    mine = request.GET.get("mine") == "1"
    rows = selectors.inbox_rows(officer=request.user, mine=mine)
    return _no_store(JsonResponse({"rows": rows, "me": request.user.pk}))


# One conversation ----------------------------------------------------------------------------


class ConversationView(WagtailAdminTemplateMixin, View):
    """The history, the citizen and their complaints, and the officer's actions."""

    template_name = "chat/admin/conversation.html"
    header_icon = "comment"
    page_title = gettext_lazy("แชทกับประชาชน")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.conversation = _conversation_or_404(kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.conversation)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("chat_admin:inbox"), "label": _("แชทกับประชาชน")},
            {"url": "", "label": str(self.conversation)},
        ]

    def get(self, request, pk):
        services.conversation_mark_read(conversation=self.conversation)
        return self.page()

    def page(self, *, status: int = 200, **forms) -> HttpResponse:
        conversation = self.conversation
        officer = self.request.user
        history, cut = selectors.history(conversation)
        forms.setdefault("reply_form", ReplyForm())
        forms.setdefault("transfer_form", TransferForm(exclude=conversation.assigned_to))
        forms.setdefault(
            "draft_form", DraftForm(initial={"details": selectors.citizen_text(conversation)})
        )
        context = self.get_context_data(
            conversation=conversation,
            state=selectors.conversation_state(conversation),
            chat_messages=[selectors.message_dict(m) for m in history],
            history_cut=cut,
            last_id=history[-1].pk if history else 0,
            complaints=[
                {
                    "complaint": complaint,
                    "url": admin_case_path(complaint),
                }
                for complaint in selectors.linked_complaints(
                    conversation=conversation, officer=officer
                )
            ],
            citizen_name=selectors.citizen_name(conversation),
            quick_replies=QuickReplyTemplate.objects.filter(is_active=True),
            is_mine=conversation.assigned_to_id == officer.pk,
            poll_url=reverse("chat_admin:messages_json", args=[conversation.pk]),
            poll_interval=selectors.poll_interval(),
            strings=_strings(),
            **forms,
        )
        return _no_store(self.render_to_response(context, status=status))

    def post(self, request, pk):
        action = request.POST.get("action")
        handler = {
            "reply": self.reply,
            "take": self.take,
            "transfer": self.transfer,
            "close": self.close,
            "draft": self.draft,
        }.get(action)
        if handler is None:
            return HttpResponse(_("ไม่รู้จักคำสั่งนี้"), status=400)
        try:
            return handler(request)
        except PermissionDenied:
            raise
        except ValidationError as error:  # e.g. the conversation was closed meanwhile
            if wants_json(request):
                return JsonResponse({"errors": {"__all__": error.messages}}, status=400)
            for text in error.messages:
                messages.error(request, text)
            return self.back()

    def back(self) -> HttpResponse:
        return redirect("chat_admin:conversation", pk=self.conversation.pk)

    def reply(self, request):
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                message = services.officer_reply(
                    conversation=self.conversation,
                    officer=request.user,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                form.add_error("text" if error.code != "closed" else None, error)
            else:
                if wants_json(request):
                    return JsonResponse({"message": selectors.message_dict(message)}, status=201)
                return redirect(
                    reverse("chat_admin:conversation", args=[message.conversation_id])
                    + "#chat-reply"
                )
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return self.page(reply_form=form, status=400)

    def take(self, request):
        services.conversation_take(conversation=self.conversation, officer=request.user)
        messages.success(request, _("รับเรื่องสนทนานี้แล้ว"))
        return self.back()

    def transfer(self, request):
        form = TransferForm(request.POST, exclude=self.conversation.assigned_to)
        if form.is_valid():
            to = form.cleaned_data["to"]
            try:
                services.conversation_transfer(
                    conversation=self.conversation, officer=request.user, to=to
                )
            except ValidationError as error:
                form.add_error("to" if error.code == "invalid" else None, error)
            else:
                messages.success(
                    request,
                    _("โอนการสนทนาให้ %(name)s แล้ว") % {"name": staff_name(to)},
                )
                return self.back()
        return self.page(transfer_form=form, status=400)

    def close(self, request):
        services.conversation_close(conversation=self.conversation, by=request.user)
        messages.success(request, _("จบการสนทนาแล้ว ระบบส่งข้อความขอบคุณและขอให้ประเมินความพึงพอใจ"))
        return self.back()

    def draft(self, request):
        form = DraftForm(request.POST)
        if form.is_valid():
            from chat.drafts import conversation_to_complaint_draft  # written alongside

            try:
                conversation_to_complaint_draft(
                    conversation=self.conversation,
                    officer=request.user,
                    category=form.cleaned_data["category"],
                    details=form.cleaned_data["details"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("สร้างร่างเรื่องร้องเรียนแล้ว ประชาชนจะได้รับลิงก์เพื่อตรวจสอบและยื่นเรื่อง")
                )
                return self.back()
        return self.page(draft_form=form, status=400)


@never_cache
@require_safe
def messages_json(request, pk: int):
    """What the open conversation screen lacks: messages after ``?after=<id>`` and the
    conversation's state (who has it, still open). ``seen=1`` (the tab is visible) marks the
    conversation read, as opening the page does."""
    conversation = _conversation_or_404(pk)
    try:
        after = max(0, int(request.GET.get("after") or 0))
    except ValueError:
        after = 0
    found = selectors.messages_after(conversation, after)
    if request.GET.get("seen") == "1" and conversation.unread_count:
        services.conversation_mark_read(conversation=conversation)
    return _no_store(
        JsonResponse(
            {
                "conversation": selectors.conversation_state(conversation),
                "messages": [selectors.message_dict(m) for m in found],
            }
        )
    )


@never_cache
@require_safe
def image(request, message_id: int):
    """A picture a citizen sent, from private storage, shown inline in the officer's page.
    The type comes from the stored (checked and re-encoded) file, never from the citizen."""
    message = (
        ChatMessage.objects.filter(pk=message_id, kind=ChatMessage.Kind.IMAGE)
        .only("image", "image_status")
        .first()
    )
    if (
        message is None
        or message.image_status != ChatMessage.ImageStatus.READY
        or not message.image
    ):
        raise Http404
    return image_response(message)
