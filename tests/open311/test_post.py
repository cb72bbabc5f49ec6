"""A partner files a request with its key: a real complaint, through the wizard's service."""

import pytest
from django.test import Client

from accounts.roles import Role
from complaints.models import Complaint, State, StateChange
from complaints.services import FIRST_PUBLIC_NOTE
from line_integration.models import OutboundMessage
from open311.keys import api_key_revoke
from open311.models import PartnerRequest
from tests.accounts.factories import StaffFactory
from tests.complaints.admin_support import grant_officer_screen_permissions
from tests.complaints.factories import first_category
from tests.open311.support import as_json, as_xml, issue_key, subdistrict_code, valid_post

pytestmark = pytest.mark.django_db


def test_a_partner_files_a_real_complaint(client):
    key, raw = issue_key()
    response = client.post("/open311/v2/requests.json", valid_post(raw))
    assert response.status_code == 201
    answer = as_json(response)[0]
    complaint = Complaint.objects.get(tracking_number=answer["service_request_id"])
    assert answer["account_id"] == "traffy-998877"
    assert "15 วัน" in answer["service_notice"]

    # The wizard's record: tracking number, snapshot, deadline, first history entry.
    assert complaint.tracking_number.startswith("NSN-")
    assert complaint.state == State.UNDER_REVIEW
    assert complaint.citizen == key.account
    assert complaint.complainant_first_name == "มาลี"
    assert complaint.complainant_phone == "+66812345678"
    assert complaint.complainant_email == "malee@example.com"
    assert complaint.category == first_category()
    assert complaint.target_subdistrict_id == subdistrict_code()
    assert complaint.target_district_id == subdistrict_code()[:4]
    assert complaint.target_address == "หน้าโรงเรียนวัดไทรใต้ ถนนสวรรค์วิถี"
    assert complaint.target_place == "หน้าโรงเรียน"
    assert str(complaint.latitude) == "15.704512"
    assert complaint.report_due_at == Complaint.due_from(complaint.submitted_at) or (
        abs((complaint.report_due_at - Complaint.due_from(complaint.submitted_at)).total_seconds())
        < 5
    )
    first = StateChange.objects.get(complaint=complaint)
    assert (first.from_state, first.to_state, first.public_note) == (
        "",
        State.UNDER_REVIEW,
        FIRST_PUBLIC_NOTE,
    )
    assert first.by == key.account and key.account.display_name == key.partner_name
    assert "Traffy Fondue" in first.internal_note
    assert "https://photos.example.org/report/123.jpg" in first.internal_note

    # Which partner sent it; the media address kept as a reference, never fetched.
    record = PartnerRequest.objects.get(complaint=complaint)
    assert record.api_key == key and record.media_url.endswith("/123.jpg")
    assert complaint.files.count() == 0
    # The partner's account has no LINE: the receipt the wizard queues has nobody to go to.
    assert not OutboundMessage.objects.exists()
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_the_filing_partner_reads_its_description_and_the_officers_note(client):
    key, raw = issue_key()
    response = client.post("/open311/v2/requests.xml", valid_post(raw))
    assert response.status_code == 201
    tracking = as_xml(response).find("request/service_request_id").text

    public = as_json(client.get(f"/open311/v2/requests/{tracking}.json"))[0]
    assert public["description"] is None
    own = as_json(client.get(f"/open311/v2/requests/{tracking}.json?api_key={raw}"))[0]
    assert own["description"].startswith("ท่อระบายน้ำอุดตัน")
    assert own["status_notes"] == FIRST_PUBLIC_NOTE
    # The key may travel in a header instead, out of addresses that servers log.
    url = f"/open311/v2/requests/{tracking}.json"
    assert as_json(client.get(url, headers={"X-Api-Key": raw}))[0] == own
    _other, other_raw = issue_key("ระบบอื่น")
    theirs = as_json(client.get(f"/open311/v2/requests/{tracking}.json?api_key={other_raw}"))[0]
    assert theirs["description"] is None


def test_without_an_active_key_nothing_is_filed(client):
    key, raw = issue_key()
    for data in (valid_post(None), valid_post("ddc_not-a-key")):
        response = client.post("/open311/v2/requests.xml", data)
        assert response.status_code == 403
        assert as_xml(response).find("error/code").text == "403"
    api_key_revoke(key=key, by=key.created_by)
    response = client.post("/open311/v2/requests.json", valid_post(raw))
    assert response.status_code == 403
    assert "ยกเลิก" in as_json(response)[0]["description"]
    assert not Complaint.objects.exists()


def test_posts_are_rate_limited_per_key(client, settings):
    settings.OPEN311_POST_LIMIT = 2
    _key, raw = issue_key()
    _other, other_raw = issue_key("ระบบอื่น")
    assert client.post("/open311/v2/requests.json", valid_post(raw)).status_code == 201
    assert client.post("/open311/v2/requests.json", valid_post(raw)).status_code == 201
    refused = client.post("/open311/v2/requests.json", valid_post(raw))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert as_json(refused)[0]["code"] == 429
    assert client.post("/open311/v2/requests.json", valid_post(other_raw)).status_code == 201
    assert Complaint.objects.count() == 3


@pytest.mark.parametrize(
    "overrides, status, field",
    [
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "999999"}, 404, "service_code"),
        ({"jurisdiction_id": "th-10"}, 404, "jurisdiction_id"),
        ({"description": ""}, 400, "description"),
        ({"description": "ก" * 4001}, 400, "description"),
        ({"phone": "12"}, 400, "phone"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"first_name": ""}, 400, "first_name"),
        ({"lat": None, "long": None, "address_string": None}, 400, "lat, long"),
        ({"lat": "95", "long": "100"}, 400, "lat"),
        ({"attribute[subdistrict]": None}, 400, "attribute[subdistrict]"),
        ({"attribute[subdistrict]": "609999"}, 400, "attribute[subdistrict]"),
        ({"attribute[conceal_identity]": "maybe"}, 400, "attribute[conceal_identity]"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_bad_requests_are_refused_with_the_field_named(client, overrides, status, field):
    _key, raw = issue_key()
    response = client.post("/open311/v2/requests.json", valid_post(raw, **overrides))
    assert response.status_code == status
    errors = as_json(response)
    assert all(error["code"] == status for error in errors)
    assert any(error["description"].startswith(field) for error in errors), errors
    assert not Complaint.objects.exists()


def test_the_subdistrict_may_come_as_address_id_and_the_identity_concealed(client):
    _key, raw = issue_key()
    data = valid_post(raw, **{"attribute[subdistrict]": None, "attribute[conceal_identity]": "yes"})
    data.update(address_id=subdistrict_code(), lat=None, long=None)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.conceal_identity is True
    assert complaint.latitude is None


def test_officers_open_a_partners_case_like_any_other(client):
    grant_officer_screen_permissions()
    _key, raw = issue_key()
    client.post("/open311/v2/requests.json", valid_post(raw))
    complaint = Complaint.objects.get()
    officer = Client()
    officer.force_login(StaffFactory(role=Role.CASE_OFFICER))
    page = officer.get(f"/admin/complaints/complaint/inspect/{complaint.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "มาลี" in html and "Traffy Fondue" in html
    assert "https://photos.example.org/report/123.jpg" in html
    assert officer.get("/admin/complaints/complaint/").status_code == 200
