"""Registration: the citizen's registration form (สมัครสมาชิก) as a SessionWizardView, and
the citizens' log-in.

Each step is a plain form so that it can be tested on its own; the labels are the seed's Thai
labels and every message says in Thai what to fix.
"""

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.crypto import lookup_hash
from accounts.models import CitizenProfile, Title
from accounts.validators import (
    normalize_national_id,
    normalize_thai_phone,
    normalize_username,
)
from addresses.forms import AddressFieldsMixin
from core import centre
from core.choices import Select
from core.robot_check import NotARobotField, RobotCheckedFormMixin

User = get_user_model()

MIN_BIRTH_DATE = datetime.date(1900, 1, 1)
BUDDHIST_ERA_OFFSET = 543
NATIONAL_ID_TAKEN = _("เลขประจำตัวประชาชนนี้ลงทะเบียนแล้ว")
USERNAME_TAKEN = _("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น")
PASSWORD_MISMATCH = _("รหัสผ่านทั้งสองช่องไม่ตรงกัน")

# Django's own password validators have no Thai translation; say the same thing in Thai.
PASSWORD_MESSAGES = {
    "password_too_short": _("รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร"),
    "password_too_common": _("รหัสผ่านนี้ถูกใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น"),
    "password_entirely_numeric": _("รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด"),
    "password_too_similar": _("รหัสผ่านคล้ายกับชื่อผู้ใช้มากเกินไป กรุณาตั้งรหัสผ่านอื่น"),
}


def national_id_taken(digits: str) -> bool:
    return CitizenProfile.objects.filter(national_id_hash=lookup_hash(digits)).exists()


def username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


