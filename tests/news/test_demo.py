"""Demo news: realistic Thai items with generated covers, loaded twice without duplicates,
never sent to LINE."""

import pytest
from django.core.management import call_command
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

from demo.news import DEMO_NEWS, THUMBNAIL_BOX, draw_cover, load_demo_news
from line_integration.models import OutboundMessage
from news.models import NewsPage, NewsPush

pytestmark = pytest.mark.django_db


def test_demo_news_loads_once_with_covers_and_sends_nothing(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")

    pages = list(NewsPage.objects.live().order_by("-date"))
    assert len(pages) == len(DEMO_NEWS) == 6
    assert all(page.cover_image is not None for page in pages)
    with pages[0].cover_image.open_file() as cover:
        assert PILImage.open(cover).size == (1280, 720)
    assert not NewsPush.objects.exists() and not OutboundMessage.objects.exists()
    html = client.get("/news/").content.decode()
    assert "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ลงพื้นที่รับฟังปัญหาประชาชนอำเภอตาคลี" in html


def test_a_square_thumbnail_of_a_demo_cover_shows_the_pictogram_and_no_cut_text():
    """News lists show covers as 96 px squares: the square the thumbnail keeps holds only the
    pictogram, and the words (left of it) are drawn whole inside the picture."""
    for item in DEMO_NEWS:
        cover = draw_cover(item.cover_text, item.colors, item.icon)
        bare = draw_cover(item.cover_text, item.colors, item.icon, with_text=False)

        words = ImageChops.difference(cover, bare).getbbox()
        assert words is not None, item.slug
        left, top, right, bottom = words
        assert left >= 32 and top >= 32 and bottom <= 720 - 32, item.slug
        assert right <= THUMBNAIL_BOX[0], f"{item.slug}: words run into the thumbnail square"

        thumbnail = cover.crop(THUMBNAIL_BOX).resize((96, 96), PILImage.Resampling.LANCZOS)
        white = sum(thumbnail.convert("L").histogram()[231:])
        assert white >= 96 * 96 * 0.12, f"{item.slug}: the pictogram is too small at 96 px"


def test_wagtail_cuts_the_thumbnail_around_the_pictogram():
    assert load_demo_news()

    for item in DEMO_NEWS:
        image = NewsPage.objects.get(slug=item.slug).cover_image
        rendition = image.get_rendition("fill-96x96")
        with rendition.file.open("rb") as handle:
            shown = PILImage.open(handle).convert("RGB")
        expected = draw_cover(item.cover_text, item.colors, item.icon).crop(THUMBNAIL_BOX)
        expected = expected.resize((96, 96), PILImage.Resampling.LANCZOS)
        mean = ImageStat.Stat(ImageChops.difference(shown, expected).convert("L")).mean[0]
        assert mean < 12, f"{item.slug}: the thumbnail is not the pictogram's square ({mean:.1f})"
