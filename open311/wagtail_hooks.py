"""Partners' API keys in the Wagtail admin ("กุญแจ API (Open311)", under Settings):
supervisors issue a key (shown once, on the page that follows), see which keys exist and
when each was last used, and revoke one. A key is never edited or deleted: what it filed keeps
its partner's name. Who may do what: ``open311.add_apikey`` issues, ``open311.change_apikey``
revokes (granted to the Supervisors group by ``open311.setup``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.thai_dates import format_thai_datetime
from open311.keys import api_key_issue, api_key_revoke
from open311.models import ApiKey


class ApiKeyPermissionPolicy(ModelPermissionPolicy):
    """Keys are issued and revoked, never edited or deleted here."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        kept = [a for a in actions if a not in ("change", "delete")]
        return super().users_with_any_permission(kept)


key_policy = ApiKeyPermissionPolicy(ApiKey)
register_permission_policy(ApiKey, key_policy)


def can_revoke(user) -> bool:
    return user.is_active and user.has_perm("open311.change_apikey")


class ApiKeyCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        instance, self.raw_key = api_key_issue(
            partner_name=data["partner_name"], note=data.get("note", ""), by=self.request.user
        )
        return instance

    def save_action(self):
        return TemplateResponse(
            self.request,
            "open311/admin/key_issued.html",
            {
                "key": self.object,
                "raw_key": self.raw_key,
                "index_url": reverse("open311_keys:index"),
                "header_icon": "key",
                "page_title": _("ออกกุญแจ API แล้ว"),
            },
        )


class ApiKeyIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_active and can_revoke(self.request.user):
            buttons.append(
                MenuItem(
                    _("ยกเลิกกุญแจ"),
                    url=reverse("open311_keys:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=5,
                )
            )
        return buttons


def revoke_view(request, pk):
    """Confirm (GET) and revoke (POST): the key stops working at once."""
    if not can_revoke(request.user):
        raise PermissionDenied
    key = get_object_or_404(ApiKey, pk=pk)
    index_url = reverse("open311_keys:index")
    if request.method == "POST":
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("ยกเลิกกุญแจของ “%(name)s” แล้ว") % {"name": key.partner_name})
        return redirect(index_url)
    return TemplateResponse(
        request,
        "open311/admin/revoke_confirm.html",
        {
            "key": key,
            "index_url": index_url,
            "header_icon": "key",
            "page_title": _("ยกเลิกกุญแจ API"),
        },
    )


def _when(value) -> str:
    return format_thai_datetime(value) if value else "-"


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    name = "open311_keys"
    icon = "key"
    menu_label = _("กุญแจ API (Open311)")
    add_to_settings_menu = True
    add_view_class = ApiKeyCreateView
    index_view_class = ApiKeyIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["partner_name", "note"]
    search_fields = None
    list_filter = ["is_active"]
    ordering = ["-created_at"]

    @property
    def list_display(self):
        return [
            "partner_name",
            Column("prefix", label=_("กุญแจขึ้นต้นด้วย"), accessor=lambda k: f"{k.prefix}…"),
            Column(
                "is_active",
                label=_("สถานะ"),
                accessor=lambda k: _("ใช้งานได้") if k.is_active else _("ยกเลิกแล้ว"),
            ),
            Column("created_at", label=_("ออกเมื่อ"), accessor=lambda k: _when(k.created_at)),
            Column("last_used_at", label=_("ใช้ล่าสุดเมื่อ"), accessor=lambda k: _when(k.last_used_at)),
            Column("revoked_at", label=_("ยกเลิกเมื่อ"), accessor=lambda k: _when(k.revoked_at)),
            "note",
        ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("revoke/<int:pk>/", revoke_view, name="revoke")]


@hooks.register("register_admin_viewset")
def register_api_key_viewset():
    return ApiKeyViewSet()
