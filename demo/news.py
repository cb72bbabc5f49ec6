"""Demo news for local development: six realistic items with cover images drawn by Pillow (a
gradient, a short headline in Sarabun and a pictogram), so the site and LINE look real without
any download.

News lists show a cover as a 96 px square thumbnail, which Wagtail cuts from the middle of a
16:9 picture unless the picture has a focal point. Each cover therefore keeps its words in the
left part and a large pictogram alone in the right-hand square (``THUMBNAIL_BOX``), and the
image's focal point is that square: the thumbnail shows the whole pictogram and no cut text.

Demo items never go to LINE: they are created with "แจ้งเตือนทาง LINE" off.
"""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageChops, ImageColor, ImageDraw, ImageFont
from wagtail.images import get_image_model

from demo.places import WRITTEN_CENTRE, localised
from news.models import Category, NewsPage
from news.setup import ensure_news_setup

FONT_PATH = Path(settings.BASE_DIR) / "static" / "fonts" / "Sarabun-Bold.ttf"
COVER_SIZE = (1280, 720)
THUMBNAIL_BOX = (560, 0, 1280, 720)  # the square a square thumbnail keeps (the focal point)
TEXT_LEFT, TEXT_RIGHT = 64, 520  # the words stay left of that square


@dataclass(frozen=True)
class DemoNews:
    slug: str
    title: str
    category: str
    days_ago: int
    summary: str
    body: str
    colors: tuple[str, str]
    cover_text: str
    icon: str  # a pictogram of _PICTOGRAMS


