"""Who may see what of a complaint. One place, so every view and download asks the same."""


def can_view_complaint(user, complaint) -> bool:
    """The citizen who filed it, or staff who hold ``complaints.view_complaint`` and may see
    this case (``ComplaintQuerySet.visible_to``: an agency member only sees cases forwarded
    to their agency)."""
    from complaints.models import Complaint

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if complaint.citizen_id == user.pk:
        return True
    if not user.has_perm("complaints.view_complaint"):
        return False
    return Complaint.objects.visible_to(user).filter(pk=complaint.pk).exists()
