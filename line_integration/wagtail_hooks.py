"""The LINE outbox in the Wagtail admin: read-only listing for staff, and "send again".

Rows are written only by code, so nobody (not even a superuser) adds, edits or deletes them
here. Seeing the list needs ``view_outboundmessage``; "ส่งอีกครั้ง" on a failed row needs
``retry_outboundmessage``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.thai_dates import format_thai_datetime
from line_integration import services
from line_integration.models import OutboundMessage

READ_ONLY_ACTIONS = {"add", "change", "delete"}


class OutboxPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action in READ_ONLY_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in READ_ONLY_ACTIONS])


outbox_policy = OutboxPermissionPolicy(OutboundMessage)
register_permission_policy(OutboundMessage, outbox_policy)


def can_retry(user) -> bool:
    return outbox_policy.user_has_permission(user, "retry")


def retry_view(request, pk):
    """Confirm (GET) and reset a failed row to pending with its original retry key (POST)."""
    if not can_retry(request.user):
        raise PermissionDenied
    row = get_object_or_404(OutboundMessage, pk=pk)
    index_url = reverse("line_outbox:index")
    if request.method == "POST":
        try:
            services.retry_outbound(outbound_id=row.pk)
        except ValueError:
            messages.error(request, _("ส่งอีกครั้งได้เฉพาะข้อความที่ส่งไม่สำเร็จ"))
        else:
            messages.success(
                request, _("กำหนดส่ง “%(purpose)s” อีกครั้งแล้ว") % {"purpose": row.purpose}
            )
        return redirect(index_url)
    return TemplateResponse(
        request,
        "line_integration/admin/retry_confirm.html",
        {
            "row": row,
            "index_url": index_url,
            "header_icon": "mail",
            "page_title": _("ส่งข้อความ LINE อีกครั้ง"),
        },
    )


class OutboxIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == OutboundMessage.Status.FAILED and can_retry(self.request.user):
            buttons.append(
                MenuItem(
                    _("ส่งอีกครั้ง"),
                    url=reverse("line_outbox:retry", args=[instance.pk]),
                    icon_name="repeat",
                    priority=5,
                )
            )
        return buttons


class OutboxViewSet(ModelViewSet):
    model = OutboundMessage
    index_view_class = OutboxIndexView
    name = "line_outbox"
    icon = "mail"
    menu_label = _("ข้อความขาออก LINE")
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["purpose"]  # never shown: the permission policy denies add and change
    list_filter = ["status", "kind"]
    search_fields = None
    ordering = ["-created_at"]
    inspect_view_fields = [
        "purpose",
        "kind",
        "status",
        "attempts",
        "recipients",
        "messages",
        "retry_key",
        "line_request_id",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "dedupe_key",
    ]

    @property
    def list_display(self):
        return [
            "purpose",
            Column("recipient_count", label=_("ผู้รับ (คน)"), accessor=lambda o: o.recipient_count),
            Column("status", label=_("สถานะ"), accessor="get_status_display", sort_key="status"),
            Column("attempts", label=_("จำนวนครั้งที่ส่ง"), sort_key="attempts"),
            Column(
                "last_error",
                label=_("ข้อผิดพลาดล่าสุด"),
                accessor=lambda o: Truncator(o.last_error).chars(120),
            ),
            Column(
                "created_at",
                label=_("สร้างเมื่อ"),
                sort_key="created_at",
                accessor=lambda o: format_thai_datetime(o.created_at),
            ),
            Column(
                "sent_at",
                label=_("ส่งสำเร็จเมื่อ"),
                sort_key="sent_at",
                accessor=lambda o: format_thai_datetime(o.sent_at) if o.sent_at else "",
            ),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<id:pk>/", retry_view, name="retry"),
        ]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet()
