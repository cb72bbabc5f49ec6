"""Filing a complaint (seed section ๒.๑): the consent page and the four wizard steps.

Each step is a plain form that can be tested on its own; labels are the seed's Thai wording and
every message says in Thai what to fix.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.validators import normalize_thai_phone
from addresses.forms import AddressFieldsMixin
from complaints.evidence import EvidenceFilesField
from complaints.models import ComplaintCategory
from core import centre, province
from core.choices import ModelChoiceField
from core.robot_check import NotARobotField, RobotCheckedFormMixin

DETAILS_MAX = 4000
ACCURACY_MAX_M = 1_000_000
DISCLOSE, CONCEAL = "disclose", "conceal"


# --- เข้าระบบร้องเรียน: consent and not-a-robot check ---------------------------------------


class ConsentForm(RobotCheckedFormMixin, forms.Form):
    """ "ยืนยัน" on the consent page: the text shown was read, and one tap on
    "ฉันไม่ใช่โปรแกรมอัตโนมัติ" (core.robot_check) says a person is filing.

    The revision shown travels in a hidden field, so that a text republished while the citizen
    was reading is shown again instead of being accepted unread.
    """

    robot = NotARobotField()

    def __init__(self, *args, live_revision_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.live_revision_id = live_revision_id
        self.revision_field_name = self.add_prefix("consent_revision")

    def clean(self):
        cleaned = super().clean()
        if self.live_revision_id is None:
            raise ValidationError(
                _("ขออภัย ขณะนี้ยังไม่มีข้อตกลงการให้ความยินยอม จึงยังยื่นเรื่องไม่ได้ กรุณาติดต่อสายด่วน %(hotline)s")
                % centre.texts(),
                code="no_consent",
            )
        if self.data.get(self.revision_field_name) != str(self.live_revision_id):
            raise ValidationError(
                _("ข้อตกลงการให้ความยินยอมเพิ่งมีการปรับปรุง กรุณาอ่านฉบับล่าสุดแล้วยืนยันอีกครั้ง"),
                code="consent_changed",
            )
        return cleaned


# --- ขั้นตอนที่ ๑: the complainant --------------------------------------------------------------


class ComplainantForm(forms.Form):
    """Name, ID and address come from the profile (shown, not editable here); the phone and
    e-mail may differ for this one complaint, e.g. a relative's phone."""

    phone = forms.CharField(
        label=_("โทรศัพท์"),
        max_length=20,
        help_text=_("เบอร์ที่ศูนย์ฯ ใช้ติดต่อกลับเรื่องนี้ เช่น 0812345678"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("กรุณากรอกหมายเลขโทรศัพท์ที่ติดต่อได้")},
    )
    email = forms.EmailField(
        label=_("อีเมล"),
        max_length=254,
        required=False,
        help_text=_("ไม่บังคับ เช่น somchai@example.com"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"invalid": _("รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@example.com")},
    )

    def clean_phone(self):
        return normalize_thai_phone(self.cleaned_data["phone"])


# --- ขั้นตอนที่ ๒: what and where ----------------------------------------------------------------


class PositionField(forms.FloatField):
    """A coordinate filled in by the location script (a hidden input)."""

    widget = forms.HiddenInput

    def __init__(self, *, label, limit: float, **kwargs):
        message = _("ตำแหน่งที่ตั้งไม่ถูกต้อง")
        super().__init__(
            label=label,
            required=False,
            min_value=-limit,
            max_value=limit,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
            **kwargs,
        )


