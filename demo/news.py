"""Demo news for local development: six realistic items with cover images drawn by Pillow (a
gradient and the headline in Sarabun), so the site and LINE look real without any download.

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
from PIL import ImageChops, ImageDraw, ImageFont
from wagtail.images import get_image_model

from news.models import Category, NewsPage
from news.setup import ensure_news_setup

FONT_PATH = Path(settings.BASE_DIR) / "static" / "fonts" / "Sarabun-Bold.ttf"
COVER_SIZE = (1280, 720)


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
        "ลงพื้นที่รับฟังปัญหา อ.ตาคลี",
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
        "ประกาศวันหยุดสงกรานต์",
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
        "จิตอาสารักษ์ต้นน้ำเจ้าพระยา",
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
        "คลินิกที่ดินเคลื่อนที่",
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
        "เตือนภัยมิจฉาชีพ",
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


def cover_jpeg(text: str, colors: tuple[str, str]) -> bytes:
    """A 16:9 cover: diagonal gradient between two colours, the text in white, bottom left."""
    width, height = COVER_SIZE
    start = PILImage.new("RGB", COVER_SIZE, colors[0])
    end = PILImage.new("RGB", COVER_SIZE, colors[1])
    vertical = PILImage.linear_gradient("L").resize(COVER_SIZE)
    horizontal = PILImage.linear_gradient("L").rotate(90).resize(COVER_SIZE)
    mask = ImageChops.add(horizontal, vertical, scale=2.0)  # diagonal
    image = PILImage.composite(end, start, mask)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_PATH), 88)
    small = ImageFont.truetype(str(FONT_PATH), 40)
    draw.text((72, 64), "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์", font=small, fill="#ffffff")
    lines = _wrap(draw, text, font, width - 144)
    y = height - 96 - len(lines) * 120
    for line in lines:
        draw.text((72, y), line, font=font, fill="#ffffff")
        y += 120
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _cover_image(item: DemoNews):
    Image = get_image_model()  # noqa: N806
    title = f"ภาพปกข่าว: {item.cover_text}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = cover_jpeg(item.cover_text, item.colors)
        image = Image(title=title, description=item.cover_text)
        image.file = ImageFile(io.BytesIO(data), name=f"news-{item.slug}.jpg")
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
            title=item.title,
            slug=item.slug,
            category=item.category,
            summary=item.summary,
            body=item.body,
            cover_image=_cover_image(item),
            notify_line=False,
            date=timezone.localdate() - datetime.timedelta(days=item.days_ago),
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        created.append(item.title)
    return created
