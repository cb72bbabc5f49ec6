"""Who may see what of a complaint. One place, so every view and download asks the same."""


def can_view_complaint(user, complaint) -> bool:
    """The citizen who filed it, or staff holding ``complaints.view_complaint``.

    Later issues narrow staff access (e.g. agencies see only complaints forwarded to them,
    without the complainant's identity when it is concealed); extend this function rather
    than checking permissions in views.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if complaint.citizen_id == user.pk:
        return True
    return user.has_perm("complaints.view_complaint")
