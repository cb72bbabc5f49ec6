"""Bangkok calendar days, which is how deadlines are counted (no model imports here, so the
queryset module can use it while the models are still loading)."""

import datetime

from django.utils import timezone


def local_date(moment: datetime.datetime | datetime.date | None = None) -> datetime.date:
    """The Bangkok date of ``moment`` (now when None); a date is returned as it is."""
    if moment is None:
        moment = timezone.now()
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.date()
    return moment


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in Bangkok at the start of ``day``, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
