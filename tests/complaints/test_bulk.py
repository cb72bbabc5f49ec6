"""Bulk actions in the officers' list: many cases ticked, one action, every case through the
workflow on its own; a case that cannot take the change is named with the reason and the others
proceed."""

import re

import pytest

from accounts.roles import Role
from complaints.models import ClosedReason, State, StateChange
from complaints.workflow import complaint_add_note, complaint_change_state, complaint_forward
from tests.accounts.factories import StaffFactory
from tests.complaints.admin_support import (
    ADMIN_URL,
    agency_staff,
    case,
    grant_officer_screen_permissions,
)
from tests.complaints.workflow_support import as_text, link_line, make_agency, messages_to

pytestmark = pytest.mark.django_db
BULK_URL = "/admin/complaints/bulk/"


@pytest.fixture(autouse=True)
def _setup():
    grant_officer_screen_permissions()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


def ticks(*cases):
    return [f"{c.pk}:{c.version}" for c in cases]


def post(client, cases, **fields):
    data = {"selected": ticks(*cases), "next": ADMIN_URL + "?state__exact=under_review", **fields}
    return client.post(BULK_URL, data)


def shown_messages(client) -> str:
    return client.get(ADMIN_URL).content.decode()


def test_the_list_offers_a_tick_per_case_with_the_version_it_shows(client, officer):
    first, second = case(), case()
    client.force_login(officer)

    page = client.get(ADMIN_URL).content.decode()

    values = re.findall(r'name="selected" value="(\d+:\d+)" form="complaint-bulk-form"', page)
    assert sorted(values) == sorted(ticks(first, second))
    assert f'aria-label="เลือกเรื่อง {first.tracking_number}"' in page
    assert 'id="complaint-bulk-form"' in page


def test_assign_many_cases_at_once(client, officer):
    colleague = StaffFactory(role=Role.SUPERVISOR)
    colleague_line = link_line(colleague)
    cases = [case(), case(), case()]
    client.force_login(officer)

    response = post(client, cases, bulk_action="assign", officer=colleague.pk)

    assert response.status_code == 302
    assert response["Location"] == ADMIN_URL + "?state__exact=under_review"
    for complaint in cases:
        complaint.refresh_from_db()
        assert complaint.assigned_officer == colleague
        assert complaint.history.filter(kind=StateChange.Kind.ASSIGN, by=officer).count() == 1
    assert len(messages_to(colleague_line)) == 3


def test_a_state_change_with_one_note_skips_the_case_that_cannot_take_it(client, officer):
    reviewing, working = case(), case(state=State.IN_PROGRESS)
    closed = case(state=State.CLOSED, closed_reason=ClosedReason.OTHER)
    lines = [link_line(c.citizen) for c in (reviewing, working, closed)]
    client.force_login(officer)

    post(
        client,
        [reviewing, working, closed],
        bulk_action="state",
        to_state=State.COMPLETED,
        public_note="ซ่อมถนนเสร็จแล้ว",
    )

    for complaint in (reviewing, working, closed):
        complaint.refresh_from_db()
    assert reviewing.state == working.state == State.COMPLETED
    assert closed.state == State.CLOSED
    assert [len(messages_to(line)) for line in lines] == [1, 1, 0]
    assert "ซ่อมถนนเสร็จแล้ว" in as_text(messages_to(lines[0])[0])
    page = shown_messages(client)
    assert "ดำเนินการแล้ว 2 เรื่อง" in page
    assert f"ดำเนินการไม่ได้ 1 เรื่อง: {closed.tracking_number} (เปลี่ยนสถานะจาก" in page


def test_a_case_changed_since_the_list_was_loaded_is_refused_alone(client, officer):
    fresh, changed = case(), case()
    seen = ticks(fresh, changed)
    complaint_change_state(complaint=changed, to=State.IN_PROGRESS, by=StaffFactory())
    client.force_login(officer)

    client.post(BULK_URL, {"selected": seen, "bulk_action": "state", "to_state": "completed"})

    fresh.refresh_from_db(), changed.refresh_from_db()
    assert fresh.state == State.COMPLETED
    assert changed.state == State.IN_PROGRESS
    assert f"{changed.tracking_number} (มีผู้แก้ไขเรื่องนี้หลังจากที่ท่านเปิดรายการ)" in shown_messages(client)


def test_a_note_alone_does_not_make_a_case_stale(client, officer):
    complaint = case()
    seen = ticks(complaint)
    complaint_add_note(complaint=complaint, by=officer, internal_note="โทรหาผู้ร้องแล้ว")
    client.force_login(officer)

    client.post(BULK_URL, {"selected": seen, "bulk_action": "state", "to_state": "in_progress"})

    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS


def test_forward_many_and_report_the_one_already_there(client, officer):
    agency = make_agency(name="เทศบาลทดสอบ")
    first, already = case(), case()
    complaint_forward(complaint=already, agency=agency, by=officer)
    already.refresh_from_db()
    client.force_login(officer)

    post(client, [first, already], bulk_action="forward", agency=agency.pk, public_note="")

    first.refresh_from_db()
    assert first.agency == agency and first.state == State.IN_PROGRESS
    assert f"{already.tracking_number} (เรื่องนี้ส่งต่อให้หน่วยงานนี้แล้ว)" in shown_messages(client)


def test_closing_many_needs_a_reason_and_a_note(client, officer):
    complaint = case()
    client.force_login(officer)

    post(client, [complaint], bulk_action="state", to_state=State.CLOSED)

    complaint.refresh_from_db()
    assert complaint.state == State.UNDER_REVIEW
    page = shown_messages(client)
    assert "กรุณาเลือกเหตุผลที่ยุติเรื่อง" in page
    assert "กรุณาเขียนข้อความแจ้งผู้ร้องว่าเหตุใดจึงยุติเรื่อง" in page


def test_an_agency_member_may_only_change_state_of_its_own_cases(client, officer):
    agency = make_agency()
    ours, theirs = case(), case()
    complaint_forward(complaint=ours, agency=agency, by=officer)
    ours.refresh_from_db()
    member = agency_staff(agency)
    client.force_login(member)

    page = client.get(ADMIN_URL).content.decode()
    assert '<option value="state">' in page and '<option value="assign">' not in page

    post(client, [ours, theirs], bulk_action="assign", officer=officer.pk)
    ours.refresh_from_db()
    assert ours.assigned_officer is None

    post(client, [ours, theirs], bulk_action="state", to_state=State.COMPLETED)
    ours.refresh_from_db(), theirs.refresh_from_db()
    assert ours.state == State.COMPLETED
    assert theirs.state == State.UNDER_REVIEW  # not theirs to see: left out, not named
    assert theirs.tracking_number not in shown_messages(client)


def test_the_way_back_is_always_the_list(client, officer):
    complaint = case()
    client.force_login(officer)

    for away in ("https://example.com/", "//example.com/admin/complaints/complaint/", "/admin/"):
        response = client.post(
            BULK_URL,
            {
                "selected": ticks(complaint),
                "bulk_action": "state",
                "to_state": "in_progress",
                "next": away,
            },
        )
        assert response["Location"] == ADMIN_URL


def test_nobody_without_the_change_permission_acts_in_bulk(client):
    complaint = case()
    client.force_login(StaffFactory(role=Role.EXECUTIVE))

    response = post(client, [complaint], bulk_action="state", to_state="in_progress")

    assert response.status_code in (302, 403)
    complaint.refresh_from_db()
    assert complaint.state == State.UNDER_REVIEW
