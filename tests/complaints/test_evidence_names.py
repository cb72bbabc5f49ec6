"""A concealed complainant's evidence file names often carry who they are ("บัตรประชาชน
สมชาย.jpg", a phone number): anyone who may not see the identity (agency staff) gets neutral
names on the case page and in the download, "หลักฐาน-1.jpg"; the centre and the citizen keep
the names the citizen gave."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile

from accounts.roles import Role
from complaints.models import EvidenceFile
from complaints.workflow import complaint_forward
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import (
    agency_staff,
    case,
    grant_officer_screen_permissions,
    inspect_url,
)
from tests.complaints.factories import EvidenceFileFactory, pdf_bytes
from tests.complaints.workflow_support import make_agency

pytestmark = pytest.mark.django_db

PHOTO = "บัตรประชาชน สมชาย ใจดี 0812223344.jpg"
RECEIPT = "ใบเสร็จ นายสมชาย.pdf"


@pytest.fixture(autouse=True)
def _setup():
    grant_officer_screen_permissions()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER)


@pytest.fixture
def agency():
    return make_agency(name="ที่ว่าการอำเภอทดสอบระบบ")


def forwarded_case(officer, agency, *, conceal: bool):
    complaint = case(profile=CitizenFactory(), conceal_identity=conceal)
    complaint_forward(complaint=complaint, agency=agency, by=officer, public_note="ส่งต่อแล้ว")
    photo = EvidenceFileFactory(complaint=complaint, original_name=PHOTO)
    pdf = pdf_bytes()
    receipt = EvidenceFileFactory(
        complaint=complaint,
        original_name=RECEIPT,
        kind=EvidenceFile.Kind.PDF,
        content_type="application/pdf",
        content=pdf,
        file=ContentFile(pdf, name="evidence.pdf"),
    )
    return complaint, photo, receipt


def download_name(client, evidence) -> str:
    response = client.get(f"/complaints/files/{evidence.pk}/")
    assert response.status_code == 200
    b"".join(response.streaming_content)  # read to the end, which closes the file
    return response["Content-Disposition"]


def test_agency_staff_get_neutral_names_for_a_concealed_complaint(client, officer, agency):
    complaint, photo, receipt = forwarded_case(officer, agency, conceal=True)
    client.force_login(agency_staff(agency))

    page = client.get(inspect_url(complaint)).content.decode()

    assert "หลักฐาน-1.jpg" in page and "หลักฐาน-2.pdf" in page
    for name in (PHOTO, RECEIPT, "สมชาย", "0812223344"):
        assert name not in page
    for evidence, neutral in ((photo, "หลักฐาน-1.jpg"), (receipt, "หลักฐาน-2.pdf")):
        disposition = download_name(client, evidence)
        assert quote(neutral) in disposition
        assert quote("สมชาย") not in disposition and "0812223344" not in disposition


def test_the_centre_and_the_citizen_keep_the_citizens_names(client, officer, agency):
    complaint, photo, receipt = forwarded_case(officer, agency, conceal=True)
    for person in (officer, complaint.citizen):
        client.force_login(person)
        assert quote(PHOTO) in download_name(client, photo)
        assert quote(RECEIPT) in download_name(client, receipt)
    client.force_login(officer)
    page = client.get(inspect_url(complaint)).content.decode()
    assert PHOTO in page and RECEIPT in page


def test_agency_staff_see_the_names_when_the_citizen_did_not_conceal(client, officer, agency):
    complaint, photo, _receipt = forwarded_case(officer, agency, conceal=False)
    client.force_login(agency_staff(agency))

    assert PHOTO in client.get(inspect_url(complaint)).content.decode()
    assert quote(PHOTO) in download_name(client, photo)
