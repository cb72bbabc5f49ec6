"""Registration: the citizen's registration form (สมัครสมาชิก) as a SessionWizardView, and
the citizens' log-in.

Nothing a citizen types is lost: "ย้อนกลับ" keeps the step being left as a draft (even when it
does not validate yet), an error re-shows the step with what was typed, the no-JavaScript
"แสดงอำเภอ/ตำบล" button re-shows the address with narrowed lists and no errors, and opening
the page again continues where the citizen was. Only passwords are not shown again; the wizard
keeps a hash of a valid one (never the password itself) in the session.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from formtools.wizard.views import SessionWizardView

from accounts.backends import ACCOUNT_BACKEND
from accounts.forms.registration import (
    AccountForm,
    AddressForm,
    CitizenLoginForm,
    ConfirmForm,
    PersonForm,
)
from accounts.models import PrivacyNotice
from accounts.rate_limits import TOO_MANY_REGISTRATIONS, registration_step_allowed
from accounts.services.registration import citizen_register
from accounts.validators import format_thai_phone, mask_national_id
from addresses.forms import REFRESH_FIELD, is_refresh
from core.http import client_ip
from core.thai_dates import format_thai_date
from core.wizards import DraftKeepingWizardMixin

PASSWORD_FIELDS = ("password1", "password2")
# Left out of Django's error reports.
SENSITIVE_FIELDS = ("account-national_id", "account-password1", "account-password2")
STEP_TITLES = {
    "account": gettext_lazy("บัญชีผู้ใช้"),
    "person": gettext_lazy("ข้อมูลส่วนตัว"),
    "address": gettext_lazy("ที่อยู่"),
    "confirm": gettext_lazy("ยืนยันและความเป็นส่วนตัว"),
}
PASSWORD_HASH = "password_hash"


def address_text(address: dict) -> str:
    """The address as written on an envelope, like ``CitizenProfile.address_text``."""
    subdistrict = address.get("subdistrict")
    parts = [
        address.get("house_number"),
        f"หมู่ {address['moo']}" if address.get("moo") else "",
        f"ซอย{address['soi']}" if address.get("soi") else "",
        f"ถนน{address['road']}" if address.get("road") else "",
        f"ตำบล{subdistrict.name_th}" if subdistrict else "",
        f"อำเภอ{address['district'].name_th}" if address.get("district") else "",
        f"จังหวัด{address['province'].name_th}" if address.get("province") else "",
        subdistrict.postal_code if subdistrict else "",
    ]
    return " ".join(p for p in parts if p)


@method_decorator(sensitive_post_parameters(*SENSITIVE_FIELDS), name="dispatch")
class RegistrationWizard(DraftKeepingWizardMixin, SessionWizardView):
    # The steps hold the national ID: never readable in the session table or its backups.
    storage_name = "core.wizards.EncryptedSessionStorage"
    form_list = [
        ("account", AccountForm),
        ("person", PersonForm),
        ("address", AddressForm),
        ("confirm", ConfirmForm),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        self.notice = PrivacyNotice.current()
        return super().dispatch(request, *args, **kwargs)

    step_titles = STEP_TITLES
    draft_skip_fields = PASSWORD_FIELDS

    def get_template_names(self):
        return [f"accounts/register_{self.steps.current}.html"]

    # --- what each step's form is built from ------------------------------------------------

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        if step == "account":
            return {"password_saved": PASSWORD_HASH in self.storage.extra_data}
        if step == "confirm":
            return {"live_revision_id": getattr(self.notice, "live_revision_id", None)}
        return {}

    # --- requests ---------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        """Continue where the citizen was; "ลงทะเบียนอีกครั้ง" (?restart) clears everything."""
        if "restart" in request.GET or self.storage.current_step is None:
            return super().get(request, *args, **kwargs)
        return self.render(self._display_form(self.steps.current))

    def post(self, *args, **kwargs):
        goto = self.request.POST.get("wizard_goto_step")
        if goto in self.get_form_list():
            return self._go_to(goto)
        if is_refresh(self.request.POST):
            return self._show_draft(self._posted_step())
        if not registration_step_allowed(self.request, self._posted_step()):
            return self._rate_limited()
        return super().post(*args, **kwargs)

    def _rate_limited(self):
        """The step again as typed, with the Thai message (429); nothing is checked or kept."""
        messages.error(self.request, TOO_MANY_REGISTRATIONS)
        response = self._show_draft(self._posted_step())
        response.status_code = 429
        return response

    def process_step(self, form):
        """Keep the step's data, minus any password: a valid one is kept only as a hash."""
        step = self.steps.current
        self.drafts.pop(step, None)
        data = self.get_form_step_data(form).copy()
        if step == "account":
            for name in PASSWORD_FIELDS:
                data.pop(form.add_prefix(name), None)
            if form.cleaned_data.get("password"):
                self.storage.extra_data[PASSWORD_HASH] = make_password(
                    form.cleaned_data["password"]
                )
        return data

    def render_done(self, form, **kwargs):
        try:
            return super().render_done(form, **kwargs)
        except ValidationError as error:
            return self._render_conflict(error, **kwargs)

    def render_revalidation_failure(self, step, form, **kwargs):
        """ "ลงทะเบียน" sent again after its answer was lost (the database went away once the
        account was saved, before the session was): the ID is "taken" by this very wizard's
        account, so log the citizen in instead of saying so."""
        user = self._registered_by_this_wizard()
        if user is not None:
            self.storage.reset()
            return self._welcome(user)
        return super().render_revalidation_failure(step, form, **kwargs)

    def _registered_by_this_wizard(self):
        """The account made from this session's data: its password hash, salted when this
        wizard hashed the password, is the one the session keeps."""
        password_hash = self.storage.extra_data.get(PASSWORD_HASH)
        username = (self.storage.get_step_data("account") or {}).get("account-username", "")
        if not password_hash or not username:
            return None
        return (
            get_user_model()
            .objects.filter(username__iexact=username.strip(), password=password_hash)
            .filter(is_active=True)
            .first()
        )

    def _render_conflict(self, error: ValidationError, **kwargs):
        """Someone took the ID or user name since the form checked it (a race).

        Back to the step of the field concerned, where the form's own check now says so;
        every other step is still in the session.
        """
        fields = set(getattr(error, "error_dict", {}))
        step = next(
            (
                name
                for name, form_class in self.get_form_list().items()
                if fields & set(form_class.base_fields)
            ),
            "account",
        )
        self.storage.current_step = step
        step_form = self._display_form(step)
        if step_form.is_valid():
            step_form.add_error(None, error.messages)
        return self.render(step_form, **kwargs)

    # --- the page ---------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(
            **self.step_context(),
            refresh_field_name=form.add_prefix(REFRESH_FIELD),
            password_reasked=self.steps.current == "account"
            and form.is_bound
            and bool(form.errors)
            and not form.password_saved,
        )
        if self.steps.current == "confirm":
            context.update(notice=self.notice, summary=self._summary())
        return context

    def _summary(self) -> list[dict]:
        """What was entered, step by step, as the citizen will check it (ID masked)."""
        account = self.get_cleaned_data_for_step("account") or {}
        person = self.get_cleaned_data_for_step("person") or {}
        address = self.get_cleaned_data_for_step("address") or {}
        return [
            {
                "step": "account",
                "title": STEP_TITLES["account"],
                "rows": [
                    (_("เลขประจำตัวประชาชน"), mask_national_id(account.get("national_id", ""))),
                    (_("ชื่อผู้ใช้"), account.get("username", "")),
                ],
            },
            {
                "step": "person",
                "title": STEP_TITLES["person"],
                "rows": [
                    (
                        _("ชื่อ-นามสกุล"),
                        "{}{} {}".format(
                            person.get("title", ""),
                            person.get("first_name", ""),
                            person.get("last_name", ""),
                        ),
                    ),
                    (_("วันเกิด"), format_thai_date(person.get("birth_date"))),
                    (
                        _("โทรศัพท์"),
                        format_thai_phone(person["phone"]) if person.get("phone") else "",
                    ),
                    (_("อีเมล"), person.get("email", "")),
                ],
            },
            {
                "step": "address",
                "title": STEP_TITLES["address"],
                "rows": [
                    (_("ที่อยู่"), address_text(address)),
                ],
            },
        ]

    # --- the end ----------------------------------------------------------------------------

    def done(self, form_list, form_dict=None, **kwargs):
        account = form_dict["account"].cleaned_data
        user = citizen_register(
            account={
                "national_id": account["national_id"],
                "username": account["username"],
                "password_hash": self.storage.extra_data[PASSWORD_HASH],
            },
            person=form_dict["person"].cleaned_data,
            address=form_dict["address"].cleaned_data,
            notice=self.notice,
            ip_address=client_ip(self.request),
        )
        return self._welcome(user)

    def _welcome(self, user):
        login(self.request, user, backend=ACCOUNT_BACKEND)
        messages.success(self.request, _("ลงทะเบียนเรียบร้อยแล้ว"))
        return redirect("accounts:profile")


class CitizenLoginView(LoginView):
    """The seed's log-in page; django-axes locks a user name or an address after 5 failures."""

    form_class = CitizenLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
