"""Which alerts a staff member can receive, and their current choice."""

from accounts.roles import Role
from alerts.models import AlertPreference

OFFERS = {
    Role.CASE_OFFICER: ("deadline_alerts",),
    Role.SUPERVISOR: ("deadline_alerts", "morning_digest"),
    Role.EXECUTIVE: ("weekly_summary",),
}
FIELDS = ("deadline_alerts", "morning_digest", "weekly_summary")


def offered_alerts(user) -> tuple[str, ...]:
    """The alerts of ``user``'s roles, in a fixed order; () for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    groups = set(user.groups.values_list("name", flat=True))
    offered = {
        name for role, names in OFFERS.items() if role.group_name in groups for name in names
    }
    return tuple(name for name in FIELDS if name in offered)


def current_choices(user) -> dict[str, bool]:
    preference = AlertPreference.objects.filter(user=user).first()
    return {name: getattr(preference, name) if preference else True for name in FIELDS}
