"""Read-only queries about complaints; callers pass the logged-in user, never an id to trust."""

from django.db.models import QuerySet

from accounts.models import User
from complaints.models import Complaint, ComplaintCategory


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
