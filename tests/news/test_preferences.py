"""A citizen turns news on LINE off (and on again) at /news/preferences/."""

import pytest

from line_integration.models import LineAccount
from news.models import NewsSubscriptionPreference
from news.services import news_recipients
from tests.accounts.factories import CitizenFactory

pytestmark = pytest.mark.django_db

URL = "/news/preferences/"


@pytest.fixture
def citizen():
    profile = CitizenFactory()
    LineAccount.objects.create(
        line_user_id="U" + "a" * 32, user=profile.user, followed=True, is_active=True
    )
    return profile.user


def test_login_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/news/preferences/" in response["Location"]


def test_a_citizen_turns_news_off_and_on_again(client, citizen):
    client.force_login(citizen)
    page = client.get(URL).content.decode()
    assert 'name="receive_news"' in page and "checked" in page
    assert '<label for="id_receive_news">' in page

    response = client.post(URL, {})  # the box unticked

    assert response.status_code == 302 and response["Location"] == URL
    assert NewsSubscriptionPreference.wants_news(citizen) is False
    assert news_recipients() == []
    assert "ขณะนี้ท่านไม่รับข่าวสาร" in client.get(URL).content.decode()

    client.post(URL, {"receive_news": "on"})
    assert news_recipients() == ["U" + "a" * 32]


def test_the_form_needs_a_csrf_token(citizen):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    assert strict.post(URL, {}).status_code == 403
    assert NewsSubscriptionPreference.wants_news(citizen) is True
