"""The six services of the LINE rich menu, in the seed's order and with its Thai names."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    description: str
    url_name: str  # a URL name, or a path ("/news/") for a Wagtail page
    icon: str  # a name in core.icons.ICONS (drawn as inline SVG, never an emoji)

    @property
    def url(self) -> str:
        return self.url_name if self.url_name.startswith("/") else reverse(self.url_name)


SERVICES = (
    Service(
        "file", _("ร้องเรียนร้องทุกข์"), _("แจ้งเรื่องร้องเรียนพร้อมหลักฐานและตำแหน่ง"), "complaints:new", "file"
    ),
    Service(
        "track", _("ติดตามเรื่องร้องเรียน"), _("ดูสถานะและความคืบหน้าของเรื่อง"), "complaints:mine", "track"
    ),
    Service(
        "news", _("ติดตามข่าวสารศูนย์ดำรงธรรม"), _("ข่าวประชาสัมพันธ์และประกาศของศูนย์"), "/news/", "news"
    ),
    Service(
        "officer",
        _("สำหรับเจ้าหน้าที่"),
        _("เข้าสู่ระบบเพื่อตรวจสอบและอัปเดตเรื่อง"),
        "wagtailadmin_home",
        "officer",
    ),
    Service(
        "chat",
        _("ติดต่อขอความช่วยเหลือประชาชน"),
        _("สอบถามและขอคำปรึกษาจากเจ้าหน้าที่"),
        "chat:conversation",
        "chat",
    ),
    Service(
        "dashboard",
        _("สำหรับผู้บริหาร"),
        _("ภาพรวมผลการดำเนินงานของศูนย์"),
        "dashboard:index",
        "dashboard",
    ),
)

SERVICES_BY_KEY = {service.key: service for service in SERVICES}
