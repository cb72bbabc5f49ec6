"""Django's error pages are the site's, in Thai: a wrong address, a refused page, a form sent
after its page expired, a broken request. Never Django's bare English "Not Found"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db

ENGLISH = ("Not Found", "Forbidden", "Bad Request", "CSRF", "The requested resource")


def assert_site_page_in_thai(html: str) -> None:
    assert '<html lang="th">' in html
    assert "/static/css/site.css" in html
    assert "<main" in html
    assert 'href="/"' in html  # the way back
    assert "สายด่วน 1567" in html
    left = [english for english in ENGLISH if english in html]
    assert not left, left


def anonymous_request(path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_wrong_address_gets_a_thai_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_site_page_in_thai(html)
    assert "ไม่พบหน้าที่ท่านต้องการ" in html


def test_a_refused_page_gets_a_thai_403():
    response = defaults.permission_denied(anonymous_request(), PermissionDenied())

    assert response.status_code == 403
    html = response.content.decode()
    assert_site_page_in_thai(html)
    assert "ท่านไม่มีสิทธิ์เปิดหน้านี้" in html


def test_a_form_sent_after_its_page_expired_gets_a_thai_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 403
    html = response.content.decode()
    assert_site_page_in_thai(html)
    assert "หน้านี้หมดอายุแล้ว" in html


def test_a_broken_request_gets_a_thai_400():
    response = defaults.bad_request(anonymous_request(), Exception("broken"))

    assert response.status_code == 400
    html = response.content.decode()
    assert_site_page_in_thai(html)
    assert "คำขอไม่ถูกต้อง" in html
