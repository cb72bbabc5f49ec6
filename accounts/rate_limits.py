"""How often one client may register or ask for password-reset mails (core/ratelimit.py).

Clients are counted by address (core.http.client_ip); phones on one mobile network can share
one, so the limits leave room for many people. A reset mail is also counted per e-mail address
typed, whether or not it belongs to an account, so the answer says nothing about that.
"""

from django.utils.translation import gettext_lazy as _

from core import centre
from core.http import client_ip
from core.ratelimit import Rate, allow

HOUR = 60 * 60
PASSWORD_RESET_PER_ADDRESS = Rate(3, HOUR)
PASSWORD_RESET_PER_CLIENT = Rate(20, HOUR)
# The account step tells whether a national ID is registered: at most this many checks.
REGISTRATION_ID_CHECKS_PER_CLIENT = Rate(20, HOUR)
REGISTRATIONS_PER_CLIENT = Rate(10, HOUR)

TOO_MANY_RESETS = centre.filled(
    _(
        "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป กรุณารอประมาณ 1 ชั่วโมงแล้วลองใหม่อีกครั้ง "
        "หากต้องการความช่วยเหลือ ติดต่อสายด่วน %(hotline)s"
    )
)
TOO_MANY_REGISTRATIONS = centre.filled(
    _(
        "มีการลงทะเบียนจากเครือข่ายนี้บ่อยเกินไป กรุณารอประมาณ 1 ชั่วโมงแล้วลองใหม่อีกครั้ง "
        "หากต้องการความช่วยเหลือ ติดต่อสายด่วน %(hotline)s"
    )
)


def password_reset_allowed(request, email: str) -> bool:
    return allow("password-reset-client", client_ip(request), PASSWORD_RESET_PER_CLIENT) and allow(
        "password-reset-address", email.strip().lower(), PASSWORD_RESET_PER_ADDRESS
    )


def registration_step_allowed(request, step: str) -> bool:
    """The account step (its ID check) and the last step (the account made) are counted."""
    if step == "account":
        return allow("registration-id-check", client_ip(request), REGISTRATION_ID_CHECKS_PER_CLIENT)
    if step == "confirm":
        return allow("registration", client_ip(request), REGISTRATIONS_PER_CLIENT)
    return True


class PasswordResetRateLimitMixin:
    """For Django's (and Wagtail's) PasswordResetView: over a limit, the form again with a
    Thai message (429) and no mail."""

    def form_valid(self, form):
        if password_reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        form.add_error(None, TOO_MANY_RESETS)
        response = self.form_invalid(form)
        response.status_code = 429
        return response
