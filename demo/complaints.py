"""Demo complaints for local development: a realistic spread of states, places and ratings,
moved along by the same workflow services officers use (never loaded in production)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from complaints import workflow
from complaints.models import Agency, ClosedReason, Complaint, ComplaintCategory, State, StateChange
from complaints.tracking import next_tracking_number
from demo.places import demo_subdistrict

# (days ago, category, subdistrict, details, what happens, conceal)
CASES = (
    (
        40,
        "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา",
        "600101",
        "ไฟถนนซอยข้างตลาดปากน้ำโพดับทั้งซอยมาสองสัปดาห์ กลางคืนมืดมาก เกรงจะเกิดอันตราย",
        "completed:5",
        False,
    ),
    (
        33,
        "สิ่งแวดล้อม/เหตุเดือดร้อนรำคาญ",
        "600303",
        "โรงงานข้างหมู่บ้านปล่อยกลิ่นเหม็นและควันในเวลากลางคืน ชาวบ้านนอนไม่หลับ",
        "completed:3",
        False,
    ),
    (25, "ที่ดิน", "601001", "มีผู้บุกรุกปลูกสร้างสิ่งปลูกสร้างในที่ดินสาธารณประโยชน์ของหมู่บ้าน", "forwarded", False),
    (
        20,
        "หนี้สิน/หนี้นอกระบบ",
        "600701",
        "ถูกเจ้าหนี้นอกระบบทวงถามหนี้ด้วยการข่มขู่ คิดดอกเบี้ยร้อยละ 20 ต่อเดือน",
        "forwarded",
        True,
    ),
    (
        18,
        "ร้องเรียนเจ้าหน้าที่รัฐ",
        "600101",
        "เจ้าหน้าที่ไม่ให้บริการตามเวลาที่ประกาศ ประชาชนรอคิวตั้งแต่เช้า",
        "closed",
        False,
    ),
    (
        9,
        "ขอความช่วยเหลือ/ความเดือดร้อน",
        "601301",
        "ผู้สูงอายุอยู่ลำพัง บ้านทรุดโทรม ขอความช่วยเหลือซ่อมแซมที่อยู่อาศัย",
        "in_progress",
        False,
    ),
    (
        5,
        "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา",
        "600901",
        "น้ำประปาไม่ไหลติดต่อกันสามวัน ชาวบ้านหมู่ 4 เดือดร้อนมาก",
        "under_review",
        False,
    ),
    (
        2,
        "คุ้มครองผู้บริโภค",
        "600101",
        "ซื้อสินค้าออนไลน์แล้วได้รับสินค้าไม่ตรงปก ร้านค้าไม่ยอมคืนเงิน",
        "under_review",
        False,
    ),
)


def _file(
    citizen: User,
    *,
    days_ago: int,
    category: str,
    subdistrict_code: str,
    details: str,
    conceal: bool,
) -> Complaint:
    profile = citizen.citizen_profile
    at = timezone.now() - datetime.timedelta(days=days_ago)
    subdistrict = demo_subdistrict(subdistrict_code)
    complaint = Complaint.objects.create(
        tracking_number=next_tracking_number(at=at),
        citizen=citizen,
        complainant_title=profile.title,
        complainant_first_name=profile.first_name,
        complainant_last_name=profile.last_name,
        complainant_national_id_encrypted=profile.national_id_encrypted,
        complainant_phone=profile.phone,
        complainant_email=citizen.email,
        complainant_address=profile.address_text,
        category=ComplaintCategory.objects.get(name=category),
        details=details,
        target_province=subdistrict.district.province,
        target_district=subdistrict.district,
        target_subdistrict=subdistrict,
        conceal_identity=conceal,
        report_due_at=Complaint.due_from(at),
    )
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=at, state_changed_at=at)
    StateChange.objects.create(
        complaint=complaint,
        to_state=State.UNDER_REVIEW,
        by=citizen,
        public_note="ได้รับเรื่องร้องเรียนแล้ว อยู่ระหว่างการตรวจสอบ",
    )
    complaint.refresh_from_db()
    return complaint


def _move(complaint: Complaint, outcome: str, *, officer: User, citizen: User) -> None:
    district_office = Agency.objects.filter(district=complaint.target_district).first()
    if outcome == "under_review":
        return
    workflow.complaint_assign(complaint=complaint, officer=officer, by=officer)
    if outcome == "closed":
        workflow.complaint_change_state(
            complaint=complaint,
            to=State.CLOSED,
            by=officer,
            closed_reason=ClosedReason.NOT_IN_AUTHORITY,
            public_note="เรื่องนี้อยู่ในอำนาจของศาลปกครอง ศูนย์ฯ ได้แนะนำช่องทางการยื่นเรื่องให้ท่านแล้ว",
        )
        return
    if district_office and outcome in ("forwarded", "completed:5", "completed:3"):
        workflow.complaint_forward(
            complaint=complaint,
            agency=district_office,
            by=officer,
            public_note=f"ส่งเรื่องให้{district_office.name}ตรวจสอบและแก้ไขแล้ว",
        )
    elif outcome == "in_progress":
        workflow.complaint_change_state(
            complaint=complaint,
            to=State.IN_PROGRESS,
            by=officer,
            public_note="เจ้าหน้าที่ประสานหน่วยงานที่เกี่ยวข้องลงพื้นที่ตรวจสอบแล้ว",
        )
    if outcome.startswith("completed"):
        workflow.complaint_change_state(
            complaint=complaint,
            to=State.COMPLETED,
            by=officer,
            public_note="หน่วยงานดำเนินการแก้ไขเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่องเข้ามา",
        )
        workflow.rating_submit(
            complaint=complaint,
            citizen=citizen,
            score=int(outcome.split(":")[1]),
            comment="ขอบคุณเจ้าหน้าที่ที่ติดตามให้",
        )


@transaction.atomic
def load_demo_complaints() -> int:
    """Create the demo complaints once (for somchai01, handled by officer01)."""
    citizen = User.objects.filter(username="somchai01").first()
    officer = User.objects.filter(username="officer01").first()
    if citizen is None or officer is None or Complaint.objects.filter(citizen=citizen).exists():
        return 0
    for days_ago, category, subdistrict, details, outcome, conceal in CASES:
        complaint = _file(
            citizen,
            days_ago=days_ago,
            category=category,
            subdistrict_code=subdistrict,
            details=details,
            conceal=conceal,
        )
        _move(complaint, outcome, officer=officer, citizen=citizen)
    return len(CASES)
