"""Dates as Thai readers expect them: Buddhist era, short Thai month, Asia/Bangkok time.

One style everywhere: "15 มี.ค. 2569" and "15 มี.ค. 2569 14:05 น.". In English: "15 Mar 2026".
"""

import datetime

from django.utils import timezone, translation

THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
EN_MONTHS_SHORT = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _is_thai() -> bool:
    return (translation.get_language() or "th").startswith("th")


def format_thai_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if _is_thai():
        return f"{value.day} {THAI_MONTHS_SHORT[value.month - 1]} {value.year + 543}"
    return f"{value.day} {EN_MONTHS_SHORT[value.month - 1]} {value.year}"


def format_thai_datetime(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    suffix = " น." if _is_thai() else ""
    return f"{format_thai_date(local.date())} {local:%H:%M}{suffix}"
