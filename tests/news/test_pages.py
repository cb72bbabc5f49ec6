"""The news section as citizens see it: /news/ list, filter, pages, feed, and the home page."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from home.models import HomePage
from news.models import Category, NewsIndexPage, NewsPage
from tests.news.support import make_news, news_index

pytestmark = pytest.mark.django_db


def titles_in(html: str, titles: list[str]) -> list[str]:
    """The given titles in the order they appear in the page."""
    found = [(html.find(f'<span class="news-title">{t}</span>'), t) for t in titles]
    return [t for position, t in sorted(found) if position >= 0]


def test_the_index_exists_at_news_under_the_home_page(client):
    index = news_index()
    assert index.get_parent().specific_class is HomePage
    assert index.url == "/news/"
    response = client.get("/news/")
    assert response.status_code == 200
    assert "ข่าวสารศูนย์ดำรงธรรม" in response.content.decode()


def test_news_pages_only_go_under_the_index_and_the_index_only_once():
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert not NewsPage.can_create_at(HomePage.objects.get())
    assert NewsPage.can_create_at(news_index())
    assert not NewsIndexPage.can_create_at(HomePage.objects.get())  # max_count 1, already there
    assert NewsPage.allowed_subpage_models() == []
    assert NewsIndexPage.can_exist_under(Page.objects.get(depth=1)) is False


def test_summary_is_required_and_short():
    page = NewsPage(title="ข่าว", slug="khao", summary="")
    with pytest.raises(ValidationError) as error:
        page.full_clean(exclude=["path", "depth"])
    assert "summary" in error.value.message_dict
    page.summary = "ก" * 301
    with pytest.raises(ValidationError) as error:
        page.full_clean(exclude=["path", "depth"])
    assert "summary" in error.value.message_dict
    page.summary = "ก" * 300
    page.full_clean(exclude=["path", "depth"])


def test_list_is_newest_first_and_shows_thai_dates(client):
    make_news("ข่าวเก่า", days_ago=10)
    make_news("ข่าวใหม่", days_ago=0)
    make_news("ข่าวกลาง", days_ago=3)
    make_news("ข่าวร่าง", publish=False)

    html = client.get("/news/").content.decode()

    assert titles_in(html, ["ข่าวเก่า", "ข่าวใหม่", "ข่าวกลาง", "ข่าวร่าง"]) == [
        "ข่าวใหม่",
        "ข่าวกลาง",
        "ข่าวเก่า",
    ]
    assert " 25" in html and any(
        month in html
        for month in (
            "ม.ค.",
            "ก.พ.",
            "มี.ค.",
            "เม.ย.",
            "พ.ค.",
            "มิ.ย.",
            "ก.ค.",
            "ส.ค.",
            "ก.ย.",
            "ต.ค.",
            "พ.ย.",
            "ธ.ค.",
        )
    )


def test_ten_per_page_with_older_items_on_the_next(client):
    for n in range(12):
        make_news(f"ข่าวลำดับ{n:02d}", days_ago=n)
    titles = [f"ข่าวลำดับ{n:02d}" for n in range(12)]

    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()

    assert titles_in(first, titles) == titles[:10]
    assert titles_in(second, titles) == titles[10:]
    assert "?page=2" in first and "หน้า 1 จาก 2" in first
    assert titles_in(client.get("/news/?page=99").content.decode(), titles) == titles[10:]
    assert client.get("/news/?page=abc").status_code == 200


def test_category_filter(client):
    make_news("ประกาศปิดทำการ", category=Category.ANNOUNCEMENT)
    make_news("กิจกรรมจิตอาสา", category=Category.ACTIVITY)

    html = client.get("/news/?category=announcement").content.decode()

    assert titles_in(html, ["ประกาศปิดทำการ", "กิจกรรมจิตอาสา"]) == ["ประกาศปิดทำการ"]
    everything = client.get("/news/?category=nonsense")
    assert everything.status_code == 200
    assert len(titles_in(everything.content.decode(), ["ประกาศปิดทำการ", "กิจกรรมจิตอาสา"])) == 2


def test_lists_show_phone_sized_renditions_never_the_original(client):
    page = make_news("ข่าวมีภาพ", cover=True)

    html = client.get("/news/").content.decode()

    # WebP for phones that take it (all current ones), JPEG for the others; 480 px wide at most,
    # so a full list stays within the 150 KB page budget (bench/page_budget.py).
    for fmt in ("webp", "jpeg"):
        spec = f"fill-480x270|format-{fmt}|webpquality-60|jpegquality-60"
        assert page.cover_image.get_rendition(spec).url in html
    assert 'type="image/webp"' in html
    assert "360w" in html and "480w" in html and "720w" not in html
    assert page.cover_image.file.url not in html


def test_only_the_newest_item_has_a_full_width_cover_the_rest_small_thumbnails(client):
    older = make_news("ข่าวเก่า", days_ago=1, cover=True)
    newest = make_news("ข่าวใหม่", cover=True)

    html = client.get("/news/").content.decode()

    wide_spec = "fill-480x270|format-webp|webpquality-60|jpegquality-60"
    thumb_spec = "fill-192x192|format-webp|webpquality-55|jpegquality-55"
    assert newest.cover_image.get_rendition(wide_spec).url in html
    assert older.cover_image.get_rendition(thumb_spec).url in html
    wide = older.cover_image.get_rendition(wide_spec)
    assert wide.url not in html, "an older item would download a full-width cover"
    assert html.index("ข่าวใหม่") < html.index("ข่าวเก่า")
    assert html.count('class="news-card compact"') == 1


def test_a_news_page_shows_its_body(client):
    page = make_news("ข่าวเต็ม", body="<h2>หัวข้อย่อย</h2><p>เนื้อหาข่าวฉบับเต็ม</p>", cover=True)

    html = client.get(page.url).content.decode()

    assert "<h2>หัวข้อย่อย</h2>" in html and "เนื้อหาข่าวฉบับเต็ม" in html
    assert 'href="/news/"' in html


def test_feed_is_valid_rss_with_the_items(client):
    make_news("ข่าวแรก", days_ago=1, summary="สรุปข่าวแรก")
    newest = make_news("ข่าวล่าสุด", summary="สรุปข่าวล่าสุด")

    response = client.get("/news/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["ข่าวล่าสุด", "ข่าวแรก"]
    assert items[0].findtext("description") == "สรุปข่าวล่าสุด"
    assert items[0].findtext("link") == "http://testserver" + newest.url
    assert items[0].findtext("category") == "ประชาสัมพันธ์"


def test_home_page_shows_the_latest_three(client):
    for n in range(4):
        make_news(f"ข่าวหน้าแรก{n}", days_ago=n, cover=(n == 0))
    titles = [f"ข่าวหน้าแรก{n}" for n in range(4)]

    html = client.get("/").content.decode()

    assert titles_in(html, titles) == titles[:3]
    newest = NewsPage.objects.get(title="ข่าวหน้าแรก0")
    assert f'href="{newest.url}"' in html
    spec = "fill-360x203|format-jpeg|webpquality-60|jpegquality-60"
    assert newest.cover_image.get_rendition(spec).url in html


def test_news_tile_leads_to_the_news_index(client):
    html = client.get("/").content.decode()
    assert '<a class="tile" href="/news/">' in html
