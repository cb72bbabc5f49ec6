"""Thai fiscal years (ปีงบประมาณ): 1 October to 30 September, named by the Buddhist-era year
in which they end, so 1 Oct 2025 – 30 Sep 2026 is ปีงบประมาณ 2569.

A period is a pair of Bangkok calendar days, both included; ``bounds()`` turns it into the
half-open range of aware datetimes a query needs (Bangkok midnight to Bangkok midnight), so a
complaint filed at 23:59 on 30 September is in the year that ends that day even though it is
16:59 UTC.
"""

import datetime
from dataclasses import dataclass

from complaints.clock import local_date, start_of_day

BE_OFFSET = 543
FIRST_MONTH = 10  # October

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)


def fiscal_year_of(day: datetime.date | datetime.datetime | None = None) -> int:
    """The fiscal year (Buddhist era) ``day`` falls in; a datetime counts by its Bangkok date;
    None means today."""
    day = local_date(day)
    ad_year = day.year + 1 if day.month >= FIRST_MONTH else day.year
    return ad_year + BE_OFFSET


def range_for_fiscal_year(be_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of fiscal year ``be_year``."""
    ad_end = be_year - BE_OFFSET
    return datetime.date(ad_end - 1, FIRST_MONTH, 1), datetime.date(ad_end, 9, 30)


def fiscal_months(be_year: int) -> list[tuple[int, int]]:
    """The (AD year, month) pairs of a fiscal year in order, October first."""
    start, _end = range_for_fiscal_year(be_year)
    return [
        (start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1)
        for i in range(12)
    ]


def month_range(ad_year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(ad_year, month, 1)
    next_first = datetime.date(ad_year + month // 12, month % 12 + 1, 1)
    return first, next_first - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month that touches ``start``..``end``."""
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = datetime.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return months


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[Bangkok midnight of ``start``, Bangkok midnight after ``end``)."""
        return start_of_day(self.start), start_of_day(self.end + datetime.timedelta(days=1))

    @classmethod
    def fiscal_year(cls, be_year: int) -> "Period":
        return cls(*range_for_fiscal_year(be_year))
