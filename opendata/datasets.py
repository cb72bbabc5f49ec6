"""Monthly complaint figures of one fiscal year, for open-data portals (CKAN, data.go.th).

The numbers are the executive dashboard's (``dashboard.selectors``): complaints RECEIVED in a
month (Bangkok dates, the dashboard's ``received``), each in its state as of now, the average of
the latest rating of each rated complaint, with the dashboard's one-decimal rounding. So the
province's row of a month equals the dashboard's figures for that month, and a category's or
district's row equals them with that filter.

One row per month for the whole province (``breakdown`` = ``all``), then one per category and
one per district that received complaints that month (a missing row means none).

Small cells (PDPA): no count from 1 to 4 is published (the cell is left empty, ``null`` in
JSON), nor an average of fewer than 5 ratings. Zero is published: it tells nothing about a
person. Where a hidden cell could be worked out by subtraction it is hidden too: the four
states add up to the received count of a row, and the category rows (and the district rows)
of a month add up to the province's row, so a row or a month's column with exactly one hidden
cell gets its smallest other non-zero cell hidden as well, until none is left alone.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from addresses.models import District
from complaints.clock import local_date
from complaints.models import Complaint, ComplaintCategory, State
from dashboard.forms import Filters
from dashboard.periods import THAI_MONTHS, fiscal_months, fiscal_year_of
from dashboard.selectors import BANGKOK, DONE, EVERY, received

THRESHOLD = 5
BE_OFFSET = 543
STATES = ("completed", "in_progress", "under_review", "closed")
COUNTS = ("received", *STATES, "rated")
ALL, CATEGORY, DISTRICT = "all", "category", "district"
BREAKDOWN_TH = {ALL: "ทั้งจังหวัด", CATEGORY: "ประเภทเรื่องร้องเรียน", DISTRICT: "อำเภอ"}


@dataclass(frozen=True)
class Field:
    name: str
    title: str  # Thai label
    type: str  # Table Schema type
    description: str


FIELDS = (
    Field("fiscal_year", "ปีงบประมาณ", "integer", "ปีงบประมาณ (พ.ศ.) 1 ตุลาคม ถึง 30 กันยายน"),
    Field("month", "เดือน", "yearmonth", "เดือนที่ได้รับเรื่อง (ค.ศ.) รูปแบบ YYYY-MM ตามเวลาประเทศไทย"),
    Field("month_th", "เดือน (ภาษาไทย)", "string", "ชื่อเดือนและปี พ.ศ. เช่น ตุลาคม 2568"),
    Field(
        "breakdown",
        "การจำแนก",
        "string",
        "all = ทั้งจังหวัด, category = ตามประเภท, district = ตามอำเภอ",
    ),
    Field("breakdown_th", "การจำแนก (ภาษาไทย)", "string", "ทั้งจังหวัด / ประเภทเรื่องร้องเรียน / อำเภอ"),
    Field(
        "code",
        "รหัส",
        "string",
        "รหัสประเภทเรื่อง (ตรงกับ service_code ของ Open311) หรือรหัสอำเภอ 4 หลักของกรมการปกครอง "
        "ว่างเมื่อเป็นทั้งจังหวัด",
    ),
    Field("label_th", "ชื่อ", "string", "ชื่อประเภทเรื่องร้องเรียน หรือชื่ออำเภอ"),
    Field(
        "received",
        "จำนวนเรื่องที่ได้รับ",
        "integer",
        "เรื่องที่ได้รับในเดือนนั้นทุกสถานะ = completed + in_progress + under_review + closed",
    ),
    Field("completed", "ดำเนินการเสร็จสิ้น", "integer", "เรื่องที่ได้รับในเดือนนั้น และขณะนี้ดำเนินการเสร็จสิ้น"),
    Field(
        "in_progress", "อยู่ระหว่างดำเนินการ", "integer", "เรื่องที่ได้รับในเดือนนั้น และขณะนี้อยู่ระหว่างดำเนินการ"
    ),
    Field(
        "under_review",
        "อยู่ระหว่างการตรวจสอบ",
        "integer",
        "เรื่องที่ได้รับในเดือนนั้น และขณะนี้อยู่ระหว่างการตรวจสอบ",
    ),
    Field("closed", "ยุติเรื่อง", "integer", "เรื่องที่ได้รับในเดือนนั้น และยุติเรื่องโดยไม่ต้องดำเนินการ"),
    Field("rated", "จำนวนเรื่องที่ได้รับการประเมิน", "integer", "เรื่องที่ผู้ร้องประเมินความพึงพอใจแล้ว"),
    Field(
        "average_rating",
        "คะแนนความพึงพอใจเฉลี่ย",
        "number",
        "ค่าเฉลี่ย 1–5 ของคะแนนล่าสุดของแต่ละเรื่องที่ได้รับการประเมิน ทศนิยม 1 ตำแหน่ง",
    ),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)


def available_years(now: datetime.datetime | None = None) -> list[int]:
    """Fiscal years with data, newest first: from the first complaint's to this one."""
    current = fiscal_year_of(now)
    first = Complaint.objects.order_by("submitted_at").values_list("submitted_at", flat=True)[:1]
    start = fiscal_year_of(first[0]) if first else current
    return list(range(current, min(start, current) - 1, -1))


