"""Complaints filed at a chosen Bangkok moment, in a chosen state, for the dashboard's tests.

- ``bkk(2026, 9, 30, 23, 59)``: an aware datetime in Asia/Bangkok.
- ``filed(at, state=..., completed_at=..., due=..., ratings=[(round, score), ...], **fields)``:
  a complaint received at ``at`` (``submitted_at`` is auto_now_add, so it is set afterwards);
  its ``latest_rating_score`` is the highest round's score, as the rating service keeps it.
"""

import datetime
from zoneinfo import ZoneInfo

from complaints.models import Complaint, SatisfactionRating, State
from tests.complaints.factories import ComplaintFactory

BANGKOK = ZoneInfo("Asia/Bangkok")


def bkk(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


def filed(at, *, state=State.UNDER_REVIEW, completed_at=None, due=None, ratings=(), **fields):
    complaint = ComplaintFactory(state=state, completed_at=completed_at, **fields)
    Complaint.objects.filter(pk=complaint.pk).update(
        submitted_at=at, report_due_at=due or Complaint.due_from(at)
    )
    for completion_round, score in ratings:
        SatisfactionRating.objects.create(
            complaint=complaint, completion_round=completion_round, score=score
        )
    if ratings:
        # What complaints.workflow.rating_submit stores beside each rating it writes.
        Complaint.objects.filter(pk=complaint.pk).update(latest_rating_score=max(ratings)[1])
    complaint.refresh_from_db()
    return complaint
