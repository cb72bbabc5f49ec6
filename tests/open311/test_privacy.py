"""What anyone may read must not reach a person: no name, ID, phone, e-mail or house-level
address; positions to about 100 m; a concealed case no different from another."""

from decimal import Decimal

import pytest

from complaints.models import Complaint, StateChange
from tests.complaints.factories import ComplaintFactory
from tests.open311.support import as_json

pytestmark = pytest.mark.django_db


def test_no_personal_data_in_any_format(client):
    complaint = ComplaintFactory(
        details="นายวิชัย มั่นคง เลขที่บ้าน 45/2 ข้างบ้านเปิดเพลงดังทุกคืน",
        target_place="บ้านนายวิชัย",
        target_address="45/2 หมู่ 3 ซอยสุขใจ",
        complainant_email="somchai.private@example.com",
        latitude=Decimal("15.704512"),
        longitude=Decimal("100.137298"),
    )
    secrets = [
        complaint.complainant_first_name,
        complaint.complainant_last_name,
        complaint.complainant_national_id,
        complaint.complainant_phone,
        complaint.complainant_phone.replace("+66", "0"),
        complaint.complainant_email,
        "45/2",
        "วิชัย",
        "สุขใจ",
        "15.704512",
        "100.137298",
    ]
    for url in (
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{complaint.tracking_number}.json",
        f"/open311/v2/requests/{complaint.tracking_number}.xml",
    ):
        body = client.get(url).content.decode("utf-8")
        for secret in secrets:
            assert secret not in body, (url, secret)

    document = as_json(client.get(f"/open311/v2/requests/{complaint.tracking_number}.json"))[0]
    assert document["lat"] == 15.705 and document["long"] == 100.137
    assert document["address"].startswith("ตำบล") and "จังหวัดนครสวรรค์" in document["address"]
    assert document["address_id"] == complaint.target_subdistrict_id
    assert document["zipcode"] == complaint.target_subdistrict.postal_code
    assert document["description"] is None and document["media_url"] is None


def test_a_concealed_case_reads_as_any_other(client):
    open_case = ComplaintFactory(conceal_identity=False)
    concealed = ComplaintFactory(conceal_identity=True)
    # The same moments for both (they were made a moment apart), so only concealment differs.
    Complaint.objects.filter(pk=concealed.pk).update(
        submitted_at=open_case.submitted_at, state_changed_at=open_case.state_changed_at
    )
    StateChange.objects.filter(complaint=concealed).update(at=open_case.submitted_at)
    StateChange.objects.filter(complaint=open_case).update(at=open_case.submitted_at)

    def shown(complaint):
        document = as_json(client.get(f"/open311/v2/requests/{complaint.tracking_number}.json"))[0]
        document.pop("service_request_id")
        return document

    assert shown(open_case) == shown(concealed)


def test_a_case_without_a_position_has_none(client):
    complaint = ComplaintFactory(latitude=None, longitude=None)
    document = as_json(client.get(f"/open311/v2/requests/{complaint.tracking_number}.json"))[0]
    assert document["lat"] is None and document["long"] is None
