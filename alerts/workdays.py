"""Bangkok working days: Monday to Friday except the public holidays staff keep in the admin
(chat.ServiceHoliday, "วันหยุดราชการ"; the one list of holidays)."""

import datetime

from chat.models import ServiceHoliday

WORKDAYS = range(5)  # Monday to Friday


class Calendar:
    """Working days around ``today``, with the holidays read once."""

    def __init__(self, today: datetime.date, *, span_days: int = 120):
        self.today = today
        start, end = (
            today - datetime.timedelta(days=span_days),
            today + datetime.timedelta(days=span_days),
        )
        self.holidays = set(
            ServiceHoliday.objects.filter(date__gte=start, date__lte=end).values_list(
                "date", flat=True
            )
        )

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() in WORKDAYS and day not in self.holidays

    def working_days_left(self, due: datetime.date) -> int:
        """Working days after today up to and including ``due`` (0 on the due day itself or
        when only holidays are left; negative never: past days count as 0)."""
        count, day = 0, self.today
        while day < due:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def previous_working_day(self) -> datetime.date:
        day = self.today - datetime.timedelta(days=1)
        while not self.is_working_day(day):
            day -= datetime.timedelta(days=1)
        return day

    def add_working_days(self, count: int) -> datetime.date:
        """The day ``count`` working days after today."""
        day, left = self.today, count
        while left > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day