def _one_decimal(value) -> Decimal | None:
    """The dashboard's rounding of an average (one decimal, halves up)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


AGGREGATES = {
    "received": Count(EVERY),
    "completed": Count(EVERY, filter=DONE),
    "in_progress": Count(EVERY, filter=Q(state=State.IN_PROGRESS)),
    "under_review": Count(EVERY, filter=Q(state=State.UNDER_REVIEW)),
    "closed": Count(EVERY, filter=Q(state=State.CLOSED)),
    "rated": Count("latest_rating_score"),
    "average": Avg("latest_rating_score"),
}


def _grouped(filters: Filters, key: str | None):
    rows = received(filters).annotate(
        month=TruncMonth("submitted_at", output_field=DateField(), tzinfo=BANGKOK)
    )
    keys = ("month", key) if key else ("month",)
    return rows.values(*keys).annotate(**AGGREGATES).order_by(*keys)


def _months(be_year: int, today: datetime.date) -> list[datetime.date]:
    firsts = [datetime.date(year, month, 1) for year, month in fiscal_months(be_year)]
    return [first for first in firsts if first <= today]


def monthly_rows(be_year: int, *, now: datetime.datetime | None = None) -> list[dict]:
    """The fiscal year's rows, small cells hidden (``None``)."""
    filters = Filters.for_fiscal_year(be_year)
    months = _months(be_year, local_date(now or timezone.now()))
    category_names = dict(ComplaintCategory.objects.values_list("pk", "name"))
    district_names = dict(District.objects.values_list("pk", "name_th"))
    by_month = {row["month"]: row for row in _grouped(filters, None)}
    rows = []
    for first in months:
        rows.append(_row(be_year, first, ALL, "", "", by_month.get(first, {})))
    for breakdown, key, names in (
        (CATEGORY, "category_id", category_names),
        (DISTRICT, "target_district_id", district_names),
    ):
        for counts in _grouped(filters, key):
            if counts["month"] in months:
                code = counts[key]
                rows.append(
                    _row(
                        be_year, counts["month"], breakdown, str(code), names.get(code, ""), counts
                    )
                )
    rows.sort(key=lambda r: (r["month"], list(BREAKDOWN_TH).index(r["breakdown"]), r["code"]))
    suppress(rows)
    return rows


def _row(be_year, first: datetime.date, breakdown, code, label, counts) -> dict:
    row = {
        "fiscal_year": be_year,
        "month": f"{first:%Y-%m}",
        "month_th": f"{THAI_MONTHS[first.month - 1]} {first.year + BE_OFFSET}",
        "breakdown": breakdown,
        "breakdown_th": BREAKDOWN_TH[breakdown],
        "code": code,
        "label_th": label,
    }
    row.update({name: counts.get(name, 0) for name in COUNTS})
    row["average_rating"] = _one_decimal(counts.get("average"))
    return row


# --- small-cell suppression ---------------------------------------------------------------------


def _small(value) -> bool:
    return value is not None and 0 < value < THRESHOLD


def _hide_one_more(rows_cells: list[tuple[dict, str]]) -> bool:
    """Among cells that add up to a published total: if exactly one is hidden, hide the
    smallest other non-zero one. True when something was hidden."""
    hidden = [(row, name) for row, name in rows_cells if row[name] is None]
    if len(hidden) != 1:
        return False
    shown = [(row[name], i) for i, (row, name) in enumerate(rows_cells) if row[name]]
    if not shown:
        return False
    _value, index = min(shown)
    row, name = rows_cells[index]
    row[name] = None
    return True


def suppress(rows: list[dict]) -> None:
    """Hide small cells and whatever would give them away (see the module's docstring)."""
    for row in rows:
        for name in COUNTS:
            if _small(row[name]):
                row[name] = None
    totals = {row["month"]: row for row in rows if row["breakdown"] == ALL}
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["breakdown"] != ALL:
            groups.setdefault((row["month"], row["breakdown"]), []).append(row)
    changed = True
    while changed:
        changed = False
        for row in rows:
            if row["received"] is not None:
                changed |= _hide_one_more([(row, name) for name in STATES])
        for (month, _breakdown), members in groups.items():
            total = totals[month]
            for name in COUNTS:
                if total[name] is not None:
                    changed |= _hide_one_more([(member, name) for member in members])
    for row in rows:
        if row["rated"] is None or row["rated"] < THRESHOLD:
            row["average_rating"] = None
