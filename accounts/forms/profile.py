"""Profile, "my data" (PDPA), password change and reset, account closure."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.validators import format_thai_phone, normalize_thai_phone
from addresses.forms import AddressFieldsMixin


def _text(label, max_length, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        error_messages={"max_length": _("ยาวเกินไป กรอกได้ไม่เกิน %(limit_value)d ตัวอักษร")},
        **kwargs,
    )


class ProfileContactForm(AddressFieldsMixin, forms.Form):
    """What a citizen may change: phone, email and address (names and ID stay fixed)."""

    phone = forms.CharField(
        label=_("หมายเลขโทรศัพท์"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("กรุณากรอกหมายเลขโทรศัพท์")},
        help_text=_("เช่น 0812345678"),
    )
    email = forms.EmailField(
        label=_("อีเมล"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("อีเมลไม่ถูกต้อง เช่น name@example.com")},
        help_text=_("ใช้สำหรับตั้งรหัสผ่านใหม่เมื่อลืมรหัสผ่าน"),
    )
    house_number = _text(_("บ้านเลขที่"), 50)
    moo = _text(_("หมู่ที่"), 10, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    soi = _text(_("ซอย"), 100)
    road = _text(_("ถนน"), 100)

    field_order = [
        "phone",
        "email",
        "house_number",
        "moo",
        "soi",
        "road",
        "province",
        "district",
        "subdistrict",
    ]

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "phone": format_thai_phone(profile.phone) if profile.phone else "",
            "email": profile.user.email,
            "house_number": profile.house_number,
            "moo": profile.moo,
            "soi": profile.soi,
            "road": profile.road,
            "province": profile.province_id,
            "district": profile.district_id,
            "subdistrict": profile.subdistrict_id,
        }

    def clean_phone(self):
        return normalize_thai_phone(self.cleaned_data["phone"])


class ClosureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("เหตุผลที่ขอปิดบัญชี (ไม่บังคับ)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("ยาวเกินไป กรอกได้ไม่เกิน %(limit_value)d ตัวอักษร")},
    )
    confirm = forms.BooleanField(
        label=_(
            "ข้าพเจ้าเข้าใจว่าเมื่อปิดบัญชีแล้วจะเข้าสู่ระบบไม่ได้อีก "
            "และเรื่องร้องเรียนที่ยื่นไว้แล้วยังคงเก็บไว้เป็นเอกสารราชการ"
        ),
        error_messages={"required": _("กรุณาทำเครื่องหมายยืนยันก่อนส่งคำขอ")},
    )


PASSWORD_HELP = _("อย่างน้อย 8 ตัวอักษร มีทั้งตัวอักษรภาษาอังกฤษและตัวเลข และไม่ซ้ำหรือคล้ายกับชื่อผู้ใช้")

# Django's own password validators have no Thai translation; their codes map to ours.
THAI_PASSWORD_ERRORS = {
    "password_too_short": _("รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย %(min_length)d ตัวอักษร"),
    "password_too_common": _("รหัสผ่านนี้ใช้กันทั่วไปและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น"),
    "password_entirely_numeric": _("รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด"),
    "password_too_similar": _("รหัสผ่านคล้ายกับชื่อผู้ใช้หรือข้อมูลส่วนตัวของท่านมากเกินไป"),
}


def thai_password_error(error: ValidationError) -> ValidationError:
    """The same validation failure, with each message Django's validators give in Thai."""
    return ValidationError(
        [
            ValidationError(THAI_PASSWORD_ERRORS[e.code], code=e.code, params=e.params)
            if e.code in THAI_PASSWORD_ERRORS
            else e
            for e in error.error_list
        ]
    )


class ThaiSetPasswordMixin:
    """Thai labels and messages for Django's set-password forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
        }
        self.fields["new_password1"].label = _("รหัสผ่านใหม่")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("ยืนยันรหัสผ่านใหม่")
        self.fields["new_password2"].help_text = _("กรอกรหัสผ่านใหม่อีกครั้ง")
        for name in ("new_password1", "new_password2"):
            self.fields[name].error_messages["required"] = _("กรุณากรอก%(label)s") % {
                "label": self.fields[name].label
            }

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, thai_password_error(error))


class ThaiSetPasswordForm(ThaiSetPasswordMixin, auth_forms.SetPasswordForm):
    pass


class ThaiPasswordChangeForm(ThaiSetPasswordMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["password_incorrect"] = _("รหัสผ่านปัจจุบันไม่ถูกต้อง กรุณากรอกอีกครั้ง")
        self.fields["old_password"].label = _("รหัสผ่านปัจจุบัน")
        self.fields["old_password"].error_messages["required"] = _("กรุณากรอกรหัสผ่านปัจจุบัน")


class ThaiPasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("อีเมลที่ใช้ลงทะเบียน"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("กรุณากรอกอีเมล"),
            "invalid": _("อีเมลไม่ถูกต้อง เช่น name@example.com"),
        },
    )


class ClosureHandleForm(forms.Form):
    """The supervisor's decision on a closure request, in the Wagtail admin."""

    note = forms.CharField(
        label=_("บันทึกของเจ้าหน้าที่"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("จำเป็นเมื่อไม่อนุมัติ"),
    )
