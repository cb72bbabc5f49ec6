"""The registration form for a citizen who signed in with LINE: the seed's fields on one page.

Each part is the registration wizard's own form (same labels, same checks: the national ID's
check digit, one account per ID, the address inside its province), so the two ways of
registering cannot drift apart. Two differences, both because LINE is then how the citizen
signs in: the user name comes suggested, and a password is optional (for the web later).
"""

import secrets

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from accounts.forms.registration import (
    AccountForm,
    AddressForm,
    ConfirmForm,
    PersonForm,
    username_taken,
)


class LineAccountForm(AccountForm):
    """National ID (required, checked), a user name (suggested) and an optional password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, password_saved=True, **kwargs)
        self.fields["password1"].help_text = _(
            "ไม่บังคับ ท่านเข้าสู่ระบบด้วย LINE ได้เสมอ ตั้งรหัสผ่านไว้หากต้องการเข้าสู่ระบบบนเว็บไซต์ด้วย "
            "(อย่างน้อย 8 ตัว มีทั้งอักษรภาษาอังกฤษและตัวเลข)"
        )
        self.fields["password2"].help_text = _("กรอกรหัสผ่านเดิมอีกครั้ง (ถ้าตั้งรหัสผ่าน)")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("password1")) != bool(cleaned.get("password2")):
            cleaned["password"] = None
            self.add_error("password2", _("กรุณากรอกรหัสผ่านให้ครบทั้งสองช่อง"))
        return cleaned

    def password_hash(self) -> str:
        """The hash of the password chosen, or an unusable one: then LINE is the way in."""
        return make_password(self.cleaned_data.get("password") or None)


class LineConfirmForm(ConfirmForm):
    """The privacy notice, without the not-a-robot check: LINE has just signed this person in
    (a LINE account needs a verified phone number), which is the proof that check asks for."""

    robot = None


def suggest_username() -> str:
    """A free user name in the seed's format (a-z with 0-9, 6-12 characters)."""
    for _attempt in range(20):
        candidate = f"line{secrets.randbelow(10**6):06d}"
        if not username_taken(candidate):
            return candidate
    return f"ln{secrets.randbelow(10**10):010d}"


class LineRegistration:
    """The four parts of the page, prefixed, validated together."""

    PARTS = (
        ("account", LineAccountForm),
        ("person", PersonForm),
        ("address", AddressForm),
        ("confirm", LineConfirmForm),
    )

    def __init__(self, data=None, *, live_revision_id, initial: dict | None = None):
        initial = initial or {}
        self.forms = {}
        for prefix, form_class in self.PARTS:
            kwargs = {"prefix": prefix, "initial": initial.get(prefix)}
            if prefix == "confirm":
                kwargs["live_revision_id"] = live_revision_id
            self.forms[prefix] = form_class(data, **kwargs)

    def __getitem__(self, prefix: str):
        return self.forms[prefix]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms.values()])

    @property
    def errors(self) -> bool:
        return any(form.errors for form in self.forms.values())

    def field_errors(self) -> list:
        """(label, message) for the summary at the top, in the order of the page."""
        return [
            (form[name].label if name in form.fields else "", message)
            for form in self.forms.values()
            for name, messages in form.errors.items()
            for message in messages
        ]
