"""Live chat (ติดต่อขอความช่วยเหลือประชาชน): citizens ask, the centre's officers answer.

A citizen has at most one open conversation, whichever way they reach us (LINE or /chat/ on the
site); it stays open until an officer or the citizen ends it, then the citizen may rate it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import get_private_storage


def chat_image_path(instance, filename: str) -> str:
    now = timezone.now()
    return f"chat/{now:%Y/%m}/{instance.conversation_id}-{filename}"


class Conversation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("เปิดอยู่")
        CLOSED = "closed", _("ปิดแล้ว")

    class Channel(models.TextChoices):
        LINE = "line", _("LINE")
        WEB = "web", _("เว็บไซต์")

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_conversations",
        verbose_name=_("ประชาชน"),
    )
    line_account = models.ForeignKey(
        "line_integration.LineAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_conversations",
        verbose_name=_("บัญชี LINE"),
    )
    display_name = models.CharField(_("ชื่อผู้ติดต่อ"), max_length=255, blank=True)
    channel = models.CharField(_("ช่องทาง"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("สถานะ"), max_length=8, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_conversations",
        verbose_name=_("เจ้าหน้าที่ผู้ดูแล"),
    )
    opened_at = models.DateTimeField(_("เริ่มเมื่อ"), default=timezone.now)
    last_message_at = models.DateTimeField(_("ข้อความล่าสุดเมื่อ"), default=timezone.now)
    # The oldest citizen message no officer has answered yet; None when nobody is waiting.
    waiting_since = models.DateTimeField(_("รอคำตอบตั้งแต่"), null=True, blank=True)
    unread_count = models.PositiveIntegerField(_("ข้อความที่ยังไม่อ่าน"), default=0)
    off_hours_notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("ปิดเมื่อ"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ปิดโดย"),
    )
    rating = models.PositiveSmallIntegerField(
        _("คะแนนความพึงพอใจ"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rated_at = models.DateTimeField(_("ให้คะแนนเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("การสนทนา")
        verbose_name_plural = _("การสนทนา")
        ordering = ["-last_message_at"]
        permissions = [("answer_conversation", _("ตอบแชทของประชาชน"))]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(status="open", citizen__isnull=False),
                name="chat_one_open_conversation_per_citizen",
            ),
            models.UniqueConstraint(
                fields=["line_account"],
                condition=Q(status="open", line_account__isnull=False),
                name="chat_one_open_conversation_per_line_account",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="chat_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "waiting_since"], name="chat_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ChatMessage(models.Model):
    class Sender(models.TextChoices):
        CITIZEN = "citizen", _("ประชาชน")
        OFFICER = "officer", _("เจ้าหน้าที่")
        SYSTEM = "system", _("ระบบ")

    class Kind(models.TextChoices):
        TEXT = "text", _("ข้อความ")
        IMAGE = "image", _("รูปภาพ")
        STICKER = "sticker", _("สติกเกอร์")

    class ImageStatus(models.TextChoices):
        NONE = "", _("-")
        PENDING = "pending", _("กำลังรับรูปภาพ")
        READY = "ready", _("พร้อม")
        REFUSED = "refused", _("ไฟล์ไม่ผ่านการตรวจสอบ")
        FAILED = "failed", _("รับรูปภาพไม่สำเร็จ")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    text = models.TextField(blank=True)
    image = models.FileField(
        storage=get_private_storage, upload_to=chat_image_path, max_length=255, blank=True
    )
    image_status = models.CharField(
        max_length=8, choices=ImageStatus.choices, default=ImageStatus.NONE, blank=True
    )
    sticker_package_id = models.CharField(max_length=32, blank=True)
    sticker_id = models.CharField(max_length=32, blank=True)
    line_message_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ข้อความแชท")
        verbose_name_plural = _("ข้อความแชท")
        ordering = ["id"]
        indexes = [
            # Open screens ask "after this id" and the inbox "the latest one", per conversation.
            models.Index(fields=["conversation", "id"], name="chat_message_conv_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_display()}: {self.text[:40]}"


class QuickReplyTemplate(models.Model):
    """Answers officers give often ("ข้อความตอบกลับด่วน"), managed in the admin by officers."""

    title = models.CharField(_("ชื่อข้อความ"), max_length=100)
    body = models.TextField(_("ข้อความ"), max_length=2000)
    sort_order = models.PositiveIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(_("ใช้งาน"), default=True)

    class Meta:
        verbose_name = _("ข้อความตอบกลับด่วน")
        verbose_name_plural = _("ข้อความตอบกลับด่วน")
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title


class ServiceHoliday(models.Model):
    """A weekday on which nobody answers chats (วันหยุดราชการ); weekends always are."""

    date = models.DateField(_("วันที่"), unique=True)
    name = models.CharField(_("ชื่อวันหยุด"), max_length=100)

    class Meta:
        verbose_name = _("วันหยุดราชการ")
        verbose_name_plural = _("วันหยุดราชการ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
