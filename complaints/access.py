"""Which agency a staff user belongs to, and who is a citizen, for the case workflow. Who is an
officer of the centre is decided in ``accounts.roles``.

No model imports: the queryset module (loaded with the models) uses these too.
"""

from accounts.roles import is_active_user


def agency_id_of(user) -> int | None:
    """The agency an agency member belongs to; None for everyone else."""
    if not is_active_user(user):
        return None
    membership = getattr(user, "agency_membership", None)
    return membership.agency_id if membership is not None else None


def is_citizen(user) -> bool:
    """Someone who registered as a citizen (has a CitizenProfile)."""
    return is_active_user(user) and getattr(user, "citizen_profile", None) is not None
