"""The case workflow: transitions, history, reopening, optimistic locking, assignment,
forwarding, internal notes, permissions and satisfaction ratings."""

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from complaints.models import ClosedReason, Complaint, SatisfactionRating, State, StateChange
from complaints.workflow import (
    ALLOWED_TRANSITIONS,
    StaleComplaint,
    TransitionNotAllowed,
    allowed_targets,
    complaint_add_note,
    complaint_assign,
    complaint_change_state,
    complaint_forward,
    complaint_reopen,
    rating_submit,
)
from line_integration.models import OutboundMessage
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.factories import ComplaintFactory, jpeg_bytes, pdf_bytes
from tests.complaints.workflow_support import (
    agency_member,
    grant_case_permissions,
    link_line,
    make_agency,
    officer,
)

pytestmark = pytest.mark.django_db

ALLOWED = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in sorted(targets)]
REFUSED = [
    (a, b) for a, b in itertools.product(State.values, State.values) if (a, b) not in ALLOWED
]
CLOSING = {"closed_reason": ClosedReason.DUPLICATE, "public_note": "เป็นเรื่องเดียวกับเรื่องเดิม"}


@pytest.fixture(autouse=True)
def _permissions():
    grant_case_permissions()


@pytest.fixture
def staff():
    return officer()


def change(complaint, to, by, **kwargs):
    if to == State.CLOSED:
        kwargs = {**CLOSING, **kwargs}
    return complaint_change_state(complaint=complaint, to=to, by=by, **kwargs)


# Transitions --------------------------------------------------------------------------------------


def test_the_transition_table_is_the_one_agreed():
    assert len(ALLOWED) == 7
    assert allowed_targets(State.UNDER_REVIEW) == [State.IN_PROGRESS, State.COMPLETED, State.CLOSED]
    assert allowed_targets(State.COMPLETED) == [State.IN_PROGRESS]
    assert (State.IN_PROGRESS, State.UNDER_REVIEW) in REFUSED
    assert (State.COMPLETED, State.CLOSED) in REFUSED


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED)
def test_allowed_transition_moves_the_case_and_writes_history(staff, from_state, to_state):
    complaint = ComplaintFactory(state=from_state)
    before = timezone.now()

    entry = change(
        complaint, to_state, staff, public_note="แจ้งความคืบหน้า", internal_note="โทรคุยกับผู้ร้องแล้ว"
    )

    complaint.refresh_from_db()
    assert complaint.state == to_state
    assert complaint.version == 2
    assert complaint.state_changed_at >= before
    entry.refresh_from_db()
    assert (entry.kind, entry.from_state, entry.to_state) == ("state", from_state, to_state)
    assert entry.by == staff
    assert entry.internal_note == "โทรคุยกับผู้ร้องแล้ว"
    assert entry.public_note == "แจ้งความคืบหน้า"
    assert list(complaint.history.values_list("to_state", flat=True)) == [
        State.UNDER_REVIEW,
        to_state,
    ]


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED)
def test_refused_transition_changes_nothing(staff, from_state, to_state):
    complaint = ComplaintFactory(state=from_state)

    with pytest.raises(TransitionNotAllowed) as caught:
        change(complaint, to_state, staff)

    assert caught.value.code == "transition_not_allowed"
    assert "ไม่ได้" in caught.value.messages[0]
    complaint.refresh_from_db()
    assert (complaint.state, complaint.version) == (from_state, 1)
    assert complaint.history.count() == 1


def test_an_unknown_state_is_refused(staff):
    complaint = ComplaintFactory()
    with pytest.raises(TransitionNotAllowed):
        complaint_change_state(complaint=complaint, to="archived", by=staff)


def test_completing_records_the_time_and_the_callers_object_follows(staff):
    complaint = ComplaintFactory(state=State.IN_PROGRESS)

    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=staff, public_note="ซ่อมถนนเรียบร้อยแล้ว"
    )

    assert complaint.state == State.COMPLETED
    assert complaint.completed_at is not None
    assert complaint.version == 2
    assert Complaint.objects.get(pk=complaint.pk).completed_at == complaint.completed_at


