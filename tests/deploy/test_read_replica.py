"""The executives' dashboard reads its figures from a read replica when one is configured
(DATABASE_REPLICA_URL → the "replica" alias, core/db.py); log-in, permissions and every write
stay on the primary. In the test settings "replica" is a second connection to the same test
database (TEST MIRROR), so the page is the same and only the connection used differs."""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from complaints.models import Complaint, State
from core.db import reading_from_replica
from tests.accounts.factories import StaffFactory
from tests.complaints.factories import ComplaintFactory

both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA_DATABASE = "replica"
    yield connections["replica"]
    connections["replica"].close()


@pytest.fixture
def executive(client):
    client.force_login(StaffFactory(role=Role.EXECUTIVE))
    return client


def sql(context: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in context.captured_queries)


def total(html: str) -> str:
    match = re.search(
        r'data-figure="total">.*?<span class="figure-value">([^<]*)</span>', html, re.S
    )
    assert match
    return match.group(1)


@both_databases
def test_the_dashboard_figures_come_from_the_replica(replica, executive):
    for state in (State.UNDER_REVIEW, State.IN_PROGRESS, State.COMPLETED):
        ComplaintFactory(state=state)

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = executive.get("/dashboard/")

    assert response.status_code == 200
    assert total(response.content.decode()) == "3"
    assert "complaints_complaint" in sql(on_replica)
    assert "complaints_complaint" not in sql(on_primary)
    # Who is asking and whether they may see the dashboard: the primary, never the replica.
    assert "django_session" in sql(on_primary)
    assert "auth_group" in sql(on_primary)
    assert "auth_group" not in sql(on_replica)
    assert "django_session" not in sql(on_replica)


@both_databases
def test_the_exports_read_the_replica_too(replica, executive):
    ComplaintFactory(state=State.IN_PROGRESS)

    with CaptureQueriesContext(replica) as on_replica:
        response = executive.get("/dashboard/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "complaints_complaint" in sql(on_replica)


@both_databases
def test_someone_no_longer_an_executive_is_refused_although_reads_go_to_the_replica(
    replica, client
):
    former = StaffFactory(role=Role.EXECUTIVE)
    client.force_login(former)
    assert client.get("/dashboard/").status_code == 200
    former.groups.clear()

    assert client.get("/dashboard/").status_code == 403


@both_databases
def test_without_a_replica_nothing_is_read_from_the_second_alias(settings, executive):
    settings.READ_REPLICA_DATABASE = None
    ComplaintFactory(state=State.IN_PROGRESS)

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = executive.get("/dashboard/")

    assert response.status_code == 200
    assert total(response.content.decode()) == "1"
    assert on_replica.captured_queries == []
    connections["replica"].close()


@both_databases
def test_an_object_read_from_the_replica_is_saved_on_the_primary(replica):
    complaint = ComplaintFactory(state=State.IN_PROGRESS)

    with reading_from_replica():
        again = Complaint.objects.get(pk=complaint.pk)
        assert again._state.db == "replica"
        again.details = "แก้ไขบนฐานข้อมูลหลัก"
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            again.save(update_fields=["details"])

    assert "UPDATE" in sql(on_primary)
    assert "UPDATE" not in sql(on_replica)
    assert Complaint.objects.get(pk=complaint.pk).details == "แก้ไขบนฐานข้อมูลหลัก"
