from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A partner system's key for filing complaints through Open311 (POST requests).

    Only a SHA-256 digest of the key is kept: the key itself is shown once, to the supervisor
    who issues it, and cannot be read back (a lost key is revoked and a new one issued). Each
    key files under an account of its own (``account``: no password, no log-in, no LINE), so
    the case history says which partner filed and the citizens' pages never list the case.
    """

    partner_name = models.CharField(_("ชื่อระบบหรือหน่วยงานคู่ความร่วมมือ"), max_length=200)
    note = models.CharField(_("หมายเหตุ"), max_length=255, blank=True)
    prefix = models.CharField(_("รหัสนำหน้ากุญแจ"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="open311_key",
        editable=False,
        verbose_name=_("บัญชีที่ใช้ยื่นเรื่อง"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("ผู้ออกกุญแจ"),
    )
    created_at = models.DateTimeField(_("ออกเมื่อ"), auto_now_add=True)
    is_active = models.BooleanField(_("ใช้งานได้"), default=True, editable=False)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("ผู้ยกเลิก"),
    )
    last_used_at = models.DateTimeField(_("ใช้ล่าสุดเมื่อ"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("กุญแจ API (Open311)")
        verbose_name_plural = _("กุญแจ API (Open311)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.partner_name} ({self.prefix}…)"


class PartnerRequest(models.Model):
    """Which partner filed a complaint through Open311, and what it sent besides the case.

    ``media_url`` is kept as the partner's reference and shown to officers as a link; the
    site never fetches it (it could point anywhere, and evidence must pass our checks)."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="open311_request"
    )
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="requests", verbose_name=_("กุญแจ API")
    )
    media_url = models.URLField(_("ลิงก์สื่อประกอบ (ไม่ดาวน์โหลด)"), max_length=2000, blank=True)
    partner_account_id = models.CharField(max_length=100, blank=True)
    partner_device_id = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("เรื่องที่รับผ่าน Open311")
        verbose_name_plural = _("เรื่องที่รับผ่าน Open311")
