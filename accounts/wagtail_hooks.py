"""Wagtail admin for accounts: closure requests (supervisors) and the privacy notice (editors).

A closure request is never edited field by field: its "edit" page is the handling page, where
a supervisor closes the account or refuses the request through the services, so the user is
always deactivated and their sessions ended together with the status change.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from accounts.forms.profile import ClosureHandleForm
from accounts.models import AccountClosureRequest, CitizenProfile, PrivacyNotice
from accounts.services import closure_request_complete, closure_request_reject
from accounts.validators import format_thai_phone
from core.thai_dates import format_thai_datetime


class ClosureRequestHandleView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """Shows one request with the citizen's identity and lets a supervisor decide it."""

    model = AccountClosureRequest
    permission_required = "change"
    template_name = "accounts/admin/closure_handle.html"
    page_title = gettext_lazy("ดำเนินการคำขอปิดบัญชี")
    header_icon = "user"
    index_url_name = None
    edit_url_name = None
    breadcrumbs_items = []

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            AccountClosureRequest.objects.select_related("user", "handled_by"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.object.username

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": AccountClosureRequest._meta.verbose_name_plural,
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.object.username},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = CitizenProfile.objects.filter(user_id=self.object.user_id).first()
        context.update(
            object=self.object,
            profile=profile,
            phone=format_thai_phone(profile.phone) if profile and profile.phone else "",
            is_pending=self.object.status == AccountClosureRequest.Status.PENDING,
        )
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ClosureHandleForm()))

    def post(self, request, *args, **kwargs):
        form = ClosureHandleForm(request.POST)
        action = request.POST.get("action")
        if form.is_valid() and action in ("complete", "reject"):
            note = form.cleaned_data["note"]
            try:
                if action == "complete":
                    closure_request_complete(request_obj=self.object, by=request.user, note=note)
                    messages.success(
                        request, _("ปิดบัญชี %(username)s แล้ว") % {"username": self.object.username}
                    )
                else:
                    closure_request_reject(request_obj=self.object, by=request.user, note=note)
                    messages.success(
                        request,
                        _("บันทึกการไม่อนุมัติคำขอของ %(username)s แล้ว")
                        % {"username": self.object.username},
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(self.index_url_name)
        return self.render_to_response(self.get_context_data(form=form))


class ClosureRequestIndexView(IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        url = self.get_edit_url(instance)
        if url and instance.status == AccountClosureRequest.Status.PENDING:
            buttons.insert(0, ListingButton(_("ดำเนินการ"), url=url, priority=5))
        return buttons


class ClosureRequestViewSet(SnippetViewSet):
    model = AccountClosureRequest
    menu_label = gettext_lazy("คำขอปิดบัญชี")
    icon = "user"
    add_to_admin_menu = True
    menu_order = 900
    list_display = [
        "username",
        Column(
            "requested_at",
            label=gettext_lazy("วันที่ขอ"),
            sort_key="requested_at",
            accessor=lambda obj: format_thai_datetime(obj.requested_at),
        ),
        "status",
    ]
    list_filter = ["status"]
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ClosureRequestIndexView

    @property
    def edit_view(self):
        return self.construct_view(ClosureRequestHandleView, **self.get_common_view_kwargs())


class PrivacyNoticeViewSet(SnippetViewSet):
    model = PrivacyNotice
    menu_label = gettext_lazy("ประกาศความเป็นส่วนตัว")
    icon = "lock"
    add_to_admin_menu = True
    menu_order = 910
    copy_view_enabled = False


register_snippet(ClosureRequestViewSet)
register_snippet(PrivacyNoticeViewSet)
