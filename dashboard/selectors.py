"""The dashboard's numbers: two queries over the complaints received in the period.

Definitions (shown on the page too, ``dashboard.definitions``): the period counts complaints
RECEIVED in it (``submitted_at``, Bangkok dates); each one's state is as of now. So
total = completed + in progress + under review + closed (ยุติเรื่อง), always.

Speed (under 200 ms over a million complaints, ``bench/dashboard.py``): every number
comes from one of two passes over the same rows, both answered from one of the covering indexes
``Complaint.Meta.indexes`` declares for the dashboard (received date first, or district,
category or agency first), so PostgreSQL reads neither the wide complaint rows nor the ratings
table:
1. one aggregate with FILTER clauses: the seven figures, the timeliness numbers, the states and
   each month's received/completed counts (the average score and the rated count come from
   ``Complaint.latest_rating_score``, which the rating service keeps);
2. the category, district and agency breakdowns: on PostgreSQL one GROUPING SETS query (raw
   SQL around the ORM's own ``received`` query, on the same database alias, so the read
   replica of ``core.db`` serves it too); elsewhere one GROUP BY over all three, summed here.
   Their names come from the three small tables.
Pages changed since the last vacuum are read from the table after all (migration
``complaints.0005`` has autovacuum come sooner for that reason).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from addresses.models import District
from complaints.clock import local_date, start_of_day
from complaints.models import Agency, Complaint, ComplaintCategory, State
from complaints.querysets import OPEN_STATES
from dashboard.forms import Filters
from dashboard.periods import months_between

BANGKOK = ZoneInfo("Asia/Bangkok")
# Up to this many months are counted by FILTER clauses in the figures' query; a longer custom
# date range (a chart of more than three years) gets one GROUP BY month query instead.
MONTHS_IN_ONE_PASS = 36


@dataclass(frozen=True)
class Figures:
    total: int
    completed: int
    in_progress: int
    under_review: int
    closed: int
    success_percent: Decimal | None  # None when nothing was received
    average_score: Decimal | None  # None when nothing was rated
    rated: int
    overdue: int
    average_days_to_complete: Decimal | None

    @property
    def adds_up(self) -> bool:
        return self.total == self.completed + self.in_progress + self.under_review + self.closed


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    completed: int = 0
    key: object = None  # the category's, district's or agency's primary key


@dataclass(frozen=True)
class Month:
    first_day: datetime.date
    total: int
    completed: int


@dataclass(frozen=True)
class Breakdowns:
    months: list[Month]
    categories: list[Row]
    districts: list[Row]
    states: list[Row]
    agencies: list[Row]


def received(filters: Filters):
    """Complaints received in the period, narrowed by the filters."""
    start, end = filters.period.bounds()
    queryset = Complaint.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if filters.district:
        queryset = queryset.filter(target_district=filters.district)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.agency:
        queryset = queryset.filter(agency=filters.agency)
    return queryset.order_by()


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


DONE = Q(state=State.COMPLETED)
# Counted for "how many complaints": never NULL, and in every dashboard index, unlike the
# primary key (COUNT(id) would make PostgreSQL read the table).
EVERY = "submitted_at"


def _month_bounds(filters: Filters) -> list[tuple[datetime.date, Q]]:
    """Each month of the period with the condition that puts a complaint in it (Bangkok
    midnight to Bangkok midnight; the period's own bounds clip the first and last)."""
    firsts = months_between(filters.period.start, filters.period.end)
    last = firsts[-1]
    following = [*firsts[1:], datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)]
    return [
        (first, Q(submitted_at__gte=start_of_day(first), submitted_at__lt=start_of_day(after)))
        for first, after in zip(firsts, following, strict=True)
    ]


def _summary(filters: Filters, now: datetime.datetime | None) -> tuple[Figures, list[Month]]:
    """Pass 1: the figures and the months, one aggregate query."""
    overdue_before = start_of_day(local_date(now or timezone.now()))
    days = ExpressionWrapper(F("completed_at") - F("submitted_at"), output_field=DurationField())
    months = _month_bounds(filters)
    by_month = {}
    if len(months) <= MONTHS_IN_ONE_PASS:
        for i, (_first, in_month) in enumerate(months):
            by_month[f"m{i}_total"] = Count(EVERY, filter=in_month)
            by_month[f"m{i}_completed"] = Count(EVERY, filter=in_month & DONE)
    counts = received(filters).aggregate(
        total=Count(EVERY),
        completed=Count(EVERY, filter=DONE),
        in_progress=Count(EVERY, filter=Q(state=State.IN_PROGRESS)),
        under_review=Count(EVERY, filter=Q(state=State.UNDER_REVIEW)),
        closed=Count(EVERY, filter=Q(state=State.CLOSED)),
        overdue=Count(EVERY, filter=Q(state__in=OPEN_STATES, report_due_at__lt=overdue_before)),
        duration=Avg(days, filter=DONE & Q(completed_at__isnull=False)),
        rated=Count("latest_rating_score"),
        average=Avg("latest_rating_score"),
        **by_month,
    )
    total, duration = counts["total"], counts["duration"]
    figures = Figures(
        total=total,
        completed=counts["completed"],
        in_progress=counts["in_progress"],
        under_review=counts["under_review"],
        closed=counts["closed"],
        success_percent=_one_decimal(100 * counts["completed"] / total) if total else None,
        average_score=_one_decimal(counts["average"]),
        rated=counts["rated"],
        overdue=counts["overdue"],
        average_days_to_complete=(
            _one_decimal(duration.total_seconds() / 86400) if duration is not None else None
        ),
    )
    if not by_month:
        return figures, _months_grouped(filters)
    return figures, [
        Month(first, counts[f"m{i}_total"], counts[f"m{i}_completed"])
        for i, (first, _in_month) in enumerate(months)
    ]


