"""Thailand's administrative areas with the official DOPA codes, loaded from geothai."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    code = models.CharField(_("รหัส"), max_length=6, primary_key=True)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=100)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["name_th"]

    @property
    def name(self) -> str:
        lang = translation.get_language() or "th"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_th

    def __str__(self) -> str:
        return self.name


class Province(Area):
    class Meta(Area.Meta):
        verbose_name = _("จังหวัด")
        verbose_name_plural = _("จังหวัด")


class District(Area):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta(Area.Meta):
        verbose_name = _("อำเภอ")
        verbose_name_plural = _("อำเภอ")


class Subdistrict(Area):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    postal_code = models.CharField(_("รหัสไปรษณีย์"), max_length=5, blank=True)
    postal_codes = models.CharField(
        _("รหัสไปรษณีย์ทั้งหมด"),
        max_length=60,
        blank=True,
        help_text=_("คั่นด้วยจุลภาค เมื่อตำบลอยู่ในเขตไปรษณีย์มากกว่าหนึ่งแห่ง"),
    )

    class Meta(Area.Meta):
        verbose_name = _("ตำบล")
        verbose_name_plural = _("ตำบล")
