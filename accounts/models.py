from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from accounts import crypto
from accounts.roles import Role, in_role
from core.editorial import EditorialText


class User(AbstractUser):
    """Every person who logs in: citizens, officers, supervisors, executives and editors.

    What they may do comes from their group (``accounts.roles``); citizens also have a
    ``CitizenProfile`` with the personal data of the registration form.
    """

    class Meta(AbstractUser.Meta):
        verbose_name = _("ผู้ใช้")
        verbose_name_plural = _("ผู้ใช้")

    def has_role(self, role: Role) -> bool:
        return in_role(self, role)

    @property
    def display_name(self) -> str:
        profile = getattr(self, "citizen_profile", None)
        if profile is not None:
            return profile.full_name
        return self.get_full_name() or self.username


class Title(models.TextChoices):
    MR = "นาย", _("นาย")
    MRS = "นาง", _("นาง")
    MISS = "นางสาว", _("นางสาว")
    MASTER = "เด็กชาย", _("เด็กชาย")
    GIRL = "เด็กหญิง", _("เด็กหญิง")
    MONK = "พระ", _("พระภิกษุ/สามเณร")
    DR = "ดร.", _("ดร.")
    OTHER = "อื่นๆ", _("อื่นๆ")


class CitizenProfile(models.Model):
    """What a citizen gave when registering (สมัครสมาชิก), one per citizen."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile"
    )
    national_id_encrypted = models.TextField(_("เลขประจำตัวประชาชน (เข้ารหัส)"), editable=False)
    national_id_hash = models.CharField(max_length=64, unique=True, editable=False)
    title = models.CharField(_("คำนำหน้าชื่อ"), max_length=20, choices=Title.choices)
    first_name = models.CharField(_("ชื่อ"), max_length=100)
    last_name = models.CharField(_("นามสกุล"), max_length=100)
    birth_date = models.DateField(_("วันเกิด"))
    phone = models.CharField(
        _("โทรศัพท์"), max_length=16, help_text=_("รูปแบบ E.164 เช่น +66812345678")
    )
    house_number = models.CharField(_("บ้านเลขที่"), max_length=50, blank=True)
    moo = models.CharField(_("หมู่ที่"), max_length=10, blank=True)
    soi = models.CharField(_("ซอย"), max_length=100, blank=True)
    road = models.CharField(_("ถนน"), max_length=100, blank=True)
    province = models.ForeignKey("addresses.Province", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("addresses.District", on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey(
        "addresses.Subdistrict", on_delete=models.PROTECT, related_name="+"
    )
    postal_code = models.CharField(_("รหัสไปรษณีย์"), max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ข้อมูลผู้ร้องเรียน")
        verbose_name_plural = _("ข้อมูลผู้ร้องเรียน")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}"

    @property
    def national_id(self) -> str:
        return crypto.decrypt(self.national_id_encrypted)

    def set_national_id(self, digits: str) -> None:
        self.national_id_encrypted = crypto.encrypt(digits)
        self.national_id_hash = crypto.lookup_hash(digits)

    @property
    def national_id_masked(self) -> str:
        from accounts.validators import mask_national_id

        return mask_national_id(self.national_id)

    @property
    def address_text(self) -> str:
        parts = [
            self.house_number,
            f"หมู่ {self.moo}" if self.moo else "",
            f"ซอย{self.soi}" if self.soi else "",
            f"ถนน{self.road}" if self.road else "",
            f"ตำบล{self.subdistrict.name_th}",
            f"อำเภอ{self.district.name_th}",
            f"จังหวัด{self.province.name_th}",
            self.postal_code,
        ]
        return " ".join(p for p in parts if p)


class PrivacyNotice(EditorialText):
    """The privacy notice citizens accept when they register, edited by news editors."""

    class Meta:
        verbose_name = _("ประกาศความเป็นส่วนตัว")
        verbose_name_plural = _("ประกาศความเป็นส่วนตัว")


class ConsentRecord(models.Model):
    """Proof of consent (PDPA section 19): which text revision, when, from where."""

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("ประกาศความเป็นส่วนตัว (ลงทะเบียน)")
        COMPLAINT_CONSENT = "complaint_consent", _("ข้อตกลงการให้ความยินยอม (ร้องเรียน)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("ประเภท"), max_length=32, choices=Kind.choices)
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text_title = models.CharField(_("หัวข้อข้อความ"), max_length=255)
    accepted_at = models.DateTimeField(_("เวลาที่ยินยอม"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("ที่อยู่ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("บันทึกการให้ความยินยอม")
        verbose_name_plural = _("บันทึกการให้ความยินยอม")
        ordering = ["-accepted_at"]


class AccountClosureRequest(models.Model):
    """A citizen's request to close the account (PDPA right to erasure), handled by supervisors.

    Complaints already filed stay as official records; closing removes the log-in and the
    profile's contact data.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("รอดำเนินการ")
        DONE = "done", _("ปิดบัญชีแล้ว")
        REJECTED = "rejected", _("ไม่อนุมัติ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="closure_requests",
    )
    username = models.CharField(_("ชื่อผู้ใช้"), max_length=150)
    reason = models.TextField(_("เหตุผล"), blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("วันที่ขอ"), auto_now_add=True)
    handled_at = models.DateTimeField(_("วันที่ดำเนินการ"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("บันทึกของเจ้าหน้าที่"), blank=True)

    class Meta:
        verbose_name = _("คำขอปิดบัญชี")
        verbose_name_plural = _("คำขอปิดบัญชี")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.username} ({self.get_status_display()})"
