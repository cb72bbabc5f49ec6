"""Complaints in the Wagtail admin: the officers' case list and case page (wagtail-modeladmin,
views in ``complaints.admin_views``), agencies and their members, the personal-data access
log (read-only) and the texts/categories editors keep as snippets."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from accounts.roles import staff_name
from complaints import admin_views
from complaints.models import (
    Agency,
    AgencyMember,
    Complaint,
    ComplaintCategory,
    ComplaintConsent,
    PersonalDataAccess,
)
from core.thai_dates import format_thai_date, format_thai_datetime


class ComplaintConsentViewSet(SnippetViewSet):
    model = ComplaintConsent
    icon = "doc-full"
    menu_label = gettext_lazy("ข้อตกลงการให้ความยินยอม")
    add_to_admin_menu = False
    list_display = ["title", "live"]


class ComplaintCategoryViewSet(SnippetViewSet):
    model = ComplaintCategory
    icon = "list-ul"
    menu_label = gettext_lazy("ประเภทเรื่องร้องเรียน")
    list_display = ["name", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


def case_id(instance_pk: str) -> str:
    if not (instance_pk.isascii() and instance_pk.isdigit()):
        raise Http404
    return instance_pk


class ComplaintAdmin(ModelAdmin):
    """เรื่องร้องเรียน: the officers' list and case page, high in the menu."""

    model = Complaint
    menu_label = gettext_lazy("เรื่องร้องเรียน")
    menu_icon = "warning"
    menu_order = 50
    add_to_admin_menu = True
    inspect_view_enabled = True
    history_view_enabled = False
    list_display = (
        "select",
        "tracking_number",
        "submitted_on",
        "category",
        "target_district",
        "state",
        "officer",
        "agency",
        "deadline",
        "complainant",
    )
    list_filter = (
        "state",
        "category",
        ("target_district", admin_views.CachedRelatedOnlyFilter),
        admin_views.OfficerFilter,
        ("agency", admin_views.CachedRelatedOnlyFilter),
        admin_views.OverdueFilter,
        admin_views.OpenFilter,
        admin_views.DueByFilter,
        admin_views.ReceivedSinceFilter,
    )
    # The search handler decides the fields (name and phone only where not concealed).
    search_fields = ("tracking_number", "details")
    list_per_page = 50
    index_view_class = admin_views.ComplaintIndexView
    inspect_view_class = admin_views.ComplaintInspectView
    permission_helper_class = admin_views.ComplaintPermissionHelper
    button_helper_class = admin_views.ComplaintButtonHelper
    search_handler_class = admin_views.ComplaintSearchHandler
    index_template_name = "complaints/admin/complaint_index.html"
    inspect_template_name = "complaints/admin/complaint_inspect.html"
    index_view_extra_css = ["css/complaints-admin.css"]
    inspect_view_extra_css = ["vendor/leaflet/leaflet.css", "css/complaints-admin.css"]
    inspect_view_extra_js = ["vendor/leaflet/leaflet.js", "js/complaint-location.js"]

    def get_queryset(self, request):
        return admin_views.visible_complaints(request.user)

    # modeladmin's URLs take any word as the id and look it up as it is, so
    # /inspect/abc/ raised ValueError (a 500); a case id is a number, anything else is 404.
    def inspect_view(self, request, instance_pk):
        return super().inspect_view(request, case_id(instance_pk))

    def edit_view(self, request, instance_pk):
        return super().edit_view(request, case_id(instance_pk))

    def delete_view(self, request, instance_pk):
        return super().delete_view(request, case_id(instance_pk))

    def register_indexing(self):
        """Cases are not in Wagtail's reference index: nothing links to them by reference."""

    def get_list_display_add_buttons(self, request):
        return "tracking_number"

    @admin.display(description=gettext_lazy("เลือก"))
    def select(self, obj):
        """A tick for the bulk form (outside the table: the form attribute joins them)."""
        return format_html(
            '<input type="checkbox" name="selected" value="{}:{}" form="complaint-bulk-form" '
            'aria-label="{}" class="bulk-select">',
            obj.pk,
            obj.version,
            _("เลือกเรื่อง %(number)s") % {"number": obj.tracking_number},
        )

    select.allow_tags = True

    def get_extra_attrs_for_row(self, obj, context):
        level = getattr(obj, "admin_badge", {}).get("level", "")
        return {"class": f"deadline-row-{level}"} if level else {}

    @admin.display(description=gettext_lazy("วันที่ยื่น"), ordering="submitted_at")
    def submitted_on(self, obj):
        return format_thai_date(obj.submitted_at)

    @admin.display(description=gettext_lazy("เจ้าหน้าที่"), ordering="assigned_officer__first_name")
    def officer(self, obj):
        return staff_name(obj.assigned_officer)

    @admin.display(description=gettext_lazy("กำหนดเวลา"))
    def deadline(self, obj):
        found = getattr(obj, "admin_badge", None)
        return admin_views.deadline_badge_html(found["level"], found["label"]) if found else ""

    deadline.allow_tags = True

    @admin.display(description=gettext_lazy("ผู้ร้องเรียน"))
    def complainant(self, obj):
        person = getattr(obj, "admin_person", None) or {}
        name = person.get("name") or admin_views.CONCEALED
        phone = person.get("phone") or ""
        return f"{name} ({phone})" if phone and phone != name else str(name)


