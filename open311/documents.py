"""What Open311 shows of the centre's categories and cases (GeoReport v2 documents).

Privacy, the rule of every GET: nothing that names or reaches a person. No complainant name,
national ID, phone, e-mail or address; no house-level place (the address is the subdistrict,
district and province; the case's own place and address stay inside); positions rounded to
three decimals (about 110 m north-south); no evidence. The citizen's own words (the details)
and the officers' notes to them may name people, so a public GET shows neither: the status
notes are the state's name (and the reason a case was closed). A concealed case is shown
exactly as any other, since nothing of the complainant is shown at all.

The partner that filed a case (its API key with the GET) also gets the description it sent
and the officers' latest note to the complainant, which it passes on to that person.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation

from complaints.models import REPORT_BACK_DAYS, ClosedReason, Complaint, State, StateChange
from open311.georeport import w3c_datetime

OPEN_STATES = (State.UNDER_REVIEW, State.IN_PROGRESS)
STATUS_OF = {
    State.UNDER_REVIEW: "open",
    State.IN_PROGRESS: "open",
    State.COMPLETED: "closed",
    State.CLOSED: "closed",
}
STATES_OF = {"open": OPEN_STATES, "closed": (State.COMPLETED, State.CLOSED)}
GROUP = "ร้องเรียนร้องทุกข์"
POSITION_PLACES = Decimal("0.001")
# History entries a citizen can see (a state change, forwarding, a merge): the last one is the
# request's updated_datetime. Assignments and internal notes are not public events.
PUBLIC_KINDS = (StateChange.Kind.STATE, StateChange.Kind.FORWARD, StateChange.Kind.MERGE)


def jurisdiction_id() -> str:
    """``th-<province code>``: ISO 3166-2 names Thailand's provinces ``TH-<DOPA code>`` (TH-60
    for province code 60), so the identifier is one every Thai system already knows."""
    return f"th-{settings.PROVINCE_CODE}"


def centre_name() -> str:
    """As the centre calls itself in its site settings (else the province's usual name)."""
    from core import centre

    return centre.identity().name


def service_notice() -> str:
    return f"ศูนย์ดำรงธรรมจะตรวจสอบเรื่องและแจ้งผลการดำเนินการภายใน {REPORT_BACK_DAYS} วัน"


def service(category) -> dict:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": GROUP,
    }


# Every category asks the same extra fields: where (the subdistrict's DOPA code, which the
# wizard's province/district/subdistrict choice comes down to) and how the person is shown.
ATTRIBUTES = (
    {
        "variable": True,
        "code": "subdistrict",
        "datatype": "string",
        "required": True,
        "datatype_description": "รหัสตำบล 6 หลักของกรมการปกครอง เช่น 600101",
        "order": 1,
        "description": "ตำบลที่เกิดเรื่อง (ส่งใน address_id แทนได้)",
    },
    {
        "variable": True,
        "code": "conceal_identity",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": None,
        "order": 2,
        "description": "ปกปิดชื่อและช่องทางติดต่อของผู้ร้องต่อหน่วยงานที่รับเรื่องต่อหรือไม่",
        "values": [
            {"key": "no", "name": "เปิดเผยข้อมูล"},
            {"key": "yes", "name": "ปกปิดข้อมูล"},
        ],
    },
    {
        "variable": True,
        "code": "place",
        "datatype": "string",
        "required": False,
        "datatype_description": "ไม่เกิน 255 ตัวอักษร",
        "order": 3,
        "description": "สถานที่เกิดเหตุ เช่น ตลาด โรงเรียน ถนน",
    },
    {
        "variable": True,
        "code": "agency",
        "datatype": "string",
        "required": False,
        "datatype_description": "ไม่เกิน 255 ตัวอักษร",
        "order": 4,
        "description": "หน่วยงานที่เกี่ยวข้องกับเรื่องที่ร้องเรียน",
    },
    {
        "variable": True,
        "code": "title",
        "datatype": "string",
        "required": False,
        "datatype_description": "ไม่เกิน 20 ตัวอักษร",
        "order": 5,
        "description": "คำนำหน้าชื่อผู้ร้อง เช่น นาย นาง นางสาว",
    },
)


def service_definition(category) -> dict:
    return {"service_code": str(category.pk), "attributes": [dict(a) for a in ATTRIBUTES]}


def requests_queryset():
    return Complaint.objects.select_related(
        "category", "agency", "target_subdistrict", "target_district", "target_province"
    ).order_by("-submitted_at", "-pk")


def _rounded(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(POSITION_PLACES, rounding=ROUND_HALF_UP))


def _status_notes(complaint) -> str:
    with translation.override("th"):
        notes = str(State(complaint.state).label)
        if complaint.state == State.CLOSED and complaint.closed_reason:
            notes += f": {ClosedReason(complaint.closed_reason).label}"
    return notes


def _address(complaint) -> str:
    return (
        f"ตำบล{complaint.target_subdistrict.name_th} อำเภอ{complaint.target_district.name_th} "
        f"จังหวัด{complaint.target_province.name_th}"
    )


def latest_public_note(complaint) -> str:
    note = (
        complaint.history.exclude(public_note="")
        .order_by("-at", "-pk")
        .values_list("public_note", flat=True)
        .first()
    )
    return note or ""


def service_request(complaint, *, centre: str, for_filer: bool = False) -> dict:
    """One case as GeoReport v2 shows it; ``for_filer``: to the partner that filed it."""
    document = {
        "service_request_id": complaint.tracking_number,
        "status": STATUS_OF[complaint.state],
        "status_notes": _status_notes(complaint),
        "service_name": complaint.category.name,
        "service_code": str(complaint.category_id),
        "description": None,
        "agency_responsible": complaint.agency.name if complaint.agency_id else centre,
        "service_notice": service_notice(),
        "requested_datetime": w3c_datetime(complaint.submitted_at),
        "updated_datetime": w3c_datetime(
            getattr(complaint, "public_updated_at", None) or complaint.state_changed_at
        ),
        "expected_datetime": w3c_datetime(complaint.report_due_at),
        "address": _address(complaint),
        "address_id": complaint.target_subdistrict_id,
        "zipcode": complaint.target_subdistrict.postal_code,
        "lat": _rounded(complaint.latitude),
        "long": _rounded(complaint.longitude),
        "media_url": None,
    }
    if for_filer:
        document["description"] = complaint.details
        note = latest_public_note(complaint)
        if note:
            document["status_notes"] = note
    return document
