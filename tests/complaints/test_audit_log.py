"""Every look at a complainant's personal data by staff is logged, and supervisors read the
log in the admin (read-only: nobody, not even a superuser, edits or deletes an entry)."""

import pytest

from accounts.roles import Role
from complaints.models import PersonalDataAccess
from core.thai_dates import format_thai_datetime
from tests.accounts.factories import StaffFactory, UserFactory
from tests.complaints.admin_support import (
    ADMIN_URL,
    case,
    grant_officer_screen_permissions,
    inspect_url,
)

pytestmark = pytest.mark.django_db

LOG_URL = "/admin/snippets/complaints/personaldataaccess/"


@pytest.fixture(autouse=True)
def _permissions():
    grant_officer_screen_permissions()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="มานะ", last_name="ขยันดี")


@pytest.fixture
def supervisor():
    return StaffFactory(role=Role.SUPERVISOR)


def test_opening_a_case_is_logged_with_who_and_from_where(client, officer):
    complaint = case()
    client.force_login(officer)

    client.get(inspect_url(complaint), REMOTE_ADDR="198.51.100.7")

    [entry] = PersonalDataAccess.objects.all()
    assert (entry.user, entry.complaint, entry.action, entry.ip_address) == (
        officer,
        complaint,
        "inspect",
        "198.51.100.7",
    )


def test_the_list_alone_and_refused_requests_are_not_logged_as_views(client, officer):
    complaint = case()
    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    client.get(inspect_url(complaint))
    client.force_login(officer)
    client.get(f"{ADMIN_URL}inspect/999999/")
    assert complaint.tracking_number in client.get(ADMIN_URL).content.decode()

    assert not PersonalDataAccess.objects.exists()


def test_export_logs_one_entry_per_exported_case(client, officer):
    late, also_late = case(days_left=-1), case(days_left=-2)
    case(days_left=5)
    client.force_login(officer)

    client.get(ADMIN_URL, {"export": "xlsx", "overdue": "yes"})

    entries = PersonalDataAccess.objects.filter(action="export", user=officer)
    assert {entry.complaint for entry in entries} == {late, also_late}


def test_supervisor_reads_the_log(client, officer, supervisor):
    complaint = case()
    client.force_login(officer)
    client.get(inspect_url(complaint))
    entry = PersonalDataAccess.objects.get()
    client.force_login(supervisor)

    page = client.get(LOG_URL).content.decode()

    assert "มานะ ขยันดี" in page and complaint.tracking_number in page
    assert format_thai_datetime(entry.at) in page and "เปิดดูเรื่อง" in page
    assert f'"{LOG_URL}"' in client.get("/admin/").content.decode()  # in the menu
    assert client.get(f"{LOG_URL}inspect/{entry.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.CASE_OFFICER, Role.NEWS_EDITOR])
def test_others_cannot_read_the_log(client, role):
    client.force_login(StaffFactory(role=role))

    assert client.get(LOG_URL).status_code == 302
    assert f'"{LOG_URL}"' not in client.get("/admin/").content.decode()


def test_nobody_adds_edits_or_deletes_log_entries(client, officer):
    complaint = case()
    client.force_login(officer)
    client.get(inspect_url(complaint))
    entry = PersonalDataAccess.objects.get()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(LOG_URL).status_code == 200
    assert client.get(f"{LOG_URL}add/").status_code == 302
    assert client.get(f"{LOG_URL}edit/{entry.pk}/").status_code == 302
    client.post(f"{LOG_URL}edit/{entry.pk}/", {"action": "changed"})
    client.post(f"{LOG_URL}delete/{entry.pk}/")

    entry.refresh_from_db()
    assert entry.action == "inspect"
