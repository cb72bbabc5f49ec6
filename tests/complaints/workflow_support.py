"""People and places for case-workflow tests.

- ``grant_case_permissions()``: gives Case officers and Supervisors ``change_complaint``, as
  accounts/setup.py ROLE_PERMISSIONS will (call it in an autouse fixture).
- ``officer(role=...)``: a centre staff user; ``agency_member(agency)``: a user of an agency
  holding the same permissions; ``make_agency()``: a fresh agency (migration data may be gone).
- ``link_line(user)``: a followed, active LINE account; returns its LINE user ID.
- ``messages_to(line_id)``: the outbox rows for that LINE user, oldest first.
"""

import itertools
import json

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from complaints.models import Agency, AgencyMember
from complaints.workflow import complaint_add_note, complaint_assign, complaint_forward
from line_integration.models import LineAccount, OutboundMessage
from line_integration.standin.events import new_user_id
from tests.accounts.factories import StaffFactory, UserFactory
from tests.complaints.factories import jpeg_bytes

_agency_numbers = itertools.count(1)


def permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="complaints", codename=codename)


def grant_case_permissions() -> None:
    for role in (Role.CASE_OFFICER, Role.SUPERVISOR):
        group = Group.objects.get(name=role.group_name)
        group.permissions.add(permission("change_complaint"), permission("view_complaint"))


def officer(role: Role = Role.CASE_OFFICER, **kwargs):
    return StaffFactory(role=role, **kwargs)


def make_agency(**kwargs) -> Agency:
    values = {
        "name": f"หน่วยงานทดสอบ {next(_agency_numbers)}",
        "kind": Agency.Kind.DISTRICT_OFFICE,
    }
    return Agency.objects.create(**{**values, **kwargs})


def add_officer_only_traces(complaint, staff) -> None:
    """What officers keep that a citizen must never see: internal notes ending -AAA, -BBB and
    -CCC, a forward to "สำนักงานลับเฉพาะหน่วยงาน" (forwarding moves the case on) and an
    attachment "หนังสือลับ.jpg"."""
    complaint_assign(
        complaint=complaint, officer=staff, by=staff, internal_note="มอบหมายงานภายใน-AAA"
    )
    complaint_forward(
        complaint=complaint,
        agency=make_agency(name="สำนักงานลับเฉพาะหน่วยงาน"),
        by=staff,
        public_note="",
        internal_note="ติดต่อผู้ใหญ่บ้านแล้ว-BBB",
    )
    complaint_add_note(
        complaint=complaint,
        by=staff,
        internal_note="ผู้ร้องเคยร้องเรื่องอื่น-CCC",
        attachment=SimpleUploadedFile("หนังสือลับ.jpg", jpeg_bytes(), "image/jpeg"),
    )


def agency_member(agency: Agency):
    user = UserFactory(first_name="ปลัด", last_name="อำเภอ")
    user.user_permissions.add(permission("change_complaint"), permission("view_complaint"))
    AgencyMember.objects.create(user=user, agency=agency)
    return user


def link_line(user) -> str:
    line_id = new_user_id()
    LineAccount.objects.create(line_user_id=line_id, user=user, followed=True, is_active=True)
    return line_id


def messages_to(line_id: str) -> list[OutboundMessage]:
    return [row for row in OutboundMessage.objects.order_by("pk") if line_id in row.recipients]


def as_text(row: OutboundMessage) -> str:
    """The whole message JSON as text, to look for what must (not) be in it."""
    return json.dumps(row.messages, ensure_ascii=False)


def footer_buttons(row: OutboundMessage) -> list[dict]:
    [message] = row.messages
    footer = message["contents"].get("footer", {"contents": []})
    return [item["action"] for item in footer["contents"]]
