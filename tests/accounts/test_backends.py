"""Who is signed in, and passwords checked once (accounts/backends.py)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from accounts.backends import ACCOUNT_BACKEND
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")
CALLS = {"encode": 0, "verify": 0}


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often a password is hashed or checked."""

    algorithm = "counting_md5"

    def encode(self, password, salt):
        CALLS["encode"] += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        CALLS["verify"] += 1
        return super().verify(password, encoded)


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CALLS.update(encode=0, verify=0)
    return CALLS


def test_signing_in_keeps_the_citizen_signed_in_on_their_pages(client):
    profile = CitizenFactory()
    response = client.post(LOGIN, {"username": profile.user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == ACCOUNT_BACKEND

    page = client.get(PROFILE)
    assert page.status_code == 200
    assert profile.first_name in page.content.decode()


def test_a_session_signed_in_before_this_backend_stays_signed_in(client):
    profile = CitizenFactory()
    client.force_login(profile.user, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(PROFILE)

    assert page.status_code == 200
    assert profile.first_name in page.content.decode()


def test_a_deactivated_account_is_signed_out_on_its_next_request(client):
    profile = CitizenFactory()
    client.force_login(profile.user, backend=ACCOUNT_BACKEND)
    type(profile.user).objects.filter(pk=profile.user_id).update(is_active=False)

    page = client.get(PROFILE)

    assert page.status_code == 302 and page.url.startswith(LOGIN)


def test_a_wrong_password_is_checked_once_and_counted_once(client, counting):
    profile = CitizenFactory()
    profile.user.set_password(DEFAULT_PASSWORD)
    profile.user.save()
    counting.update(encode=0, verify=0)

    response = client.post(LOGIN, {"username": profile.user.username, "password": "ผิดรหัส123"})

    assert response.status_code == 200  # the form again, with its Thai error
    assert counting["verify"] == 1
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().failures_since_start == 1


def test_an_unknown_username_is_hashed_once(client, counting):
    client.post(LOGIN, {"username": "nobody-here", "password": "ผิดรหัส123"})
    assert counting["encode"] == 1
