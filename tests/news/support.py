"""News test data: real Wagtail pages in the real tree, real JPEG covers drawn by Pillow."""

import datetime
import io

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from news.models import Category, NewsIndexPage, NewsPage


def news_index() -> NewsIndexPage:
    """The index the post-migrate setup creates at /news/ (recreated after a flush)."""
    return NewsIndexPage.objects.get()


def cover_image(title: str = "ภาพปก", color: str = "#0b5394"):
    out = io.BytesIO()
    PILImage.new("RGB", (800, 450), color).save(out, "JPEG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(out.getvalue()), name="cover.jpg")
    image.save()
    return image


def make_news(
    title: str = "ข่าวทดสอบ",
    *,
    days_ago: int = 0,
    category: str = Category.PUBLIC_RELATIONS,
    summary: str = "สรุปข่าวสั้น ๆ สำหรับทดสอบ",
    cover: bool = False,
    notify_line: bool = False,
    publish: bool = True,
    user=None,
    **fields,
) -> NewsPage:
    page = NewsPage(
        title=title,
        summary=summary,
        category=category,
        notify_line=notify_line,
        live=False,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        cover_image=cover_image() if cover else None,
        **fields,
    )
    news_index().add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        page.refresh_from_db()
    return page