class DetailsForm(AddressFieldsMixin, forms.Form):
    """ประเภทเรื่องร้องเรียน, รายละเอียดการร้องเรียน, ร้องเรียนไปยังพื้นที่หน่วยงาน/สถานที่/ที่อยู่,
    แชร์ตำแหน่งที่ตั้งปัจจุบัน (optional: a citizen who cannot share a position still files)."""

    category = ModelChoiceField(
        label=_("ประเภทเรื่องร้องเรียน"),
        queryset=ComplaintCategory.objects.filter(is_active=True),
        empty_label=_("เลือกประเภทเรื่องร้องเรียน"),
        error_messages={
            "required": _("กรุณาเลือกประเภทเรื่องร้องเรียน"),
            "invalid_choice": _("ประเภทเรื่องร้องเรียนที่เลือกไม่ถูกต้อง กรุณาเลือกใหม่"),
        },
    )
    details = forms.CharField(
        label=_("รายละเอียดการร้องเรียน"),
        help_text=_("เล่าว่าเกิดอะไรขึ้น ที่ไหน เมื่อไร และต้องการให้ช่วยเหลืออย่างไร (ไม่เกิน 4,000 ตัวอักษร)"),
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "data-char-counter": DETAILS_MAX,
                "data-counter-over-by": _("เกินกำหนด {n} ตัวอักษร กรุณาตัดให้สั้นลง"),
                "data-counter-too-long": _("รายละเอียดยาวเกินกำหนด 4,000 ตัวอักษร"),
                "data-counter-ok": _("ความยาวรายละเอียดอยู่ในกำหนดแล้ว"),
            }
        ),
        error_messages={"required": _("กรุณากรอกรายละเอียดการร้องเรียน")},
    )
    target_agency = forms.CharField(
        label=_("หน่วยงาน"),
        max_length=255,
        required=False,
        help_text=_("หน่วยงานที่เกี่ยวข้องกับเรื่องที่ร้องเรียน (ถ้ามี)"),
        error_messages={"max_length": _("ชื่อหน่วยงานยาวเกินไป (ไม่เกิน 255 ตัวอักษร)")},
    )
    target_place = forms.CharField(
        label=_("สถานที่"),
        max_length=255,
        required=False,
        help_text=_("สถานที่เกิดเหตุ เช่น ตลาด โรงเรียน ถนน (ถ้ามี)"),
        error_messages={"max_length": _("ชื่อสถานที่ยาวเกินไป (ไม่เกิน 255 ตัวอักษร)")},
    )
    target_address = forms.CharField(
        label=_("ที่อยู่"),
        max_length=255,
        required=False,
        help_text=_("บ้านเลขที่ หมู่ ซอย ถนน หรือจุดสังเกต (ถ้ามี)"),
        error_messages={"max_length": _("ที่อยู่ยาวเกินไป (ไม่เกิน 255 ตัวอักษร)")},
    )
    latitude = PositionField(label=_("ละติจูด"), limit=90)
    longitude = PositionField(label=_("ลองจิจูด"), limit=180)
    accuracy = forms.FloatField(
        label=_("ความแม่นยำ (เมตร)"),
        required=False,
        min_value=0,
        max_value=ACCURACY_MAX_M,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("ความแม่นยำของตำแหน่งไม่ถูกต้อง"),
            "min_value": _("ความแม่นยำของตำแหน่งไม่ถูกต้อง"),
            "max_value": _("ความแม่นยำของตำแหน่งไม่ถูกต้อง"),
        },
    )

    field_order = [
        "category",
        "details",
        "target_agency",
        "target_place",
        "target_address",
        "province",
        "district",
        "subdistrict",
        "latitude",
        "longitude",
        "accuracy",
    ]
    POSITION_FIELDS = ("latitude", "longitude", "accuracy")

    def __init__(self, *args, **kwargs):
        # The centre's province: where most of its complaints happen.
        kwargs["initial"] = {"province": province.code(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean_details(self):
        text = self.cleaned_data["details"].replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > DETAILS_MAX:
            raise ValidationError(
                _("รายละเอียดยาว %(length)s ตัวอักษร เกินกำหนด 4,000 ตัวอักษร กรุณาตัดให้สั้นลง"),
                code="max_length",
                params={"length": f"{len(text):,}"},
            )
        return text

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if self.position_errors:
            return cleaned
        if (latitude is None) != (longitude is None):
            self.add_error("latitude", _("ตำแหน่งที่ตั้งไม่ครบ"))
        elif latitude is None:
            cleaned["accuracy"] = None
        return cleaned

    @property
    def position_errors(self) -> list[str]:
        """Errors of the hidden position fields, shown in the location box (and there only)."""
        if not self.is_bound:
            return []
        return [error for name in self.POSITION_FIELDS for error in self.errors.get(name, [])]


# --- ขั้นตอนที่ ๓: evidence and identity ---------------------------------------------------------


class EvidenceForm(forms.Form):
    """หลักฐาน and "เปิดเผยข้อมูล / ปกปิดข้อมูล".

    Uploaded files never travel with the form's data: the wizard stages them as soon as the
    step is posted (see ``complaints.evidence.stage_files``) and passes any refusal here as
    ``staging_errors``, so that the page says why a file was refused and keeps the others.
    """

    attachments = EvidenceFilesField(
        label=_("แนบหลักฐานประกอบการร้องเรียน"),
        required=False,
        help_text=_("แนบไฟล์ JPEG, PNG, HEIC หรือ PDF ได้สูงสุด 5 ไฟล์ ไฟล์ละไม่เกิน 10 MB รวมไม่เกิน 25 MB"),
    )
    identity = forms.ChoiceField(
        label=_("การเปิดเผยข้อมูลผู้ร้องเรียน"),
        choices=[(DISCLOSE, _("เปิดเผยข้อมูล")), (CONCEAL, _("ปกปิดข้อมูล"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _('กรุณาเลือก "เปิดเผยข้อมูล" หรือ "ปกปิดข้อมูล"'),
            "invalid_choice": _('กรุณาเลือก "เปิดเผยข้อมูล" หรือ "ปกปิดข้อมูล"'),
        },
    )

    IDENTITY_HELP = {
        DISCLOSE: _("หน่วยงานที่รับเรื่องไปดำเนินการจะเห็นชื่อและช่องทางติดต่อของท่าน เพื่อติดต่อสอบถามได้โดยตรง"),
        CONCEAL: _(
            "เฉพาะเจ้าหน้าที่ศูนย์ดำรงธรรมเท่านั้นที่รู้ว่าท่านเป็นผู้ร้องเรียน "
            "หน่วยงานที่รับเรื่องจะไม่เห็นชื่อ เลขประจำตัวประชาชน และที่อยู่ของท่าน"
        ),
    }

    def __init__(self, *args, staging_errors: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staging_errors = list(staging_errors or [])

    def clean(self):
        cleaned = super().clean()
        if self.staging_errors:
            self.add_error("attachments", self.staging_errors)
        return cleaned

    def identity_choices(self) -> list[dict]:
        """The radio buttons with the one-sentence explanation each gets under its label."""
        return [
            {"radio": radio, "help": self.IDENTITY_HELP[radio.data["value"]]}
            for radio in self["identity"]
        ]


# --- ขั้นตอนที่ ๔: review ---------------------------------------------------------------------


class ReviewForm(forms.Form):
    """ "ยืนยัน": the submission key makes a resent final page file nothing twice."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)


# --- the filing hint: open cases of the same category nearby -----------------------------------


class NearbyForm(forms.Form):
    """What the filing hint is asked for (from step ๒'s fields, read by complaint-nearby.js)."""

    category = forms.ModelChoiceField(queryset=ComplaintCategory.objects.filter(is_active=True))
    subdistrict = forms.ModelChoiceField(queryset=None, required=False)
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from addresses.models import Subdistrict

        self.fields["subdistrict"].queryset = Subdistrict.objects.all()

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned
