"""Tracking numbers: "<prefix>-2569-000123", sequential within each Buddhist-era year.

The prefix is the province's (core/province.py, three letters such as CMI for เชียงใหม่, or
``TRACKING_PREFIX``). A number keeps the prefix it was given: pages, search and LINE accept any
two to five capital letters and look the number up as stored, so numbers given before a change
of prefix are still found.

The year is that of the filing date in Asia/Bangkok (a complaint filed at 00:30 on 1 January
Thai time belongs to the new year even though it is still 31 December in UTC). Numbers start
again at 000001 every year and never repeat: the year's ``TrackingCounter`` row is incremented
with one UPDATE, which holds the row lock until the surrounding transaction ends, so two
complaints filed at the same moment wait for each other instead of sharing a number. A
rolled-back complaint gives its number back with the rollback.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connections, router, transaction

from complaints.models import TrackingCounter
from core import province

BUDDHIST_ERA_OFFSET = 543
DIGITS = 6
BANGKOK = ZoneInfo("Asia/Bangkok")
# Any prefix, not only today's: see above. The URL converter and LINE use the same shape.
PREFIX_PATTERN = "[A-Z]{2,5}"
TRACKING_NUMBER_RE = re.compile(rf"^{PREFIX_PATTERN}-(\d{{4}})-(\d{{{DIGITS},}})$")


def buddhist_year(at: datetime) -> int:
    """The Buddhist-era year of ``at`` on the calendar in Thailand."""
    if at.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return at.astimezone(BANGKOK).year + BUDDHIST_ERA_OFFSET


def format_tracking_number(year_be: int, value: int) -> str:
    return f"{province.tracking_prefix()}-{year_be}-{value:0{DIGITS}d}"


def is_tracking_number(value: str) -> bool:
    return bool(TRACKING_NUMBER_RE.match(value or ""))


def next_tracking_number(*, at: datetime) -> str:
    """Take the next number of ``at``'s year. Call it inside the transaction that uses it."""
    year_be = buddhist_year(at)
    with transaction.atomic():
        value = _take_next(year_be)
        if value is None:  # the year's first complaint
            try:
                with transaction.atomic():
                    TrackingCounter.objects.create(year_be=year_be, last_value=0)
            except IntegrityError:
                pass  # someone else opened the year first: their row is used below
            value = _take_next(year_be)
    return format_tracking_number(year_be, value)


def _take_next(year_be: int) -> int | None:
    """Add one to the year's counter and read it back in one statement; the row stays locked
    by the update until the transaction ends, so two filings never get the same number. None
    when the year has no counter yet."""
    connection = connections[router.db_for_write(TrackingCounter)]
    quote = connection.ops.quote_name
    meta = TrackingCounter._meta
    table, year, last = (
        quote(meta.db_table),
        quote(meta.get_field("year_be").column),
        quote(meta.get_field("last_value").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {year} = %s RETURNING {last}",
            [year_be],
        )
        row = cursor.fetchone()
    return row[0] if row else None
