"""Supervisors issue and revoke partners' keys in the admin; the key is shown once."""

import re

import pytest
from django.test import Client

from accounts.roles import Role
from open311.models import ApiKey
from tests.accounts.factories import StaffFactory
from tests.open311.support import valid_post

pytestmark = pytest.mark.django_db

INDEX = "/admin/open311_keys/"


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(StaffFactory(role=role))
    return client


def test_a_supervisor_issues_a_key_that_is_shown_once_and_works():
    supervisor = signed_in(Role.SUPERVISOR)
    assert supervisor.get(f"{INDEX}new/").status_code == 200
    page = supervisor.post(f"{INDEX}new/", {"partner_name": "Traffy Fondue", "note": "ทดลอง"})
    assert page.status_code == 200
    html = page.content.decode()
    raw = re.search(r"<code data-api-key>(ddc_[\w-]+)</code>", html).group(1)
    assert "แสดงกุญแจนี้ครั้งเดียว" in html

    key = ApiKey.objects.get()
    assert key.partner_name == "Traffy Fondue" and key.is_active
    assert raw not in (key.key_hash, key.prefix) and raw.startswith(key.prefix)
    listing = supervisor.get(INDEX).content.decode()
    assert "Traffy Fondue" in listing and f"{key.prefix}…" in listing
    assert raw not in listing

    anonymous = Client()
    assert anonymous.post("/open311/v2/requests.json", valid_post(raw)).status_code == 201
    # Revoked: refused at once; the case it filed stays.
    assert supervisor.get(f"{INDEX}revoke/{key.pk}/").status_code == 200
    assert supervisor.post(f"{INDEX}revoke/{key.pk}/").status_code == 302
    key.refresh_from_db()
    assert not key.is_active and key.revoked_at is not None
    assert anonymous.post("/open311/v2/requests.json", valid_post(raw)).status_code == 403
    assert key.requests.count() == 1


def test_keys_are_never_edited_or_deleted_here():
    supervisor = signed_in(Role.SUPERVISOR)
    supervisor.post(f"{INDEX}new/", {"partner_name": "ระบบเมือง"})
    key = ApiKey.objects.get()
    assert supervisor.get(f"{INDEX}edit/{key.pk}/").status_code in (302, 403)
    assert supervisor.post(f"{INDEX}delete/{key.pk}/").status_code in (302, 403)
    assert ApiKey.objects.filter(pk=key.pk, partner_name="ระบบเมือง").exists()


@pytest.mark.parametrize("role", [Role.CASE_OFFICER, Role.EXECUTIVE, Role.NEWS_EDITOR])
def test_other_staff_cannot_issue_or_revoke(role):
    supervisor = signed_in(Role.SUPERVISOR)
    supervisor.post(f"{INDEX}new/", {"partner_name": "ระบบเมือง"})
    key = ApiKey.objects.get()
    other = signed_in(role)
    assert other.post(f"{INDEX}new/", {"partner_name": "แอบออก"}).status_code in (302, 403)
    assert other.post(f"{INDEX}revoke/{key.pk}/").status_code in (302, 403)
    assert ApiKey.objects.count() == 1
    key.refresh_from_db()
    assert key.is_active