class AgencyPermissionPolicy(ModelPermissionPolicy):
    """An agency that has received cases stays: history points at it."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.complaints.exists():
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class AgencyDeleteView(DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if self.object.complaints.exists():
            messages.error(request, _("ลบหน่วยงานที่เคยได้รับเรื่องร้องเรียนไม่ได้ ให้ยกเลิกการใช้งานแทน"))
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "site"
    menu_label = gettext_lazy("หน่วยงาน")
    list_display = ["name", "kind", "district", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    copy_view_enabled = False
    delete_view_class = AgencyDeleteView
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("district"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("is_active"),
    ]


class AgencyMemberForm(WagtailAdminModelForm):
    """Only staff accounts can join an agency: never a citizen's account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, citizen_profile__isnull=True)
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda user: (
            f"{staff_name(user)} ({user.username})"
        )


class AgencyMemberViewSet(SnippetViewSet):
    model = AgencyMember
    icon = "user"
    menu_label = gettext_lazy("เจ้าหน้าที่หน่วยงาน")
    list_display = [
        Column(
            "user",
            label=gettext_lazy("เจ้าหน้าที่"),
            accessor=lambda member: f"{staff_name(member.user)} ({member.user.username})",
        ),
        "agency",
    ]
    list_filter = ["agency"]
    copy_view_enabled = False
    add_to_reference_index = False
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("agency")], base_form_class=AgencyMemberForm
    )


class AgencyGroup(SnippetViewSetGroup):
    items = (AgencyViewSet, AgencyMemberViewSet)
    menu_label = gettext_lazy("หน่วยงาน")
    menu_icon = "site"
    menu_order = 60


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """A log is read, never written by hand: not even a superuser adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


ACCESS_ACTIONS = {"inspect": gettext_lazy("เปิดดูเรื่อง"), "export": gettext_lazy("ส่งออกไฟล์")}


class PersonalDataAccessViewSet(SnippetViewSet):
    """บันทึกการเข้าถึงข้อมูลส่วนบุคคล, for supervisors (complaints.view_personaldataaccess)."""

    model = PersonalDataAccess
    icon = "view"
    menu_label = gettext_lazy("บันทึกการเข้าถึงข้อมูล")
    add_to_admin_menu = True
    menu_order = 70
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        Column(
            "at",
            label=gettext_lazy("เวลา"),
            sort_key="at",
            accessor=lambda row: format_thai_datetime(row.at),
        ),
        Column(
            "user",
            label=gettext_lazy("ผู้เข้าดู"),
            accessor=lambda row: f"{staff_name(row.user)} ({row.user.username})",
        ),
        "complaint",
        Column(
            "action",
            label=gettext_lazy("การกระทำ"),
            accessor=lambda row: ACCESS_ACTIONS.get(row.action, row.action),
        ),
        "ip_address",
    ]
    list_filter = ["action"]
    list_per_page = 100
    inspect_view_fields = ["at", "user", "complaint", "action", "ip_address"]


register_permission_policy(Agency, AgencyPermissionPolicy(Agency))
register_permission_policy(PersonalDataAccess, ReadOnlyPermissionPolicy(PersonalDataAccess))
register_snippet(ComplaintConsentViewSet)
register_snippet(ComplaintCategoryViewSet)
register_snippet(AgencyGroup)
register_snippet(PersonalDataAccessViewSet)
modeladmin_register(ComplaintAdmin)


@hooks.register("register_admin_urls")
def register_complaint_admin_urls():
    urls = [
        path(
            "history/<id:pk>/attachment/",
            admin_views.history_attachment_download,
            name="history_attachment",
        ),
        path("bulk/", admin_views.bulk_action, name="bulk"),
    ]
    return [path("complaints/", include((urls, "complaints_admin"), namespace="complaints_admin"))]
