"""The case workflow: every change made to a complaint once it is filed.

These functions are the only way a case changes state, is assigned, forwarded, annotated or
rated; the admin screens, the tracking pages and LINE handlers only call them. Each one:
- runs in one transaction and locks the complaint row (``select_for_update``);
- refuses with ``StaleComplaint`` when ``expected_version`` (the version the officer's page
  was loaded with) is no longer the case's version, before anything is written — two officers
  editing the same case at once: the second save is refused (``None`` skips the check);
- checks permissions itself: ``complaints.change_complaint``, and an agency member only on
  cases forwarded to their agency (``PermissionDenied`` otherwise);
- writes one ``StateChange`` (the append-only history) and bumps ``version``
  (``complaint_add_note`` excepted: a note changes nothing another officer could overwrite);
- queues the LINE messages (``complaints.notifications``) in the same transaction.
The ``complaint`` object passed in is updated to the saved values.

Forwarding an ``under_review`` case also starts work on it: that is ONE history entry of kind
FORWARD with ``from_state`` under_review and ``to_state`` in_progress. For assignments, notes
and other forwards ``from_state`` and ``to_state`` are both the current state.

Reopening (completed or closed back to in_progress) counts ``reopen_count``, clears the closing
reason and completion time, and gives the case a fresh 15-day report-back deadline.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import may_take_cases
from complaints import notifications
from complaints.access import agency_id_of
from complaints.models import (
    Agency,
    ClosedReason,
    Complaint,
    ComplaintFollower,
    SatisfactionRating,
    State,
    StateChange,
)
from complaints.selectors import RATING_CHANGE_DAYS, rating_changeable
from core.uploads import check_upload, download_name

__all__ = [
    "ALLOWED_TRANSITIONS",
    "FINISHED",
    "RATING_CHANGE_DAYS",
    "StaleComplaint",
    "TransitionNotAllowed",
    "allowed_targets",
    "complaint_add_note",
    "complaint_assign",
    "complaint_change_state",
    "complaint_forward",
    "complaint_merge",
    "complaint_reopen",
    "rating_submit",
]

STALE_MESSAGE = gettext_lazy("เรื่องนี้ถูกแก้ไขโดยเจ้าหน้าที่คนอื่นเมื่อสักครู่ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")
CHANGE_PERMISSION = "complaints.change_complaint"
NOTE_MAX = 4000

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    State.UNDER_REVIEW: frozenset({State.IN_PROGRESS, State.COMPLETED, State.CLOSED}),
    State.IN_PROGRESS: frozenset({State.COMPLETED, State.CLOSED}),
    State.COMPLETED: frozenset({State.IN_PROGRESS}),
    State.CLOSED: frozenset({State.IN_PROGRESS}),
}
# A finished case changes no more unless it is reopened, and only a finished one can be.
FINISHED = (State.COMPLETED, State.CLOSED)
OPEN = (State.UNDER_REVIEW, State.IN_PROGRESS)
DUPLICATE_NOTE = gettext_lazy(
    "เรื่องนี้เป็นเรื่องเดียวกับเรื่องเลขที่ %(number)s ที่มีผู้แจ้งไว้แล้ว ศูนย์ฯ รวมไว้ดำเนินการในเรื่องนั้น "
    "ท่านจะได้รับแจ้งความคืบหน้าของเรื่องนั้นทาง LINE"
)


class StaleComplaint(Exception):
    """Someone saved the case after this page was loaded; nothing was written.
    ``str(exc)`` / ``exc.message`` is the Thai message to show."""

    def __init__(self, message=None):
        self.message = str(message or STALE_MESSAGE)
        super().__init__(self.message)


class TransitionNotAllowed(ValidationError):
    """The case cannot go from its state to the one asked (code "transition_not_allowed")."""

    def __init__(self, message, code="transition_not_allowed", params=None):
        super().__init__(message, code=code, params=params)


def allowed_targets(state: str) -> list[str]:
    """The states a case in ``state`` may move to, in State order (for the admin's select)."""
    targets = ALLOWED_TRANSITIONS.get(state, frozenset())
    return [value for value in State.values if value in targets]


# Helpers -------------------------------------------------------------------------------------


def _require_actor(by, complaint: Complaint | None = None, *, centre_only: bool = False) -> None:
    """Staff allowed to change cases; agency members only on their agency's cases (checked
    once ``complaint`` is the locked row) and never for ``centre_only`` actions: assigning and
    forwarding are the centre's."""
    if (
        by is None
        or not getattr(by, "is_authenticated", False)
        or not by.is_active
        or not by.has_perm(CHANGE_PERMISSION)
    ):
        raise PermissionDenied(_("ท่านไม่มีสิทธิ์ดำเนินการกับเรื่องร้องเรียน"))
    agency_id = agency_id_of(by)
    if agency_id is None:
        return
    if centre_only or (complaint is not None and complaint.agency_id != agency_id):
        raise PermissionDenied(_("ท่านไม่มีสิทธิ์ดำเนินการกับเรื่องนี้"))


def _locked(complaint: Complaint, expected_version: int | None) -> Complaint:
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and str(expected_version).strip() != str(locked.version):
        raise StaleComplaint()
    return locked


def _sync(target: Complaint, source: Complaint) -> None:
    """Give the caller's object the saved values (its cached relations are dropped)."""
    for field in Complaint._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.fields_cache.clear()


def _clean_note(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > NOTE_MAX:
        raise ValidationError({field: _("ข้อความยาวได้ไม่เกิน %(max)d ตัวอักษร") % {"max": NOTE_MAX}})
    return value


def _checked_attachment(attachment):
    """Officers' attachments obey the evidence rules: images re-encoded, PDFs checked."""
    if not attachment:
        return None
    try:
        return check_upload(attachment)
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from exc


def _save_change(change: StateChange, checked) -> StateChange:
    """Save the history entry with its attachment; the file goes if the save fails."""
    if checked is None:
        change.save()
        return change
    change.attachment_name = download_name(checked.original_name, checked.extension)
    change.attachment.save(
        f"attachment.{checked.extension}", ContentFile(checked.content), save=False
    )
    try:
        change.save()
    except BaseException:
        change.attachment.delete(save=False)
        raise
    return change


def _check_transition(from_state: str, to: str) -> None:
    if to not in ALLOWED_TRANSITIONS.get(from_state, frozenset()):
        raise TransitionNotAllowed(
            _("เปลี่ยนสถานะจาก “%(from)s” เป็น “%(to)s” ไม่ได้")
            % {"from": State(from_state).label, "to": State(to).label}
        )


def _move(locked: Complaint, to: str, *, closed_reason: str = "") -> list[str]:
    """Set the new state and what goes with it; returns the fields to save."""
    now = timezone.now()
    from_state = locked.state
    locked.state, locked.state_changed_at = to, now
    if to == State.COMPLETED:
        locked.completed_at, locked.closed_reason = now, ""
    elif to == State.CLOSED:
        locked.closed_reason = closed_reason
    elif to == State.IN_PROGRESS and from_state in FINISHED:
        locked.reopen_count += 1
        locked.closed_reason, locked.completed_at = "", None
        locked.report_due_at = Complaint.due_from(now)
    return [
        "state",
        "state_changed_at",
        "completed_at",
        "closed_reason",
        "reopen_count",
        "report_due_at",
    ]


def _save_case(locked: Complaint, fields: list[str]) -> None:
    locked.version += 1
    locked.save(update_fields=[*fields, "version"])


# Services ------------------------------------------------------------------------------------


def complaint_change_state(
    *,
    complaint: Complaint,
    to: State | str,
    by: User,
    public_note: str = "",
    internal_note: str = "",
    closed_reason: str = "",
    attachment=None,
    expected_version: int | None = None,
) -> StateChange:
    """Move a case to another state: the only way states change.

    Closing needs a ``closed_reason`` (a ``ClosedReason``) and a ``public_note`` telling the
    citizen why. The citizen gets a LINE message with the new state, the public note and a
    link to the case (plus a rating button when completed). ``attachment`` (an uploaded image
    or PDF) and ``internal_note`` stay with officers. Raises ``StaleComplaint``,
    ``TransitionNotAllowed``, ``ValidationError`` (field errors: closed_reason, public_note,
    internal_note, attachment) or ``PermissionDenied``.
    """
    _require_actor(by)
    if to not in State.values:
        raise TransitionNotAllowed(_("ไม่มีสถานะนี้ในระบบ"))
    to = State(to)
    public_note = _clean_note(public_note, "public_note")
    internal_note = _clean_note(internal_note, "internal_note")
    if to == State.CLOSED:
        errors = {}
        if closed_reason not in ClosedReason.values:
            errors["closed_reason"] = _("กรุณาเลือกเหตุผลที่ยุติเรื่อง")
        if not public_note:
            errors["public_note"] = _("กรุณาเขียนข้อความแจ้งผู้ร้องว่าเหตุใดจึงยุติเรื่อง")
        if errors:
            raise ValidationError(errors)
    checked = _checked_attachment(attachment)
    with transaction.atomic():
        locked = _locked(complaint, expected_version)
        _require_actor(by, locked)
        from_state = locked.state
        _check_transition(from_state, to)
        fields = _move(locked, to, closed_reason=closed_reason if to == State.CLOSED else "")
        _save_case(locked, fields)
        change = _save_change(
            StateChange(
                complaint=locked,
                kind=StateChange.Kind.STATE,
                from_state=from_state,
                to_state=to,
                by=by,
                public_note=public_note,
                internal_note=internal_note,
            ),
            checked,
        )
        notifications.notify_citizen(change)
    _sync(complaint, locked)
    return change


def complaint_reopen(
    *, complaint: Complaint, by: User, reason: str, expected_version: int | None = None
) -> StateChange:
    """Bring a completed or closed case back to "in progress".

    The citizen may reopen their own case (e.g. from the tracking page); officers may reopen
    any case they may change. ``reason`` is required and is kept as the entry's public note,
    so the citizen sees it in the history. The citizen is told in LINE; when the citizen
    reopened it, the assigned officer is told too.
    """
    reason = _clean_note(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("กรุณาระบุเหตุผลที่ขอเปิดเรื่องใหม่")})
    by_citizen = by is not None and by.is_authenticated and complaint.citizen_id == by.pk
    if not by_citizen:
        _require_actor(by)
    with transaction.atomic():
        locked = _locked(complaint, expected_version)
        if not by_citizen:
            _require_actor(by, locked)
        if locked.state not in FINISHED:
            raise TransitionNotAllowed(_("เปิดเรื่องใหม่ได้เฉพาะเรื่องที่ดำเนินการเสร็จสิ้นหรือยุติเรื่องแล้ว"))
        from_state = locked.state
        _save_case(locked, _move(locked, State.IN_PROGRESS))
        change = StateChange.objects.create(
            complaint=locked,
            kind=StateChange.Kind.STATE,
            from_state=from_state,
            to_state=State.IN_PROGRESS,
            by=by,
            public_note=reason,
        )
        notifications.notify_citizen(change)
        if by_citizen:
            notifications.notify_reopened(change)
    _sync(complaint, locked)
    return change


def complaint_assign(
    *,
    complaint: Complaint,
    officer: User,
    by: User,
    internal_note: str = "",
    expected_version: int | None = None,
) -> StateChange:
    """Make ``officer`` (a case officer or supervisor of the centre) responsible for a case.

    Recorded as an ASSIGN entry; the officer gets a LINE message with a link to the case in
    the admin if their account is linked. The citizen is not told.
    """
    _require_actor(by, centre_only=True)
    internal_note = _clean_note(internal_note, "internal_note")
    if not may_take_cases(officer):
        raise ValidationError({"officer": _("มอบหมายได้เฉพาะเจ้าหน้าที่ศูนย์ดำรงธรรมหรือหัวหน้างานเท่านั้น")})
    with transaction.atomic():
        locked = _locked(complaint, expected_version)
        if locked.assigned_officer_id == officer.pk:
            raise ValidationError(
                {"officer": _("เรื่องนี้มอบหมายให้ %(name)s อยู่แล้ว") % {"name": officer.display_name}}
            )
        locked.assigned_officer = officer
        _save_case(locked, ["assigned_officer"])
        change = StateChange.objects.create(
            complaint=locked,
            kind=StateChange.Kind.ASSIGN,
            from_state=locked.state,
            to_state=locked.state,
            by=by,
            assigned_to=officer,
            internal_note=internal_note,
        )
        notifications.notify_assigned_officer(change)
    _sync(complaint, locked)
    return change


def complaint_forward(
    *,
    complaint: Complaint,
    agency: Agency,
    by: User,
    public_note: str = "",
    internal_note: str = "",
    expected_version: int | None = None,
) -> StateChange:
    """Send a case to the agency that must act on it; only the centre forwards.

    An ``under_review`` case moves to ``in_progress`` in the same (single FORWARD) entry.
    The citizen is told when there is a public note or the state moved; members of the agency
    get a LINE message that never names the complainant. Finished cases must be reopened
    before they can be forwarded.
    """
    _require_actor(by, centre_only=True)
    public_note = _clean_note(public_note, "public_note")
    internal_note = _clean_note(internal_note, "internal_note")
    if agency is None or not agency.is_active:
        raise ValidationError({"agency": _("กรุณาเลือกหน่วยงานที่ยังใช้งานอยู่")})
    with transaction.atomic():
        locked = _locked(complaint, expected_version)
        if locked.state in FINISHED:
            raise TransitionNotAllowed(_("เรื่องที่ดำเนินการเสร็จสิ้นหรือยุติแล้วส่งต่อไม่ได้ กรุณาเปิดเรื่องใหม่ก่อน"))
        if locked.agency_id == agency.pk:
            raise ValidationError({"agency": _("เรื่องนี้ส่งต่อให้หน่วยงานนี้แล้ว")})
        from_state = locked.state
        fields = ["agency"]
        if from_state == State.UNDER_REVIEW:
            fields += _move(locked, State.IN_PROGRESS)
        locked.agency = agency
        _save_case(locked, fields)
        change = StateChange.objects.create(
            complaint=locked,
            kind=StateChange.Kind.FORWARD,
            from_state=from_state,
            to_state=locked.state,
            by=by,
            agency=agency,
            public_note=public_note,
            internal_note=internal_note,
        )
        if public_note or from_state != locked.state:
            notifications.notify_citizen(change)
        notifications.notify_agency_members(change)
    _sync(complaint, locked)
    return change


def complaint_merge(
    *,
    duplicate: Complaint,
    into: Complaint,
    by: User,
    public_note: str = "",
    internal_note: str = "",
    expected_version: int | None = None,
    into_expected_version: int | None = None,
) -> StateChange:
    """Close ``duplicate`` as a duplicate of ``into`` (the case that goes on); only the centre
    merges.

    The duplicate is closed with the reason "เป็นเรื่องซ้ำ" and ``merged_into`` set; both keep
    their history and files. Its complainant, and whoever followed it, now follow ``into``
    (its updates in LINE, the case in their list). Each of them gets ONE LINE message saying
    so (with ``public_note`` for the duplicate's complainant), and ``into``'s complainant one
    saying another report was joined to theirs. ``into`` gets a MERGE entry; both versions
    move on, each checked against what the officer's page showed. Raises
    ``TransitionNotAllowed`` (the duplicate is not open, ``into`` is closed, a case into
    itself, a case merged in a circle), ``StaleComplaint``, ``PermissionDenied``,
    ``ValidationError`` (public_note, internal_note).
    """
    _require_actor(by, centre_only=True)
    public_note = _clean_note(public_note, "public_note")
    internal_note = _clean_note(internal_note, "internal_note")
    if duplicate.pk == into.pk:
        raise TransitionNotAllowed(_("รวมเรื่องเข้ากับตัวเองไม่ได้"))
    with transaction.atomic():
        # Lock both rows in one order (by id), so two opposite merges cannot deadlock.
        first, second = sorted(
            [(duplicate, expected_version), (into, into_expected_version)],
            key=lambda pair: pair[0].pk,
        )
        locked = {case.pk: _locked(case, version) for case, version in (first, second)}
        dup, keep = locked[duplicate.pk], locked[into.pk]
        if dup.state not in OPEN:
            raise TransitionNotAllowed(
                _("เรื่อง %(number)s ไม่ได้อยู่ระหว่างดำเนินการ จึงรวมเป็นเรื่องซ้ำไม่ได้")
                % {"number": dup.tracking_number}
            )
        if keep.state == State.CLOSED or keep.merged_into_id is not None:
            raise TransitionNotAllowed(
                _("เรื่อง %(number)s ยุติแล้ว จึงรับเรื่องซ้ำไม่ได้") % {"number": keep.tracking_number}
            )
        from_state = dup.state
        if not public_note:
            public_note = DUPLICATE_NOTE % {"number": keep.tracking_number}
        fields = _move(dup, State.CLOSED, closed_reason=ClosedReason.DUPLICATE)
        dup.merged_into = keep
        _save_case(dup, [*fields, "merged_into"])
        _save_case(keep, [])
        closing = StateChange.objects.create(
            complaint=dup,
            kind=StateChange.Kind.STATE,
            from_state=from_state,
            to_state=State.CLOSED,
            by=by,
            public_note=public_note,
            internal_note=internal_note
            or _("รวมเข้ากับเรื่อง %(number)s") % {"number": keep.tracking_number},
        )
        StateChange.objects.create(
            complaint=keep,
            kind=StateChange.Kind.MERGE,
            from_state=keep.state,
            to_state=keep.state,
            by=by,
            internal_note=_("รวมเรื่อง %(number)s ที่แจ้งเรื่องเดียวกันเข้ามา")
            % {"number": dup.tracking_number},
        )
        moved = _follow_instead(dup, keep)
        notifications.notify_merged(closing, survivor=keep, moved=moved)
    _sync(duplicate, dup)
    _sync(into, keep)
    return closing


def _follow_instead(duplicate: Complaint, keep: Complaint) -> list[User]:
    """The duplicate's complainant and followers follow the surviving case (nobody follows
    their own case); returns who did, the duplicate's complainant first."""
    people = [
        duplicate.citizen,
        *(f.citizen for f in duplicate.followers.select_related("citizen")),
    ]
    moved = []
    for person in people:
        if person.pk == keep.citizen_id or person in moved:
            continue
        ComplaintFollower.objects.get_or_create(
            complaint=keep,
            citizen=person,
            defaults={"source": ComplaintFollower.Source.MERGED, "merged_from": duplicate},
        )
        moved.append(person)
    return moved


def complaint_add_note(
    *,
    complaint: Complaint,
    by: User,
    internal_note: str,
    attachment=None,
    expected_version: int | None = None,
) -> StateChange:
    """An internal note (and optional attachment) for officers; nobody is notified and the
    version is not bumped, so a note never makes another officer's open form stale."""
    _require_actor(by)
    internal_note = _clean_note(internal_note, "internal_note")
    if not internal_note:
        raise ValidationError({"internal_note": _("กรุณาเขียนบันทึก")})
    checked = _checked_attachment(attachment)
    with transaction.atomic():
        locked = _locked(complaint, expected_version)
        _require_actor(by, locked)
        change = _save_change(
            StateChange(
                complaint=locked,
                kind=StateChange.Kind.NOTE,
                from_state=locked.state,
                to_state=locked.state,
                by=by,
                internal_note=internal_note,
            ),
            checked,
        )
    _sync(complaint, locked)
    return change


def rating_submit(
    *, complaint: Complaint, citizen: User, score: int, comment: str = ""
) -> SatisfactionRating:
    """The complainant rates a completed case 1-5: once per completion round
    (``reopen_count``), changeable for RATING_CHANGE_DAYS days after the first rating.

    Raises ``PermissionDenied`` for anyone but the complainant, ``ValidationError`` (codes
    "not_completed", "rating_locked"; field errors score, comment) otherwise.
    """
    if citizen is None or not citizen.is_authenticated or complaint.citizen_id != citizen.pk:
        raise PermissionDenied(_("ประเมินความพึงพอใจได้เฉพาะผู้ร้องเรียนเรื่องนี้"))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("กรุณาเลือกคะแนน 1 ถึง 5")})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": _("ความคิดเห็นยาวได้ไม่เกิน 2,000 ตัวอักษร")})
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.state != State.COMPLETED:
            raise ValidationError(
                _("ประเมินความพึงพอใจได้เมื่อเรื่องดำเนินการเสร็จสิ้นแล้ว"), code="not_completed"
            )
        rating = locked.ratings.filter(completion_round=locked.reopen_count).first()
        if rating is None:
            rating = SatisfactionRating.objects.create(
                complaint=locked,
                completion_round=locked.reopen_count,
                score=score,
                comment=comment,
            )
        elif not rating_changeable(rating):
            raise ValidationError(
                _("แก้ไขผลการประเมินได้ภายใน %(days)d วันหลังจากประเมินครั้งแรกเท่านั้น")
                % {"days": RATING_CHANGE_DAYS},
                code="rating_locked",
            )
        else:
            rating.score, rating.comment = score, comment
            rating.save(update_fields=["score", "comment", "updated_at"])
        complaint.latest_rating_score = _store_latest_rating_score(locked)
        return rating


def _store_latest_rating_score(complaint: Complaint) -> int | None:
    """Copy the score of the complaint's latest rated round onto it (the dashboard counts
    from this copy); called in the transaction that wrote the rating."""
    latest = complaint.ratings.order_by("-completion_round").values_list("score", flat=True).first()
    Complaint.objects.filter(pk=complaint.pk).update(latest_rating_score=latest)
    return latest
