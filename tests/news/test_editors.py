"""News editors write, schedule and publish news in Wagtail, and see nothing else."""

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.roles import Role
from home.models import HomePage
from news.models import NewsPage, NewsPush
from tests.accounts.factories import StaffFactory
from tests.news.support import make_news, news_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    return client


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=["news", "newspage", parent.pk])


def news_form(**fields) -> dict:
    data = {
        "title": "ศูนย์ดำรงธรรมลงพื้นที่อำเภอบรรพตพิสัย",
        "slug": "mobile-unit-banphot",
        "date": "2026-03-15",
        "category": "activity",
        "summary": "รับเรื่องร้องเรียนและให้คำปรึกษาประชาชน",
        "body": rich_text("<p>เนื้อหาข่าว</p>"),
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


def test_an_editor_publishes_a_news_item_through_the_admin(client):
    editor = StaffFactory(role=Role.NEWS_EDITOR)
    client.force_login(editor)
    response = client.post(
        add_url(news_index()),
        news_form(notify_line="on", **{"action-publish": "action-publish"}),
    )

    assert response.status_code == 302
    page = NewsPage.objects.get(slug="mobile-unit-banphot")
    assert page.live and page.get_parent().pk == news_index().pk
    assert page.summary == "รับเรื่องร้องเรียนและให้คำปรึกษาประชาชน"
    [push] = NewsPush.objects.filter(page=page)
    assert push.sent_by == editor and not push.deliberate


def test_an_editor_schedules_a_news_item(editor_client):
    response = editor_client.post(
        add_url(news_index()),
        news_form(go_live_at="2099-01-01 09:00", **{"action-publish": "action-publish"}),
    )

    assert response.status_code == 302
    page = NewsPage.objects.get(slug="mobile-unit-banphot")
    assert not page.live and page.go_live_at.year == 2099


def test_a_missing_summary_is_refused_when_publishing(editor_client):
    response = editor_client.post(
        add_url(news_index()), news_form(summary="", **{"action-publish": "action-publish"})
    )

    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    assert not NewsPage.objects.exists()


def test_the_edit_form_says_whether_the_item_went_to_line(editor_client):
    page = make_news("ข่าวที่จะแก้ไข")
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "ยังไม่เคยส่งข่าวนี้ทาง LINE" in response.content.decode()


def test_an_editor_cannot_add_pages_outside_the_news_section(editor_client):
    home = HomePage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["news", "newspage", home.pk])
    assert editor_client.get(url).status_code in (302, 403)
    home_edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert home_edit.status_code in (302, 403)
    assert Page.objects.filter(depth__gt=2).exclude(pk=news_index().pk).count() == 0


def test_an_editor_can_upload_and_choose_images_and_documents():
    """Wagtail asks the collections (GroupCollectionPermission), not the Django permissions."""
    editor = StaffFactory(role=Role.NEWS_EDITOR)
    for model in (get_image_model(), get_document_model()):
        policy = policy_registry.get_by_type(model)
        for action in ("add", "change", "choose"):
            assert policy.user_has_permission(editor, action), (model, action)
        assert Collection.get_first_root_node() in policy.collections_user_has_permission_for(
            editor, "choose"
        )


def test_an_editor_does_not_see_complaints(editor_client):
    response = editor_client.get("/admin/complaints/complaint/")

    assert response.status_code == 302
    assert "/admin/complaints/" not in response["Location"]
    dashboard = editor_client.get("/admin/").content.decode()
    assert "/admin/complaints/complaint/" not in dashboard
