"""When officers answer chats: weekdays between CHAT_SERVICE_START and CHAT_SERVICE_END
(Asia/Bangkok), except the holidays staff list in the admin (chat.ServiceHoliday)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.thai_dates import format_thai_date

# Marked for the catalogue, translated where they are shown (Monday first, as date.weekday()).
THAI_WEEKDAYS = (
    gettext_noop("จันทร์"),
    gettext_noop("อังคาร"),
    gettext_noop("พุธ"),
    gettext_noop("พฤหัสบดี"),
    gettext_noop("ศุกร์"),
    gettext_noop("เสาร์"),
    gettext_noop("อาทิตย์"),
)


def _clock(value: str) -> datetime.time:
    if value == "24:00":
        return datetime.time.max
    hours, minutes = value.split(":")
    return datetime.time(int(hours), int(minutes))


def _service_days() -> set[int]:
    return {int(day) for day in str(settings.CHAT_SERVICE_DAYS) if day.isdigit()}


def service_window() -> tuple[datetime.time, datetime.time]:
    return _clock(settings.CHAT_SERVICE_START), _clock(settings.CHAT_SERVICE_END)


def _holidays(start: datetime.date, days: int) -> set[datetime.date]:
    from chat.models import ServiceHoliday

    end = start + datetime.timedelta(days=days)
    return set(
        ServiceHoliday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def _working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() in _service_days() and day not in holidays


def is_service_time(now: datetime.datetime | None = None) -> bool:
    local = timezone.localtime(now or timezone.now())
    start, end = service_window()
    return _working_day(local.date(), _holidays(local.date(), 0)) and start <= local.time() < end


def next_service_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next moment officers are at work (``now`` itself during service hours)."""
    local = timezone.localtime(now or timezone.now())
    start, end = service_window()
    holidays = _holidays(local.date(), 60)
    day = local.date()
    if _working_day(day, holidays) and local.time() < end:
        if local.time() >= start:
            return local
        return local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    for _offset in range(60):
        day += datetime.timedelta(days=1)
        if _working_day(day, holidays):
            break
    return timezone.make_aware(datetime.datetime.combine(day, start), local.tzinfo)


def _days_text() -> str:
    days = sorted(_service_days())
    if days == list(range(7)):
        return _("ทุกวัน")
    if days and days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return _("วัน%(first)s–%(last)s") % {
            "first": _(THAI_WEEKDAYS[days[0]]),
            "last": _(THAI_WEEKDAYS[days[-1]]),
        }
    return " ".join(_("วัน%(day)s") % {"day": _(THAI_WEEKDAYS[day])} for day in days)


def hours_text() -> str:
    start, end = service_window()
    return _("เจ้าหน้าที่ให้บริการ%(days)s เวลา %(start)s–%(end)s น. (ยกเว้นวันหยุดราชการ)") % {
        "days": _days_text(),
        "start": f"{start:%H:%M}",
        "end": "24:00" if end == datetime.time.max else f"{end:%H:%M}",
    }


def expected_answer_text(now: datetime.datetime | None = None) -> str:
    """For a message outside service hours: when the citizen can expect an answer."""
    opens = next_service_start(now)
    return _(
        "ขณะนี้อยู่นอกเวลาทำการ ข้อความของท่านได้รับแล้ว "
        "เจ้าหน้าที่จะตอบกลับตั้งแต่วัน%(weekday)sที่ %(date)s เวลา %(time)s น. เป็นต้นไป"
    ) % {
        "weekday": _(THAI_WEEKDAYS[opens.weekday()]),
        "date": format_thai_date(opens.date()),
        "time": f"{opens:%H:%M}",
    }