def parse_birth_date(value: str) -> datetime.date | None:
    """ISO from <input type="date">, or dd/mm/yyyy as people type it, in B.E. or C.E.

    A year above 2400 can only be Buddhist era (B.E. 2400 is C.E. 1857), so 543 is taken off.
    """
    value = (value or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", value)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    if year > 2400:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class ThaiDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BirthDateField(forms.DateField):
    """A birth date: not in the future, not before 1900."""

    widget = ThaiDateInput
    default_error_messages = {
        "required": _("กรุณากรอกวันเกิด"),
        "invalid": _("รูปแบบวันเกิดไม่ถูกต้อง กรุณาเลือกจากปฏิทิน หรือพิมพ์ วัน/เดือน/ปี เช่น 15/03/2528"),
        "future": _("วันเกิดต้องไม่เป็นวันในอนาคต"),
        "too_old": _("วันเกิดต้องไม่ก่อนปี พ.ศ. 2443 (ค.ศ. 1900)"),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        parsed = parse_birth_date(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")
        if value < MIN_BIRTH_DATE:
            raise ValidationError(self.error_messages["too_old"], code="too_old")


def _required(message):
    return {"required": message}


class AccountForm(forms.Form):
    """Step ๑: who the citizen is (one account per national ID) and how they log in.

    The password is hashed as soon as this step is valid and kept out of the wizard's session
    data (see ``RegistrationWizard.process_step``). When the wizard already holds a hash,
    ``password_saved`` makes the two password boxes optional: left empty, the saved one stays.
    """

    national_id = forms.CharField(
        label=_("เลขประจำตัวประชาชน"),
        max_length=20,
        help_text=_("ตัวเลข 13 หลักบนบัตรประจำตัวประชาชน"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages=_required(_("กรุณากรอกเลขประจำตัวประชาชน")),
    )
    username = forms.CharField(
        label=_("ชื่อผู้ใช้"),
        max_length=30,
        help_text=_("ประกอบด้วยอักษร a-z ผสมเลข 0-9 จำนวน 6-12 ตัว"),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages=_required(_("กรุณากรอกชื่อผู้ใช้")),
    )
    password1 = forms.CharField(
        label=_("รหัสผ่าน"),
        strip=False,
        help_text=_("อย่างน้อย 8 ตัวอักษร มีทั้งตัวอักษรภาษาอังกฤษและตัวเลข และไม่ซ้ำหรือคล้ายกับชื่อผู้ใช้"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("กรุณาตั้งรหัสผ่าน")),
    )
    password2 = forms.CharField(
        label=_("ยืนยันรหัสผ่าน"),
        strip=False,
        help_text=_("กรอกรหัสผ่านเดิมอีกครั้ง"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("กรุณากรอกรหัสผ่านอีกครั้งเพื่อยืนยัน")),
    )

    def __init__(self, *args, password_saved: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.password_saved = password_saved
        if password_saved:
            for name in ("password1", "password2"):
                self.fields[name].required = False
            self.fields["password1"].help_text = _(
                "ระบบจำรหัสผ่านที่ท่านตั้งไว้แล้ว เว้นว่างไว้หากไม่ต้องการเปลี่ยน"
            )

    def clean_national_id(self):
        digits = normalize_national_id(self.cleaned_data["national_id"])
        if national_id_taken(digits):
            raise ValidationError(NATIONAL_ID_TAKEN, code="taken")
        return digits

    def clean_username(self):
        username = normalize_username(self.cleaned_data["username"])
        if username_taken(username):
            raise ValidationError(USERNAME_TAKEN, code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        cleaned["password"] = None
        if self.password_saved and not password1 and not password2:
            return cleaned
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(PASSWORD_MISMATCH, code="mismatch"))
        elif password1:
            try:
                validate_password(password1, user=User(username=cleaned.get("username") or ""))
            except ValidationError as error:
                self.add_error("password1", [_thai_password_error(e) for e in error.error_list])
            else:
                cleaned["password"] = password1
        elif self.password_saved:
            self.add_error("password1", _("กรุณากรอกรหัสผ่านให้ครบทั้งสองช่อง"))
        return cleaned


def _thai_password_error(error: ValidationError) -> ValidationError:
    message = PASSWORD_MESSAGES.get(error.code)
    return ValidationError(message, code=error.code) if message else error


class PersonForm(forms.Form):
    """Step ๒: name, birth date and how to reach the citizen."""

    title = forms.ChoiceField(
        label=_("คำนำหน้าชื่อ"),
        widget=Select,
        choices=[("", _("เลือกคำนำหน้าชื่อ")), *Title.choices],
        error_messages={
            "required": _("กรุณาเลือกคำนำหน้าชื่อ"),
            "invalid_choice": _("คำนำหน้าชื่อที่เลือกไม่ถูกต้อง"),
        },
    )
    first_name = forms.CharField(
        label=_("ชื่อ"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages=_required(_("กรุณากรอกชื่อ")),
    )
    last_name = forms.CharField(
        label=_("นามสกุล"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages=_required(_("กรุณากรอกนามสกุล")),
    )
    birth_date = BirthDateField(
        label=_("วันเกิด"),
        help_text=_("เลือกจากปฏิทิน หรือพิมพ์ วัน/เดือน/ปี เป็น พ.ศ. หรือ ค.ศ. ก็ได้ เช่น 15/03/2528"),
        widget=ThaiDateInput(attrs={"autocomplete": "bday"}),
    )
    phone = forms.CharField(
        label=_("โทรศัพท์"),
        max_length=20,
        help_text=_("เช่น 0812345678"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages=_required(_("กรุณากรอกหมายเลขโทรศัพท์")),
    )
    email = forms.EmailField(
        label=_("อีเมล"),
        max_length=254,
        help_text=_("เช่น somchai@example.com ใช้สำหรับตั้งรหัสผ่านใหม่เมื่อลืมรหัสผ่าน"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={
            "required": _("กรุณากรอกอีเมล"),
            "invalid": _("รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@example.com"),
        },
    )

    def clean_phone(self):
        return normalize_thai_phone(self.cleaned_data["phone"])


class AddressForm(AddressFieldsMixin, forms.Form):
    """Step ๓: the address; the postal code follows from the subdistrict."""

    house_number = forms.CharField(label=_("บ้านเลขที่"), max_length=50, required=False)
    moo = forms.CharField(
        label=_("หมู่ที่"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    soi = forms.CharField(label=_("ซอย"), max_length=100, required=False)
    road = forms.CharField(label=_("ถนน"), max_length=100, required=False)

    field_order = ["house_number", "moo", "soi", "road", "province", "district", "subdistrict"]


class ConfirmForm(RobotCheckedFormMixin, forms.Form):
    """Step ๔: consent to the privacy notice that was shown (PDPA section 19), and the
    not-a-robot check (core.robot_check), once per registration, next to "ลงทะเบียน".

    The revision shown travels with the form (the template writes ``live_revision_id`` into
    the hidden input ``revision_field_name``), so that a notice republished while the citizen
    was reading is shown again instead of being accepted unread.
    """

    accept_privacy_notice = forms.BooleanField(
        label=_("ข้าพเจ้าได้อ่านและยอมรับประกาศความเป็นส่วนตัว"),
        error_messages=_required(_("กรุณาอ่านและทำเครื่องหมายยอมรับประกาศความเป็นส่วนตัวก่อนลงทะเบียน")),
    )
    robot = NotARobotField()

    def __init__(self, *args, live_revision_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.live_revision_id = live_revision_id
        self.revision_field_name = self.add_prefix("notice_revision")

    def clean(self):
        cleaned = super().clean()
        if self.live_revision_id is None:
            raise ValidationError(
                _(
                    "ขออภัย ระบบยังไม่มีประกาศความเป็นส่วนตัว จึงยังลงทะเบียนไม่ได้ "
                    "กรุณาติดต่อศูนย์ดำรงธรรม โทร. %(hotline)s"
                )
                % centre.texts(),
                code="no_notice",
            )
        if self.data.get(self.revision_field_name) != str(self.live_revision_id):
            raise ValidationError(
                _("ประกาศความเป็นส่วนตัวเพิ่งมีการปรับปรุง กรุณาอ่านฉบับล่าสุดแล้วยืนยันอีกครั้ง"),
                code="notice_changed",
            )
        return cleaned


class CitizenLoginForm(AuthenticationForm):
    """The seed's log-in box ("Username", "Password"); user names match whatever the case."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages=_required(_("กรุณากรอกชื่อผู้ใช้")),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages=_required(_("กรุณากรอกรหัสผ่าน")),
    )

    error_messages = {
        "invalid_login": _("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"),
        "inactive": centre.filled(_("บัญชีนี้ถูกปิดใช้งาน กรุณาติดต่อศูนย์ดำรงธรรม โทร. %(hotline)s")),
    }

    def clean_username(self):
        """The stored spelling of the name typed, so "Somchai01" logs in as "somchai01".

        Citizens' names are stored in lower case; staff accounts made in the admin may not be,
        so the exact stored name is looked up rather than assumed.
        """
        typed = self.cleaned_data["username"].strip()
        if User.objects.filter(username=typed).exists():
            return typed
        stored = (
            User.objects.filter(username__iexact=typed)
            .order_by("pk")
            .values_list("username", flat=True)
            .first()
        )
        return stored or typed.lower()
