"""complaint_submit: one transaction that files everything, once per submission key."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ConsentRecord
from addresses.models import District, Province, Subdistrict
from complaints.evidence import stage_files
from complaints.line_messages import confirmation_message
from complaints.models import Complaint, ComplaintConsent, EvidenceFile, State, TrackingCounter
from complaints.services import FIRST_PUBLIC_NOTE, complaint_submit
from complaints.setup import ensure_complaint_consent
from core.storage import wizard_upload_storage
from line_integration import messages as line_messages
from line_integration.models import LineAccount, OutboundMessage
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import first_category, jpeg_bytes, pdf_bytes
from tests.line_integration.support import signed_in_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent():
    ensure_complaint_consent()
    return ComplaintConsent.current()


@pytest.fixture
def citizen():
    return CitizenFactory(national_id="1101700230708")


def link_line(user, line_user_id="U" + "a" * 32) -> LineAccount:
    return LineAccount.objects.create(
        line_user_id=line_user_id, user=user, followed=True, is_active=True
    )


def details(**overrides) -> dict:
    district = District.objects.get(pk="6001")
    values = {
        "category": first_category(),
        "details": "ไฟฟ้าส่องสว่างริมถนนดับทั้งซอยมาสองสัปดาห์ ตอนกลางคืนมืดมากและอันตราย",
        "target_agency": "เทศบาลนครนครสวรรค์",
        "target_place": "ซอยสวรรค์วิถี 5",
        "target_address": "หน้าโรงเรียน",
        "province": Province.objects.get(pk="60"),
        "district": district,
        "subdistrict": Subdistrict.objects.filter(district=district).order_by("code").first(),
        "latitude": 15.704512,
        "longitude": 100.137298,
        "accuracy": 12.4,
    }
    return {**values, **overrides}


def staged_files():
    uploads = [
        SimpleUploadedFile("หลุมบนถนน.jpg", jpeg_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile("หนังสือร้องเรียน.pdf", pdf_bytes(), content_type="application/pdf"),
    ]
    return stage_files(uploads, already=[])


def submit(citizen, consent, **overrides):
    arguments = {
        "citizen": citizen.user,
        "submission_key": uuid.uuid4(),
        "contact": {"phone": "+66899999999", "email": "other@example.com"},
        "details": details(),
        "evidence": [],
        "conceal_identity": False,
        "consent": consent,
        "consent_revision_id": consent.live_revision_id,
        "client_ip": "203.0.113.7",
    }
    arguments.update(overrides)
    return complaint_submit(**arguments)


def test_files_everything_in_one_go(citizen, consent):
    link_line(citizen.user)
    staged = staged_files()

    complaint, created = submit(citizen, consent, evidence=staged, conceal_identity=True)

    assert created is True
    assert re.fullmatch(r"NSN-25\d\d-000001", complaint.tracking_number)
    complaint.refresh_from_db()
    assert complaint.citizen == citizen.user
    assert complaint.complainant_name == citizen.full_name
    assert complaint.complainant_national_id == "1101700230708"
    assert complaint.complainant_national_id_masked == citizen.national_id_masked
    assert complaint.complainant_phone == "+66899999999"
    assert complaint.complainant_email == "other@example.com"
    assert complaint.complainant_address == citizen.address_text
    assert complaint.target_agency == "เทศบาลนครนครสวรรค์"
    assert str(complaint.latitude) == "15.704512"
    assert str(complaint.longitude) == "100.137298"
    assert complaint.location_accuracy_m == 12
    assert complaint.conceal_identity is True
    assert complaint.client_ip == "203.0.113.7"
    assert complaint.state == State.UNDER_REVIEW
    assert complaint.report_due_at - complaint.submitted_at < timedelta(days=15, seconds=5)
    assert complaint.report_due_at - complaint.submitted_at > timedelta(days=14, hours=23)

    record = complaint.consent
    assert record.user == citizen.user
    assert record.kind == ConsentRecord.Kind.COMPLAINT_CONSENT
    assert record.revision_id == consent.live_revision_id
    assert record.text_title == consent.title
    assert record.ip_address == "203.0.113.7"

    (first,) = complaint.history.all()
    assert (first.from_state, first.to_state) == ("", State.UNDER_REVIEW)
    assert first.public_note == FIRST_PUBLIC_NOTE

    names = list(complaint.files.values_list("original_name", "kind"))
    assert names == [
        ("หลุมบนถนน.jpg", EvidenceFile.Kind.IMAGE),
        ("หนังสือร้องเรียน.pdf", EvidenceFile.Kind.PDF),
    ]
    for evidence in complaint.files.all():
        assert evidence.file.storage.exists(evidence.file.name)

    (message,) = OutboundMessage.objects.all()
    assert message.recipients == ["U" + "a" * 32]
    assert message.purpose == "complaints.confirmation"
    assert message.dedupe_key == f"complaint-confirmation:{complaint.pk}"
    assert complaint.tracking_number in message.messages[0]["altText"]


def test_the_same_key_files_once(citizen, consent):
    link_line(citizen.user)
    key = uuid.uuid4()
    first, created_first = submit(citizen, consent, submission_key=key)
    again, created_again = submit(citizen, consent, submission_key=key)

    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert Complaint.objects.count() == 1
    assert ConsentRecord.objects.filter(kind=ConsentRecord.Kind.COMPLAINT_CONSENT).count() == 1
    assert OutboundMessage.objects.count() == 1


def test_another_citizens_key_is_refused(citizen, consent):
    key = uuid.uuid4()
    submit(citizen, consent, submission_key=key)
    with pytest.raises(ValidationError):
        submit(CitizenFactory(), consent, submission_key=key)
    assert Complaint.objects.count() == 1


def test_no_line_message_without_a_linked_account(citizen, consent):
    complaint, _ = submit(citizen, consent)
    assert complaint.pk
    assert OutboundMessage.objects.count() == 0


def test_no_line_message_to_an_account_that_blocked_us(citizen, consent):
    account = link_line(citizen.user)
    account.followed = False
    account.save()
    submit(citizen, consent)
    assert OutboundMessage.objects.count() == 0


def test_a_republished_consent_must_be_accepted_again(citizen, consent):
    old_revision = consent.live_revision_id
    consent.title = "ข้อตกลงฉบับปรับปรุง"
    consent.save_revision().publish()
    consent.refresh_from_db()

    with pytest.raises(ValidationError) as raised:
        submit(citizen, consent, consent_revision_id=old_revision)
    assert raised.value.code == "consent_changed"
    assert Complaint.objects.count() == 0
    assert ConsentRecord.objects.count() == 0


def test_a_district_outside_the_province_is_refused(citizen, consent):
    bangkok_district = District.objects.get(pk="1018")
    with pytest.raises(ValidationError) as raised:
        submit(citizen, consent, details=details(district=bangkok_district))
    assert "district" in raised.value.message_dict
    assert Complaint.objects.count() == 0


def test_a_lost_staged_file_undoes_everything(citizen, consent):
    link_line(citizen.user)
    staged = staged_files()
    wizard_upload_storage.delete(staged[1].storage_name)

    with pytest.raises(ValidationError) as raised:
        submit(citizen, consent, evidence=staged)

    assert "หนังสือร้องเรียน.pdf" in raised.value.messages[0]
    assert Complaint.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert OutboundMessage.objects.count() == 0
    assert not TrackingCounter.objects.filter(last_value__gt=0).exists()


def test_later_profile_edits_do_not_rewrite_the_complaint(citizen, consent):
    complaint, _ = submit(citizen, consent)
    citizen.first_name = "ชื่อใหม่"
    citizen.house_number = "1/1"
    citizen.save()
    complaint.refresh_from_db()
    assert complaint.complainant_first_name != "ชื่อใหม่"
    assert "1/1" not in complaint.complainant_address


def test_no_position_is_kept_as_none(citizen, consent):
    complaint, _ = submit(
        citizen, consent, details=details(latitude=None, longitude=None, accuracy=None)
    )
    complaint.refresh_from_db()
    assert (complaint.latitude, complaint.longitude, complaint.location_accuracy_m) == (
        None,
        None,
        None,
    )


def test_the_line_receipt_reads_well(citizen, consent, settings):
    settings.SITE_URL = "https://damrongdham.example"
    complaint, _ = submit(citizen, consent)
    message = confirmation_message(complaint)

    line_messages.validate([message])
    assert message["type"] == "flex"
    text = str(message["contents"])
    assert complaint.tracking_number in text
    assert complaint.category.name in text
    assert "อยู่ระหว่างการตรวจสอบ" in text
    assert "ศูนย์ฯ จะแจ้งผลภายใน 15 วัน" in text
    assert re.search(r"\d{1,2} [ก-๙.]+ 25\d\d", text), "a Thai Buddhist-era date"
    button = message["contents"]["footer"]["contents"][0]["action"]
    assert button["uri"].startswith("https://damrongdham.example/line/login/")
    assert signed_in_target(button["uri"]) == f"/complaints/{complaint.tracking_number}/"
    assert len(message["altText"]) <= 400