DEMO_NEWS = (
    DemoNews(
        "mobile-unit-takhli",
        "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ลงพื้นที่รับฟังปัญหาประชาชนอำเภอตาคลี",
        Category.ACTIVITY,
        2,
        "เจ้าหน้าที่ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ร่วมกับอำเภอตาคลี ออกหน่วยเคลื่อนที่รับเรื่อง"
        "ร้องเรียนและให้คำปรึกษาด้านกฎหมาย ที่ดิน และหนี้สินแก่ประชาชนกว่า 200 คน",
        "<p>เมื่อวันอังคารที่ผ่านมา ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ร่วมกับที่ว่าการอำเภอตาคลี "
        "ออกหน่วยเคลื่อนที่ ณ หอประชุมอำเภอตาคลี รับเรื่องร้องเรียนร้องทุกข์และให้คำปรึกษา</p>"
        "<h2>เรื่องที่ประชาชนแจ้งมากที่สุด</h2><ul><li>ปัญหาที่ดินทำกินและแนวเขต</li>"
        "<li>หนี้นอกระบบ</li><li>ถนนและไฟฟ้าส่องสว่างในหมู่บ้าน</li></ul>"
        "<p>เรื่องทั้งหมดได้ลงทะเบียนในระบบและส่งต่อหน่วยงานที่เกี่ยวข้องแล้ว "
        "ประชาชนติดตามความคืบหน้าได้ทาง LINE</p>",
        ("#0b5394", "#3d85c6"),
        "ลงพื้นที่ รับฟังปัญหา อ.ตาคลี",
        "megaphone",
    ),
    DemoNews(
        "holiday-notice",
        "ประกาศวันหยุดทำการศูนย์ดำรงธรรมช่วงเทศกาลสงกรานต์",
        Category.ANNOUNCEMENT,
        5,
        "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ปิดทำการวันที่ 13-15 เมษายน ระหว่างนี้ยื่นเรื่องร้องเรียน"
        "ทางเว็บไซต์และ LINE ได้ตลอด 24 ชั่วโมง หรือโทรสายด่วน 1567",
        "<p>ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ขอแจ้งปิดทำการช่วงเทศกาลสงกรานต์ "
        "ตั้งแต่วันที่ 13 ถึง 15 เมษายน และเปิดทำการตามปกติวันที่ 16 เมษายน</p>"
        "<p>ระหว่างวันหยุด ท่านยังยื่นเรื่องร้องเรียนทางเว็บไซต์หรือ LINE ได้ตามปกติ "
        "เรื่องจะได้รับการตรวจสอบในวันทำการถัดไป</p>",
        ("#990000", "#e06666"),
        "ประกาศ วันหยุดสงกรานต์",
        "calendar",
    ),
    DemoNews(
        "volunteer-river-cleanup",
        "กิจกรรมจิตอาสาเก็บขยะริมแม่น้ำเจ้าพระยา ต้นแม่น้ำปากน้ำโพ",
        Category.ACTIVITY,
        9,
        "ศูนย์ดำรงธรรมร่วมกับเทศบาลนครนครสวรรค์และจิตอาสากว่า 300 คน เก็บขยะและทำความสะอาด"
        "ริมฝั่งแม่น้ำบริเวณต้นแม่น้ำเจ้าพระยา",
        '<p>กิจกรรมจิตอาสา "รักษ์ต้นน้ำเจ้าพระยา" จัดขึ้นบริเวณต้นแม่น้ำเจ้าพระยา ปากน้ำโพ '
        "มีส่วนราชการ นักเรียน และประชาชนร่วมกิจกรรมกว่า 300 คน เก็บขยะได้กว่า 1.2 ตัน</p>",
        ("#38761d", "#93c47d"),
        "จิตอาสา รักษ์ต้นน้ำ เจ้าพระยา",
        "tree",
    ),
    DemoNews(
        "line-channel-launch",
        "เปิดช่องทางร้องเรียนและติดตามเรื่องผ่าน LINE ศูนย์ดำรงธรรมนครสวรรค์",
        Category.PUBLIC_RELATIONS,
        14,
        "ประชาชนยื่นเรื่องร้องเรียนพร้อมภาพถ่ายและตำแหน่ง ติดตามสถานะ และรับข่าวสารของศูนย์ฯ "
        "ได้ทางบัญชี LINE ทางการ เพียงเพิ่มเพื่อนและเชื่อมต่อบัญชี",
        "<p>ศูนย์ดำรงธรรมจังหวัดนครสวรรค์เปิดช่องทางใหม่ให้ประชาชนติดต่อผ่าน LINE</p>"
        "<ol><li>เพิ่มเพื่อนบัญชี LINE ศูนย์ดำรงธรรมจังหวัดนครสวรรค์</li>"
        '<li>สมัครสมาชิกและกด "เชื่อมต่อบัญชี"</li>'
        "<li>ยื่นเรื่องและรับแจ้งความคืบหน้าทาง LINE</li></ol>",
        ("#06c755", "#0b5394"),
        "ร้องเรียนผ่าน LINE ได้แล้ว",
        "chat",
    ),
    DemoNews(
        "land-clinic",
        "คลินิกที่ดินเคลื่อนที่ ให้คำปรึกษาปัญหาที่ดินฟรี อำเภอพยุหะคีรี",
        Category.PUBLIC_RELATIONS,
        20,
        "ศูนย์ดำรงธรรมร่วมกับสำนักงานที่ดินจังหวัดนครสวรรค์ จัดคลินิกที่ดินเคลื่อนที่ "
        "ให้คำปรึกษาเรื่องแนวเขต มรดก และเอกสารสิทธิ์ โดยไม่มีค่าใช้จ่าย",
        "<p>ประชาชนที่มีปัญหาเรื่องที่ดิน นำสำเนาเอกสารสิทธิ์และบัตรประจำตัวประชาชนมาขอรับ"
        "คำปรึกษาได้ ณ ที่ว่าการอำเภอพยุหะคีรี ตั้งแต่เวลา 09.00-15.00 น.</p>",
        ("#b45f06", "#f6b26b"),
        "คลินิกที่ดิน เคลื่อนที่",
        "house",
    ),
    DemoNews(
        "scam-warning",
        "ประกาศเตือนภัยมิจฉาชีพแอบอ้างเป็นเจ้าหน้าที่ศูนย์ดำรงธรรม",
        Category.ANNOUNCEMENT,
        27,
        "ศูนย์ดำรงธรรมไม่มีนโยบายโทรศัพท์ขอเลขบัญชีธนาคารหรือให้โอนเงินค่าดำเนินการ "
        "หากพบการแอบอ้าง โปรดแจ้งสายด่วน 1567",
        "<p>ขณะนี้มีมิจฉาชีพโทรศัพท์แอบอ้างเป็นเจ้าหน้าที่ศูนย์ดำรงธรรม "
        "เรียกเก็บเงินเพื่อเร่งรัดเรื่องร้องเรียน <b>การยื่นและติดตามเรื่องไม่มีค่าใช้จ่ายใด ๆ</b></p>",
        ("#20124d", "#8e7cc3"),
        "เตือนภัย มิจฉาชีพ",
        "warning",
    ),
)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break at spaces to fit ``width`` (Thai headlines here are written with spaces)."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _fitted(draw, text: str, width: int, *, size: int, smallest: int, max_lines: int):
    """The largest font (from ``size`` down) at which ``text`` fits ``width`` in at most
    ``max_lines`` lines without a word running over; returns (font, lines)."""
    while True:
        font = ImageFont.truetype(str(FONT_PATH), size)
        lines = _wrap(draw, text, font, width)
        fits = all(draw.textlength(line, font=font) <= width for line in lines)
        if (fits and len(lines) <= max_lines) or size <= smallest:
            return font, lines
        size -= 4


