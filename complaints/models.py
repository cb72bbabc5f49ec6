import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin

from accounts import crypto
from accounts.validators import mask_national_id
from complaints.storage import private_storage

REPORT_BACK_DAYS = 15


class ComplaintCategory(models.Model):
    """ประเภทเรื่องร้องเรียน, a list officers manage in the admin."""

    name = models.CharField(_("ชื่อประเภท"), max_length=120, unique=True)
    description = models.CharField(_("คำอธิบาย"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=100)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    class Meta:
        verbose_name = _("ประเภทเรื่องร้องเรียน")
        verbose_name_plural = _("ประเภทเรื่องร้องเรียน")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ComplaintConsent(DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    """ข้อตกลงการให้ความยินยอมในการเปิดเผยข้อมูลส่วนบุคคล, shown before every complaint.

    Editors keep it in Wagtail with revisions; a complaint records the revision accepted.
    """

    title = models.CharField(_("หัวข้อ"), max_length=255)
    body = RichTextField(_("เนื้อหา"))

    panels = [FieldPanel("title"), FieldPanel("body"), PublishingPanel()]

    class Meta:
        verbose_name = _("ข้อตกลงการให้ความยินยอม (ร้องเรียน)")
        verbose_name_plural = _("ข้อตกลงการให้ความยินยอม (ร้องเรียน)")

    def __str__(self) -> str:
        return self.title

    def get_preview_template(self, request, mode_name):
        return "complaints/consent_preview.html"

    @classmethod
    def current(cls) -> "ComplaintConsent | None":
        return cls.objects.filter(live=True).order_by("-pk").first()


class State(models.TextChoices):
    UNDER_REVIEW = "under_review", _("อยู่ระหว่างการตรวจสอบ")
    IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
    COMPLETED = "completed", _("ดำเนินการเสร็จสิ้น")
    CLOSED = "closed", _("ยุติเรื่อง")


class TrackingCounter(models.Model):
    """The last tracking number issued in each Buddhist-era year (row-locked when used)."""

    year_be = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)


class Complaint(models.Model):
    """One grievance as the citizen filed it. Complainant details are a snapshot taken at
    filing, so later profile edits never rewrite an official record."""

    tracking_number = models.CharField(_("เลขที่เรื่อง"), max_length=20, unique=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints",
        verbose_name=_("ผู้ร้องเรียน"),
    )
    submission_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    # ขั้นตอนที่ ๑: the complainant (snapshot)
    complainant_title = models.CharField(_("คำนำหน้าชื่อ"), max_length=20)
    complainant_first_name = models.CharField(_("ชื่อ"), max_length=100)
    complainant_last_name = models.CharField(_("นามสกุล"), max_length=100)
    complainant_national_id_encrypted = models.TextField(editable=False)
    complainant_phone = models.CharField(_("โทรศัพท์"), max_length=16)
    complainant_email = models.EmailField(_("อีเมล"), blank=True)
    complainant_address = models.TextField(_("ที่อยู่ผู้ร้องเรียน"), blank=True)

    # ขั้นตอนที่ ๒: what and where
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.PROTECT, related_name="complaints",
        verbose_name=_("ประเภทเรื่องร้องเรียน"),
    )
    details = models.TextField(_("รายละเอียดการร้องเรียน"), max_length=4000)
    target_agency = models.CharField(_("หน่วยงานที่ร้องเรียน"), max_length=255, blank=True)
    target_place = models.CharField(_("สถานที่"), max_length=255, blank=True)
    target_address = models.CharField(_("ที่อยู่/จุดสังเกต"), max_length=255, blank=True)
    target_province = models.ForeignKey(
        "addresses.Province", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("จังหวัด"),
    )
    target_district = models.ForeignKey(
        "addresses.District", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("อำเภอ"),
    )
    target_subdistrict = models.ForeignKey(
        "addresses.Subdistrict", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("ตำบล"),
    )
    latitude = models.DecimalField(
        _("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy_m = models.PositiveIntegerField(_("ความแม่นยำของตำแหน่ง (เมตร)"), null=True,
                                                      blank=True)

    # ขั้นตอนที่ ๓: identity towards the agency
    conceal_identity = models.BooleanField(
        _("ปกปิดข้อมูลผู้ร้องเรียน"), default=False,
        help_text=_("ถ้าเลือก หน่วยงานที่รับเรื่องต่อจะไม่เห็นชื่อ เลขประจำตัว และที่อยู่ของผู้ร้องเรียน"),
    )

    # consent and receipt
    consent = models.ForeignKey(
        "accounts.ConsentRecord", on_delete=models.PROTECT, related_name="+", null=True,
        verbose_name=_("การให้ความยินยอม"),
    )
    client_ip = models.GenericIPAddressField(_("ที่อยู่ IP ผู้ยื่น"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("วันที่ยื่นเรื่อง"), auto_now_add=True, db_index=True)
    report_due_at = models.DateTimeField(_("กำหนดแจ้งผลภายใน"))

    # the case
    state = models.CharField(
        _("สถานะ"), max_length=20, choices=State.choices, default=State.UNDER_REVIEW,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("เปลี่ยนสถานะล่าสุด"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("เรื่องร้องเรียน")
        verbose_name_plural = _("เรื่องร้องเรียน")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def complainant_name(self) -> str:
        return f"{self.complainant_title}{self.complainant_first_name} {self.complainant_last_name}"

    @property
    def complainant_national_id(self) -> str:
        return crypto.decrypt(self.complainant_national_id_encrypted)

    @property
    def complainant_national_id_masked(self) -> str:
        return mask_national_id(self.complainant_national_id)

    @staticmethod
    def due_from(moment):
        return moment + timedelta(days=REPORT_BACK_DAYS)


def evidence_path(instance, filename: str) -> str:
    """Random names in a per-year folder: nothing about the citizen or the file leaks."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.complaint.submitted_at:%Y}/{uuid.uuid4().hex}.{extension}"


class EvidenceFile(models.Model):
    """A checked and re-encoded copy of what the citizen uploaded (ขั้นตอนที่ ๓)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("รูปภาพ")
        PDF = "pdf", _("PDF")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    kind = models.CharField(_("ชนิด"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class StateChange(models.Model):
    """Append-only history of a case: who moved it, when, from and to, and what was said."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    public_note = models.TextField(_("ข้อความถึงผู้ร้องเรียน"), blank=True)
    internal_note = models.TextField(_("บันทึกภายใน"), blank=True)

    class Meta:
        verbose_name = _("ประวัติการดำเนินการ")
        verbose_name_plural = _("ประวัติการดำเนินการ")
        ordering = ["at", "pk"]
