"""The six services of the centre, in the seed's order and with its Thai names: one definition
that the home page's tiles, the LINE rich menus and the bot's quick replies and postback
handlers all read, so a service changes in one place.

Pages are kept as URL names and reversed when asked (the kernel imports no other app of the
project; the URL configuration assembles them all).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    description: str
    url_name: str  # a URL name, or a path ("/news/") for a Wagtail page
    icon: str  # a name in core.icons.ICONS (drawn as inline SVG, never an emoji)
    menu_lines: tuple[str, ...]  # the name as drawn on the rich menu, a line each
    # The label of its LINE action (at most 20 characters). Thai as written for the rich
    # menu's image; translated in the bot's quick replies.
    line_label: str
    postback: str = ""  # LINE answers it by this postback instead of opening the page
    # A staff page: it keeps its password log-in (never through LINE Login) and is not among
    # the citizens' quick replies.
    staff: bool = False

    @property
    def url(self) -> str:
        return self.url_name if self.url_name.startswith("/") else reverse(self.url_name)

    @property
    def drawn_name(self) -> str:
        return "".join(self.menu_lines)


FILE = Service(
    "file",
    _("ร้องเรียนร้องทุกข์"),
    _("แจ้งเรื่องร้องเรียนพร้อมหลักฐานและตำแหน่ง"),
    "complaints:new",
    "file",
    ("ร้องเรียน", "ร้องทุกข์"),
    gettext_noop("ร้องเรียนร้องทุกข์"),
)
TRACK = Service(
    "track",
    _("ติดตามเรื่องร้องเรียน"),
    _("ดูสถานะและความคืบหน้าของเรื่อง"),
    "complaints:mine",
    "track",
    ("ติดตาม", "เรื่องร้องเรียน"),
    gettext_noop("ติดตามเรื่อง"),
    postback="menu=track",
)
NEWS = Service(
    "news",
    _("ติดตามข่าวสารศูนย์ดำรงธรรม"),
    _("ข่าวประชาสัมพันธ์และประกาศของศูนย์"),
    "/news/",
    "news",
    ("ติดตามข่าวสาร", "ศูนย์ดำรงธรรม"),
    gettext_noop("ข่าวสารศูนย์ดำรงธรรม"),
    postback="menu=news",
)
OFFICER = Service(
    "officer",
    _("สำหรับเจ้าหน้าที่"),
    _("เข้าสู่ระบบเพื่อตรวจสอบและอัปเดตเรื่อง"),
    "wagtailadmin_home",
    "officer",
    ("สำหรับ", "เจ้าหน้าที่"),
    gettext_noop("สำหรับเจ้าหน้าที่"),
    staff=True,
)
CHAT = Service(
    "chat",
    _("ติดต่อขอความช่วยเหลือประชาชน"),
    _("สอบถามและขอคำปรึกษาจากเจ้าหน้าที่"),
    "chat:conversation",
    "chat",
    ("ติดต่อขอความ", "ช่วยเหลือประชาชน"),
    gettext_noop("ขอความช่วยเหลือ"),
    postback="menu=chat",
)
DASHBOARD = Service(
    "dashboard",
    _("สำหรับผู้บริหาร"),
    _("ภาพรวมผลการดำเนินงานของศูนย์"),
    "dashboard:index",
    "dashboard",
    ("สำหรับ", "ผู้บริหาร"),
    gettext_noop("สำหรับผู้บริหาร"),
    staff=True,
)

SERVICES = (FILE, TRACK, NEWS, OFFICER, CHAT, DASHBOARD)
CITIZEN_SERVICES = tuple(service for service in SERVICES if not service.staff)
