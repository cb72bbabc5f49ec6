"""The dashboard's numbers, each from one aggregate query.

Definitions (shown on the page too, ``dashboard.definitions``): the period counts complaints
RECEIVED in it (``submitted_at``, Bangkok dates); each one's state is as of now. So
total = completed + in progress + under review + closed (ยุติเรื่อง), always.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.clock import local_date, start_of_day
from complaints.models import Complaint, SatisfactionRating, State
from complaints.querysets import OPEN_STATES
from dashboard.forms import Filters
from dashboard.periods import months_between

BANGKOK = ZoneInfo("Asia/Bangkok")


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


def _latest_ratings(filters: Filters):
    """For each complaint received in the period, its rating of the latest completion round
    that has one (a reopened case is judged on its latest rated answer)."""
    later = SatisfactionRating.objects.filter(
        complaint=OuterRef("complaint"), completion_round__gt=OuterRef("completion_round")
    )
    return SatisfactionRating.objects.filter(complaint__in=received(filters).values("pk")).filter(
        ~Exists(later)
    )


def dashboard_figures(*, filters: Filters, now: datetime.datetime | None = None) -> Figures:
    """The seven figures and the timeliness numbers: two queries."""
    overdue_before = start_of_day(local_date(now or timezone.now()))
    days = ExpressionWrapper(F("completed_at") - F("submitted_at"), output_field=DurationField())
    done = Q(state=State.COMPLETED)
    counts = received(filters).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=done),
        in_progress=Count("pk", filter=Q(state=State.IN_PROGRESS)),
        under_review=Count("pk", filter=Q(state=State.UNDER_REVIEW)),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, report_due_at__lt=overdue_before)),
        duration=Avg(days, filter=done & Q(completed_at__isnull=False)),
    )
    ratings = _latest_ratings(filters).aggregate(rated=Count("pk"), average=Avg("score"))
    total, duration = counts["total"], counts["duration"]
    return Figures(
        total=total,
        completed=counts["completed"],
        in_progress=counts["in_progress"],
        under_review=counts["under_review"],
        closed=counts["closed"],
        success_percent=_one_decimal(100 * counts["completed"] / total) if total else None,
        average_score=_one_decimal(ratings["average"]),
        rated=ratings["rated"],
        overdue=counts["overdue"],
        average_days_to_complete=(
            _one_decimal(duration.total_seconds() / 86400) if duration is not None else None
        ),
    )


def _grouped(filters: Filters, key: str, label: str, empty: str = "") -> list[Row]:
    rows = (
        received(filters)
        .values(key, label)
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(state=State.COMPLETED)))
        .order_by("-total", label)
    )
    return [
        Row(str(row[label] if row[label] is not None else empty), row["total"], row["completed"])
        for row in rows
    ]


def _months(filters: Filters) -> list[Month]:
    """Every month of the period, empty ones included, so the chart's axis does not jump."""
    rows = (
        received(filters)
        .annotate(month=TruncMonth("submitted_at", output_field=DateField(), tzinfo=BANGKOK))
        .values("month")
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(state=State.COMPLETED)))
    )
    found = {row["month"]: row for row in rows}
    return [
        Month(first, found.get(first, {}).get("total", 0), found.get(first, {}).get("completed", 0))
        for first in months_between(filters.period.start, filters.period.end)
    ]


def breakdowns(*, filters: Filters, figures: Figures | None = None) -> Breakdowns:
    """The charts' numbers; pass the period's ``figures`` to take the states from them (one
    query fewer)."""
    if figures is not None:
        by_state = {state.value: getattr(figures, state.value) for state in State}
    else:
        by_state = {
            row["state"]: row["n"]
            for row in received(filters).values("state").annotate(n=Count("pk"))
        }
    return Breakdowns(
        months=_months(filters),
        categories=_grouped(filters, "category_id", "category__name"),
        districts=_grouped(filters, "target_district_id", "target_district__name_th"),
        states=[Row(str(state.label), by_state.get(state.value, 0)) for state in State],
        agencies=_grouped(filters, "agency_id", "agency__name", empty=str(_("ยังไม่ได้ส่งต่อหน่วยงาน"))),
    )
