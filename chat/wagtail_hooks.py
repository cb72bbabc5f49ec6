"""Live chat in the Wagtail admin: the "แชทกับประชาชน" menu item (with how many citizens are
waiting) and its screens under /admin/chat/, for those with chat.answer_conversation; the
quick-reply templates officers keep and the holidays supervisors keep, as snippets (who may
change what comes from accounts/setup.py ROLE_PERMISSIONS)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.roles import may_answer_chats
from chat import admin_urls, selectors
from chat.models import QuickReplyTemplate, ServiceHoliday
from core.thai_dates import format_thai_date


class ChatMenuItem(MenuItem):
    def is_shown(self, request):
        return may_answer_chats(request.user)

    def render_component(self, request):
        waiting = selectors.waiting_count()
        label = f"{self.label} ({waiting})" if waiting else str(self.label)
        return LinkMenuItem(self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def register_chat_menu_item():
    return ChatMenuItem(
        gettext_lazy("แชทกับประชาชน"),
        reverse("chat_admin:inbox"),
        name="chat",
        icon_name="comment",
        order=40,
    )


@hooks.register("register_admin_urls")
def register_chat_admin_urls():
    return [path("chat/", include((admin_urls.urlpatterns, "chat_admin"), namespace="chat_admin"))]


class QuickReplyTemplateViewSet(SnippetViewSet):
    model = QuickReplyTemplate
    icon = "comment"
    menu_label = gettext_lazy("ข้อความตอบกลับด่วน")
    add_to_admin_menu = False
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = ["title", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body"]
    ordering = ["sort_order", "title"]


class ServiceHolidayViewSet(SnippetViewSet):
    model = ServiceHoliday
    icon = "date"
    menu_label = gettext_lazy("วันหยุดราชการ (แชท)")
    add_to_admin_menu = False
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column(
            "date",
            label=gettext_lazy("วันที่"),
            sort_key="date",
            accessor=lambda row: format_thai_date(row.date),
        ),
        "name",
    ]
    ordering = ["date"]


register_snippet(QuickReplyTemplateViewSet)
register_snippet(ServiceHolidayViewSet)
