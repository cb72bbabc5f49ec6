"""The officers' screens for complaints in the Wagtail admin (wagtail-modeladmin).

The list and the case page only ever see ``visible_to(request.user)``: an agency member asking
for another agency's case gets 404, as if it did not exist. Nothing here edits a complaint
field by field (no add/edit/delete views): every change is one of the four actions, done by
``complaints.workflow`` with the version the officer saw, so a save made meanwhile by someone
else is refused with a message instead of being overwritten.
"""

import datetime
import hashlib
from urllib.parse import urlencode

from django.contrib.admin import RelatedOnlyFieldListFilter, SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from wagtail.admin import messages
from wagtail_modeladmin.helpers import ButtonHelper, DjangoORMSearchHandler, PermissionHelper
from wagtail_modeladmin.views import IndexView, InspectView

from accounts.roles import case_officers, staff_name
from complaints import bulk, exports, nearby, search
from complaints.access import agency_id_of
from complaints.admin_forms import (
    ACTION_FORMS,
    ActionForm,
    BulkActionForm,
    MergeForm,
)
from complaints.clock import local_date, start_of_day
from complaints.deadlines import WARN_DAYS, badge, days_left
from complaints.models import Complaint, State, StateChange
from complaints.querysets import ComplaintQuerySet
from complaints.selectors import complainant_display, evidence_names, log_personal_data_access
from complaints.views import map_settings
from complaints.workflow import (
    StaleComplaint,
    complaint_add_note,
    complaint_assign,
    complaint_change_state,
    complaint_forward,
    complaint_merge,
)
from core.files import protected_file_response
from core.http import client_ip
from core.ids import parse_id

VIEW_PERMISSION = "complaints.view_complaint"
LIST_CACHE_SECONDS = 600
CHANGE_PERMISSION = "complaints.change_complaint"
CONCEALED = gettext_lazy("ปกปิดข้อมูล")
OSM_LINK = "https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}"


def visible_complaints(user) -> ComplaintQuerySet:
    """What ``user`` may see, most urgent first, with what the screens show joined in."""
    return (
        ComplaintQuerySet(model=Complaint)
        .visible_to(user)
        .by_urgency()
        .select_related("category", "target_district", "assigned_officer", "agency", "citizen")
    )


class ComplaintPermissionHelper(PermissionHelper):
    """Staff with view_complaint list and open cases; change_complaint adds the actions.
    Nobody gets modeladmin's generic add/edit/delete forms."""

    def user_can_list(self, user):
        return user.is_active and user.has_perm(VIEW_PERMISSION)

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_act(self, user):
        return self.user_can_list(user) and user.has_perm(CHANGE_PERMISSION)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ComplaintButtonHelper(ButtonHelper):
    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(label=_("เปิดเรื่อง"), title=_("ดูรายละเอียดและดำเนินการ"))
        return button


class OverdueFilter(SimpleListFilter):
    title = gettext_lazy("กำหนดเวลา")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("เกินกำหนด")), ("no", _("ไม่เกินกำหนด")))

    def queryset(self, request, queryset):
        overdue = ComplaintQuerySet(model=Complaint).overdue().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


