"""Downloading evidence: the citizen who filed and permitted staff get the file, as a
download that no browser will run; everyone else cannot even tell it exists."""

import hashlib
import os
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission

from accounts.roles import Role
from complaints.evidence import attach_staged, stage_files
from core.storage import private_storage
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints import files
from tests.complaints.factories import ComplaintFactory
from tests.complaints.files import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return CitizenFactory()


@pytest.fixture
def evidence(owner, django_capture_on_commit_callbacks):
    """A complaint with a phone photo, an iPhone photo and a PDF, attached as on submit."""
    complaint = ComplaintFactory(profile=owner)
    staged = stage_files(
        [
            upload("ถนนหน้าบ้าน.jpg", files.jpeg()),
            upload("IMG_0042.HEIC", files.heic(), "image/heic"),
            upload("ใบแจ้งหนี้.pdf", files.pdf(), "application/pdf"),
        ],
        already=[],
    )
    with django_capture_on_commit_callbacks(execute=True):
        return attach_staged(complaint=complaint, staged=staged)


def url(row) -> str:
    return f"/complaints/files/{row.pk}/"


def body(response) -> bytes:
    content = b"".join(response.streaming_content)
    response.close()
    return content


def test_the_citizen_who_filed_downloads_the_photo_safely(client, owner, evidence):
    photo = evidence[0]
    client.force_login(owner.user)

    response = client.get(url(photo))

    assert response.status_code == 200
    assert hashlib.sha256(body(response)).hexdigest() == photo.sha256
    assert response["Content-Type"] == "image/jpeg"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('ถนนหน้าบ้าน.jpg')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_heic_photo_downloads_as_jpg_and_pdf_as_pdf(client, owner, evidence):
    client.force_login(owner.user)

    heic = client.get(url(evidence[1]))
    pdf = client.get(url(evidence[2]))

    assert heic["Content-Type"] == "image/jpeg"
    assert 'filename="IMG_0042.jpg"' in heic["Content-Disposition"]
    assert body(heic)[:3] == b"\xff\xd8\xff"
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body(pdf)).hexdigest() == evidence[2].sha256


def test_another_citizen_gets_not_found(client, evidence):
    client.force_login(CitizenFactory().user)

    assert client.get(url(evidence[0])).status_code == 404


def test_staff_without_the_permission_get_not_found(client, evidence):
    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))

    assert client.get(url(evidence[0])).status_code == 404


def test_staff_with_view_complaint_download(client, evidence):
    officer = StaffFactory()
    officer.user_permissions.add(Permission.objects.get(codename="view_complaint"))
    client.force_login(officer)

    response = client.get(url(evidence[2]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body(response)


def test_anonymous_visitor_is_sent_to_log_in(client, evidence):
    response = client.get(url(evidence[0]))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(evidence[0])}"


def test_unknown_number_is_not_found_for_the_owner_too(client, owner, evidence):
    client.force_login(owner.user)

    assert client.get(f"/complaints/files/{evidence[-1].pk + 100}/").status_code == 404


def test_downloads_are_read_only(client, owner, evidence):
    client.force_login(owner.user)

    assert client.post(url(evidence[0])).status_code == 405


def test_file_missing_from_disk_is_not_found_not_an_error(client, owner, evidence):
    os.remove(private_storage.path(evidence[0].file.name))
    client.force_login(owner.user)

    assert client.get(url(evidence[0])).status_code == 404


def test_behind_nginx_django_only_checks_and_hands_over(client, settings, owner, evidence):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = True
    photo = evidence[0]
    client.force_login(owner.user)

    response = client.get(url(photo))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{photo.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(CitizenFactory().user)
    assert client.get(url(photo)).status_code == 404


def test_an_agency_member_sees_only_evidence_of_cases_forwarded_to_their_agency(client, evidence):
    """Changing the number in /complaints/files/<pk>/ must not reach other agencies' cases."""
    from complaints.models import Agency, AgencyMember

    complaint = evidence[0].complaint
    ours = Agency.objects.create(name="หน่วยงานทดสอบ ก", kind=Agency.Kind.OTHER)
    theirs = Agency.objects.create(name="หน่วยงานทดสอบ ข", kind=Agency.Kind.OTHER)
    member = StaffFactory(role=Role.AGENCY_STAFF)
    AgencyMember.objects.create(user=member, agency=ours)
    client.force_login(member)

    complaint.agency = theirs
    complaint.save(update_fields=["agency"])
    assert client.get(url(evidence[0])).status_code == 404

    complaint.agency = ours
    complaint.save(update_fields=["agency"])
    response = client.get(url(evidence[0]))
    assert response.status_code == 200
    body(response)
