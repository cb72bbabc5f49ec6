"""Who a staff user is for the case workflow: an officer of the centre, or an agency member.

No model imports: the queryset module (loaded with the models) uses these too.
"""

from accounts.roles import Role

CENTRE_ROLES = (Role.CASE_OFFICER, Role.SUPERVISOR)
CENTRE_GROUP_NAMES = tuple(role.group_name for role in CENTRE_ROLES)


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def agency_id_of(user) -> int | None:
    """The agency an agency member belongs to; None for everyone else.

    Being an agency member always narrows access, even if the account is also in a centre
    group by mistake.
    """
    if not _active(user):
        return None
    membership = getattr(user, "agency_membership", None)
    return membership.agency_id if membership is not None else None


def is_centre_staff(user) -> bool:
    """A case officer or supervisor of the centre (or a superuser), not an agency member.

    These are the people who see every case and the complainant's identity even when it is
    concealed: concealment is towards the agency the case is forwarded to.
    """
    if not _active(user) or agency_id_of(user) is not None:
        return False
    # Kept on the user object for the request, as Django keeps permissions (_perm_cache):
    # a list page asks once per row.
    known = getattr(user, "_centre_staff_cache", None)
    if known is None:
        known = user.is_superuser or user.groups.filter(name__in=CENTRE_GROUP_NAMES).exists()
        user._centre_staff_cache = known
    return known


def is_citizen(user) -> bool:
    """Someone who registered as a citizen (has a CitizenProfile)."""
    return _active(user) and getattr(user, "citizen_profile", None) is not None
