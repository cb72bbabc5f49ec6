"""Sign in with LINE, register once and stay linked, and go back to what the citizen wanted.

Every citizen item of the rich menu, and every link in a LINE message to a page that needs
an account, goes through ``/line/login/?next=…``. In LINE's in-app browser LINE signs the
user in without a screen (auto-login) once they have agreed the first time, so:

- a LINE user linked to a citizen account is signed in and sent to ``next``;
- a LINE user with no account registers once (``/line/register/``: the seed's fields on one
  page) and the new account is linked to them, or signs in with the account they already
  have (``/line/login/account/``), which links it; then ``next``;
- someone already signed in on the site whose LINE user is not linked confirms the link once.

A LINE user is never signed in to an account they are not linked to, and staff accounts are
never signed in by LINE: staff use their password (and its lock-out).
"""

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from joserfc.errors import JoseError

from accounts.backends import ACCOUNT_BACKEND
from accounts.forms.registration import CitizenLoginForm
from accounts.models import PrivacyNotice
from accounts.roles import has_staff_access
from addresses.forms import is_refresh
from core import province
from core.http import client_ip
from line_integration import line_login, selectors, services
from line_integration.forms import LineRegistration, suggest_username
from line_integration.services import LinkOutcome

logger = logging.getLogger(__name__)

DRAFT_KEY = "line_register_draft"
NOT_KEPT = {"csrfmiddlewaretoken", "account-password1", "account-password2"}
LOGIN_FAILURES = (OAuthError, JoseError, requests.RequestException, ValueError)


def may_sign_in_with_line(user) -> bool:
    """LINE signs in citizens only; anyone with staff access signs in with a password."""
    return user.is_active and not has_staff_access(user)


# /line/login/ and LINE's answer --------------------------------------------------------------


@never_cache
@require_GET
def start(request):
    """Remember where the citizen is going and ask LINE who they are."""
    line_login.remember_next(request, request.GET.get("next"))
    options = {}
    if settings.LINE_LOGIN_BOT_PROMPT:
        options["bot_prompt"] = settings.LINE_LOGIN_BOT_PROMPT
    if request.GET.get("retry"):
        # After a failed auto-login LINE advises asking again without it.
        options["disable_auto_login"] = "true"
    return line_login.client().authorize_redirect(
        request, line_login.callback_url(request), **options
    )


@never_cache
@require_GET
def callback(request):
    """LINE sends the browser back here: Authlib checks state, PKCE, signature and claims."""
    try:
        token = line_login.client().authorize_access_token(
            request, claims_options=line_login.claims_options()
        )
        claims = token.get("userinfo") or {}
        line_user_id = str(claims["sub"])
    except OAuthError as exc:
        return _login_failed(request, cancelled=exc.error == "access_denied", error=exc)
    except (*LOGIN_FAILURES, KeyError) as exc:
        return _login_failed(request, cancelled=False, error=exc)
    return _signed_in_with_line(request, line_user_id, str(claims.get("name") or ""))


def _login_failed(request, *, cancelled: bool, error: Exception):
    logger.info("LINE Login did not complete: %r", error)
    return render(
        request,
        "line_integration/login_failed.html",
        {
            "cancelled": cancelled,
            "retry_url": line_login.entry_path(line_login.next_path(request)) + "&retry=1",
            "password_login_url": _password_login_url(request),
        },
        status=400,
    )


def _password_login_url(request) -> str:
    return reverse("accounts:login") + "?next=" + line_login.next_path(request)


def _signed_in_with_line(request, line_user_id: str, display_name: str):
    holder = selectors.linked_user(line_user_id)
    if holder is not None and holder.is_active:
        if request.user.is_authenticated and request.user.pk == holder.pk:
            return _continue(request)
        if not may_sign_in_with_line(holder):
            messages.info(
                request,
                _("บัญชีเจ้าหน้าที่เข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่านเท่านั้น กรุณาเข้าสู่ระบบด้านล่าง"),
            )
            return redirect(_password_login_url(request))
        next_path = line_login.next_path(request, pop=True)
        login(request, holder, backend=ACCOUNT_BACKEND)  # a different account's session ends
        return redirect(next_path)
    line_login.keep_identity(request, line_user_id=line_user_id, display_name=display_name)
    if request.user.is_authenticated:
        return redirect("line:link_account")
    return redirect("line:register")


def _continue(request):
    line_login.forget_identity(request)
    return redirect(line_login.next_path(request, pop=True))


# Someone signed in on the site meets an unlinked LINE user ---------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def link_account(request):
    """One tap to link the LINE user LINE just verified to the account signed in here."""
    identity = line_login.pending_identity(request)
    if not request.user.is_authenticated or identity is None:
        return redirect(line_login.entry_path(line_login.next_path(request)))
    current = selectors.active_line_account_for(request.user)
    if request.method == "POST":
        if "not_me" in request.POST:
            next_path = line_login.next_path(request)
            logout(request)
            return redirect(line_login.entry_path(next_path))
        result = services.link_signed_in_line_user(
            user=request.user,
            line_user_id=identity.line_user_id,
            display_name=identity.display_name,
        )
        _say_link_outcome(request, result.outcome)
        return _continue(request)
    return render(
        request,
        "line_integration/login_link_confirm.html",
        {"identity": identity, "current_link": current, "skip_url": line_login.next_path(request)},
    )


