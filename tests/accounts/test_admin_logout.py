"""Officers log out of the admin only by its own button (a POST with the CSRF token): a link
or a picture on any other site (a GET) must not end their session."""

import pytest
from django.test import Client

from accounts.roles import Role
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db

URL = "/admin/logout/"


@pytest.fixture
def officer_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffFactory(role=Role.CASE_OFFICER))
    return client


@pytest.mark.parametrize("method", ["get", "head", "options", "put", "delete"])
def test_anything_but_post_leaves_the_officer_logged_in(officer_client, method):
    response = getattr(officer_client, method)(URL)

    assert response.status_code in (403, 405)  # PUT and DELETE stop at the CSRF check
    assert "sessionid" not in response.cookies  # neither deleted nor replaced
    assert officer_client.get("/admin/").status_code == 200


def test_the_admins_log_out_button_still_logs_out(officer_client):
    page = officer_client.get("/admin/").content.decode()
    assert '"action": "/admin/logout/"' in page  # the sidebar's "Log out" posts here
    token = officer_client.cookies["csrftoken"].value

    response = officer_client.post(URL, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response.cookies["sessionid"].value == ""
    assert officer_client.get("/admin/").status_code == 302  # to the log-in page


def test_a_post_without_the_token_is_refused(officer_client):
    officer_client.get("/admin/")
    assert officer_client.post(URL).status_code == 403
    assert officer_client.get("/admin/").status_code == 200
