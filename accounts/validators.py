"""Validation rules of the registration form, with Thai messages a citizen can act on."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.th import pin

USERNAME_RE = re.compile(r"^(?=.*[a-z])(?=.*[0-9])[a-z0-9]{6,12}$")


def normalize_national_id(value: str) -> str:
    """Return the 13 digits of a Thai national ID, or raise ValidationError in Thai.

    Dashes and spaces are tolerated ("1-1017-00230-70-5"); the check digit is verified with
    python-stdnum (``stdnum.th.pin``).
    """
    raw = (value or "").strip()
    if re.search(r"[^0-9\-\s]", raw):
        raise ValidationError(_("เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"), code="format")
    try:
        return pin.validate(raw.replace(" ", ""))
    except (InvalidLength, InvalidFormat):
        raise ValidationError(_("เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก"), code="length") from None
    except InvalidComponent:
        raise ValidationError(
            _("เลขประจำตัวประชาชนไม่ถูกต้อง (หลักแรกต้องเป็น 1-8)"), code="component"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("เลขประจำตัวประชาชนไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง"), code="checksum"
        ) from None


def mask_national_id(digits: str) -> str:
    """x-xxxx-xxxxx-12-3: only the last three digits show, in the usual grouping."""
    if len(digits) != 13:
        return "x-xxxx-xxxxx-xx-x"
    return f"x-xxxx-xxxxx-{digits[10:12]}-{digits[12]}"


def normalize_username(value: str) -> str:
    username = (value or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            _("ชื่อผู้ใช้ต้องประกอบด้วยอักษร a-z ผสมกับตัวเลข 0-9 จำนวน 6-12 ตัว"),
            code="username",
        )
    return username


def normalize_thai_phone(value: str) -> str:
    """A valid Thai phone number in E.164 (+66...), from 081-234-5678 or +66 81 234 5678."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, "TH")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.country_code != 66 or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("หมายเลขโทรศัพท์ไม่ถูกต้อง กรุณากรอกเบอร์โทรศัพท์ในประเทศไทย เช่น 0812345678"),
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_thai_phone(e164: str) -> str:
    """+66812345678 -> 081 234 5678, the way Thai people write it."""
    try:
        number = phonenumbers.parse(e164, "TH")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class LettersAndDigitsPasswordValidator:
    """The seed asks for letters mixed with digits; we keep that on top of Django's rules."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"[0-9]", password)):
            raise ValidationError(_("รหัสผ่านต้องมีทั้งตัวอักษรภาษาอังกฤษและตัวเลข"), code="password_no_mix")

    def get_help_text(self):
        return _("รหัสผ่านต้องมีทั้งตัวอักษรภาษาอังกฤษและตัวเลข")