def _say_link_outcome(request, outcome: LinkOutcome) -> None:
    if outcome == LinkOutcome.LINKED:
        messages.success(request, _("เชื่อมต่อบัญชี LINE เรียบร้อยแล้ว ท่านจะได้รับแจ้งความคืบหน้าทาง LINE"))
    elif outcome == LinkOutcome.ACCOUNT_TAKEN:
        messages.warning(
            request,
            _(
                "บัญชีนี้เชื่อมต่อกับ LINE อื่นอยู่แล้ว จึงไม่ได้เชื่อมต่อกับ LINE นี้ "
                "หากต้องการเปลี่ยน กรุณายกเลิกการเชื่อมต่อเดิมที่หน้า “ข้อมูลของฉัน” ก่อน"
            ),
        )
    elif outcome == LinkOutcome.LINE_USER_TAKEN:
        messages.warning(request, _("บัญชี LINE นี้เชื่อมต่อกับบัญชีอื่นอยู่แล้ว จึงเชื่อมต่อไม่ได้"))


# A LINE user without an account: sign in with the one they have ------------------------------


class AccountLoginView(LoginView):
    """The seed's log-in box for a LINE user who already has an account: signing in with its
    password proves it is theirs, and links it (django-axes still counts failures)."""

    form_class = CitizenLoginForm
    template_name = "line_integration/login_account.html"
    redirect_authenticated_user = False

    def dispatch(self, request, *args, **kwargs):
        self.identity = line_login.pending_identity(request)
        if self.identity is None:
            return redirect(line_login.entry_path(line_login.next_path(request)))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        identity = self.identity
        next_path = line_login.next_path(self.request)
        login(self.request, form.get_user())
        line_login.remember_next(self.request, next_path)
        result = services.link_signed_in_line_user(
            user=form.get_user(),
            line_user_id=identity.line_user_id,
            display_name=identity.display_name,
        )
        _say_link_outcome(self.request, result.outcome)
        return _continue(self.request)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "identity": self.identity}


# A LINE user without an account: register once -------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    """The seed's registration fields on one page; the account is linked to this LINE user.

    What was typed is kept in the session (never a password) so that a LINE sign-in that
    went stale while the citizen was typing costs nothing: LINE is asked again and the page
    comes back filled in.
    """
    if request.user.is_authenticated:
        return redirect(line_login.next_path(request))
    if "restart" in request.GET:
        request.session.pop(DRAFT_KEY, None)
    identity = line_login.pending_identity(request)
    if identity is None:
        if request.method == "POST":
            _keep_draft(request)
        return redirect(line_login.entry_path(reverse("line:register")))
    notice = PrivacyNotice.current()
    revision_id = getattr(notice, "live_revision_id", None)
    if request.method == "POST" and not is_refresh(request.POST):
        page = LineRegistration(request.POST, live_revision_id=revision_id)
        if page.is_valid():
            try:
                user = _register(request, page, notice, identity)
            except ValidationError as exc:
                _add_service_errors(page, exc)
            else:
                request.session.pop(DRAFT_KEY, None)
                login(request, user, backend=ACCOUNT_BACKEND)
                messages.success(request, _("ลงทะเบียนเรียบร้อยแล้ว บัญชีของท่านเชื่อมต่อกับ LINE แล้ว"))
                return _continue(request)
        _keep_draft(request)
        status = 400
    else:
        if request.method == "POST":
            _keep_draft(request)
        page = LineRegistration(live_revision_id=revision_id, initial=_initial(request))
        status = 200
    return render(
        request,
        "line_integration/register.html",
        {
            "page": page,
            "identity": identity,
            "notice": notice,
            "account_login_url": reverse("line:login_account"),
        },
        status=status,
    )


def _register(request, page: LineRegistration, notice, identity):
    account = page["account"]
    return services.citizen_register_with_line(
        account={
            "national_id": account.cleaned_data["national_id"],
            "username": account.cleaned_data["username"],
            "password_hash": account.password_hash(),
        },
        person=page["person"].cleaned_data,
        address=page["address"].cleaned_data,
        notice=notice,
        ip_address=client_ip(request),
        line_user_id=identity.line_user_id,
        display_name=identity.display_name,
    )


def _add_service_errors(page: LineRegistration, error: ValidationError) -> None:
    """A race lost after the forms' checks (the ID or user name just taken, the LINE user
    just linked): the message goes next to the field concerned, or on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = next((f for f in page.forms.values() if field in f.fields), page["account"])
            target.add_error(field if field in target.fields else None, errors)
    else:
        page["account"].add_error(None, error.messages)


def _keep_draft(request) -> None:
    request.session[DRAFT_KEY] = {
        key: value for key, value in request.POST.items() if key not in NOT_KEPT
    }


def _initial(request) -> dict:
    """What the citizen typed before (by part), else a suggested user name and the centre's
    province."""
    draft = request.session.get(DRAFT_KEY) or {}
    initial = {prefix: {} for prefix, _form in LineRegistration.PARTS}
    for key, value in draft.items():
        prefix, _sep, name = key.partition("-")
        if prefix in initial and name:
            initial[prefix][name] = value
    initial["account"].setdefault("username", suggest_username())
    initial["address"].setdefault("province", province.code())
    return initial
