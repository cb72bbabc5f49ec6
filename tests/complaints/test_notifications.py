"""LINE messages about a case: the citizen hears about public changes only, officers about
assignments, agencies about forwarded cases — and nobody outside the centre learns who
complained when the citizen concealed their identity."""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from complaints.models import ClosedReason, State
from complaints.notifications import admin_case_url
from complaints.workflow import (
    StaleComplaint,
    complaint_add_note,
    complaint_assign,
    complaint_change_state,
    complaint_forward,
    complaint_reopen,
)
from line_integration.models import OutboundMessage
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import (
    agency_member,
    as_text,
    footer_buttons,
    grant_case_permissions,
    link_line,
    make_agency,
    messages_to,
    officer,
)
from tests.line_integration.support import signed_in_target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _permissions():
    grant_case_permissions()


@pytest.fixture
def staff():
    return officer()


@pytest.fixture
def complaint():
    return ComplaintFactory(
        profile=CitizenFactory(national_id="1101700230708", phone="+66812345678")
    )


@pytest.fixture
def citizen_line(complaint):
    return link_line(complaint.citizen)


def body_texts(row: OutboundMessage) -> list[str]:
    [message] = row.messages
    return [item["text"] for item in message["contents"]["body"]["contents"]]


def test_citizen_gets_one_message_per_state_change_with_state_note_and_link(
    complaint, citizen_line, staff
):
    change = complaint_change_state(
        complaint=complaint,
        to=State.IN_PROGRESS,
        by=staff,
        public_note="ส่งช่างไปตรวจสอบพื้นที่แล้ว",
        internal_note="ผู้ร้องพูดจาไม่สุภาพ",
    )

    [row] = messages_to(citizen_line)
    assert row.purpose == "complaints.state_changed"
    assert row.dedupe_key == f"complaint-state:{change.pk}"
    [message] = row.messages
    assert message["type"] == "flex"
    assert message["altText"].startswith(f"เรื่องเลขที่ {complaint.tracking_number}")
    assert "อยู่ระหว่างดำเนินการ" in message["altText"]
    texts = body_texts(row)
    assert "สถานะ: อยู่ระหว่างดำเนินการ" in texts
    assert "ข้อความจากเจ้าหน้าที่: ส่งช่างไปตรวจสอบพื้นที่แล้ว" in texts
    assert footer_buttons(row) == [
        {
            "type": "uri",
            "label": "ดูรายละเอียดเรื่อง",
            "uri": "http://testserver/line/login/?next="
            + quote(f"/complaints/{complaint.tracking_number}/", safe=""),
        }
    ]
    assert "ไม่สุภาพ" not in as_text(row)


def test_completion_invites_the_citizen_to_rate(complaint, citizen_line, staff):
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=staff, public_note="ซ่อมถนนเรียบร้อยแล้ว"
    )

    [row] = messages_to(citizen_line)
    rate, detail = footer_buttons(row)
    assert rate["label"] == "ประเมินความพึงพอใจ"
    assert signed_in_target(rate["uri"]) == f"/complaints/{complaint.tracking_number}/rate/"
    assert signed_in_target(detail["uri"]) == f"/complaints/{complaint.tracking_number}/"
    assert "สถานะ: ดำเนินการเสร็จสิ้น" in body_texts(row)


def test_closing_tells_the_citizen_why(complaint, citizen_line, staff):
    complaint_change_state(
        complaint=complaint,
        to=State.CLOSED,
        by=staff,
        closed_reason=ClosedReason.NOT_IN_AUTHORITY,
        public_note="เป็นเรื่องระหว่างเอกชน แนะนำให้ติดต่อศาล",
    )

    [row] = messages_to(citizen_line)
    texts = body_texts(row)
    assert "สถานะ: ยุติเรื่อง" in texts
    assert "เหตุผลที่ยุติเรื่อง: ไม่อยู่ในอำนาจหน้าที่ของศูนย์ฯ" in texts
    assert "ข้อความจากเจ้าหน้าที่: เป็นเรื่องระหว่างเอกชน แนะนำให้ติดต่อศาล" in texts
    assert not any(b["label"] == "ประเมินความพึงพอใจ" for b in footer_buttons(row))


def test_internal_work_is_not_sent_to_the_citizen(complaint, citizen_line, staff):
    officer_line = link_line(staff)
    complaint_add_note(complaint=complaint, by=staff, internal_note="โทรหาผู้ร้องไม่ติด")
    complaint_assign(complaint=complaint, officer=staff, by=staff)
    complaint_change_state(complaint=complaint, to=State.IN_PROGRESS, by=staff)
    complaint_forward(
        complaint=complaint, agency=make_agency(), by=staff, internal_note="ส่งต่อโดยไม่แจ้งผู้ร้อง"
    )

    assert len(messages_to(citizen_line)) == 1  # the state change only
    assert len(messages_to(officer_line)) == 1  # the assignment only


