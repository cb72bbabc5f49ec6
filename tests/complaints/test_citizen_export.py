"""The citizen's complaints in "ข้อมูลของฉัน" (PDPA section 30): the download holds each of their
own complaints as filed and as their tracking page shows it, and nothing officers keep."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.models import EvidenceFile, State
from complaints.workflow import (
    complaint_change_state,
    rating_submit,
)
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory, EvidenceFileFactory
from tests.complaints.workflow_support import (
    add_officer_only_traces,
    grant_case_permissions,
    officer,
)

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("accounts:my_data_download")
PAGE = reverse("accounts:my_data")


@pytest.fixture(autouse=True)
def _permissions():
    grant_case_permissions()


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def staff():
    return officer(first_name="ประยูร", last_name="ลับเฉพาะ")


def download(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    raw = response.content.decode()
    return json.loads(raw), raw


def test_download_holds_my_complaint_as_filed_and_tracked(client, citizen, staff):
    complaint = ComplaintFactory(
        profile=citizen,
        details="น้ำประปาไม่ไหลมาสามวันแล้ว-MINE",
        target_agency="การประปาส่วนภูมิภาค",
        target_place="หมู่บ้านสวรรค์",
        target_address="ซอย 5 ข้างวัด",
        latitude=Decimal("15.704700"),
        longitude=Decimal("100.137200"),
        location_accuracy_m=25,
        conceal_identity=True,
    )
    evidence = EvidenceFileFactory(complaint=complaint, original_name="ก๊อกน้ำแห้ง.jpg")
    complaint_change_state(
        complaint=complaint,
        to=State.COMPLETED,
        by=staff,
        public_note="การประปาซ่อมท่อแล้ว น้ำไหลตามปกติ",
        internal_note="ผู้ร้องโทรมาหลายครั้ง-INTERNAL",
    )
    rating_submit(complaint=complaint, citizen=citizen.user, score=4, comment="แก้ไขรวดเร็วดี")

    data, raw = download(client, citizen.user)

    [mine] = data["complaints"]
    assert mine["tracking_number"] == complaint.tracking_number
    assert mine["details"] == "น้ำประปาไม่ไหลมาสามวันแล้ว-MINE"
    assert mine["category"] == complaint.category.name
    assert (mine["target_agency"], mine["target_place"], mine["target_address"]) == (
        "การประปาส่วนภูมิภาค",
        "หมู่บ้านสวรรค์",
        "ซอย 5 ข้างวัด",
    )
    assert mine["province"] == {"code": "60", "name": "นครสวรรค์"}
    assert mine["district"] == {"code": "6001", "name": "เมืองนครสวรรค์"}
    assert mine["subdistrict"]["code"] == complaint.target_subdistrict.code
    assert (mine["latitude"], mine["longitude"], mine["location_accuracy_m"]) == (
        15.7047,
        100.1372,
        25,
    )
    assert (mine["identity"], mine["identity_label"]) == ("conceal", "ปกปิดข้อมูล")
    assert (mine["state"], mine["state_label"]) == ("completed", "ดำเนินการเสร็จสิ้น")
    assert mine["complainant"]["phone"] == citizen.phone
    assert mine["complainant"]["email"] == citizen.user.email
    assert mine["submitted_at"].startswith(str(complaint.submitted_at.date().year))
    assert [(step["state"], step["note"]) for step in mine["timeline"]] == [
        ("under_review", "ได้รับเรื่องร้องเรียนแล้ว อยู่ระหว่างการตรวจสอบ"),
        ("completed", "การประปาซ่อมท่อแล้ว น้ำไหลตามปกติ"),
    ]
    [file] = mine["files"]
    assert file == {
        "original_name": "ก๊อกน้ำแห้ง.jpg",
        "kind": "image",
        "content_type": "image/jpeg",
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_at": evidence.uploaded_at.isoformat(),
    }
    [rating] = mine["ratings"]
    assert (rating["score"], rating["comment"]) == (4, "แก้ไขรวดเร็วดี")
    stored = EvidenceFile.objects.get().file.name
    assert stored not in raw and "evidence/" not in raw
    assert "INTERNAL" not in raw


def test_download_leaves_out_what_officers_keep_and_other_citizens(client, citizen, staff):
    complaint = ComplaintFactory(profile=citizen)
    add_officer_only_traces(complaint, staff)
    other = ComplaintFactory(details="เรื่องของเพื่อนบ้าน-OTHER")
    EvidenceFileFactory(complaint=other, original_name="ของคนอื่น.jpg")

    data, raw = download(client, citizen.user)

    [mine] = data["complaints"]
    assert mine["tracking_number"] == complaint.tracking_number
    assert [step["state_label"] for step in mine["timeline"]] == [
        "อยู่ระหว่างการตรวจสอบ",
        "อยู่ระหว่างดำเนินการ",  # the forward moved it on
    ]
    for secret in (
        "AAA",
        "BBB",
        "CCC",
        "หนังสือลับ",
        "history/",
        "สำนักงานลับเฉพาะหน่วยงาน",
        "ประยูร",
        "ลับเฉพาะ",
        staff.username,
        other.tracking_number,
        "OTHER",
        "ของคนอื่น",
    ):
        assert secret not in raw, secret


def test_page_counts_my_complaints_and_links_to_their_list(client, citizen):
    ComplaintFactory(profile=citizen)
    ComplaintFactory(profile=citizen)
    ComplaintFactory()
    client.force_login(citizen.user)

    html = client.get(PAGE).content.decode()

    assert "<dt>เรื่องร้องเรียน</dt>" in html
    assert f'<a href="{reverse("complaints:mine")}">2 เรื่อง</a>' in html
