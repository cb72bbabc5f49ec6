"""The Excel and PDF downloads open in their programs and carry the same figures."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import Role
from complaints.models import ComplaintCategory, State
from tests.accounts.factories import StaffFactory
from tests.dashboard.support import bkk, filed

pytestmark = pytest.mark.django_db

QUERY = {"fiscal_year": 2569}


@pytest.fixture
def executive_client(client):
    client.force_login(StaffFactory(role=Role.EXECUTIVE))
    return client


@pytest.fixture
def year_2569():
    formula = ComplaintCategory.objects.create(name='=HYPERLINK("http://x")')
    filed(
        bkk(2025, 11, 10), state=State.COMPLETED, completed_at=bkk(2025, 11, 20), ratings=[(0, 4)]
    )
    filed(
        bkk(2026, 1, 5),
        state=State.COMPLETED,
        completed_at=bkk(2026, 1, 9),
        ratings=[(0, 5)],
        category=formula,
    )
    filed(bkk(2026, 2, 1), state=State.IN_PROGRESS)
    filed(bkk(2026, 2, 2), state=State.CLOSED, closed_reason="duplicate")


def test_excel_holds_the_figures_and_breakdowns(executive_client, year_2569, tmp_path):
    response = executive_client.get("/dashboard/export.xlsx", QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    path = tmp_path / "dashboard.xlsx"
    path.write_bytes(response.content)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "ตัวเลขสรุป",
        "รายเดือน",
        "ตามประเภท",
        "ตามอำเภอ",
        "ตามสถานะ",
        "ตามหน่วยงาน",
    ]
    values = {
        row[1]: row[2]
        for row in workbook["ตัวเลขสรุป"].iter_rows(values_only=True)
        if len(row) > 2 and row[1]
    }
    assert values["จำนวนเรื่องร้องเรียนทั้งหมด"] == 4
    assert values["จำนวนเรื่องร้องเรียนที่ดำเนินการเสร็จสิ้น"] == 2
    assert values["ร้อยละความสำเร็จในการดำเนินการ"] == 50.0
    assert values["คะแนนเฉลี่ยที่ได้จากการประเมิน"] == 4.5
    assert values["จำนวนเรื่องร้องเรียนที่ได้รับการประเมิน"] == 2
    assert values["จำนวนเรื่องที่ยุติเรื่อง"] == 1
    months = list(workbook["รายเดือน"].iter_rows(values_only=True))
    assert months[0] == ("เดือน", "จำนวนเรื่องที่ได้รับ", "ดำเนินการเสร็จสิ้น")
    assert ("ก.พ. 2569", 2, 0) in months
    categories = workbook["ตามประเภท"]
    names = [cell.value for cell in categories["A"]]
    assert '=HYPERLINK("http://x")' in names
    assert all(cell.data_type != "f" for cell in categories["A"])


def test_pdf_opens_and_contains_the_figures(executive_client, year_2569):
    response = executive_client.get("/dashboard/export.pdf", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "ปีงบประมาณ 2569" in text
    assert "จำนวนเรื่องร้องเรียนทั้งหมด" in text
    assert "ร้อยละความสำเร็จในการดำเนินการ" in text
    assert "4 = 2 + 1 + 0 + 1" in text
    assert "50.0" in text


def test_exports_follow_the_same_rules_as_the_page(client):
    assert client.get("/dashboard/export.pdf").status_code == 302
    client.force_login(StaffFactory(role=Role.CASE_OFFICER))
    assert client.get("/dashboard/export.pdf").status_code == 403
