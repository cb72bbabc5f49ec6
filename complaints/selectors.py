"""Read-only queries about complaints; callers pass the logged-in user, never an id to trust."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_centre_staff
from accounts.validators import format_thai_phone
from complaints.access import agency_id_of
from complaints.models import (
    Complaint,
    ComplaintCategory,
    PersonalDataAccess,
    SatisfactionRating,
    State,
    StateChange,
)
from core.uploads import download_name


def active_categories() -> QuerySet[ComplaintCategory]:
    return ComplaintCategory.objects.filter(is_active=True)


def citizen_complaint(*, user: User, tracking_number: str) -> Complaint | None:
    """The citizen's own complaint with this number; None for anyone else's (so: 404)."""
    if not user.is_authenticated:
        return None
    return (
        Complaint.objects.select_related(
            "category", "target_province", "target_district", "target_subdistrict"
        )
        .filter(citizen=user, tracking_number=tracking_number)
        .first()
    )


# Case workflow -------------------------------------------------------------------------------

CONCEALED = "ปกปิดข้อมูล"
RATING_CHANGE_DAYS = 7
COMPLAINANT_FIELDS = ("name", "national_id_masked", "phone", "email", "address")


def may_see_identity(complaint: Complaint, *, viewer: User) -> bool:
    """The complainant, and the centre's officers, always; the agency the case was forwarded
    to only when the citizen did not conceal their identity; nobody else."""
    if complaint.citizen_id == getattr(viewer, "pk", None) or is_centre_staff(viewer):
        return True
    if complaint.conceal_identity:
        return False
    agency_id = agency_id_of(viewer)
    return agency_id is not None and agency_id == complaint.agency_id


def complainant_display(complaint: Complaint, *, viewer: User) -> dict:
    """The complainant's details as ``viewer`` may see them: THE place concealment applies.

    Case officers and supervisors of the centre (and the complainant) see the real values,
    the national ID always masked. When the citizen chose to conceal their identity, everyone
    else — agency members above all — gets "ปกปิดข้อมูล" in every field; so does anyone who
    cannot see the case at all. Admin pages, exports and messages must go through this.
    Keys: name, national_id_masked, phone, email, address, concealed (bool).
    """
    if not may_see_identity(complaint, viewer=viewer):
        return {**dict.fromkeys(COMPLAINANT_FIELDS, CONCEALED), "concealed": True}
    return {
        "name": complaint.complainant_name,
        "national_id_masked": complaint.complainant_national_id_masked,
        "phone": format_thai_phone(complaint.complainant_phone),
        "email": complaint.complainant_email,
        "address": complaint.complainant_address,
        "concealed": False,
    }


def evidence_names(complaint: Complaint, *, viewer: User) -> dict[int, str]:
    """Each evidence file's name (by id) as ``viewer`` may see it, with the extension of what
    is stored. Citizens name files after themselves ("บัตรประชาชน สมชาย.jpg", a phone
    number), so where the identity is hidden the names are too: "หลักฐาน-1.jpg", numbered in
    the order the files were attached."""
    files = complaint.files.order_by("pk")
    shown = may_see_identity(complaint, viewer=viewer)
    names = {}
    for number, evidence in enumerate(files, start=1):
        extension = evidence.file.name.rsplit(".", 1)[-1].lower()
        if shown:
            names[evidence.pk] = download_name(evidence.original_name, extension)
        else:
            names[evidence.pk] = _("หลักฐาน-%(number)s.%(extension)s") % {
                "number": number,
                "extension": extension,
            }
    return names


def log_personal_data_access(
    *, complaint: Complaint, user: User, action: str, ip: str | None
) -> PersonalDataAccess:
    """Record that staff looked at a complainant's personal data (read by supervisors)."""
    return PersonalDataAccess.objects.create(
        complaint=complaint, user=user, action=str(action)[:50], ip_address=ip or None
    )


def public_history(complaint: Complaint) -> QuerySet[StateChange]:
    """The history a citizen may see: state changes and forwarding, never assignments or
    internal notes (templates must still show only ``public_note``, never ``internal_note``
    or the attachment, which are for officers)."""
    return complaint.history.filter(
        kind__in=[StateChange.Kind.STATE, StateChange.Kind.FORWARD]
    ).select_related("agency")


def current_rating(complaint: Complaint) -> SatisfactionRating | None:
    """The rating of the current completion round (a reopened and again completed case is
    rated afresh), if the citizen gave one."""
    return complaint.ratings.filter(completion_round=complaint.reopen_count).first()


def rating_editable_until(rating: SatisfactionRating) -> datetime.datetime:
    return rating.created_at + datetime.timedelta(days=RATING_CHANGE_DAYS)


def rating_changeable(rating: SatisfactionRating | None, *, now=None) -> bool:
    """The rating window: a round not rated yet may be rated, and a rating may be changed
    until RATING_CHANGE_DAYS days after it was first given (that moment included)."""
    return rating is None or (now or timezone.now()) <= rating_editable_until(rating)


def rating_open(*, complaint: Complaint, user: User, now=None) -> bool:
    """Whether ``user`` may rate this case now, or change the rating they gave."""
    if not getattr(user, "is_authenticated", False) or complaint.citizen_id != user.pk:
        return False
    if complaint.state != State.COMPLETED:
        return False
    return rating_changeable(current_rating(complaint), now=now)
