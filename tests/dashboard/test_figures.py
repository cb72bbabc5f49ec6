"""The seven figures against small data sets worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from addresses.models import District
from complaints.models import ComplaintCategory, State
from dashboard.forms import Filters
from dashboard.periods import Period
from dashboard.selectors import breakdowns, dashboard_figures
from tests.complaints.workflow_support import make_agency
from tests.dashboard.support import bkk, filed

pytestmark = pytest.mark.django_db

FY2569 = Filters.for_fiscal_year(2569)
NOW = bkk(2026, 3, 20, 9, 0)


def figures(filters=FY2569):
    return dashboard_figures(filters=filters, now=NOW)


def test_an_empty_period_has_zeros_and_no_averages():
    filed(bkk(2024, 5, 1))  # FY 2567: outside
    result = figures()
    assert (
        result.total,
        result.completed,
        result.in_progress,
        result.under_review,
        result.closed,
        result.rated,
        result.overdue,
    ) == (0, 0, 0, 0, 0, 0, 0)
    assert result.success_percent is None
    assert result.average_score is None
    assert result.average_days_to_complete is None


def test_all_closed_is_zero_percent_success_and_still_adds_up():
    for day in (1, 2, 3):
        filed(bkk(2025, 12, day), state=State.CLOSED, closed_reason="duplicate")
    result = figures()
    assert result.total == 3
    assert result.closed == 3
    assert result.completed == 0
    assert result.success_percent == Decimal("0.0")
    assert result.adds_up


@pytest.fixture
def mixed_year():
    """Six complaints of FY 2569 and one of FY 2568 (worked out below)."""
    filed(
        bkk(2025, 11, 10), state=State.COMPLETED, completed_at=bkk(2025, 11, 20), ratings=[(0, 4)]
    )
    # Reopened once and completed again: the round-1 rating (5) replaces the round-0 one (2).
    filed(
        bkk(2026, 1, 5),
        state=State.COMPLETED,
        completed_at=bkk(2026, 1, 9),
        reopen_count=1,
        ratings=[(0, 2), (1, 5)],
    )
    # Reopened and back in progress: its only rating (1) still counts.
    filed(
        bkk(2026, 1, 20),
        state=State.IN_PROGRESS,
        reopen_count=1,
        due=bkk(2026, 4, 30),
        ratings=[(0, 1)],
    )
    filed(bkk(2026, 3, 1), state=State.UNDER_REVIEW, due=bkk(2026, 3, 16))  # overdue
    filed(bkk(2026, 3, 2), state=State.CLOSED, closed_reason="withdrawn", due=bkk(2026, 3, 17))
    filed(bkk(2026, 2, 1), state=State.COMPLETED, completed_at=bkk(2026, 2, 3))  # not rated
    filed(
        bkk(2025, 9, 30, 12),
        state=State.COMPLETED,
        completed_at=bkk(2025, 10, 2, 12),
        ratings=[(0, 3)],
    )  # FY 2568


def test_mixed_year_by_hand(mixed_year):
    result = figures()
    assert result.total == 6
    assert result.completed == 3
    assert result.in_progress == 1
    assert result.under_review == 1
    assert result.closed == 1
    assert result.adds_up
    assert result.success_percent == Decimal("50.0")  # 3 / 6
    assert result.average_score == Decimal("3.3")  # (4 + 5 + 1) / 3
    assert result.rated == 3
    assert result.overdue == 1  # the closed one is past due but finished
    assert result.average_days_to_complete == Decimal("5.3")  # (10 + 4 + 2) / 3


def test_the_previous_year_is_its_own(mixed_year):
    result = figures(Filters.for_fiscal_year(2568))
    assert (result.total, result.completed, result.rated) == (1, 1, 1)
    assert result.average_score == Decimal("3.0")
    assert result.success_percent == Decimal("100.0")
    assert result.average_days_to_complete == Decimal("2.0")


def test_fiscal_year_boundary_in_bangkok_time():
    filed(bkk(2026, 9, 30, 23, 59))  # 16:59 UTC on 30 Sep
    filed(bkk(2026, 10, 1, 0, 0))  # 17:00 UTC on 30 Sep, but 1 Oct in Bangkok
    filed(bkk(2025, 10, 1, 0, 0))
    filed(bkk(2025, 9, 30, 23, 59))
    assert figures(Filters.for_fiscal_year(2569)).total == 2
    assert figures(Filters.for_fiscal_year(2570)).total == 1
    assert figures(Filters.for_fiscal_year(2568)).total == 1


def test_filters_by_district_category_agency_and_dates():
    other_district = District.objects.filter(province_id="60").exclude(code="6001").first()
    roads = ComplaintCategory.objects.create(name="ถนนชำรุด")
    water = ComplaintCategory.objects.create(name="น้ำประปา")
    agency = make_agency()
    filed(
        bkk(2025, 11, 1),
        category=roads,
        agency=agency,
        state=State.COMPLETED,
        completed_at=bkk(2025, 11, 3),
    )
    filed(bkk(2025, 11, 30, 23, 30), category=water)
    filed(
        bkk(2026, 2, 14),
        category=roads,
        target_district=other_district,
        target_subdistrict=other_district.subdistricts.first(),
    )
    narrow = {"district": other_district}
    assert figures(Filters.for_fiscal_year(2569, **narrow)).total == 1
    assert figures(Filters.for_fiscal_year(2569, category=roads)).total == 2
    assert figures(Filters.for_fiscal_year(2569, category=water)).total == 1
    by_agency = figures(Filters.for_fiscal_year(2569, agency=agency))
    assert (by_agency.total, by_agency.completed) == (1, 1)
    november = Filters(period=Period(datetime.date(2025, 11, 1), datetime.date(2025, 11, 30)))
    assert figures(november).total == 2
    days = Filters(period=Period(datetime.date(2025, 11, 2), datetime.date(2026, 2, 14)))
    assert figures(days).total == 2


def test_breakdowns_add_up_to_the_figures(mixed_year):
    result = figures()
    parts = breakdowns(filters=FY2569)
    assert len(parts.months) == 12
    assert parts.months[0].first_day == datetime.date(2025, 10, 1)
    by_month = {m.first_day: (m.total, m.completed) for m in parts.months}
    assert by_month[datetime.date(2025, 11, 1)] == (1, 1)
    assert by_month[datetime.date(2026, 1, 1)] == (2, 1)
    assert by_month[datetime.date(2026, 3, 1)] == (2, 0)
    assert sum(m.total for m in parts.months) == result.total
    assert sum(m.completed for m in parts.months) == result.completed
    assert sum(r.total for r in parts.categories) == result.total
    assert sum(r.total for r in parts.districts) == result.total
    assert sum(r.total for r in parts.agencies) == result.total
    assert [(r.label, r.total) for r in parts.states] == [
        ("อยู่ระหว่างการตรวจสอบ", 1),
        ("อยู่ระหว่างดำเนินการ", 1),
        ("ดำเนินการเสร็จสิ้น", 3),
        ("ยุติเรื่อง", 1),
    ]
    assert [r.total for r in parts.states] == [
        result.under_review,
        result.in_progress,
        result.completed,
        result.closed,
    ]


def test_month_of_a_complaint_is_its_bangkok_month():
    filed(bkk(2026, 2, 1, 0, 30))  # 31 Jan 17:30 UTC
    parts = breakdowns(filters=FY2569)
    by_month = {m.first_day: m.total for m in parts.months}
    assert by_month[datetime.date(2026, 2, 1)] == 1
    assert by_month[datetime.date(2026, 1, 1)] == 0
