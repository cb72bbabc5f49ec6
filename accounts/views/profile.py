"""Profile, "my data" (PDPA), password change and reset, account closure.

None of these URLs carries an id: every view works on ``request.user`` only, so no citizen can
reach another's data by editing a URL.
"""

import json

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services
from accounts.forms.profile import (
    ClosureRequestForm,
    ProfileContactForm,
    ThaiPasswordChangeForm,
    ThaiPasswordResetForm,
    ThaiSetPasswordForm,
)
from accounts.rate_limits import PasswordResetRateLimitMixin
from accounts.roles import Role
from accounts.selectors import (
    citizen_consents,
    citizen_data_export,
    citizen_data_summaries,
    citizen_profile_for,
    closure_requests_of,
    pending_closure_request,
)
from accounts.validators import format_thai_phone
from addresses.forms import REFRESH_FIELD, area_code, is_refresh

ROLE_LABELS = {
    Role.CASE_OFFICER.group_name: gettext_lazy("เจ้าหน้าที่รับเรื่อง"),
    Role.SUPERVISOR.group_name: gettext_lazy("หัวหน้างาน"),
    Role.EXECUTIVE.group_name: gettext_lazy("ผู้บริหาร"),
    Role.NEWS_EDITOR.group_name: gettext_lazy("ผู้ดูแลข่าวประชาสัมพันธ์"),
    Role.AGENCY_STAFF.group_name: gettext_lazy("เจ้าหน้าที่หน่วยงาน"),
}


def _staff_only_redirect(request):
    messages.info(request, _("บัญชีเจ้าหน้าที่ไม่มีข้อมูลผู้ร้องเรียน ใช้ระบบหลังบ้านแทน"))
    return redirect("accounts:profile")


@login_required
@require_GET
def profile_view(request):
    profile = citizen_profile_for(user=request.user)
    if profile is None:
        roles = [ROLE_LABELS.get(g.name, g.name) for g in request.user.groups.order_by("name")]
        return render(request, "accounts/profile_staff.html", {"roles": roles})
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": profile,
            "phone_display": format_thai_phone(profile.phone) if profile.phone else "",
            "pending_closure": pending_closure_request(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = citizen_profile_for(user=request.user)
    if profile is None:
        return _staff_only_redirect(request)
    if request.method == "POST" and is_refresh(request.POST):
        # The no-JavaScript "show districts" button: keep what was typed, narrow the lists,
        # show no errors yet.
        form = ProfileContactForm(initial=request.POST.dict())
    elif request.method == "POST":
        form = ProfileContactForm(data=request.POST)
        if form.is_valid():
            try:
                services.citizen_update_contact(profile=profile, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("บันทึกข้อมูลเรียบร้อยแล้ว"))
                return redirect("accounts:profile")
    else:
        form = ProfileContactForm(initial=ProfileContactForm.initial_for(profile))
    subdistrict = (
        form.fields["subdistrict"]
        .queryset.filter(pk=area_code(form["subdistrict"].value()))
        .first()
    )
    return render(
        request,
        "accounts/profile_edit.html",
        {
            "form": form,
            "profile": profile,
            "refresh_field_name": REFRESH_FIELD,
            "postal_code": subdistrict.postal_code if subdistrict else "",
        },
    )


@login_required
@require_GET
def my_data(request):
    profile = citizen_profile_for(user=request.user)
    return render(
        request,
        "accounts/my_data.html",
        {
            "profile": profile,
            "phone_display": format_thai_phone(profile.phone) if profile and profile.phone else "",
            "consents": citizen_consents(user=request.user).select_related("revision"),
            "closure_requests": closure_requests_of(user=request.user),
            "summaries": citizen_data_summaries(user=request.user),
        },
    )


@login_required
@require_GET
def my_data_download(request):
    """The citizen's own copy of their data, full national ID included (PDPA section 30)."""
    data = citizen_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"my-data-{request.user.username}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    if citizen_profile_for(user=request.user) is None:
        return _staff_only_redirect(request)
    pending = pending_closure_request(user=request.user)
    form = ClosureRequestForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_request_create(user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("ส่งคำขอปิดบัญชีแล้ว เจ้าหน้าที่จะดำเนินการและปิดบัญชีของท่านโดยเร็ว"))
            return redirect("accounts:profile")
    return render(request, "accounts/close_account.html", {"form": form, "pending": pending})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; a citizen who registered from LINE without one sets it here."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def get_form_class(self):
        if self.request.user.has_usable_password():
            return ThaiPasswordChangeForm
        return ThaiSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว"))
        return response


class PasswordResetView(PasswordResetRateLimitMixin, auth_views.PasswordResetView):
    """Always answers "sent", whether or not the email belongs to an account (unless asked
    too often: accounts/rate_limits.py)."""

    form_class = ThaiPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ThaiSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
