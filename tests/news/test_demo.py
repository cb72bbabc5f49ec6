"""Demo news: realistic Thai items with generated covers, loaded twice without duplicates,
never sent to LINE."""

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

from demo.news import DEMO_NEWS
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
