"""Shared pieces for the officers' admin tests: the permissions the roles get, the
people, and cases with a chosen deadline.

- ``grant_officer_screen_permissions()``: what accounts/setup.py ROLE_PERMISSIONS should grant
  Case officers and Supervisors for these screens (call it in an autouse fixture).
- ``agency_staff(agency)``: an agency member with admin access who may view and act on cases.
- ``case(days_left=..., **fields)``: a complaint due ``days_left`` Bangkok days from today
  (negative: overdue), filed by a new citizen unless ``profile=`` is given.
"""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.roles import Role
from complaints.models import AgencyMember, Complaint
from tests.accounts.factories import UserFactory
from tests.complaints.factories import ComplaintFactory

ADMIN_URL = "/admin/complaints/complaint/"
OFFICER_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "complaints.view_complaint",
    "complaints.change_complaint",
    "complaints.view_agency",
    "complaints.add_agency",
    "complaints.change_agency",
)
SUPERVISOR_PERMISSIONS = (
    *OFFICER_PERMISSIONS,
    "complaints.view_personaldataaccess",
    "complaints.view_agencymember",
    "complaints.add_agencymember",
    "complaints.change_agencymember",
    "complaints.delete_agencymember",
)
AGENCY_STAFF_PERMISSIONS = (
    "wagtailadmin.access_admin",
    "complaints.view_complaint",
    "complaints.change_complaint",
)


def permissions(names) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def grant_officer_screen_permissions() -> None:
    for role, names in (
        (Role.CASE_OFFICER, OFFICER_PERMISSIONS),
        (Role.SUPERVISOR, SUPERVISOR_PERMISSIONS),
    ):
        Group.objects.get(name=role.group_name).permissions.add(*permissions(names))


def agency_staff(agency, **kwargs):
    user = UserFactory(first_name="ปลัด", last_name="อำเภอ", **kwargs)
    user.user_permissions.add(*permissions(AGENCY_STAFF_PERMISSIONS))
    AgencyMember.objects.create(user=user, agency=agency)
    return user


def case(days_left: int = 10, **fields) -> Complaint:
    due = timezone.now() + timedelta(days=days_left)
    return ComplaintFactory(report_due_at=due, **fields)


def inspect_url(complaint: Complaint) -> str:
    return f"{ADMIN_URL}inspect/{complaint.pk}/"
