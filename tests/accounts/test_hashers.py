"""Password hashes: Argon2id at the configured cost, old hashes upgraded at log-in, weak costs
refused by check --deploy."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory

ARGON2 = override_settings(
    PASSWORD_HASHERS=[
        "accounts.hashers.ConfiguredArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)


@ARGON2
def test_new_hashes_use_the_configured_argon2id_cost():
    encoded = make_password("Nakhonsawan2569")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Nakhonsawan2569", encoded)
    assert not check_password("Nakhonsawan2568", encoded)


@ARGON2
@override_settings(ARGON2_MEMORY_COST_KIB=12288, ARGON2_TIME_COST=3)
def test_cost_comes_from_settings():
    assert "$m=12288,t=3,p=1$" in make_password("Nakhonsawan2569")


@ARGON2
@pytest.mark.django_db
def test_a_hash_made_with_djangos_heavier_default_still_logs_in_and_is_upgraded(client):
    user = CitizenFactory().user
    user.password = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in user.password

    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": DEFAULT_PASSWORD},
    )

    assert response.status_code == 302, "the citizen could not log in with the old hash"
    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password
    assert client.login(request=HttpRequest(), username=user.username, password=DEFAULT_PASSWORD)


@pytest.mark.parametrize(
    ("memory", "passes", "refused"),
    [(19456, 2, False), (47104, 1, False), (7168, 5, False), (19456, 1, True), (4096, 10, True)],
)
def test_deploy_check_refuses_a_cost_below_owasps_weakest_setting(memory, passes, refused):
    with override_settings(ARGON2_MEMORY_COST_KIB=memory, ARGON2_TIME_COST=passes):
        if refused:
            with pytest.raises(SystemCheckError, match="accounts.E001"):
                call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
        else:
            call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
