"""The 15-day promise to report back, counted in Bangkok calendar days.

A case filed on 1 March at 22:00 is due on 16 March: on the 16th it is "due today", on the
17th it is one day overdue. Finished cases (completed or closed) have no deadline left.
"""

import datetime

from django.utils.translation import gettext as _

from complaints.clock import local_date
from complaints.models import REPORT_BACK_DAYS, State

__all__ = ["REPORT_BACK_DAYS", "WARN_DAYS", "badge", "days_left", "due_date", "is_overdue"]

WARN_DAYS = 3
DONE_STATES = (State.COMPLETED, State.CLOSED)


def due_date(complaint) -> datetime.date:
    """The Bangkok calendar day by which the centre must report back."""
    return local_date(complaint.report_due_at)


def days_left(complaint, *, today=None) -> int | None:
    """Days until the due day (0 on the day itself, negative once overdue); None when the
    case is completed or closed. ``today`` may be a date or an aware datetime."""
    if complaint.state in DONE_STATES:
        return None
    return (due_date(complaint) - local_date(today)).days


def is_overdue(complaint, today=None) -> bool:
    left = days_left(complaint, today=today)
    return left is not None and left < 0


def badge(complaint, *, today=None) -> dict:
    """What a list shows next to a case: ``label`` (Thai), ``level`` ("ok", "warn",
    "overdue" or "done", for a CSS class) and ``days_left`` (None when done)."""
    left = days_left(complaint, today=today)
    if left is None:
        return {"label": str(State(complaint.state).label), "level": "done", "days_left": None}
    if left < 0:
        label, level = _("เกินกำหนด %(days)d วัน") % {"days": -left}, "overdue"
    elif left == 0:
        label, level = _("ครบกำหนดวันนี้"), "warn"
    else:
        label = _("เหลือ %(days)d วัน") % {"days": left}
        level = "warn" if left <= WARN_DAYS else "ok"
    return {"label": label, "level": level, "days_left": left}
