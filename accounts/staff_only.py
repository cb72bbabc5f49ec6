"""The menu items meant for staff ("สำหรับเจ้าหน้าที่", "สำหรับผู้บริหาร") as a citizen meets them.

The rich menu and the home page show every item to everyone, so a citizen may tap one. They
get a Thai page that says who the item is for, how those staff log in (a staff member on a
shared phone logs the citizen out and in again from there), and the way back to the citizen
services: never Django's bare English 403, never the admin's log-in form with Wagtail's
English refusal for someone already signed in with an account that cannot use it.

The admin's own log-in page (``StaffLoginView``, routed in ``cms/urls.py`` before Wagtail's
admin URLs) is Wagtail's, with Thai labels (``StaffLoginForm``) and the page's Thai heading and
note in ``templates/wagtailadmin/login.html``; the strings Wagtail's Thai catalogue lacks are
in ``locale/th``.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.views.account import LoginView

from accounts.selectors import citizen_profile_for
from core import centre

ADMIN_ACCESS = "wagtailadmin.access_admin"
WAGTAIL_REFUSAL = "You do not have permission to access the admin."


@dataclass(frozen=True)
class StaffItem:
    title: Promise
    audience: Promise
    how_to_log_in: Promise
    log_in_label: Promise
    login_url_name: str
    next_path: str

    @property
    def login_url(self) -> str:
        return f"{reverse(self.login_url_name)}?{urlencode({'next': self.next_path}, safe='/')}"


OFFICERS = StaffItem(
    title=_("สำหรับเจ้าหน้าที่"),
    audience=centre.filled(
        _(
            "เมนูนี้สำหรับเจ้าหน้าที่ผู้ปฏิบัติงานของ%(name)s "
            "ใช้เข้าสู่ระบบเพื่อตรวจสอบข้อมูลการร้องเรียนและอัปเดตสถานะการดำเนินการเรื่องร้องเรียน"
        )
    ),
    how_to_log_in=_(
        "เจ้าหน้าที่เข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่านที่ศูนย์ดำรงธรรมออกให้ "
        "หากยังไม่มีบัญชีหรือลืมรหัสผ่าน กรุณาติดต่อผู้ดูแลระบบของศูนย์ฯ"
    ),
    log_in_label=_("ออกจากระบบ แล้วเข้าสู่ระบบด้วยบัญชีเจ้าหน้าที่"),
    login_url_name="wagtailadmin_login",
    next_path="/admin/",
)
EXECUTIVES = StaffItem(
    title=_("สำหรับผู้บริหาร"),
    audience=centre.filled(
        _("เมนูนี้สำหรับผู้บริหารและหัวหน้าเจ้าหน้าที่ของ%(name)s ใช้ดูภาพรวมผลการดำเนินงานของศูนย์")
    ),
    how_to_log_in=_(
        "ผู้บริหารเข้าสู่ระบบด้วยบัญชีที่ศูนย์ดำรงธรรมออกให้ แล้วเปิดเมนู “สำหรับผู้บริหาร” อีกครั้ง "
        "หากยังไม่มีบัญชี กรุณาติดต่อผู้ดูแลระบบของศูนย์ฯ"
    ),
    log_in_label=_("ออกจากระบบ แล้วเข้าสู่ระบบด้วยบัญชีผู้บริหาร"),
    login_url_name="accounts:login",
    next_path="/dashboard/",
)


def staff_only_response(
    request: HttpRequest, item: StaffItem, *, already_said: tuple[str, ...] = ()
) -> HttpResponse:
    """403 with the page described above, for a signed-in account that may not use ``item``.

    Flash messages in ``already_said`` are consumed without being shown: the page says it.
    """
    shown = [
        message
        for message in messages.get_messages(request)
        if strip_tags(str(message)).strip() not in already_said  # Wagtail's come as HTML
    ]
    context = {
        "item": item,
        "is_citizen": citizen_profile_for(user=request.user) is not None,
        "messages": shown,
    }
    return render(request, "accounts/staff_only.html", context, status=403)


class StaffLoginForm(LoginForm):
    """Wagtail's log-in form with labels in the site's languages (Wagtail leaves the password
    label untranslated and the username label to the user model)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ชื่อผู้ใช้")
        self.fields["password"].label = _("รหัสผ่าน")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"placeholder": _("กรอกรหัสผ่าน"), "autocomplete": "current-password"}
        )


class StaffLoginView(LoginView):
    """/admin/login/: the log-in form for anyone signed out; the staff-only page for an account
    signed in without access to the admin (a citizen, an executive)."""

    def get(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_perm(ADMIN_ACCESS):
            # Wagtail queued its refusal before sending the account here.
            refusal = gettext(WAGTAIL_REFUSAL)
            return staff_only_response(request, OFFICERS, already_said=(refusal,))
        return super().get(request, *args, **kwargs)
