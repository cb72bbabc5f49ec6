"""Citizens' log-in: the seed's page, Thai errors, case-insensitive names, django-axes lockout.

django-axes reads the client address from REMOTE_ADDR (no proxy in tests) and needs the
request passed to authenticate(), which Django's LoginView does.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

User = get_user_model()
URL = reverse("accounts:login")
PASSWORD = "Nakhon2569x"
HOME_IP = "203.0.113.10"
OTHER_IP = "198.51.100.20"


@pytest.fixture
def citizen(db):
    return User.objects.create_user("somchai01", email="somchai@example.com", password=PASSWORD)


def log_in(client, username, password, ip=HOME_IP, **extra):
    return client.post(URL, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_login_page_is_the_seeds(client, db):
    html = client.get(URL).content.decode()
    assert re.search(r'<label for="id_username"[^>]*>Username</label>', html)
    assert re.search(r'<label for="id_password"[^>]*>Password</label>', html)
    assert ">LOG IN</button>" in html
    assert "หากท่านยังไม่มี Username & Password ท่านต้อง" in html
    assert f'href="{reverse("accounts:register")}">ลงทะเบียน</a>' in html
    assert f'href="{reverse("accounts:password_reset")}">ลืมรหัสผ่าน?</a>' in html


def test_success_goes_to_the_profile(client, citizen):
    response = log_in(client, "somchai01", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    assert logged_in_as(client) == citizen.pk


def test_wrong_password_says_so_in_thai_and_keeps_the_username(client, citizen):
    response = log_in(client, "somchai01", "Wrong2569x")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html
    assert 'value="somchai01"' in html
    assert logged_in_as(client) is None


def test_unknown_user_gets_the_same_message(client, citizen):
    response = log_in(client, "nobody123", PASSWORD)
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_username_is_matched_whatever_the_case(client, citizen):
    response = log_in(client, "  SomChai01 ", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == citizen.pk


def test_staff_name_with_capitals_still_logs_in(client, db):
    officer = User.objects.create_user("Officer01", password=PASSWORD)
    log_in(client, "officer01", PASSWORD)
    assert logged_in_as(client) == officer.pk


def test_next_is_honoured_when_safe(client, citizen):
    target = reverse("accounts:my_data")
    response = log_in(client, "somchai01", PASSWORD, next=target)
    assert response.url == target


def test_next_to_another_site_is_ignored(client, citizen):
    response = log_in(client, "somchai01", PASSWORD, next="https://evil.example/steal")
    assert response.url == reverse("accounts:profile")


def test_next_survives_a_failed_attempt(client, citizen):
    target = reverse("accounts:my_data")
    html = client.get(URL, {"next": target}).content.decode()
    assert f'name="next" value="{target}"' in html
    html = log_in(client, "somchai01", "Wrong2569x", next=target).content.decode()
    assert f'name="next" value="{target}"' in html


def test_five_failures_lock_the_username_with_a_thai_page(client, citizen):
    other = User.objects.create_user("somying22", password=PASSWORD)
    for _ in range(4):
        assert log_in(client, "somchai01", "Wrong2569x").status_code == 200
    locked = log_in(client, "somchai01", "Wrong2569x")
    assert locked.status_code in (403, 429)
    html = locked.content.decode()
    assert "เข้าสู่ระบบผิดเกิน 5 ครั้ง บัญชีนี้ถูกระงับชั่วคราว 15 นาที" in html
    assert '<html lang="th">' in html

    still_locked = log_in(client, "somchai01", PASSWORD, ip=OTHER_IP)
    assert still_locked.status_code in (403, 429)
    assert logged_in_as(client) is None

    response = log_in(client, "somying22", PASSWORD, ip=OTHER_IP)
    assert response.status_code == 302
    assert logged_in_as(client) == other.pk


def test_logged_in_user_is_sent_on(client, citizen):
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
