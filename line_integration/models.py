"""What the project remembers about LINE: followers, received events, link nonces, the outbox."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LineAccount(models.Model):
    """One LINE user who talks to the official account, linked to at most one site account.

    The row outlives the link (``is_active`` False after unlinking) so that a later follow or
    link reuses it; the partial unique constraint keeps one active LINE user per account.
    """

    line_user_id = models.CharField(_("LINE user ID"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="line_accounts",
        verbose_name=_("บัญชีผู้ใช้"),
    )
    display_name = models.CharField(_("ชื่อใน LINE"), max_length=255, blank=True)
    followed = models.BooleanField(_("เป็นเพื่อนกับบัญชีทางการ"), default=False)
    is_active = models.BooleanField(_("เชื่อมต่ออยู่"), default=False)
    linked_at = models.DateTimeField(_("เชื่อมต่อเมื่อ"), null=True, blank=True)
    unlinked_at = models.DateTimeField(_("ยกเลิกการเชื่อมต่อเมื่อ"), null=True, blank=True)
    rich_menu_role = models.CharField(_("ริชเมนูของบทบาท"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("บัญชี LINE")
        verbose_name_plural = _("บัญชี LINE")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_active=True),
                name="line_account_one_active_link_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.line_user_id


class WebhookEvent(models.Model):
    """A webhook event exactly as LINE sent it; the unique ID makes redeliveries harmless.

    ``processed_at`` is when a worker claimed it (at most once), ``finished_at`` when its
    answer was sent or handed to the outbox. ``source_id`` (the LINE user, group or room) keeps
    one chat's events in the order they came: at most one of them is being handled at a time,
    whichever worker holds it (the partial unique constraint), and the next waits its turn.
    """

    webhook_event_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    source_id = models.CharField(max_length=64, blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now)
    is_redelivery = models.BooleanField(default=False)
    processed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("เหตุการณ์จาก LINE")
        verbose_name_plural = _("เหตุการณ์จาก LINE")
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(processed_at__isnull=True),
                name="line_event_waiting_idx",
            ),
            models.Index(
                fields=["processed_at"],
                condition=Q(processed_at__isnull=False, finished_at__isnull=True),
                name="line_event_running_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"],
                condition=Q(processed_at__isnull=False, finished_at__isnull=True)
                & ~Q(source_id=""),
                name="line_event_one_running_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_event_id}"


class LinkNonce(models.Model):
    """Proof that a logged-in site user asked to link the LINE user who opened the link page.

    LINE hands the nonce back in the accountLink event; it is single use and short-lived.
    """

    LIFETIME_SECONDS = 10 * 60

    nonce = models.CharField(max_length=128, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link_nonces"
    )
    line_user_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("รหัสเชื่อมต่อบัญชี LINE")
        verbose_name_plural = _("รหัสเชื่อมต่อบัญชี LINE")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    def is_usable(self, *, now=None) -> bool:
        now = now or timezone.now()
        age = (now - self.created_at).total_seconds()
        return self.used_at is None and 0 <= age <= self.LIFETIME_SECONDS


class OutboundMessage(models.Model):
    """One request to LINE's send API, written in the caller's transaction and sent later.

    ``retry_key`` goes to LINE as X-Line-Retry-Key on every attempt, so a retry after a lost
    answer is recognised by LINE (409) instead of reaching the citizen twice.
    """

    class Kind(models.TextChoices):
        PUSH = "push", _("ส่งถึงคนเดียว (push)")
        MULTICAST = "multicast", _("ส่งถึงหลายคน (multicast)")
        REPLY = "reply", _("ตอบกลับ (reply)")

    class Status(models.TextChoices):
        PENDING = "pending", _("รอส่ง")
        SENDING = "sending", _("กำลังส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    kind = models.CharField(_("ประเภท"), max_length=16, choices=Kind.choices)
    recipients = models.JSONField(_("ผู้รับ"), default=list)
    messages = models.JSONField(_("ข้อความ"), default=list)
    retry_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("สถานะ"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("จำนวนครั้งที่ส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("ส่งครั้งถัดไป"), default=timezone.now)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    line_request_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(_("วัตถุประสงค์"), max_length=100)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now)
    sent_at = models.DateTimeField(_("ส่งสำเร็จเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("ข้อความขาออก LINE")
        verbose_name_plural = _("ข้อความขาออก LINE")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="line_outbox_due_idx")]
        permissions = [("retry_outboundmessage", _("สั่งส่งข้อความ LINE ที่ล้มเหลวอีกครั้ง"))]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.get_status_display()})"

    @property
    def recipient_count(self) -> int:
        return len(self.recipients)