def _iso_date(value: str) -> datetime.date:
    """A filter's date from the address (YYYY-MM-DD); anything else is a bad filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise IncorrectLookupParameters(error) from error


class OpenFilter(SimpleListFilter):
    """Cases still waiting for an answer (under review or in progress)."""

    title = gettext_lazy("ความคืบหน้า")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return (("yes", _("ยังไม่เสร็จ")),)

    def queryset(self, request, queryset):
        return queryset.open() if self.value() == "yes" else queryset


class DueByFilter(SimpleListFilter):
    """Open cases whose report-back day is between today and a given day (YYYY-MM-DD): the
    LINE digests link here with the day three working days on."""

    title = gettext_lazy("ครบกำหนดแจ้งผล")
    parameter_name = "due_by"

    def lookups(self, request, model_admin):
        soon = local_date() + datetime.timedelta(days=WARN_DAYS)
        return ((soon.isoformat(), _("ภายใน %(days)d วัน") % {"days": WARN_DAYS}),)

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        last = _iso_date(self.value())
        return queryset.open().filter(
            report_due_at__gte=start_of_day(local_date()),
            report_due_at__lt=start_of_day(last + datetime.timedelta(days=1)),
        )


class ReceivedSinceFilter(SimpleListFilter):
    """Cases filed since a given Bangkok day (YYYY-MM-DD)."""

    title = gettext_lazy("วันที่ยื่น")
    parameter_name = "since"

    def lookups(self, request, model_admin):
        today = local_date()
        return (
            (today.isoformat(), _("วันนี้")),
            ((today - datetime.timedelta(days=6)).isoformat(), _("7 วันล่าสุด")),
        )

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(submitted_at__gte=start_of_day(_iso_date(self.value())))


def data_version() -> str:
    """Changes whenever a case is filed or anything happens to one (its newest row and newest
    history entry): what the list's cached counts and filter choices are keyed on."""
    newest = Complaint.objects.order_by("-pk").values_list("pk", "submitted_at").first()
    latest = StateChange.objects.order_by("-pk").values_list("pk", "at").first()
    return hashlib.sha1(f"{newest}:{latest}".encode()).hexdigest()[:20]


def scope_of(user) -> str:
    """Whose cases a user sees (the centre's or one agency's): what cached figures depend on."""
    agency_id = agency_id_of(user)
    return f"agency{agency_id}" if agency_id is not None else "centre"


def request_data_version(request) -> str:
    """``data_version`` asked once per request."""
    if not hasattr(request, "_complaints_data_version"):
        request._complaints_data_version = data_version()
    return request._complaints_data_version


def cached_for_list(request, name: str, compute):
    """A figure of the list that costs a pass over every visible case (its total, the districts
    and agencies it has), kept until the cases change (``data_version``)."""
    user = request.user
    key = f"complaints:list:{name}:{scope_of(user)}:{request_data_version(request)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, LIST_CACHE_SECONDS)
    return value


class CachedRelatedOnlyFilter(RelatedOnlyFieldListFilter):
    """RelatedOnlyFieldListFilter (only districts or agencies that have cases), without a
    DISTINCT over a million cases on every page: the values come from ``cached_for_list``."""

    def field_choices(self, field, request, model_admin):
        def distinct_values():
            rows = model_admin.get_queryset(request).order_by().values_list(field.attname)
            return sorted({value for (value,) in rows.distinct() if value is not None})

        pks = cached_for_list(request, f"choices:{self.field_path}", distinct_values)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": pks}, ordering=ordering
        )


