"""Visitors who are not logged in get the home and news pages from the page cache
(core/page_cache.py), and still see news the moment an editor publishes or withdraws it."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.roles import Role
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.news.support import make_news, news_index

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def editor():
    client = Client()
    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    return client


def publish_through_admin(editor, title: str, slug: str) -> None:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-03-15",
            "category": "activity",
            "summary": "รับเรื่องร้องเรียนและให้คำปรึกษาประชาชน",
            "body": rich_text("<p>เนื้อหาข่าว</p>"),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["news", "newspage", news_index().pk])
    assert editor.post(url, data).status_code == 302


def test_visitors_see_a_news_item_as_soon_as_an_editor_publishes_it(editor):
    make_news("ข่าวเมื่อวาน", days_ago=1)
    visitor = Client()
    first = visitor.get("/news/")
    again = visitor.get("/news/")
    home = visitor.get("/")
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert again.content == first.content.replace(
        TOKEN.search(first.content.decode())[1].encode(),
        TOKEN.search(again.content.decode())[1].encode(),
    )

    publish_through_admin(editor, "ศูนย์ดำรงธรรมลงพื้นที่อำเภอบรรพตพิสัย", "mobile-unit-banphot")

    news = visitor.get("/news/")
    assert "ศูนย์ดำรงธรรมลงพื้นที่อำเภอบรรพตพิสัย" in news.content.decode()
    assert "ข่าวเมื่อวาน" in news.content.decode()
    assert "ศูนย์ดำรงธรรมลงพื้นที่อำเภอบรรพตพิสัย" not in home.content.decode()
    assert "ศูนย์ดำรงธรรมลงพื้นที่อำเภอบรรพตพิสัย" in visitor.get("/").content.decode()


def test_a_withdrawn_news_item_is_gone_for_visitors_at_once(editor):
    page = make_news("ข่าวที่จะถอน")
    visitor = Client()
    assert visitor.get(page.url).status_code == 200
    assert visitor.get(page.url)["X-Page-Cache"] == "hit"
    assert "ข่าวที่จะถอน" in visitor.get("/news/").content.decode()

    unpublish = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    assert editor.post(unpublish).status_code == 302

    assert visitor.get(page.url).status_code == 404
    assert "ข่าวที่จะถอน" not in visitor.get("/news/").content.decode()


def test_every_visitor_can_switch_language_on_a_cached_page():
    first = Client(enforce_csrf_checks=True)
    assert first.get("/")["X-Page-Cache"] == "miss"
    second = Client(enforce_csrf_checks=True)
    page = second.get("/")
    assert page["X-Page-Cache"] == "hit"
    token = TOKEN.search(page.content.decode())[1]
    assert token not in first.get("/").content.decode()

    switched = second.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )

    assert switched.status_code == 302
    assert '<html lang="en">' in second.get("/").content.decode()
    assert '<html lang="th">' in first.get("/").content.decode()


def test_a_logged_in_citizen_never_gets_the_visitors_copy():
    Client().get("/")
    citizen = Client()
    citizen.force_login(CitizenFactory().user)

    page = citizen.get("/")

    assert "X-Page-Cache" not in page
    assert "บัญชีของฉัน" in page.content.decode()
    assert "ออกจากระบบ" in page.content.decode()


def test_a_deleted_news_item_is_gone_from_the_visitors_pages_at_once(editor):
    page = make_news("ข่าวที่จะลบ")
    visitor = Client()
    assert "ข่าวที่จะลบ" in visitor.get("/news/").content.decode()
    assert visitor.get("/news/")["X-Page-Cache"] == "hit"

    delete = reverse("wagtailadmin_pages:delete", args=[page.pk])
    assert editor.post(delete).status_code == 302

    assert visitor.get(page.url).status_code == 404
    assert "ข่าวที่จะลบ" not in visitor.get("/news/").content.decode()


def test_a_change_of_the_centres_name_shows_on_the_visitors_pages_at_once():
    from wagtail.models import Site

    from core.models import CentreSettings

    visitor = Client()
    visitor.get("/")
    assert visitor.get("/")["X-Page-Cache"] == "hit"

    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.name = "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ (ชื่อใหม่)"
    centre.save()

    assert "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ (ชื่อใหม่)" in visitor.get("/").content.decode()


def test_clearing_old_rows_deletes_them_without_reading_them_first():
    """The page cache listens to the models its pages show only: a listener for every model
    made Django read each row before deleting it, for every clean-up in the project."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.models import UsedChallenge
    from core.robot_check import used_challenges_clean

    past = timezone.now() - timedelta(hours=1)
    UsedChallenge.objects.bulk_create(
        UsedChallenge(key=f"old-{number}", expires_at=past) for number in range(50)
    )
    UsedChallenge.objects.create(key="still-valid", expires_at=timezone.now() + timedelta(hours=1))

    with CaptureQueriesContext(connection) as captured:
        assert used_challenges_clean() == 50

    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert statements == ["DELETE"]
    assert list(UsedChallenge.objects.values_list("key", flat=True)) == ["still-valid"]
