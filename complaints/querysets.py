"""Queries every list of complaints starts from (hooked into Complaint as ``objects``).

No model imports here: the models module imports this one.
"""

from django.db import models
from django.db.models import Case, F, Value, When

from accounts.roles import is_centre_staff
from complaints.access import agency_id_of, is_citizen
from complaints.clock import local_date, start_of_day

# State values (complaints.models.State), spelled out to avoid importing the models.
OPEN_STATES = ("under_review", "in_progress")


def _urgency_order(*, for_index: bool = False) -> tuple:
    is_open = models.Q(state__in=OPEN_STATES)
    open_rank = Case(
        When(is_open, then=Value(0)), default=Value(1), output_field=models.IntegerField()
    )
    open_due = Case(
        When(is_open, then=F("report_due_at")), default=None, output_field=models.DateTimeField()
    )
    # Finished cases have no due day: last. An index cannot say NULLS LAST on SQLite; on
    # PostgreSQL an ascending index has them last anyway, so the two orders are the same.
    due = open_due.asc() if for_index else open_due.asc(nulls_last=True)
    return (open_rank, due, F("submitted_at").desc(), F("id").desc())


# The officers' list order; Complaint.Meta.indexes has an index on these very expressions, so a
# page of a million cases is read from the index instead of sorting them all.
URGENCY_ORDER = _urgency_order()
URGENCY_INDEX = _urgency_order(for_index=True)


class ComplaintQuerySet(models.QuerySet):
    def open(self) -> "ComplaintQuerySet":
        """Cases still waiting for an answer: under review or in progress."""
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, now=None) -> "ComplaintQuerySet":
        """Open cases past their report-back day, counted in Bangkok calendar days as
        ``complaints.deadlines`` does: the whole due day is still in time."""
        today = local_date(now)
        return self.open().filter(report_due_at__lt=start_of_day(today))

    def by_urgency(self) -> "ComplaintQuerySet":
        """Open cases first, the most overdue / nearest due first; then the rest, newest first.
        The index "complaint_urgency" holds exactly this order (``URGENCY_ORDER``)."""
        return self.order_by(*URGENCY_ORDER)

    def visible_to(self, user) -> "ComplaintQuerySet":
        """The complaints ``user`` may see at all.

        Agency members: only those forwarded to their agency. Case officers and supervisors of
        the centre: all. Citizens: their own. Anyone else (news editors, executives, the
        anonymous): none — executives get figures from the dashboard, not cases.
        """
        agency_id = agency_id_of(user)
        if agency_id is not None:
            return self.filter(agency_id=agency_id)
        if is_centre_staff(user):
            return self.all()
        if is_citizen(user):
            return self.filter(citizen=user)
        return self.none()