class OfficerFilter(SimpleListFilter):
    """By assigned officer; offers only officers and supervisors (never citizens' accounts)."""

    title = gettext_lazy("เจ้าหน้าที่ผู้รับผิดชอบ")
    parameter_name = "officer"
    UNASSIGNED = "none"

    def lookups(self, request, model_admin):
        officers = [(str(user.pk), staff_name(user)) for user in case_officers()]
        return [*officers, (self.UNASSIGNED, _("ยังไม่มอบหมาย"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.UNASSIGNED:
            return queryset.filter(assigned_officer__isnull=True)
        officer_id = parse_id(value)  # words, and numbers no account can have, are ignored
        if officer_id is None:
            return queryset
        return queryset.filter(assigned_officer_id=officer_id)


class ComplaintSearchHandler(DjangoORMSearchHandler):
    """The list's search box; ``complaints.search`` decides what is found and in what order
    (names and phone only where the viewer may see the complainant)."""

    def search_queryset(self, queryset, search_term, viewer=None, ordering=None, **kwargs):
        if not (search_term or "").strip():
            return queryset
        return search.search(queryset, search_term, viewer=viewer, ordering=ordering)


def allowed_actions(user) -> tuple[str, ...]:
    """Agency members may move their agency's cases and add notes, never assign, forward or
    merge duplicates."""
    if agency_id_of(user) is not None:
        return ("state", "note")
    return (*ACTION_FORMS, MergeForm.action)


def decorate_for_list(complaint: Complaint, viewer) -> Complaint:
    complaint.admin_person = complainant_display(complaint, viewer=viewer)
    complaint.admin_badge = badge(complaint)
    return complaint


class ComplaintIndexView(IndexView):
    """The list: most urgent first, rows of overdue cases highlighted, the count of overdue
    cases above, and the same filtered list as CSV or Excel (``?export=csv|xlsx``)."""

    def dispatch(self, request, *args, **kwargs):
        try:
            if any("\x00" in value for _key, values in request.GET.lists() for value in values):
                # PostgreSQL text cannot hold NUL: the search or a filter would be a 500.
                raise IncorrectLookupParameters
            if (jump := self._jump_target(request)) is not None:
                return redirect(self.url_helper.get_action_url("inspect", jump.pk))
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.error(request, _("ตัวกรองในที่อยู่หน้าเว็บไม่ถูกต้อง จึงแสดงรายการทั้งหมดแทน"))
            return redirect(self.index_url)

    def get_filters(self, request):
        """Only the declared filters read the address. modeladmin would also apply any other
        ``field__lookup=value`` it finds there (it has no ``lookup_allowed``), letting anyone
        probe any related field (a concealed complainant's name, a password hash); its filters
        are kept and those leftovers dropped."""
        specs, has_filters, _leftover_lookups, _use_distinct = super().get_filters(request)
        return specs, has_filters, {}, False

    def get_ordering(self, request, queryset):
        if self.ORDER_VAR in self.params:
            return super().get_ordering(request, queryset)
        return [*queryset.query.order_by, "-pk"]

    def _jump_target(self, request):
        """A whole tracking number, or the phone of exactly one case, opens that case."""
        term = request.GET.get(self.SEARCH_VAR, "")
        if not term.strip() or self.EXPORT_VAR in request.GET:
            return None
        if not self.permission_helper.user_can_list(request.user):
            return None
        return search.jump_target(visible_complaints(request.user), term, viewer=request.user)

    def get_queryset(self, request=None):
        """Computed once per request (modeladmin asks twice): a search runs one query for
        the matches and one for the page."""
        if not hasattr(self, "_found"):
            self._found = super().get_queryset(request)
        return self._found

    def get_search_results(self, request, queryset, search_term):
        ordering = list(queryset.query.order_by) if self.ORDER_VAR in self.params else None
        return self.search_handler.search_queryset(
            queryset, search_term, viewer=request.user, ordering=ordering
        )

    def get_ordering_field_columns(self):
        """No column claims the default order: it is urgency, not any one column."""
        if self.ORDER_VAR not in self.params:
            return {}
        return super().get_ordering_field_columns()

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return exports.export_complaints(
            complaints=queryset,
            viewer=self.request.user,
            fmt=spreadsheet_format,
            ip=client_ip(self.request),
        )

    def export_url(self, fmt: str) -> str:
        return self.get_query_string({self.EXPORT_VAR: fmt})

    def _paged_context(self) -> dict:
        """modeladmin's list context, with its three counts over every visible case made one
        cached count (``all_count``) and one count of the filtered list (none for a search:
        its matches are already known)."""
        all_count = cached_for_list(self.request, "count", lambda: self.get_base_queryset().count())
        queryset = self.get_queryset()
        if isinstance(queryset, search.SearchResults):
            result_count = queryset.count()
        elif self._unfiltered():
            result_count = all_count
        else:
            result_count = queryset.count()
        paginator = self.paginator_class(queryset, self.items_per_page)
        paginator.count = result_count  # asked once above, not again by the paginator
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        return {
            "view": self,
            "all_count": all_count,
            "result_count": result_count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": False,
            "show_search": self.search_handler.show_search_form,
        }

    def _unfiltered(self) -> bool:
        return not self.query.strip() and not any(
            spec.used_parameters for spec in getattr(self, "filter_specs", [])
        )

    def get_context_data(self, **kwargs):
        context = super(IndexView, self).get_context_data(**{**self._paged_context(), **kwargs})
        user = self.request.user
        context["object_list"] = [
            decorate_for_list(complaint, user) for complaint in context["object_list"]
        ]
        found = self.get_queryset()
        bulk_actions = bulk_actions_for(user)
        context.update(
            bulk_form=BulkActionForm(actions=bulk_actions) if bulk_actions else None,
            bulk_url=reverse("complaints_admin:bulk"),
            search_problem=getattr(found, "problem", ""),
            search_capped=getattr(found, "capped", False),
            search_limit=search.CANDIDATES,
            overdue_count=self.get_base_queryset().overdue().count(),
            overdue_url=self.index_url + "?" + urlencode({OverdueFilter.parameter_name: "yes"}),
            export_csv_url=self.export_url(exports.CSV),
            export_xlsx_url=self.export_url(exports.XLSX),
            filters=[
                {"title": spec.title, "choices": list(spec.choices(self))}
                for spec in self.filter_specs
            ],
        )
        return context


def _history_rows(complaint: Complaint, *, can_download: bool):
    rows = []
    for entry in complaint.history.select_related("by", "assigned_to", "agency"):
        if entry.by_id and entry.by_id == complaint.citizen_id:
            who = _("ผู้ร้องเรียน")
        elif entry.by_id:
            who = staff_name(entry.by)
        else:
            who = _("ระบบ")
        rows.append(
            {
                "entry": entry,
                "who": who,
                "from_label": State(entry.from_state).label if entry.from_state else "",
                "to_label": State(entry.to_state).label if entry.to_state else "",
                "assigned_to": staff_name(entry.assigned_to),
                "attachment_url": (
                    reverse("complaints_admin:history_attachment", args=[entry.pk])
                    if entry.attachment and can_download
                    else ""
                ),
            }
        )
    return rows


def _perform(form: ActionForm, *, user) -> str:
    """Run the form's action through the workflow; the success message to show."""
    data, complaint = form.cleaned_data, form.complaint
    common = {"complaint": complaint, "by": user, "expected_version": data["version"]}
    number = complaint.tracking_number
    if form.action == "state":
        complaint_change_state(
            to=data["to_state"],
            public_note=data["public_note"],
            internal_note=data["internal_note"],
            closed_reason=data["closed_reason"],
            attachment=data["attachment"],
            **common,
        )
        return _("เปลี่ยนสถานะเรื่อง %(number)s เป็น “%(state)s” แล้ว") % {
            "number": number,
            "state": State(data["to_state"]).label,
        }
    if form.action == "assign":
        complaint_assign(officer=data["officer"], internal_note=data["internal_note"], **common)
        return _("มอบหมายเรื่อง %(number)s ให้ %(name)s แล้ว") % {
            "number": number,
            "name": staff_name(data["officer"]),
        }
    if form.action == "forward":
        complaint_forward(
            agency=data["agency"],
            public_note=data["public_note"],
            internal_note=data["internal_note"],
            **common,
        )
        return _("ส่งต่อเรื่อง %(number)s ไปยัง %(agency)s แล้ว") % {
            "number": number,
            "agency": data["agency"],
        }
    complaint_add_note(internal_note=data["internal_note"], attachment=data["attachment"], **common)
    return _("บันทึกภายในเรื่อง %(number)s แล้ว") % {"number": number}


def _add_errors(form: ActionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ComplaintInspectView(InspectView):
    """One case: all the citizen sent, the deadline, the full history and the action forms.
    Opening it is a view of personal data and is written to the access log."""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        visible = visible_complaints(request.user).filter(pk=self.instance.pk).first()
        if visible is None:
            raise Http404
        self.instance = visible
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        log_personal_data_access(
            complaint=self.instance, user=request.user, action="inspect", ip=client_ip(request)
        )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_act(request.user):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in allowed_actions(request.user):
            return HttpResponseBadRequest(_("ไม่รู้จักการดำเนินการนี้"))
        if action == MergeForm.action:
            return self._merge(request)
        form_class = ACTION_FORMS[action]
        form = form_class(request.POST, request.FILES, complaint=self.instance)
        status = 200
        if form.is_valid():
            try:
                message = _perform(form, user=request.user)
            except StaleComplaint as stale:
                form, status = self._after_stale(form_class, request, stale), 409
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as denied:
                form.add_error(None, str(denied) or _("ท่านไม่มีสิทธิ์ดำเนินการกับเรื่องนี้"))
                status = 403
            else:
                messages.success(request, message)
                return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))
        if status != 409:
            messages.error(request, _("บันทึกไม่สำเร็จ กรุณาตรวจสอบข้อมูลในแบบฟอร์ม"))
        context = self.get_context_data(bound_form=form)
        return self.render_to_response(context, status=status)

    def _after_stale(self, form_class, request, stale: StaleComplaint) -> ActionForm:
        """Show the case as it is now; keep what was typed, now against the new version, so
        sending it again is a decision made after seeing the other officer's change."""
        self.instance = visible_complaints(request.user).get(pk=self.instance.pk)
        data = request.POST.copy()
        data[f"{form_class.action}-version"] = str(self.instance.version)
        form = form_class(data, complaint=self.instance)
        form.is_valid()
        form.add_error(None, stale.message)
        messages.error(request, stale.message)
        return form

    def _merge(self, request):
        """Merge a likely duplicate shown on the page (either way round) through the
        workflow; back to the case that goes on, or this page with the reason."""
        form = MergeForm(request.POST, complaint=self.instance)
        other = None
        if form.is_valid():
            other = visible_complaints(request.user).filter(pk=form.cleaned_data["other"]).first()
        if other is None:
            messages.error(request, _("รวมเรื่องไม่สำเร็จ ไม่พบเรื่องที่เลือก"))
            return self.render_to_response(self.get_context_data(), status=400)
        data = form.cleaned_data
        this_version, other_version = data["version"], data["other_version"]
        if data["keep"] == MergeForm.KEEP_THIS:
            duplicate, into, versions = other, self.instance, (other_version, this_version)
        else:
            duplicate, into, versions = self.instance, other, (this_version, other_version)
        try:
            complaint_merge(
                duplicate=duplicate,
                into=into,
                by=request.user,
                public_note=data["public_note"],
                expected_version=versions[0],
                into_expected_version=versions[1],
            )
        except StaleComplaint as stale:
            messages.error(request, stale.message)
            return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))
        except (ValidationError, PermissionDenied) as error:
            reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            messages.error(request, " ".join(reasons) or _("รวมเรื่องไม่สำเร็จ"))
            return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))
        messages.success(
            request,
            _("รวมเรื่อง %(duplicate)s เข้ากับเรื่อง %(into)s แล้ว")
            % {"duplicate": duplicate.tracking_number, "into": into.tracking_number},
        )
        return redirect(self.url_helper.get_action_url("inspect", into.pk))

    def _duplicates(self, can_merge: bool) -> list[dict]:
        complaint = self.instance
        if complaint.state == State.CLOSED:
            return []
        found = nearby.likely_duplicates(complaint, visible=visible_complaints(self.request.user))
        return [
            {
                "duplicate": duplicate,
                "merge_form": MergeForm(complaint=complaint, other=duplicate.complaint)
                if can_merge
                else None,
            }
            for duplicate in found
        ]

    def get_page_title(self):
        return _("เรื่องร้องเรียน")

    def get_page_subtitle(self):
        return self.instance.tracking_number

    def get_meta_title(self):
        return _("เรื่องร้องเรียน %(number)s") % {"number": self.instance.tracking_number}

    def _forms(self, bound_form: ActionForm | None) -> dict:
        """The actions this user may take; assigning and forwarding are the centre's."""
        names = allowed_actions(self.request.user)
        forms = {
            name: ACTION_FORMS[name](complaint=self.instance)
            for name in names
            if name in ACTION_FORMS
        }
        if bound_form is not None:
            forms[bound_form.action] = bound_form
        return forms

    def _position(self) -> dict | None:
        complaint = self.instance
        if complaint.latitude is None or complaint.longitude is None:
            return None
        lat, lng = f"{complaint.latitude:f}", f"{complaint.longitude:f}"
        return {
            "latitude": lat,
            "longitude": lng,
            "accuracy": complaint.location_accuracy_m,
            "osm_url": OSM_LINK.format(lat=lat, lng=lng),
            "map": map_settings(),
        }

    def _files(self) -> list:
        """The evidence, each with the name this viewer may see (neutral when concealed)."""
        names = evidence_names(self.instance, viewer=self.request.user)
        files = list(self.instance.files.all())
        for evidence in files:
            evidence.display_name = names[evidence.pk]
        return files

    def get_context_data(self, bound_form: ActionForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, complaint = self.request.user, self.instance
        person = complainant_display(complaint, viewer=user)
        identity_hidden = bool(person.get("concealed"))
        can_act = self.permission_helper.user_can_act(user)
        context.update(
            complaint=complaint,
            person=person,
            identity_hidden=identity_hidden,
            badge=badge(complaint),
            days_left=days_left(complaint),
            files=self._files(),
            history=_history_rows(complaint, can_download=can_act),
            consent=complaint.consent,
            ratings=list(complaint.ratings.order_by("-completion_round")),
            position=self._position(),
            can_act=can_act,
            forms=self._forms(bound_form) if can_act else {},
            open_form=bound_form.action if bound_form is not None else "",
            duplicates=self._duplicates(can_act and MergeForm.action in allowed_actions(user)),
            merged_duplicates=list(
                visible_complaints(user).filter(merged_into=complaint).order_by("submitted_at")
            ),
            merged_into=(
                visible_complaints(user).filter(pk=complaint.merged_into_id).first()
                if complaint.merged_into_id
                else None
            ),
            followers=complaint.followers.count(),
        )
        return context


@require_safe
def history_attachment_download(request, pk: int):
    """An internal-note attachment, for staff who may act on the case (change_complaint) and
    see it; anyone else gets 404. Always a download that no browser renders or sniffs."""
    entry = get_object_or_404(StateChange.objects.select_related("complaint"), pk=pk)
    user = request.user
    allowed = (
        entry.attachment
        and user.has_perm(VIEW_PERMISSION)
        and user.has_perm(CHANGE_PERMISSION)
        and visible_complaints(user).filter(pk=entry.complaint_id).exists()
    )
    if not allowed:
        raise Http404
    name = entry.attachment_name or entry.attachment.name.rsplit("/", 1)[-1]
    return protected_file_response(
        entry.attachment.name, filename=name, content_type="application/octet-stream"
    )


def deadline_badge_html(level: str, label) -> str:
    return format_html('<span class="deadline-badge deadline-{}">{}</span>', level, label)


# Bulk actions from the list ----------------------------------------------------------------


def bulk_actions_for(user) -> tuple[str, ...]:
    """What ``user`` may do to many cases at once: the actions of one case page they may take,
    except notes (one note for many cases is a mistake waiting to happen)."""
    if not ComplaintPermissionHelper(Complaint).user_can_act(user):
        return ()
    return tuple(a for a in bulk.ACTIONS if a in allowed_actions(user))


def _back_to_list(request) -> str:
    """The list as the officer left it (its filters and search), never another address."""
    back = request.POST.get("next", "")
    list_url = reverse("complaints_complaint_modeladmin_index")
    return back if back.startswith(list_url) and "//" not in back else list_url


@require_POST
def bulk_action(request):
    """ "ดำเนินการกับเรื่องที่เลือก": the ticked cases, one by one through the workflow; the
    message names the cases done and, with the reason, each one refused."""
    user = request.user
    allowed = bulk_actions_for(user)
    if not allowed:
        raise PermissionDenied
    form = BulkActionForm(request.POST, actions=allowed)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("ดำเนินการไม่ได้: %(why)s") % {"why": " ".join(problems)})
        return redirect(_back_to_list(request))
    data = form.cleaned_data
    outcome = bulk.complaint_bulk_apply(
        visible=visible_complaints(user),
        chosen=data["selected"],
        action=data["bulk_action"],
        by=user,
        officer=data.get("officer"),
        agency=data.get("agency"),
        to=data.get("to_state") or None,
        closed_reason=data.get("closed_reason") or "",
        public_note=data.get("public_note") or "",
    )
    if outcome.done:
        messages.success(
            request,
            _("ดำเนินการแล้ว %(count)d เรื่อง: %(numbers)s")
            % {"count": len(outcome.done), "numbers": ", ".join(outcome.done)},
        )
    if outcome.refused:
        messages.error(
            request,
            _("ดำเนินการไม่ได้ %(count)d เรื่อง: %(reasons)s")
            % {
                "count": len(outcome.refused),
                "reasons": "; ".join(f"{number} ({why})" for number, why in outcome.refused),
            },
        )
    if not outcome.done and not outcome.refused:
        messages.error(request, _("ไม่พบเรื่องที่เลือก"))
    return redirect(_back_to_list(request))