# Closing ------------------------------------------------------------------------------------------


def test_closing_needs_a_reason_and_a_note_for_the_citizen(staff):
    complaint = ComplaintFactory()

    with pytest.raises(ValidationError) as caught:
        complaint_change_state(complaint=complaint, to=State.CLOSED, by=staff)

    assert set(caught.value.message_dict) == {"closed_reason", "public_note"}
    assert "เหตุผล" in caught.value.message_dict["closed_reason"][0]
    with pytest.raises(ValidationError) as caught:
        complaint_change_state(
            complaint=complaint, to=State.CLOSED, by=staff, closed_reason="bored", public_note="ยุติ"
        )
    assert set(caught.value.message_dict) == {"closed_reason"}
    complaint.refresh_from_db()
    assert (complaint.state, complaint.history.count()) == (State.UNDER_REVIEW, 1)


def test_closing_keeps_the_reason_until_the_case_is_reopened(staff):
    complaint = ComplaintFactory()

    change(complaint, State.CLOSED, staff, closed_reason=ClosedReason.NOT_IN_AUTHORITY)
    assert Complaint.objects.get(pk=complaint.pk).closed_reason == ClosedReason.NOT_IN_AUTHORITY

    change(complaint, State.IN_PROGRESS, staff, public_note="รับเรื่องไว้พิจารณาใหม่")
    complaint.refresh_from_db()
    assert complaint.closed_reason == ""
    assert complaint.reopen_count == 1


# Reopening ----------------------------------------------------------------------------------------


def test_reopening_counts_and_gives_a_fresh_deadline(staff):
    complaint = ComplaintFactory(
        state=State.IN_PROGRESS, report_due_at=timezone.now() - timedelta(days=3)
    )
    change(complaint, State.COMPLETED, staff)
    change(complaint, State.IN_PROGRESS, staff, public_note="ตรวจสอบเพิ่มเติม")
    change(complaint, State.CLOSED, staff)
    change(complaint, State.IN_PROGRESS, staff, public_note="ผู้ร้องส่งหลักฐานใหม่")

    complaint.refresh_from_db()
    assert complaint.reopen_count == 2
    assert complaint.completed_at is None
    assert complaint.report_due_at > timezone.now() + timedelta(days=14)
    assert complaint.version == 5


def test_citizen_reopens_their_own_completed_case_with_a_reason():
    complaint = ComplaintFactory(state=State.COMPLETED)

    entry = complaint_reopen(
        complaint=complaint, by=complaint.citizen, reason="ถนนกลับมาเป็นหลุมเหมือนเดิม"
    )

    assert (entry.from_state, entry.to_state, entry.by) == (
        State.COMPLETED,
        State.IN_PROGRESS,
        complaint.citizen,
    )
    assert entry.public_note == "ถนนกลับมาเป็นหลุมเหมือนเดิม"
    complaint.refresh_from_db()
    assert (complaint.state, complaint.reopen_count) == (State.IN_PROGRESS, 1)


def test_reopening_needs_a_reason_and_a_finished_case(staff):
    complaint = ComplaintFactory(state=State.CLOSED)
    with pytest.raises(ValidationError) as caught:
        complaint_reopen(complaint=complaint, by=complaint.citizen, reason="   ")
    assert "reason" in caught.value.message_dict

    open_case = ComplaintFactory(state=State.IN_PROGRESS)
    with pytest.raises(TransitionNotAllowed):
        complaint_reopen(complaint=open_case, by=open_case.citizen, reason="ยังไม่เสร็จ")

    complaint_reopen(complaint=complaint, by=staff, reason="พบข้อมูลใหม่")
    assert Complaint.objects.get(pk=complaint.pk).state == State.IN_PROGRESS


