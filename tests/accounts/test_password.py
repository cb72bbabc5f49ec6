"""Password change (logged in) and password reset by email."""

import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "Paknampho2570"


def can_log_in(client, username, password) -> bool:
    # django-axes needs the request to count failures; the test client does not pass one.
    return client.login(request=HttpRequest(), username=username, password=password)


def test_change_needs_login(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_change_password(client):
    user = CitizenFactory().user
    client.force_login(user)
    response = client.post(
        CHANGE,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว" in response.content.decode()
    # Still logged in on this device after the change.
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.logout()
    assert not can_log_in(client, user.username, DEFAULT_PASSWORD)
    assert can_log_in(client, user.username, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("wrong-pass1", NEW_PASSWORD, NEW_PASSWORD, "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
        (DEFAULT_PASSWORD, NEW_PASSWORD, "Other2570pass", "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
        (DEFAULT_PASSWORD, "ab12", "ab12", "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร"),
        (DEFAULT_PASSWORD, "password1", "password1", "รหัสผ่านนี้ใช้กันทั่วไป"),
        (DEFAULT_PASSWORD, "abcdefghij", "abcdefghij", "ต้องมีทั้งตัวอักษรภาษาอังกฤษและตัวเลข"),
    ],
)
def test_change_password_errors_are_thai(client, old, new1, new2, message):
    user = CitizenFactory().user
    client.force_login(user)
    response = client.post(
        CHANGE, {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_reset_end_to_end_by_email(client):
    user = CitizenFactory().user
    response = client.post(RESET, {"email": user.email.upper()})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "ตั้งรหัสผ่านใหม่" in message.subject
    assert user.username in message.body
    link = re.search(r"https?://testserver(/accounts/password-reset/\S+/)", message.body)
    assert link, message.body

    page = client.get(link.group(1), follow=True)
    assert "รหัสผ่านใหม่" in page.content.decode()
    set_password_url = page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    assert "เข้าสู่ระบบ" in client.get(response.url).content.decode()

    assert can_log_in(client, user.username, NEW_PASSWORD)
    client.logout()
    assert not can_log_in(client, user.username, DEFAULT_PASSWORD)
    # The link works once only.
    assert "ลิงก์นี้ใช้ไม่ได้" in client.get(link.group(1), follow=True).content.decode()


def test_reset_does_not_reveal_whether_an_email_exists(client):
    user = CitizenFactory().user
    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert mail.outbox == []
    known = client.post(RESET, {"email": user.email}, follow=True)
    assert len(mail.outbox) == 1
    assert (
        unknown.redirect_chain
        == known.redirect_chain
        == [(reverse("accounts:password_reset_done"), 302)]
    )
    strip_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip_token.sub("", unknown.content.decode()) == strip_token.sub(
        "", known.content.decode()
    )


def test_reset_form_errors_are_thai(client):
    response = client.post(RESET, {"email": "not-an-email"})
    assert response.status_code == 200
    assert "อีเมลไม่ถูกต้อง" in response.content.decode()


def test_reset_with_a_forged_link_is_refused(client):
    user = CitizenFactory().user
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"})
    assert "ลิงก์นี้ใช้ไม่ได้" in client.get(url).content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
