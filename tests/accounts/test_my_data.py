"""ข้อมูลของฉัน (PDPA): the page and the JSON copy, each only ever of the logged-in citizen."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import selectors
from accounts.models import AccountClosureRequest, ConsentRecord, PrivacyNotice
from accounts.roles import Role
from home.templatetags.thai_dates import format_thai_datetime
from tests.accounts.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:my_data")
DOWNLOAD = reverse("accounts:my_data_download")


def give_consent(user, ip="203.0.113.7"):
    notice = PrivacyNotice.current()
    return ConsentRecord.objects.create(
        user=user,
        kind=ConsentRecord.Kind.PRIVACY_NOTICE,
        revision=notice.live_revision,
        text_title=notice.title,
        ip_address=ip,
    )


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_login_required(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_page_shows_every_field_masked_id_and_consents(client):
    profile = CitizenFactory(national_id="1101700230708", soi="เพชรเกษม 2")
    consent = give_consent(profile.user)
    client.force_login(profile.user)
    html = client.get(PAGE).content.decode()
    assert "x-xxxx-xxxxx-70-8" in html and "1101700230708" not in html
    for value in (
        profile.first_name,
        profile.last_name,
        profile.title,
        profile.house_number,
        profile.road,
        "เพชรเกษม 2",
        profile.subdistrict.name_th,
        "เมืองนครสวรรค์",
        "นครสวรรค์",
        profile.postal_code,
        "15 มี.ค. 2528",
        profile.user.email,
    ):
        assert value in html, value
    assert "ประกาศความเป็นส่วนตัว (ลงทะเบียน)" in html
    assert consent.text_title in html
    assert f"ฉบับแก้ไขที่ {consent.revision_id}" in html
    assert "203.0.113.7" in html
    shown = format_thai_datetime(consent.accepted_at)
    assert str(timezone.localtime(consent.accepted_at).year + 543) in shown
    assert shown in html
    assert DOWNLOAD in html


def test_download_is_a_json_attachment_with_full_id_and_consents(client):
    profile = CitizenFactory(national_id="3100600445635")
    give_consent(profile.user)
    AccountClosureRequest.objects.create(
        user=profile.user, username=profile.user.username, reason="ย้ายที่อยู่"
    )
    other = CitizenFactory(national_id="1101700230708")
    give_consent(other.user, ip="198.51.100.9")
    client.force_login(profile.user)

    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="my-data-{profile.user.username}.json"'
    )
    data = json.loads(response.content)
    assert data["account"]["username"] == profile.user.username
    assert data["profile"]["national_id"] == "3100600445635"
    assert data["profile"]["first_name"] == profile.first_name
    assert data["profile"]["district"] == {"code": "6001", "name": "เมืองนครสวรรค์"}
    assert data["profile"]["birth_date"] == "1985-03-15"
    [consent] = data["consents"]
    assert consent["kind"] == "privacy_notice"
    assert consent["revision_id"] == PrivacyNotice.current().live_revision_id
    assert consent["ip_address"] == "203.0.113.7"
    [closure] = data["closure_requests"]
    assert closure["reason"] == "ย้ายที่อยู่" and closure["status"] == "pending"
    raw = response.content.decode()
    assert "1101700230708" not in raw and "198.51.100.9" not in raw
    assert other.user.username not in raw


def test_export_has_a_place_for_later_sections():
    profile = CitizenFactory()
    selectors.register_export_section("complaints", lambda user: [user.username])
    try:
        data = selectors.citizen_data_export(user=profile.user)
    finally:
        del selectors.EXPORT_SECTIONS["complaints"]
    assert data["complaints"] == [profile.user.username]


def test_staff_see_their_account_data_only(client):
    staff = StaffFactory(role=Role.CASE_OFFICER)
    client.force_login(staff)
    assert staff.username in client.get(PAGE).content.decode()
    data = json.loads(client.get(DOWNLOAD).content)
    assert data["profile"] is None and data["account"]["username"] == staff.username
