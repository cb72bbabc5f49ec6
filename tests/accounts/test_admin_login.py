"""Officers log in to the Wagtail admin; the same lockout protects that door."""

import pytest

from accounts.roles import Role
from tests.accounts.factories import DEFAULT_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/admin/login/"


def log_in(client, username, password, ip="192.0.2.20"):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_officer_logs_in_to_the_admin(client):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    response = log_in(client, officer.username, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_five_failures_lock_the_admin_log_in_too(client):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    for _ in range(4):
        assert log_in(client, officer.username, "Wrong2569x").status_code == 200
    locked = log_in(client, officer.username, "Wrong2569x")  # the fifth failure
    assert locked.status_code == 429
    assert "15 นาที" in locked.content.decode()
    # Even the right password is refused now.
    assert log_in(client, officer.username, DEFAULT_PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302  # not logged in