def _months_grouped(filters: Filters) -> list[Month]:
    """Every month of a long custom period, empty ones included, so the axis does not jump."""
    rows = (
        received(filters)
        .annotate(month=TruncMonth("submitted_at", output_field=DateField(), tzinfo=BANGKOK))
        .values("month")
        .annotate(total=Count(EVERY), completed=Count(EVERY, filter=DONE))
    )
    found = {row["month"]: row for row in rows}
    return [
        Month(first, found.get(first, {}).get("total", 0), found.get(first, {}).get("completed", 0))
        for first in months_between(filters.period.start, filters.period.end)
    ]


def _rows(totals: Counter, completed: Counter, names: dict, empty: str = "") -> list[Row]:
    """Most complaints first, then by name (a missing one, e.g. not forwarded, last)."""
    rows = [
        (names.get(key), Row(names.get(key) or empty, totals[key], completed[key], key))
        for key in totals
    ]
    rows.sort(key=lambda pair: (-pair[1].total, pair[0] is None, pair[0] or ""))
    return [row for _name, row in rows]


BREAKDOWN_KEYS = ("category_id", "target_district_id", "agency_id")


def _group_counts(
    filters: Filters, *, grouping_sets: bool | None = None
) -> list[tuple[int, object, int, int]]:
    """(position in BREAKDOWN_KEYS, key, total, completed) for every group of each key.

    PostgreSQL: one GROUPING SETS query over the ORM's own ``received`` query. Elsewhere
    (SQLite, small data): one GROUP BY over all three keys, summed here (thousands of groups
    at a million complaints, which is why PostgreSQL does not)."""
    rows = received(filters).values(*BREAKDOWN_KEYS, "state")
    database = connections[rows.db]  # the read replica inside core.db.reading_from_replica
    if grouping_sets is None:
        grouping_sets = database.vendor == "postgresql"
    if grouping_sets:
        inner, params = rows.query.get_compiler(using=rows.db).as_sql()
        keys = ", ".join(BREAKDOWN_KEYS)
        with database.cursor() as cursor:
            cursor.execute(
                f"SELECT GROUPING({keys}), {keys}, COUNT(*), "
                f"COUNT(*) FILTER (WHERE state = %s) FROM ({inner}) AS received "
                f"GROUP BY GROUPING SETS ({', '.join(f'({key})' for key in BREAKDOWN_KEYS)})",
                [State.COMPLETED.value, *params],
            )
            # GROUPING(a, b, c) sets a bit for each key the row is NOT grouped by.
            position_of = {0b011: 0, 0b101: 1, 0b110: 2}
            return [
                (position_of[bits], keys_[position_of[bits]], total, done)
                for bits, *keys_, total, done in cursor.fetchall()
            ]
    totals, completed = Counter(), Counter()
    for *group, total, done in (
        rows.values(*BREAKDOWN_KEYS)
        .annotate(total=Count(EVERY), completed=Count(EVERY, filter=DONE))
        .values_list(*BREAKDOWN_KEYS, "total", "completed")
    ):
        for position, key in enumerate(group):
            totals[position, key] += total
            completed[position, key] += done
    return [(pos, key, total, completed[pos, key]) for (pos, key), total in totals.items()]


def _grouped(filters: Filters) -> tuple[list[Row], list[Row], list[Row]]:
    """Pass 2: categories, districts and agencies, each with its name."""
    totals = [Counter(), Counter(), Counter()]
    completed = [Counter(), Counter(), Counter()]
    for position, key, total, done in _group_counts(filters):
        totals[position][key] += total
        completed[position][key] += done
    names = (
        dict(ComplaintCategory.objects.filter(pk__in=list(totals[0])).values_list("pk", "name")),
        dict(District.objects.filter(pk__in=list(totals[1])).values_list("pk", "name_th")),
        dict(Agency.objects.filter(pk__in=[k for k in totals[2] if k]).values_list("pk", "name")),
    )
    return (
        _rows(totals[0], completed[0], names[0]),
        _rows(totals[1], completed[1], names[1]),
        _rows(totals[2], completed[2], names[2], empty=str(_("ยังไม่ได้ส่งต่อหน่วยงาน"))),
    )


def dashboard_numbers(
    *, filters: Filters, now: datetime.datetime | None = None
) -> tuple[Figures, Breakdowns]:
    """Everything the page and the exports show: the two passes (and the names)."""
    figures, months = _summary(filters, now)
    categories, districts, agencies = _grouped(filters)
    return figures, Breakdowns(
        months=months,
        categories=categories,
        districts=districts,
        states=[Row(str(state.label), getattr(figures, state.value)) for state in State],
        agencies=agencies,
    )


def dashboard_figures(*, filters: Filters, now: datetime.datetime | None = None) -> Figures:
    """The seven figures and the timeliness numbers alone (one query)."""
    return _summary(filters, now)[0]


def breakdowns(*, filters: Filters) -> Breakdowns:
    """The charts' numbers alone."""
    return dashboard_numbers(filters=filters)[1]
