"""What the staff alerts remember: who turned which off, and what was already sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertPreference(models.Model):
    """A staff member's choice of LINE alerts (all on until they turn one off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    deadline_alerts = models.BooleanField(
        _("แจ้งเตือนเรื่องที่ใกล้ครบกำหนดและเกินกำหนดแจ้งผล"), default=True
    )
    morning_digest = models.BooleanField(_("สรุปเรื่องร้องเรียนประจำเช้า"), default=True)
    weekly_summary = models.BooleanField(_("สรุปตัวเลขประจำสัปดาห์"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("การตั้งค่าการแจ้งเตือน")
        verbose_name_plural = _("การตั้งค่าการแจ้งเตือน")

    def __str__(self) -> str:
        return str(self.user)


class AlertSent(models.Model):
    """One alert about one thing to one person, once: ``key`` says what (kind, the case or
    the digest, the day or deadline, the person), and a second run finds it here."""

    class Kind(models.TextChoices):
        DEADLINE_SOON = "deadline_soon", _("ใกล้ครบกำหนดแจ้งผล")
        OVERDUE = "overdue", _("เกินกำหนดแจ้งผล")
        MORNING_DIGEST = "morning_digest", _("สรุปประจำเช้า")
        WEEKLY_SUMMARY = "weekly_summary", _("สรุปประจำสัปดาห์")

    key = models.CharField(max_length=190, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    day = models.DateField(_("วันที่"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    outbound = models.ForeignKey(
        "line_integration.OutboundMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("การแจ้งเตือนที่ส่งแล้ว")
        verbose_name_plural = _("การแจ้งเตือนที่ส่งแล้ว")
        indexes = [models.Index(fields=["day", "kind"], name="alert_sent_day_kind")]

    def __str__(self) -> str:
        return self.key
