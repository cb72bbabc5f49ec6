"""One action on many cases chosen in the officers' list: assign, forward, or change state with
one public note.

Each case goes through ``complaints.workflow`` on its own (its rules, its history entry, its
LINE message, its own transaction and the version the list showed), so a case that cannot take
the change is refused alone, reported by its number with the reason, and the others proceed.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from complaints.models import Agency, State
from complaints.workflow import (
    StaleComplaint,
    complaint_assign,
    complaint_change_state,
    complaint_forward,
)

ASSIGN, FORWARD, STATE = "assign", "forward", "state"
ACTIONS = (ASSIGN, FORWARD, STATE)
MAX_CASES = 200


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (tracking number, why)


def _reason(error: Exception) -> str:
    if isinstance(error, StaleComplaint):
        return _("มีผู้แก้ไขเรื่องนี้หลังจากที่ท่านเปิดรายการ")
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("ท่านไม่มีสิทธิ์ดำเนินการกับเรื่องนี้")


def complaint_bulk_apply(
    *,
    visible: QuerySet,
    chosen: dict[int, int],
    action: str,
    by: User,
    officer: User | None = None,
    agency: Agency | None = None,
    to: State | str | None = None,
    closed_reason: str = "",
    public_note: str = "",
) -> BulkOutcome:
    """Apply ``action`` to the cases ``chosen`` ({pk: version seen in the list}) that ``by``
    may see (``visible``); oldest filed first. Cases that are not visible are left out."""
    if action not in ACTIONS:
        raise ValueError(action)
    outcome = BulkOutcome()
    cases = visible.filter(pk__in=list(chosen)[:MAX_CASES]).order_by("submitted_at", "pk")
    for complaint in cases.select_related(None):
        common = {"complaint": complaint, "by": by, "expected_version": chosen[complaint.pk]}
        try:
            if action == ASSIGN:
                complaint_assign(officer=officer, **common)
            elif action == FORWARD:
                complaint_forward(agency=agency, public_note=public_note, **common)
            else:
                complaint_change_state(
                    to=to, public_note=public_note, closed_reason=closed_reason, **common
                )
        except (StaleComplaint, ValidationError, PermissionDenied) as error:
            outcome.refused.append((complaint.tracking_number, _reason(error)))
        else:
            outcome.done.append(complaint.tracking_number)
    return outcome