def _darker(color: str, amount: float = 0.35) -> tuple[int, int, int]:
    red, green, blue = ImageColor.getrgb(color)[:3]
    return tuple(round(c * (1 - amount)) for c in (red, green, blue))


def _megaphone(draw, cx, cy, ink, cut):
    draw.polygon(
        [(cx - 140, cy - 60), (cx + 90, cy - 170), (cx + 90, cy + 170), (cx - 140, cy + 60)],
        fill=ink,
    )
    draw.rounded_rectangle([cx - 200, cy - 60, cx - 130, cy + 60], 14, fill=ink)
    draw.rounded_rectangle([cx - 125, cy + 50, cx - 65, cy + 170], 14, fill=ink)
    for radius in (60, 120):
        draw.arc(
            [cx + 110 - radius, cy - radius, cx + 110 + radius, cy + radius],
            -40,
            40,
            fill=ink,
            width=24,
        )


def _calendar(draw, cx, cy, ink, cut):
    draw.rounded_rectangle([cx - 180, cy - 150, cx + 180, cy + 180], 30, fill=ink)
    draw.rectangle([cx - 150, cy - 60, cx + 150, cy + 150], fill=cut)
    for dx in (-100, 100):
        draw.rounded_rectangle([cx + dx - 18, cy - 200, cx + dx + 18, cy - 110], 12, fill=ink)
    for row in range(2):
        for col in range(3):
            x, y = cx - 120 + col * 90, cy - 30 + row * 90
            draw.rectangle([x, y, x + 60, y + 60], fill=ink)


def _tree(draw, cx, cy, ink, cut):
    draw.ellipse([cx - 170, cy - 210, cx + 170, cy + 100], fill=ink)
    draw.rectangle([cx - 36, cy + 60, cx + 36, cy + 190], fill=ink)
    draw.rounded_rectangle([cx - 200, cy + 180, cx + 200, cy + 210], 14, fill=ink)


def _chat(draw, cx, cy, ink, cut):
    draw.rounded_rectangle([cx - 200, cy - 160, cx + 200, cy + 90], 60, fill=ink)
    draw.polygon([(cx - 110, cy + 80), (cx - 150, cy + 180), (cx - 30, cy + 85)], fill=ink)
    for dx in (-90, 0, 90):
        draw.ellipse([cx + dx - 28, cy - 63, cx + dx + 28, cy - 7], fill=cut)


def _house(draw, cx, cy, ink, cut):
    draw.polygon([(cx - 220, cy - 10), (cx, cy - 200), (cx + 220, cy - 10)], fill=ink)
    draw.rectangle([cx - 160, cy - 20, cx + 160, cy + 190], fill=ink)
    draw.rectangle([cx - 45, cy + 60, cx + 45, cy + 190], fill=cut)


