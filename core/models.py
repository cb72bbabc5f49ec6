from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class UsedChallenge(models.Model):
    """A not-a-robot answer already accepted once, kept until its challenge expires.

    The unique key makes the claim atomic in the shared database, so a replayed answer is
    refused whichever web process or machine it reaches; an expired one is refused by its
    signed expiry anyway, so the row can go then (``manage.py robot_check_clean``).
    """

    key = models.CharField(max_length=100, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("คำตอบยืนยันว่าไม่ใช่โปรแกรมที่ใช้แล้ว")
        verbose_name_plural = _("คำตอบยืนยันว่าไม่ใช่โปรแกรมที่ใช้แล้ว")

    def __str__(self):
        return self.key


@register_setting(icon="home")
class CentreSettings(BaseSiteSetting):
    """The centre's identity as citizens read it in every page's header and footer, emails and
    LINE messages. Blank fields take the configured province's usual values (core/centre.py),
    so a new province's site reads right before anyone opens this form."""

    name = models.CharField(
        _("ชื่อศูนย์"),
        max_length=200,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อใช้ชื่อตามจังหวัด (ศูนย์ดำรงธรรมจังหวัด…)"),
    )
    name_en = models.CharField(
        _("ชื่อศูนย์ (ภาษาอังกฤษ)"),
        max_length=200,
        blank=True,
        help_text=_("แสดงเมื่อผู้ใช้เลือกภาษาอังกฤษ เว้นว่างไว้เพื่อใช้ชื่อตามจังหวัด"),
    )
    address = models.CharField(
        _("ที่ตั้ง"),
        max_length=300,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อใช้ “ศาลากลางจังหวัด…” ของจังหวัด"),
    )
    address_en = models.CharField(_("ที่ตั้ง (ภาษาอังกฤษ)"), max_length=300, blank=True)
    hotline = models.CharField(
        _("สายด่วน"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9][0-9 -]*$", _("กรอกเฉพาะตัวเลข ช่องว่าง หรือ -"))],
        help_text=_("เว้นว่างไว้เพื่อใช้สายด่วนศูนย์ดำรงธรรม 1567"),
    )
    line_oa_id = models.CharField(
        _("LINE Official Account ID"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(r"^@?[a-z0-9._-]+$", _("กรอก LINE ID เช่น @ddc-example (อักษรอังกฤษตัวเล็ก)"))
        ],
        help_text=_("เช่น @ddc-example ใช้ทำลิงก์ “เพิ่มเพื่อน” เว้นว่างไว้หากยังไม่มี"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ตราสัญลักษณ์"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("แสดงที่ส่วนหัวของทุกหน้า เว้นว่างไว้เพื่อแสดงเฉพาะชื่อ"),
    )

    class Meta:
        verbose_name = _("ข้อมูลศูนย์")
        verbose_name_plural = _("ข้อมูลศูนย์")
