"""Who sees the dashboard: executives and supervisors of the centre (figures only, no
personal data). Agency members never do, even if put in one of these groups by mistake:
the dashboard counts every agency's cases."""

from accounts.roles import Role

DASHBOARD_ROLES = (Role.EXECUTIVE, Role.SUPERVISOR)


def can_view_dashboard(user) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if getattr(user, "agency_membership", None) is not None:
        return False
    names = [role.group_name for role in DASHBOARD_ROLES]
    return user.is_superuser or user.groups.filter(name__in=names).exists()


def is_supervisor(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.groups.filter(name=Role.SUPERVISOR.group_name).exists()
    )
