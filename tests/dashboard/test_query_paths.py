"""The ways the dashboard's numbers are computed for speed (dashboard.selectors) give the same
answers as counting by hand: the breakdowns with and without GROUPING SETS, months counted by
FILTER clauses and by GROUP BY for long ranges, and ratings given through the real service."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from complaints.models import ComplaintCategory, State
from complaints.workflow import complaint_change_state, complaint_reopen, rating_submit
from dashboard.forms import Filters
from dashboard.periods import Period
from dashboard.selectors import (
    MONTHS_IN_ONE_PASS,
    _group_counts,
    breakdowns,
    dashboard_figures,
    dashboard_numbers,
)
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import grant_case_permissions, make_agency, officer
from tests.dashboard.support import bkk, filed

pytestmark = pytest.mark.django_db

FY2569 = Filters.for_fiscal_year(2569)


@pytest.fixture
def spread():
    """Nine complaints of FY 2569 over two categories, one agency and no agency."""
    roads = ComplaintCategory.objects.create(name="ถนนชำรุด")
    water = ComplaintCategory.objects.create(name="น้ำประปา")
    agency = make_agency()
    for day in range(1, 6):
        filed(bkk(2025, 11, day), category=roads, agency=agency, state=State.COMPLETED)
    for day in range(1, 4):
        filed(bkk(2026, 2, day), category=water)
    filed(bkk(2026, 2, 9), category=water, agency=agency, state=State.COMPLETED)
    filed(bkk(2024, 2, 9), category=water)  # FY 2567: outside
    return roads, water, agency


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GROUPING SETS: PostgreSQL only")
def test_grouping_sets_and_the_portable_group_by_agree(spread):
    with_sets = sorted(_group_counts(FY2569, grouping_sets=True), key=repr)
    portable = sorted(_group_counts(FY2569, grouping_sets=False), key=repr)
    assert with_sets == portable


def test_breakdowns_by_hand(spread):
    roads, water, agency = spread
    parts = breakdowns(filters=FY2569)
    assert [(r.label, r.total, r.completed) for r in parts.categories] == [
        ("ถนนชำรุด", 5, 5),
        ("น้ำประปา", 4, 1),
    ]
    assert [(r.label, r.total, r.completed) for r in parts.agencies] == [
        (agency.name, 6, 6),
        ("ยังไม่ได้ส่งต่อหน่วยงาน", 3, 0),
    ]
    assert [(r.label, r.total) for r in parts.districts] == [("เมืองนครสวรรค์", 9)]


def test_equal_counts_are_ordered_by_name_and_not_forwarded_last():
    water = ComplaintCategory.objects.create(name="น้ำประปา")
    roads = ComplaintCategory.objects.create(name="ถนนชำรุด")
    agency = make_agency()
    filed(bkk(2026, 1, 5), category=water)
    filed(bkk(2026, 1, 6), category=roads, agency=agency)
    parts = breakdowns(filters=FY2569)
    assert [r.label for r in parts.categories] == ["ถนนชำรุด", "น้ำประปา"]
    assert [r.label for r in parts.agencies] == [agency.name, "ยังไม่ได้ส่งต่อหน่วยงาน"]


def test_a_range_longer_than_three_years_still_counts_every_month():
    start, end = datetime.date(2022, 10, 1), datetime.date(2026, 9, 30)  # 48 months
    assert 48 > MONTHS_IN_ONE_PASS
    filed(bkk(2022, 10, 1, 0, 5), state=State.COMPLETED)
    filed(bkk(2024, 2, 29))
    filed(bkk(2026, 9, 30, 23, 55))
    filed(bkk(2026, 10, 1, 0, 5))  # the day after: outside
    figures, parts = dashboard_numbers(filters=Filters(period=Period(start, end)))
    assert len(parts.months) == 48
    counted = {m.first_day: (m.total, m.completed) for m in parts.months if m.total}
    assert counted == {
        datetime.date(2022, 10, 1): (1, 1),
        datetime.date(2024, 2, 1): (1, 0),
        datetime.date(2026, 9, 1): (1, 0),
    }
    assert figures.total == 3


def test_two_passes_and_three_name_lookups_whatever_the_data(spread, django_assert_num_queries):
    with django_assert_num_queries(5):
        dashboard_numbers(filters=FY2569)


def test_ratings_given_through_the_service_are_what_the_figures_count():
    """No shortcut: the citizen rates, changes the rating, the case is reopened and rated
    again; the dashboard follows each step."""
    grant_case_permissions()
    staff, citizen = officer(), CitizenFactory()
    complaint = ComplaintFactory(profile=citizen)
    other = ComplaintFactory(profile=citizen)
    this_year = Filters.for_fiscal_year()
    for case in (complaint, other):
        complaint_change_state(complaint=case, to=State.COMPLETED, by=staff, public_note="เสร็จ")

    assert (
        dashboard_figures(filters=this_year).rated,
        dashboard_figures(filters=this_year).average_score,
    ) == (0, None)

    rating_submit(complaint=complaint, citizen=citizen.user, score=2)
    rating_submit(complaint=other, citizen=citizen.user, score=5)
    figures = dashboard_figures(filters=this_year)
    assert (figures.rated, figures.average_score) == (2, Decimal("3.5"))

    rating_submit(complaint=complaint, citizen=citizen.user, score=3)  # changed within 7 days
    assert dashboard_figures(filters=this_year).average_score == Decimal("4.0")

    complaint_reopen(complaint=complaint, by=citizen.user, reason="ยังไม่เรียบร้อย")
    figures = dashboard_figures(filters=this_year)
    assert (figures.rated, figures.average_score) == (2, Decimal("4.0"))  # last answer stands

    complaint_change_state(complaint=complaint, to=State.COMPLETED, by=staff, public_note="แล้ว")
    rating_submit(complaint=complaint, citizen=citizen.user, score=1)
    figures = dashboard_figures(filters=this_year)
    assert (figures.rated, figures.average_score) == (2, Decimal("3.0"))  # (1 + 5) / 2