def test_another_citizen_cannot_reopen_a_case():
    complaint = ComplaintFactory(state=State.COMPLETED)
    stranger = CitizenFactory().user

    with pytest.raises(PermissionDenied):
        complaint_reopen(complaint=complaint, by=stranger, reason="ขอเปิดใหม่")

    complaint.refresh_from_db()
    assert (complaint.state, complaint.reopen_count) == (State.COMPLETED, 0)


# Optimistic locking -------------------------------------------------------------------------------


def test_second_officer_saving_the_same_version_is_refused_and_nothing_is_written():
    complaint = ComplaintFactory()
    first, second = officer(), officer(role=Role.SUPERVISOR)
    link_line(complaint.citizen)
    page_a = Complaint.objects.get(pk=complaint.pk)
    page_b = Complaint.objects.get(pk=complaint.pk)

    complaint_change_state(
        complaint=page_a,
        to=State.IN_PROGRESS,
        by=first,
        public_note="รับเรื่องแล้ว",
        expected_version=page_a.version,
    )
    messages_before = OutboundMessage.objects.count()

    with pytest.raises(StaleComplaint) as caught:
        complaint_change_state(
            complaint=page_b,
            to=State.CLOSED,
            by=second,
            expected_version=page_b.version,
            **CLOSING,
        )

    assert str(caught.value) == ("เรื่องนี้ถูกแก้ไขโดยเจ้าหน้าที่คนอื่นเมื่อสักครู่ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.version, complaint.closed_reason) == (
        State.IN_PROGRESS,
        2,
        "",
    )
    assert complaint.history.count() == 2
    assert OutboundMessage.objects.count() == messages_before


@pytest.mark.parametrize("service", ["assign", "forward", "note", "reopen"])
def test_every_service_checks_the_version(staff, service):
    state = State.COMPLETED if service == "reopen" else State.IN_PROGRESS
    complaint = ComplaintFactory(state=state)
    stale = complaint.version
    Complaint.objects.filter(pk=complaint.pk).update(version=stale + 1)
    calls = {
        "assign": lambda: complaint_assign(
            complaint=complaint, officer=officer(), by=staff, expected_version=stale
        ),
        "forward": lambda: complaint_forward(
            complaint=complaint, agency=make_agency(), by=staff, expected_version=stale
        ),
        "note": lambda: complaint_add_note(
            complaint=complaint, by=staff, internal_note="บันทึก", expected_version=stale
        ),
        "reopen": lambda: complaint_reopen(
            complaint=complaint, by=staff, reason="เปิดใหม่", expected_version=stale
        ),
    }
    with pytest.raises(StaleComplaint):
        calls[service]()
    assert complaint.history.count() == 1


# Attachments --------------------------------------------------------------------------------------