def _warning(draw, cx, cy, ink, cut):
    draw.polygon([(cx, cy - 210), (cx + 230, cy + 180), (cx - 230, cy + 180)], fill=ink)
    draw.rounded_rectangle([cx - 24, cy - 90, cx + 24, cy + 70], 12, fill=cut)
    draw.ellipse([cx - 28, cy + 95, cx + 28, cy + 151], fill=cut)


_PICTOGRAMS = {
    "megaphone": _megaphone,
    "calendar": _calendar,
    "tree": _tree,
    "chat": _chat,
    "house": _house,
    "warning": _warning,
}


def draw_cover(
    text: str, colors: tuple[str, str], icon: str, *, with_text: bool = True
) -> PILImage.Image:
    """A 16:9 cover: a diagonal gradient between two colours, the words in white on the left
    (fitted, never cut), and the pictogram ``icon`` in white on a darker disc filling the
    right-hand square that thumbnails keep. ``with_text=False`` draws the same without words
    (the tests compare the two)."""
    start = PILImage.new("RGB", COVER_SIZE, colors[0])
    end = PILImage.new("RGB", COVER_SIZE, colors[1])
    vertical = PILImage.linear_gradient("L").resize(COVER_SIZE)
    horizontal = PILImage.linear_gradient("L").rotate(90).resize(COVER_SIZE)
    mask = ImageChops.add(horizontal, vertical, scale=2.0)  # diagonal
    image = PILImage.composite(end, start, mask)
    draw = ImageDraw.Draw(image)

    left, top, right, bottom = THUMBNAIL_BOX
    cx, cy = (left + right) // 2, (top + bottom) // 2
    disc = _darker(colors[0])
    draw.ellipse([cx - 300, cy - 300, cx + 300, cy + 300], fill=disc)
    _PICTOGRAMS[icon](draw, cx, cy, "#ffffff", disc)

    if with_text:
        width = TEXT_RIGHT - TEXT_LEFT
        small, header = _fitted(
            draw, localised(WRITTEN_CENTRE), width, size=36, smallest=24, max_lines=2
        )
        y = 64
        for line in header:
            draw.text((TEXT_LEFT, y), line, font=small, fill="#ffffff")
            y += round(small.size * 1.4)
        font, lines = _fitted(draw, text, width, size=88, smallest=40, max_lines=4)
        step = round(font.size * 1.35)
        y = COVER_SIZE[1] - 72 - len(lines) * step
        for line in lines:
            draw.text((TEXT_LEFT, y), line, font=font, fill="#ffffff")
            y += step
    return image


def cover_jpeg(text: str, colors: tuple[str, str], icon: str) -> bytes:
    out = io.BytesIO()
    draw_cover(text, colors, icon).save(out, "JPEG", quality=85)
    return out.getvalue()


def _cover_image(item: DemoNews):
    Image = get_image_model()
    title = f"ภาพปกข่าว: {item.cover_text}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = cover_jpeg(item.cover_text, item.colors, item.icon)
        image = Image(title=title, description=item.cover_text)
        image.file = ImageFile(io.BytesIO(data), name=f"news-{item.slug}.jpg")
        left, top, right, bottom = THUMBNAIL_BOX
        image.focal_point_x, image.focal_point_y = (left + right) // 2, (top + bottom) // 2
        image.focal_point_width, image.focal_point_height = right - left, bottom - top
        image.save()
    return image


@transaction.atomic
def load_demo_news() -> list[str]:
    """Create the demo news items that are missing; returns the titles created."""
    ensure_news_setup()
    from news.models import NewsIndexPage

    index = NewsIndexPage.objects.first()
    if index is None:
        return []
    created = []
    for item in DEMO_NEWS:
        if NewsPage.objects.filter(slug=item.slug).exists():
            continue
        page = NewsPage(
            title=localised(item.title),
            slug=item.slug,
            category=item.category,
            summary=localised(item.summary),
            body=localised(item.body),
            cover_image=_cover_image(item),
            notify_line=False,
            date=timezone.localdate() - datetime.timedelta(days=item.days_ago),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        created.append(item.title)
    return created
