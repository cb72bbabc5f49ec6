"""Supervisors see the seven figures on the Wagtail admin home; case officers do not."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from complaints.models import State
from tests.accounts.factories import StaffFactory
from tests.dashboard.support import filed

pytestmark = pytest.mark.django_db


def admin_home(client, role) -> str:
    client.force_login(StaffFactory(role=role))
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_supervisors_see_the_figures_of_this_fiscal_year(client):
    filed(timezone.now(), state=State.COMPLETED, completed_at=timezone.now())
    filed(timezone.now())
    html = admin_home(client, Role.SUPERVISOR)
    assert "data-dashboard-panel" in html
    assert "จำนวนเรื่องร้องเรียนที่ได้รับการประเมิน" in html
    assert "๑ = ๒ + ๓ + ๔ + ยุติเรื่อง: 2 = 1 + 0 + 1 + 0" in html
    assert 'href="/dashboard/"' in html


def test_case_officers_do_not(client):
    html = admin_home(client, Role.CASE_OFFICER)
    assert "data-dashboard-panel" not in html
    assert "จำนวนเรื่องร้องเรียนทั้งหมด" not in html
