import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_an_english_visitor_does_not_leave_english_behind_for_what_runs_next(client):
    """A request in English (the header switch) is English only while it lasts: the thread's
    next work outside a request (a form checked by a task, a LINE reply) is Thai again."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert translation.get_language() == settings.LANGUAGE_CODE == "th"
