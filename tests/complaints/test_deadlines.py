"""The 15-day report-back deadline, counted in Bangkok calendar days: what the badge says and
which cases the overdue list holds, right at the boundaries."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints import deadlines
from complaints.models import REPORT_BACK_DAYS, Complaint, State
from complaints.querysets import ComplaintQuerySet
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


def bangkok(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BANGKOK)


# Filed late in the evening of 1 March 2026 (Bangkok): 15:30 UTC on that day.
FILED = bangkok(2026, 3, 1, 22, 30)


@pytest.fixture
def filed():
    return ComplaintFactory(report_due_at=Complaint.due_from(FILED))


def overdue_ids(now) -> set[int]:
    return set(ComplaintQuerySet(model=Complaint).overdue(now=now).values_list("pk", flat=True))


def test_the_promise_is_fifteen_days():
    assert REPORT_BACK_DAYS == deadlines.REPORT_BACK_DAYS == 15


@pytest.mark.parametrize(
    ("now", "left", "label", "level"),
    [
        (bangkok(2026, 3, 1, 22, 31), 15, "เหลือ 15 วัน", "ok"),
        (bangkok(2026, 3, 12, 23, 59), 4, "เหลือ 4 วัน", "ok"),
        (bangkok(2026, 3, 13, 0, 0), 3, "เหลือ 3 วัน", "warn"),
        (bangkok(2026, 3, 15, 23, 59), 1, "เหลือ 1 วัน", "warn"),
        (bangkok(2026, 3, 16, 0, 0), 0, "ครบกำหนดวันนี้", "warn"),
        (bangkok(2026, 3, 16, 23, 59), 0, "ครบกำหนดวันนี้", "warn"),
        (bangkok(2026, 3, 17, 0, 0), -1, "เกินกำหนด 1 วัน", "overdue"),
        (bangkok(2026, 3, 18, 12, 0), -2, "เกินกำหนด 2 วัน", "overdue"),
    ],
)
def test_badge_counts_bangkok_days(filed, now, left, label, level):
    assert deadlines.days_left(filed, today=now) == left
    assert deadlines.badge(filed, today=now) == {"label": label, "level": level, "days_left": left}
    assert deadlines.is_overdue(filed, today=now) is (left < 0)
    assert (filed.pk in overdue_ids(now)) is (left < 0)


def test_day_sixteen_starts_at_bangkok_midnight_not_utc(filed):
    # 17:30 UTC on 16 March is already 00:30 on the 17th in Bangkok.
    just_after = datetime.datetime(2026, 3, 16, 17, 30, tzinfo=datetime.UTC)
    just_before = datetime.datetime(2026, 3, 16, 16, 59, tzinfo=datetime.UTC)

    assert deadlines.due_date(filed) == datetime.date(2026, 3, 16)
    assert deadlines.days_left(filed, today=just_before) == 0
    assert deadlines.days_left(filed, today=just_after) == -1
    assert filed.pk not in overdue_ids(just_before)
    assert filed.pk in overdue_ids(just_after)


def test_a_date_can_be_given_as_today(filed):
    assert deadlines.days_left(filed, today=datetime.date(2026, 3, 10)) == 6


@pytest.mark.parametrize(
    ("state", "label"),
    [(State.COMPLETED, "ดำเนินการเสร็จสิ้น"), (State.CLOSED, "ยุติเรื่อง")],
)
def test_finished_cases_have_no_deadline(state, label):
    complaint = ComplaintFactory(state=state, report_due_at=Complaint.due_from(FILED))
    long_after = bangkok(2026, 6, 1, 9, 0)

    assert deadlines.days_left(complaint, today=long_after) is None
    assert deadlines.is_overdue(complaint, today=long_after) is False
    assert deadlines.badge(complaint, today=long_after) == {
        "label": label,
        "level": "done",
        "days_left": None,
    }
    assert complaint.pk not in overdue_ids(long_after)
