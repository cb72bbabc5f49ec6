import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import crypto
from accounts.validators import mask_national_id
from complaints.querysets import OPEN_STATES, URGENCY_INDEX, ComplaintQuerySet
from core.editorial import EditorialText
from core.storage import get_private_storage

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


class ComplaintConsent(EditorialText):
    """ข้อตกลงการให้ความยินยอมในการเปิดเผยข้อมูลส่วนบุคคล, shown before every complaint."""

    class Meta:
        verbose_name = _("ข้อตกลงการให้ความยินยอม (ร้องเรียน)")
        verbose_name_plural = _("ข้อตกลงการให้ความยินยอม (ร้องเรียน)")


class Agency(models.Model):
    """หน่วยงาน a case can be forwarded to; officers manage the list."""

    class Kind(models.TextChoices):
        DISTRICT_OFFICE = "district_office", _("ที่ว่าการอำเภอ")
        PROVINCIAL_OFFICE = "provincial_office", _("ส่วนราชการระดับจังหวัด")
        POLICE = "police", _("ตำรวจ")
        LOCAL_GOVERNMENT = "local_government", _("องค์กรปกครองส่วนท้องถิ่น")
        STATE_ENTERPRISE = "state_enterprise", _("รัฐวิสาหกิจ")
        OTHER = "other", _("อื่นๆ")

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200, unique=True)
    kind = models.CharField(_("ประเภทหน่วยงาน"), max_length=30, choices=Kind.choices)
    district = models.ForeignKey(
        "addresses.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("อำเภอ"),
    )
    phone = models.CharField(_("โทรศัพท์"), max_length=50, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class AgencyMember(models.Model):
    """A staff account limited to one agency: it sees only the cases forwarded there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_membership"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("เจ้าหน้าที่หน่วยงาน")
        verbose_name_plural = _("เจ้าหน้าที่หน่วยงาน")

    def __str__(self) -> str:
        return f"{self.user} → {self.agency}"


class ClosedReason(models.TextChoices):
    NOT_IN_AUTHORITY = "not_in_authority", _("ไม่อยู่ในอำนาจหน้าที่ของศูนย์ฯ")
    DUPLICATE = "duplicate", _("เป็นเรื่องซ้ำ")
    INSUFFICIENT = "insufficient", _("ข้อมูลไม่เพียงพอ ติดต่อผู้ร้องไม่ได้")
    WITHDRAWN = "withdrawn", _("ผู้ร้องขอถอนเรื่อง")
    IN_COURT = "in_court", _("เป็นเรื่องที่อยู่ในชั้นศาลหรือพนักงานสอบสวน")
    OTHER = "other", _("อื่นๆ")


class State(models.TextChoices):
    UNDER_REVIEW = "under_review", _("อยู่ระหว่างการตรวจสอบ")
    IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
    COMPLETED = "completed", _("ดำเนินการเสร็จสิ้น")
    CLOSED = "closed", _("ยุติเรื่อง")


class TrackingCounter(models.Model):
    """The last tracking number issued in each Buddhist-era year (row-locked when used)."""

    year_be = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)


DASHBOARD_COLUMNS = (
    "state",
    "report_due_at",
    "completed_at",
    "latest_rating_score",
    "category",
    "target_district",
    "agency",
)


class Complaint(models.Model):
    """One grievance as the citizen filed it. Complainant details are a snapshot taken at
    filing, so later profile edits never rewrite an official record."""

    tracking_number = models.CharField(_("เลขที่เรื่อง"), max_length=20, unique=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="complaints",
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
        ComplaintCategory,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("ประเภทเรื่องร้องเรียน"),
    )
    details = models.TextField(_("รายละเอียดการร้องเรียน"), max_length=4000)
    target_agency = models.CharField(_("หน่วยงานที่ร้องเรียน"), max_length=255, blank=True)
    target_place = models.CharField(_("สถานที่"), max_length=255, blank=True)
    target_address = models.CharField(_("ที่อยู่/จุดสังเกต"), max_length=255, blank=True)
    target_province = models.ForeignKey(
        "addresses.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("จังหวัด"),
    )
    target_district = models.ForeignKey(
        "addresses.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("อำเภอ"),
    )
    target_subdistrict = models.ForeignKey(
        "addresses.Subdistrict",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ตำบล"),
    )
    latitude = models.DecimalField(
        _("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy_m = models.PositiveIntegerField(
        _("ความแม่นยำของตำแหน่ง (เมตร)"), null=True, blank=True
    )

    # ขั้นตอนที่ ๓: identity towards the agency
    conceal_identity = models.BooleanField(
        _("ปกปิดข้อมูลผู้ร้องเรียน"),
        default=False,
        help_text=_("ถ้าเลือก หน่วยงานที่รับเรื่องต่อจะไม่เห็นชื่อ เลขประจำตัว และที่อยู่ของผู้ร้องเรียน"),
    )

    # consent and receipt
    consent = models.ForeignKey(
        "accounts.ConsentRecord",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("การให้ความยินยอม"),
    )
    client_ip = models.GenericIPAddressField(_("ที่อยู่ IP ผู้ยื่น"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("วันที่ยื่นเรื่อง"), auto_now_add=True, db_index=True)
    report_due_at = models.DateTimeField(_("กำหนดแจ้งผลภายใน"))

    # the case
    state = models.CharField(
        _("สถานะ"),
        max_length=20,
        choices=State.choices,
        default=State.UNDER_REVIEW,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("เปลี่ยนสถานะล่าสุด"), auto_now_add=True)
    closed_reason = models.CharField(
        _("เหตุผลที่ยุติเรื่อง"), max_length=30, choices=ClosedReason.choices, blank=True
    )
    completed_at = models.DateTimeField(_("วันที่ดำเนินการเสร็จสิ้น"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("จำนวนครั้งที่เปิดเรื่องใหม่"), default=0)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("เจ้าหน้าที่ผู้รับผิดชอบ"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("หน่วยงานที่ส่งต่อ"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # The score of the latest completion round the citizen rated (None: never rated), kept by
    # complaints.workflow.rating_submit in the rating's own transaction, so the dashboard's
    # average and count need no per-complaint subquery over the ratings.
    latest_rating_score = models.PositiveSmallIntegerField(
        _("คะแนนประเมินล่าสุด"), null=True, blank=True, editable=False
    )

    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_duplicates",
        verbose_name=_("รวมเข้ากับเรื่อง"),
    )

    # Normalised copies for the officers' search (complaints.search), made when the complaint
    # is saved whole (filing); what they copy never changes afterwards. PostgreSQL indexes
    # both with pg_trgm (migration 0007), outside Meta.indexes because SQLite has no GIN.
    search_text = models.TextField(blank=True, default="", editable=False)
    search_person = models.TextField(blank=True, default="", editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("เรื่องร้องเรียน")
        verbose_name_plural = _("เรื่องร้องเรียน")
        ordering = ["-submitted_at"]
        # The executive dashboard (dashboard.selectors) counts complaints received in a period,
        # optionally of one district, category or agency: one index per way in, each holding
        # every column the dashboard reads, so its queries are index-only scans (plain key
        # columns rather than INCLUDE, which SQLite does not support).
        indexes = [
            models.Index(
                fields=[*way_in, *(c for c in DASHBOARD_COLUMNS if c not in way_in)], name=name
            )
            for name, way_in in (
                ("complaint_dash_received", ["submitted_at"]),
                ("complaint_dash_district", ["target_district", "submitted_at"]),
                ("complaint_dash_category", ["category", "submitted_at"]),
                ("complaint_dash_agency", ["agency", "submitted_at"]),
            )
        ] + [
            # Open cases of one category near a position (complaints.nearby): a range on the
            # latitude inside the category, the rest checked from the index itself.
            models.Index(
                fields=["category", "latitude", "longitude", "submitted_at", "state"],
                condition=models.Q(latitude__isnull=False),
                name="complaint_nearby",
            ),
            # ... or in one subdistrict, when no position was shared.
            models.Index(
                fields=["target_subdistrict", "category", "submitted_at", "state"],
                name="complaint_subdistrict_recent",
            ),
            # The officers' list, most urgent first (ComplaintQuerySet.by_urgency).
            models.Index(*URGENCY_INDEX, name="complaint_urgency"),
            # The officers' search (complaints.search.first_id_since): the lowest id of the
            # cases filed since a moment, read from the index alone.
            models.Index(fields=["submitted_at", "id"], name="complaint_filed_id"),
            # Open cases by report-back day: overdue counts and filters, deadline alerts.
            models.Index(
                fields=["report_due_at"],
                condition=models.Q(state__in=OPEN_STATES),
                name="complaint_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            self.fill_search_copies()
        super().save(*args, **kwargs)

    def fill_search_copies(self, *, area: tuple[str, ...] | None = None) -> None:
        from complaints.search import person_of, text_of

        self.search_text, self.search_person = text_of(self, area=area), person_of(self)

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
    file = models.FileField(storage=get_private_storage, upload_to=evidence_path, max_length=255)
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


def history_attachment_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"history/{uuid.uuid4().hex}.{extension}"


class StateChange(models.Model):
    """Append-only history of a case: who moved it, when, from and to, and what was said."""

    class Kind(models.TextChoices):
        STATE = "state", _("เปลี่ยนสถานะ")
        ASSIGN = "assign", _("มอบหมายเจ้าหน้าที่")
        FORWARD = "forward", _("ส่งต่อหน่วยงาน")
        NOTE = "note", _("บันทึกภายใน")
        MERGE = "merge", _("รวมเรื่องซ้ำ")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATE)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    public_note = models.TextField(_("ข้อความถึงผู้ร้องเรียน"), blank=True)
    internal_note = models.TextField(_("บันทึกภายใน"), blank=True)
    attachment = models.FileField(
        _("ไฟล์แนบ (เฉพาะเจ้าหน้าที่)"),
        storage=get_private_storage,
        upload_to=history_attachment_path,
        blank=True,
        max_length=255,
    )
    attachment_name = models.CharField(max_length=255, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ประวัติการดำเนินการ")
        verbose_name_plural = _("ประวัติการดำเนินการ")
        ordering = ["at", "pk"]


class ComplaintFollower(models.Model):
    """A citizen who follows a case someone else filed: they joined it from the filing page
    ("ติดตามเรื่องนี้"), or their own report of the same problem was merged into it. They get
    its state changes in LINE and see it in their list, never the complainant or the case's
    text (``complaints.following``)."""

    class Source(models.TextChoices):
        JOINED = "joined", _("ขอติดตามเรื่อง")
        MERGED = "merged", _("รวมจากเรื่องซ้ำ")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="followers")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_complaints",
        verbose_name=_("ผู้ติดตาม"),
    )
    source = models.CharField(_("ที่มา"), max_length=10, choices=Source.choices)
    merged_from = models.ForeignKey(
        Complaint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("เรื่องเดิมของผู้ติดตาม"),
    )
    created_at = models.DateTimeField(_("ติดตามตั้งแต่"), auto_now_add=True)

    class Meta:
        verbose_name = _("ผู้ติดตามเรื่อง")
        verbose_name_plural = _("ผู้ติดตามเรื่อง")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "citizen"], name="one_follow_per_citizen")
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} → {self.complaint_id}"


class SatisfactionRating(models.Model):
    """The citizen's 1-5 rating of a completed case: once per completion, changeable 7 days."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="ratings")
    completion_round = models.PositiveIntegerField(default=0)
    score = models.PositiveSmallIntegerField(_("คะแนน"))
    comment = models.TextField(_("ความคิดเห็น"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ผลการประเมินความพึงพอใจ")
        verbose_name_plural = _("ผลการประเมินความพึงพอใจ")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "completion_round"], name="one_rating_per_completion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]


class PersonalDataAccess(models.Model):
    """Audit log: every view of a complainant's personal data by staff (supervisors read it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ผู้เข้าดู"),
    )
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="access_log",
        verbose_name=_("เรื่องร้องเรียน"),
    )
    action = models.CharField(_("การกระทำ"), max_length=50)
    at = models.DateTimeField(_("เวลา"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("ที่อยู่ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("บันทึกการเข้าถึงข้อมูลส่วนบุคคล")
        verbose_name_plural = _("บันทึกการเข้าถึงข้อมูลส่วนบุคคล")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.action} · {self.complaint}"


class ComplaintDraft(models.Model):
    """A complaint an officer started for a citizen (from a chat, say), for them to finish.

    The link the citizen gets carries ``token``; the draft only prefills the wizard, so nothing
    is filed until the citizen checks it and confirms. A draft made for a LINE user who has no
    site account yet has no ``citizen``: the first citizen who opens its link owns it.
    """

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="complaint_drafts",
        verbose_name=_("ประชาชน"),
    )
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    category = models.ForeignKey(
        ComplaintCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ประเภทเรื่องร้องเรียน"),
    )
    details = models.TextField(_("รายละเอียดการร้องเรียน"), max_length=4000)
    source = models.CharField(_("ที่มา"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ผู้เตรียมร่าง"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    used_at = models.DateTimeField(_("ยื่นเรื่องเมื่อ"), null=True, blank=True)
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("เรื่องร้องเรียน"),
    )

    class Meta:
        verbose_name = _("ร่างเรื่องร้องเรียน")
        verbose_name_plural = _("ร่างเรื่องร้องเรียน")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.token}".strip()
