"""The page executives open: who may, what it shows, how filters and bad input behave."""

import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from complaints.models import ComplaintCategory, State
from dashboard.periods import fiscal_year_of
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.workflow_support import agency_member, make_agency
from tests.dashboard.support import bkk, filed

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
SEVEN = (
    "จำนวนเรื่องร้องเรียนทั้งหมด",
    "จำนวนเรื่องร้องเรียนที่ดำเนินการเสร็จสิ้น",
    "จำนวนเรื่องร้องเรียนที่อยู่ระหว่างดำเนินการ",
    "จำนวนเรื่องร้องเรียนที่อยู่ระหว่างการตรวจสอบ",
    "ร้อยละความสำเร็จในการดำเนินการ",
    "คะแนนเฉลี่ยที่ได้จากการประเมิน",
    "จำนวนเรื่องร้องเรียนที่ได้รับการประเมิน",
)


def logged_in(client, role):
    client.force_login(StaffFactory(role=role))
    return client


def figure(html: str, key: str) -> str:
    match = re.search(
        rf'data-figure="{key}">.*?<span class="figure-value">([^<]*)</span>', html, re.S
    )
    assert match, key
    return match.group(1)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SUPERVISOR])
def test_executives_and_supervisors_see_the_seven_figures(client, role):
    response = logged_in(client, role).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in SEVEN:
        assert label in html
    assert f"ปีงบประมาณ {fiscal_year_of()}" in html


@pytest.mark.parametrize("role", [Role.CASE_OFFICER, Role.NEWS_EDITOR])
def test_other_staff_are_refused(client, role):
    assert logged_in(client, role).get(URL).status_code == 403


def test_citizens_are_refused(client):
    client.force_login(CitizenFactory().user)
    assert client.get(URL).status_code == 403
    assert client.get("/dashboard/export.xlsx").status_code == 403


def test_agency_staff_in_the_supervisors_group_by_mistake_are_refused(client):
    member = agency_member(make_agency())
    member.groups.add(*StaffFactory(role=Role.SUPERVISOR).groups.all())
    client.force_login(member)
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/")


def test_current_fiscal_year_by_default_and_the_numbers_add_up(client):
    now = timezone.now()
    filed(now, state=State.COMPLETED, completed_at=now, ratings=[(0, 5)])
    filed(now, state=State.COMPLETED, completed_at=now)
    filed(now, state=State.IN_PROGRESS)
    filed(now, state=State.CLOSED, closed_reason="duplicate")
    filed(bkk(2020, 1, 1))  # long ago: not in this year
    html = logged_in(client, Role.EXECUTIVE).get(URL).content.decode()
    assert figure(html, "total") == "4"
    assert figure(html, "completed") == "2"
    assert figure(html, "in_progress") == "1"
    assert figure(html, "under_review") == "0"
    assert figure(html, "closed") == "1"
    assert figure(html, "success_percent") == "50.0"
    assert figure(html, "average_score") == "5.0"
    assert figure(html, "rated") == "1"
    assert "๑ = ๒ + ๓ + ๔ + ยุติเรื่อง: 4 = 2 + 1 + 0 + 1" in html


def test_definitions_are_on_the_page(client):
    html = logged_in(client, Role.EXECUTIVE).get(URL).content.decode()
    assert "นิยามของตัวเลข" in html
    assert "เรื่องที่ยุติเรื่องไม่นับเป็นความสำเร็จ แต่ยังนับอยู่ในเรื่องทั้งหมด" in html


def test_filters_in_the_query_string(client):
    roads = ComplaintCategory.objects.create(name="ถนนชำรุด")
    filed(bkk(2025, 11, 5), category=roads)
    filed(bkk(2025, 12, 5))
    filed(bkk(2026, 1, 5), category=roads)
    logged_in(client, Role.EXECUTIVE)
    whole_year = client.get(URL, {"fiscal_year": 2569}).content.decode()
    assert figure(whole_year, "total") == "3"
    november = client.get(URL, {"fiscal_year": 2569, "month": 11}).content.decode()
    assert figure(november, "total") == "1"
    assert "เดือนพฤศจิกายน 2568" in november
    january = client.get(URL, {"fiscal_year": 2569, "month": 1}).content.decode()
    assert "เดือนมกราคม 2569" in january
    roads_only = client.get(URL, {"fiscal_year": 2569, "category": roads.pk}).content.decode()
    assert figure(roads_only, "total") == "2"
    days = client.get(URL, {"date_from": "2025-12-01", "date_to": "2026-01-31"}).content.decode()
    assert figure(days, "total") == "2"
    assert "1 ธ.ค. 2568 – 31 ม.ค. 2569" in days


def test_a_bad_date_range_is_explained_beside_the_field(client):
    response = logged_in(client, Role.EXECUTIVE).get(
        URL, {"date_from": "2026-02-01", "date_to": "2026-01-01", "category": "999999"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น" in html
    assert 'id="id_date_to_error"' in html
    assert 'value="2026-02-01"' in html  # what was typed stays


def test_every_chart_is_svg_with_a_table(client):
    filed(timezone.now(), state=State.COMPLETED, completed_at=timezone.now())
    html = logged_in(client, Role.EXECUTIVE).get(URL).content.decode()
    for key in ("months", "categories", "districts", "states", "agencies"):
        section = html.split(f'id="section-{key}"', 1)[1].split("</section>", 1)[0]
        assert "<svg" in section, key
        assert "<table>" in section, key
    assert "<script" not in html
    assert "https://" not in html.split("<body")[0]
