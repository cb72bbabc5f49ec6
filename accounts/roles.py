"""Who is who among the staff, decided here and nowhere else.

Each role is a Django group; what a role may do in the admin is granted as permissions in
``accounts.setup.ROLE_PERMISSIONS``. Every question of the form "is this user an officer / a
supervisor / an executive / staff at all?" is one function below, asked by the case workflow,
the querysets, live chat, the dashboard, LINE and the alerts alike, so a change of policy is a
change of one line.

No model imports: the complaints queryset module (loaded with the models) asks these too.
"""

from collections.abc import Iterable
from enum import Enum

from django.contrib.auth import get_user_model
from django.db.models import QuerySet


class Role(Enum):
    CASE_OFFICER = "Case officers"
    SUPERVISOR = "Supervisors"
    EXECUTIVE = "Executives"
    NEWS_EDITOR = "News editors"
    # Staff of an agency cases are forwarded to; complaints.AgencyMember says which agency.
    AGENCY_STAFF = "Agency staff"

    @property
    def group_name(self) -> str:
        return self.value


# The centre's own officers: they see every case and the complainant even when concealed
# (concealment is towards the agency a case is forwarded to), take cases, and get the
# officers' rich menu in LINE.
CENTRE_ROLES = (Role.CASE_OFFICER, Role.SUPERVISOR)
# Who sees the dashboard: figures only, no personal data.
DASHBOARD_ROLES = (Role.EXECUTIVE, Role.SUPERVISOR)


def group_names(roles: Iterable[Role]) -> tuple[str, ...]:
    return tuple(role.group_name for role in roles)


def is_active_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def in_role(user, *roles: Role) -> bool:
    """Whether ``user`` is in the group of any of ``roles`` (active or not)."""
    return user.groups.filter(name__in=group_names(roles)).exists()


def is_agency_member(user) -> bool:
    """Staff of an agency (``complaints.AgencyMember``). Being one always narrows access, even
    if the account is also in a centre group by mistake."""
    return getattr(user, "agency_membership", None) is not None


def members_of(*roles: Role) -> QuerySet:
    """Active accounts in the group of any of ``roles``."""
    names = group_names(roles)
    return get_user_model().objects.filter(is_active=True, groups__name__in=names).distinct()


def is_centre_staff(user) -> bool:
    """A case officer or supervisor of the centre (or a superuser), not an agency member: the
    people who see every case and the complainant's identity even when it is concealed."""
    if not is_active_user(user) or is_agency_member(user):
        return False
    # Kept on the user object for the request, as Django keeps permissions (_perm_cache):
    # a list page asks once per row.
    known = getattr(user, "_centre_staff_cache", None)
    if known is None:
        known = user.is_superuser or in_role(user, *CENTRE_ROLES)
        user._centre_staff_cache = known
    return known


def may_take_cases(user) -> bool:
    """Whom a case can be assigned to: an active officer of the centre (superusers only when
    they are in an officer group too)."""
    return is_active_user(user) and not is_agency_member(user) and in_role(user, *CENTRE_ROLES)


def case_officers() -> QuerySet:
    """The choices of the "assign to" lists, by name."""
    return members_of(*CENTRE_ROLES).order_by("first_name", "last_name", "username")


def is_supervisor(user) -> bool:
    return is_active_user(user) and in_role(user, Role.SUPERVISOR)


def can_view_dashboard(user) -> bool:
    """Executives and supervisors of the centre (or a superuser). Agency members never, even if
    put in one of these groups by mistake: the dashboard counts every agency's cases."""
    if not is_active_user(user) or is_agency_member(user):
        return False
    return user.is_superuser or in_role(user, *DASHBOARD_ROLES)


def may_answer_chats(user) -> bool:
    """Officers who answer citizens in live chat (the ``chat.answer_conversation`` permission,
    through their group, directly, or as superuser)."""
    return is_active_user(user) and user.has_perm("chat.answer_conversation")


def chat_officers() -> QuerySet:
    """Active accounts that may answer chats (through a group, directly, or as superuser), by
    name: the choices when a conversation is transferred."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    permission = Permission.objects.filter(
        content_type__app_label="chat", codename="answer_conversation"
    ).first()
    found = Q(is_superuser=True)
    if permission is not None:
        found |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return (
        get_user_model()
        .objects.filter(found, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def works_in_admin(user) -> bool:
    """Staff who use the admin: the citizens' pages point them there instead."""
    return bool(
        user.is_staff or may_answer_chats(user) or user.has_perm("wagtailadmin.access_admin")
    )


def has_staff_access(user) -> bool:
    """Anything beyond a citizen account: the staff flag, a superuser, or any role's group.
    Such accounts sign in with their password only, never through LINE."""
    return user.is_staff or user.is_superuser or user.groups.exists()


def staff_menu(user) -> str | None:
    """Which staff rich menu a user's LINE gets ("executive" or "officer"); None: the citizens'."""
    if user is None:
        return None
    if in_role(user, Role.EXECUTIVE):
        return "executive"
    if in_role(user, *CENTRE_ROLES):
        return "officer"
    return None


def staff_name(user) -> str:
    """How a staff member is named on officers' screens, exports and LINE messages."""
    if user is None:
        return ""
    return user.get_full_name() or user.username