def test_attachment_is_stored_privately_with_its_name(staff, settings):
    complaint = ComplaintFactory()
    upload = SimpleUploadedFile("หนังสือตอบกลับ.pdf", pdf_bytes(), content_type="application/pdf")

    entry = complaint_change_state(
        complaint=complaint, to=State.IN_PROGRESS, by=staff, attachment=upload
    )

    entry.refresh_from_db()
    assert entry.attachment_name == "หนังสือตอบกลับ.pdf"
    stored = Path(entry.attachment.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes().startswith(b"%PDF-")


def test_note_with_a_photo_is_re_encoded_and_a_fake_file_refused(staff):
    complaint = ComplaintFactory()
    photo = SimpleUploadedFile("หน้างาน.jpg", jpeg_bytes(), content_type="image/jpeg")

    entry = complaint_add_note(
        complaint=complaint, by=staff, internal_note="ลงพื้นที่แล้ว", attachment=photo
    )
    assert entry.attachment.read().startswith(b"\xff\xd8")

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        complaint_add_note(complaint=complaint, by=staff, internal_note="อีกฉบับ", attachment=fake)
    assert "attachment" in caught.value.message_dict
    assert complaint.history.filter(kind=StateChange.Kind.NOTE).count() == 1


# Assigning, forwarding, notes ---------------------------------------------------------------------


def test_assigning_records_the_officer_and_bumps_the_version(staff):
    complaint = ComplaintFactory()
    responsible = officer(role=Role.SUPERVISOR)

    entry = complaint_assign(
        complaint=complaint, officer=responsible, by=staff, internal_note="เรื่องถนน ให้คุณดูแล"
    )

    complaint.refresh_from_db()
    assert complaint.assigned_officer == responsible
    assert complaint.version == 2
    assert (entry.kind, entry.assigned_to, entry.by) == ("assign", responsible, staff)
    assert entry.from_state == entry.to_state == State.UNDER_REVIEW
    with pytest.raises(ValidationError):
        complaint_assign(complaint=complaint, officer=responsible, by=staff)


def test_only_centre_officers_can_be_assigned(staff):
    complaint = ComplaintFactory()
    agency = make_agency()
    for person in (
        CitizenFactory().user,
        StaffFactory(role=Role.NEWS_EDITOR),
        agency_member(agency),
    ):
        with pytest.raises(ValidationError) as caught:
            complaint_assign(complaint=complaint, officer=person, by=staff)
        assert "officer" in caught.value.message_dict
    assert Complaint.objects.get(pk=complaint.pk).assigned_officer is None


def test_forwarding_a_new_case_starts_work_in_one_history_entry(staff):
    complaint = ComplaintFactory()
    agency = make_agency(name="เทศบาลนครนครสวรรค์ (ทดสอบ)")

    entry = complaint_forward(
        complaint=complaint,
        agency=agency,
        by=staff,
        public_note="ส่งเรื่องให้เทศบาลแล้ว",
        internal_note="ด่วน",
    )

    complaint.refresh_from_db()
    assert (complaint.agency, complaint.state, complaint.version) == (agency, State.IN_PROGRESS, 2)
    assert (entry.kind, entry.from_state, entry.to_state, entry.agency) == (
        "forward",
        State.UNDER_REVIEW,
        State.IN_PROGRESS,
        agency,
    )
    assert complaint.history.count() == 2


def test_forwarding_rules(staff):
    complaint = ComplaintFactory(state=State.IN_PROGRESS)
    first, second = make_agency(), make_agency()

    entry = complaint_forward(complaint=complaint, agency=first, by=staff)
    assert entry.from_state == entry.to_state == State.IN_PROGRESS
    with pytest.raises(ValidationError):
        complaint_forward(complaint=complaint, agency=first, by=staff)
    complaint_forward(complaint=complaint, agency=second, by=staff)
    assert Complaint.objects.get(pk=complaint.pk).agency == second

    with pytest.raises(ValidationError):
        complaint_forward(complaint=complaint, agency=make_agency(is_active=False), by=staff)
    done = ComplaintFactory(state=State.COMPLETED)
    with pytest.raises(TransitionNotAllowed):
        complaint_forward(complaint=done, agency=first, by=staff)


def test_internal_note_is_recorded_without_bumping_the_version(staff):
    complaint = ComplaintFactory()

    entry = complaint_add_note(complaint=complaint, by=staff, internal_note="ผู้ร้องโทรมาสอบถาม")

    assert (entry.kind, entry.internal_note, entry.public_note) == ("note", "ผู้ร้องโทรมาสอบถาม", "")
    assert Complaint.objects.get(pk=complaint.pk).version == 1
    with pytest.raises(ValidationError):
        complaint_add_note(complaint=complaint, by=staff, internal_note=" ")


# Permissions --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["citizen", "news_editor", "executive", "inactive"])
def test_people_without_the_permission_cannot_change_cases(who):
    complaint = ComplaintFactory()
    by = {
        "citizen": lambda: complaint.citizen,
        "news_editor": lambda: StaffFactory(role=Role.NEWS_EDITOR),
        "executive": lambda: StaffFactory(role=Role.EXECUTIVE),
        "inactive": lambda: officer(is_active=False),
    }[who]()

    with pytest.raises(PermissionDenied):
        change(complaint, State.IN_PROGRESS, by)
    with pytest.raises(PermissionDenied):
        complaint_add_note(complaint=complaint, by=by, internal_note="แอบดู")
    assert complaint.history.count() == 1


def test_agency_member_acts_only_on_cases_forwarded_to_their_agency(staff):
    agency, other = make_agency(), make_agency()
    member = agency_member(agency)
    ours, theirs = ComplaintFactory(), ComplaintFactory()
    complaint_forward(complaint=ours, agency=agency, by=staff)
    complaint_forward(complaint=theirs, agency=other, by=staff)

    complaint_add_note(complaint=ours, by=member, internal_note="รับเรื่องแล้ว")
    change(ours, State.COMPLETED, member, public_note="ซ่อมเสร็จแล้ว")
    assert Complaint.objects.get(pk=ours.pk).state == State.COMPLETED

    with pytest.raises(PermissionDenied):
        change(theirs, State.COMPLETED, member)
    with pytest.raises(PermissionDenied):
        complaint_forward(complaint=ours, agency=other, by=member)
    with pytest.raises(PermissionDenied):
        complaint_assign(complaint=ours, officer=staff, by=member)
    assert Complaint.objects.get(pk=theirs.pk).state == State.IN_PROGRESS


# Ratings ------------------------------------------------------------------------------------------


@pytest.fixture
def completed():
    return ComplaintFactory(state=State.COMPLETED, completed_at=timezone.now())


def test_complainant_rates_a_completed_case(completed):
    rating = rating_submit(
        complaint=completed, citizen=completed.citizen, score=5, comment=" เจ้าหน้าที่ดูแลดีมาก "
    )

    rating.refresh_from_db()
    assert (rating.score, rating.comment, rating.completion_round) == (5, "เจ้าหน้าที่ดูแลดีมาก", 0)


@pytest.mark.parametrize("score", [0, 6, -1, "five", None])
def test_score_is_one_to_five(completed, score):
    with pytest.raises(ValidationError) as caught:
        rating_submit(complaint=completed, citizen=completed.citizen, score=score)
    assert "score" in caught.value.message_dict
    assert not SatisfactionRating.objects.exists()


def test_only_the_complainant_rates(completed, staff):
    for person in (CitizenFactory().user, staff):
        with pytest.raises(PermissionDenied):
            rating_submit(complaint=completed, citizen=person, score=1)
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize("state", [State.UNDER_REVIEW, State.IN_PROGRESS, State.CLOSED])
def test_only_completed_cases_are_rated(state):
    complaint = ComplaintFactory(state=state)
    with pytest.raises(ValidationError) as caught:
        rating_submit(complaint=complaint, citizen=complaint.citizen, score=4)
    assert caught.value.code == "not_completed"


def test_rating_can_be_changed_for_seven_days_then_not(completed):
    first = rating_submit(complaint=completed, citizen=completed.citizen, score=2)
    changed = rating_submit(
        complaint=completed, citizen=completed.citizen, score=4, comment="แก้ไขแล้วดีขึ้น"
    )
    assert changed.pk == first.pk
    assert SatisfactionRating.objects.get().score == 4

    SatisfactionRating.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    with pytest.raises(ValidationError) as caught:
        rating_submit(complaint=completed, citizen=completed.citizen, score=1)
    assert caught.value.code == "rating_locked"
    assert "7 วัน" in caught.value.messages[0]
    assert SatisfactionRating.objects.get().score == 4


def test_a_reopened_and_again_completed_case_is_rated_afresh(completed, staff):
    rating_submit(complaint=completed, citizen=completed.citizen, score=2)
    complaint_reopen(complaint=completed, by=completed.citizen, reason="ยังไม่เรียบร้อย")
    with pytest.raises(ValidationError):
        rating_submit(complaint=completed, citizen=completed.citizen, score=3)
    change(completed, State.COMPLETED, staff, public_note="แก้ไขเรียบร้อยแล้ว")

    second = rating_submit(complaint=completed, citizen=completed.citizen, score=5)

    assert second.completion_round == 1
    assert sorted(completed.ratings.values_list("completion_round", "score")) == [(0, 2), (1, 5)]
