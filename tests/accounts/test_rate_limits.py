"""Password-reset mails and registration attempts are limited per client address and (mails)
per e-mail address, with a Thai message (429) and nothing sent or checked beyond the limit."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.rate_limits import (
    PASSWORD_RESET_PER_ADDRESS,
    PASSWORD_RESET_PER_CLIENT,
    REGISTRATION_ID_CHECKS_PER_CLIENT,
)
from accounts.roles import Role
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.accounts.test_registration import ACCOUNT, MANAGEMENT, URL, post

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
TOO_MANY_RESETS = "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป กรุณารอประมาณ 1 ชั่วโมงแล้วลองใหม่อีกครั้ง"
TOO_MANY_REGISTRATIONS = "มีการลงทะเบียนจากเครือข่ายนี้บ่อยเกินไป"


def ask_reset(client, email, ip="203.0.113.10", url=RESET):
    return client.post(url, {"email": email}, REMOTE_ADDR=ip)


def test_reset_mails_to_one_address_stop_at_the_limit(client):
    citizen = CitizenFactory()
    email = citizen.user.email
    for _ in range(PASSWORD_RESET_PER_ADDRESS.limit):
        assert ask_reset(client, email).status_code == 302
    assert len(mail.outbox) == PASSWORD_RESET_PER_ADDRESS.limit

    refused = ask_reset(client, email.upper(), ip="198.51.100.20")  # any case, any client

    assert refused.status_code == 429
    assert TOO_MANY_RESETS in refused.content.decode()
    assert f'value="{email.upper()}"' in refused.content.decode()  # still in the box
    assert len(mail.outbox) == PASSWORD_RESET_PER_ADDRESS.limit
    other = CitizenFactory()
    assert ask_reset(client, other.user.email).status_code == 302
    assert mail.outbox[-1].to == [other.user.email]


def test_one_client_asking_for_many_addresses_stops_at_the_limit(client):
    for number in range(PASSWORD_RESET_PER_CLIENT.limit):
        assert ask_reset(client, f"person{number}@example.com").status_code == 302

    refused = ask_reset(client, "one-more@example.com")

    assert refused.status_code == 429
    assert TOO_MANY_RESETS in refused.content.decode()
    # Another phone is not held back by this one.
    assert ask_reset(client, "one-more@example.com", ip="198.51.100.20").status_code == 302


def test_the_admins_forgotten_password_has_the_same_limit(client):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    url = reverse("wagtailadmin_password_reset")
    for _ in range(PASSWORD_RESET_PER_ADDRESS.limit):
        assert ask_reset(client, officer.email, url=url).status_code == 302

    refused = ask_reset(client, officer.email, url=url)

    assert refused.status_code == 429
    assert TOO_MANY_RESETS in refused.content.decode()
    assert len(mail.outbox) == PASSWORD_RESET_PER_ADDRESS.limit


def test_national_id_checks_from_one_client_stop_at_the_limit(client, notice):
    """The account step says whether an ID is registered: no trying ID after ID."""
    client.get(URL)
    for _ in range(REGISTRATION_ID_CHECKS_PER_CLIENT.limit):
        assert post(client, "account", ACCOUNT).status_code == 200
        client.get(f"{URL}?restart")

    refused = post(client, "account", ACCOUNT)

    assert refused.status_code == 429
    page = refused.content.decode()
    assert TOO_MANY_REGISTRATIONS in page
    assert 'value="Somchai01"' in page  # what was typed is still there
    assert refused.context["wizard"]["steps"].current == "account"
    # Another client registers as usual.
    payload = {MANAGEMENT: "account", **{f"account-{k}": v for k, v in ACCOUNT.items()}}
    assert client.post(URL, payload, REMOTE_ADDR="198.51.100.20").status_code == 200


@pytest.fixture
def notice(db):
    from accounts.models import PrivacyNotice
    from accounts.setup import ensure_privacy_notice

    ensure_privacy_notice()
    return PrivacyNotice.current()