def test_forwarding_reaches_the_citizen_when_it_says_something(complaint, citizen_line, staff):
    agency = make_agency(name="เทศบาลนครนครสวรรค์ (ทดสอบ)")
    complaint_forward(
        complaint=complaint, agency=agency, by=staff, public_note="ส่งให้เทศบาลดำเนินการแล้ว"
    )

    [row] = messages_to(citizen_line)
    texts = body_texts(row)
    assert "สถานะ: อยู่ระหว่างดำเนินการ" in texts
    assert "ส่งต่อให้: เทศบาลนครนครสวรรค์ (ทดสอบ)" in texts
    assert "ข้อความจากเจ้าหน้าที่: ส่งให้เทศบาลดำเนินการแล้ว" in texts


def test_refused_changes_send_nothing(complaint, citizen_line, staff):
    with pytest.raises(StaleComplaint):
        complaint_change_state(
            complaint=complaint,
            to=State.IN_PROGRESS,
            by=staff,
            public_note="รับเรื่อง",
            expected_version=complaint.version + 1,
        )
    with pytest.raises(ValidationError):
        complaint_change_state(complaint=complaint, to=State.CLOSED, by=staff, public_note="ยุติ")
    assert messages_to(citizen_line) == []


def test_a_citizen_without_line_is_not_messaged_and_the_change_still_happens(complaint, staff):
    complaint_change_state(
        complaint=complaint, to=State.IN_PROGRESS, by=staff, public_note="รับเรื่องแล้ว"
    )
    assert complaint.state == State.IN_PROGRESS
    assert not OutboundMessage.objects.exists()


def test_assigned_officer_gets_a_link_to_the_case_in_the_admin(complaint, staff):
    responsible = officer(role=Role.SUPERVISOR)
    officer_line = link_line(responsible)

    change = complaint_assign(complaint=complaint, officer=responsible, by=staff)

    [row] = messages_to(officer_line)
    assert (row.purpose, row.dedupe_key) == ("complaints.assigned", f"complaint-assign:{change.pk}")
    assert complaint.tracking_number in row.messages[0]["altText"]
    [button] = footer_buttons(row)
    assert button["uri"] == admin_case_url(complaint)
    assert button["uri"] == f"http://testserver/admin/complaints/complaint/inspect/{complaint.pk}/"
    text = as_text(row)
    assert complaint.complainant_first_name not in text
    assert "0812345678" not in text and "+66812345678" not in text


def test_an_officer_without_line_is_assigned_silently(complaint, staff):
    complaint_assign(complaint=complaint, officer=officer(), by=staff)
    assert not OutboundMessage.objects.exists()


def test_citizen_reopening_tells_the_assigned_officer(complaint, citizen_line, staff):
    officer_line = link_line(staff)
    complaint_assign(complaint=complaint, officer=staff, by=staff)
    complaint_change_state(complaint=complaint, to=State.COMPLETED, by=staff)

    complaint_reopen(complaint=complaint, by=complaint.citizen, reason="ถนนพังอีกแล้ว")

    last = messages_to(citizen_line)[-1]
    assert "สถานะ: อยู่ระหว่างดำเนินการ" in body_texts(last)
    assert "ข้อความจากเจ้าหน้าที่: ถนนพังอีกแล้ว" in body_texts(last)
    reopened = messages_to(officer_line)[-1]
    assert reopened.purpose == "complaints.reopened"
    assert "เหตุผล: ถนนพังอีกแล้ว" in body_texts(reopened)


@pytest.mark.parametrize("conceal", [True, False])
def test_forwarding_messages_never_name_the_complainant(complaint, citizen_line, staff, conceal):
    complaint.conceal_identity = conceal
    complaint.save(update_fields=["conceal_identity"])
    agency = make_agency()
    member_line = link_line(agency_member(agency))

    complaint_forward(complaint=complaint, agency=agency, by=staff, public_note="ส่งเรื่องให้อำเภอแล้ว")

    [row] = messages_to(member_line)
    assert row.purpose == "complaints.forwarded"
    assert complaint.tracking_number in body_texts(row)[0]
    assert footer_buttons(row)[0]["uri"] == admin_case_url(complaint)
    for outgoing in OutboundMessage.objects.all():
        text = as_text(outgoing)
        for secret in (
            complaint.complainant_first_name,
            complaint.complainant_last_name,
            "1101700230708",
            "1-1017-00230-70-8",
            "x-xxxx-xxxxx-70-8",
            "+66812345678",
            "081 234 5678",
            "0812345678",
        ):
            assert secret not in text


def test_messages_reach_the_citizens_line_chat(
    complaint, staff, line_standin, django_capture_on_commit_callbacks
):
    line_id = line_standin.state.add_user(display_name="ผู้ร้องเรียน")["userId"]
    link_line_id = link_line(complaint.citizen)
    complaint.citizen.line_accounts.filter(line_user_id=link_line_id).update(line_user_id=line_id)

    with django_capture_on_commit_callbacks(execute=True):
        complaint_change_state(
            complaint=complaint, to=State.COMPLETED, by=staff, public_note="ดำเนินการเรียบร้อย"
        )

    [delivery] = line_standin.state.deliveries(line_id)
    assert delivery["message"]["type"] == "flex"
    assert "ดำเนินการเสร็จสิ้น" in delivery["message"]["altText"]
    assert OutboundMessage.objects.get().status == OutboundMessage.Status.SENT
