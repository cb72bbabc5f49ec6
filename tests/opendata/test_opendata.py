"""Monthly open data: the dashboard's figures, as CSV (UTF-8 with BOM) and JSON, small cells
hidden."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from addresses.models import District
from complaints.clock import start_of_day
from complaints.models import Complaint, ComplaintCategory, State
from dashboard.forms import Filters
from dashboard.periods import Period, fiscal_year_of, month_range
from dashboard.selectors import dashboard_figures
from opendata.datasets import FIELD_NAMES, suppress
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

YEAR = fiscal_year_of() - 1  # a whole fiscal year in the past
NOVEMBER = (YEAR - 543 - 1, 11)  # its second month (AD year, month)


def file(n: int, *, category, district="6001", state=State.UNDER_REVIEW, score=None, day=10):
    at = start_of_day(datetime.date(*NOVEMBER, day)) + datetime.timedelta(hours=9)
    made = []
    for _ in range(n):
        complaint = ComplaintFactory(
            category=category, target_district=District.objects.get(pk=district), state=state
        )
        Complaint.objects.filter(pk=complaint.pk).update(submitted_at=at, latest_rating_score=score)
        made.append(complaint)
    return made


@pytest.fixture
def november():
    first, second, third = ComplaintCategory.objects.filter(is_active=True)[:3]
    file(6, category=first, state=State.COMPLETED, score=4)
    file(5, category=first, state=State.IN_PROGRESS)
    file(7, category=second, district="6002", state=State.UNDER_REVIEW)
    file(2, category=second, district="6002", state=State.CLOSED)
    file(8, category=third, district="6002", state=State.COMPLETED, score=5)
    return first, second, third


def csv_rows(client, year=YEAR, query=""):
    response = client.get(f"/opendata/complaints-monthly-{year}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # the BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_a_bom_machine_names_and_thai_labels(client, november):
    rows = csv_rows(client)
    assert tuple(rows[0]) == FIELD_NAMES
    thai = csv_rows(client, query="?header=th")[0]
    assert thai[:3] == ["ปีงบประมาณ", "เดือน", "เดือน (ภาษาไทย)"]
    by = {(r[1], r[3], r[5]): dict(zip(FIELD_NAMES, r, strict=True)) for r in rows[1:]}
    month = f"{NOVEMBER[0]}-{NOVEMBER[1]:02d}"
    province = by[(month, "all", "")]
    assert province["month_th"] == f"พฤศจิกายน {NOVEMBER[0] + 543}"
    assert province["breakdown_th"] == "ทั้งจังหวัด"
    assert province["received"] == "28"
    district = by[(month, "district", "6002")]
    assert district["label_th"] == District.objects.get(pk="6002").name_th
    assert district["received"] == "17"
    # Twelve months of the past fiscal year, each with its province row.
    assert sum(1 for r in rows[1:] if r[3] == "all") == 12


def test_figures_match_the_dashboard_for_the_same_month_and_filters(client, november):
    first, second, third = november
    document = json.loads(client.get(f"/opendata/complaints-monthly-{YEAR}.json").content)
    month = f"{NOVEMBER[0]}-{NOVEMBER[1]:02d}"
    rows = {(r["breakdown"], r["code"]): r for r in document["rows"] if r["month"] == month}
    period = Period(*month_range(*NOVEMBER))
    checks = [
        (("all", ""), Filters(period=period)),
        (("category", str(first.pk)), Filters(period=period, category=first)),
        (("category", str(third.pk)), Filters(period=period, category=third)),
        (("district", "6001"), Filters(period=period, district=District.objects.get(pk="6001"))),
    ]
    published = 0
    for key, filters in checks:
        figures = dashboard_figures(filters=filters)
        row = rows[key]
        for ours, theirs in (
            ("received", "total"),
            ("completed", "completed"),
            ("in_progress", "in_progress"),
            ("under_review", "under_review"),
            ("closed", "closed"),
            ("rated", "rated"),
        ):
            value = getattr(figures, theirs)
            if 0 < value < 5:
                assert row[ours] is None, (key, ours)
            else:  # published, or hidden because it would give a small cell away
                assert row[ours] in (value, None), (key, ours)
                published += row[ours] is not None
        expected = figures.average_score if figures.rated >= 5 else None
        assert row["average_rating"] == (float(expected) if expected is not None else None), key
    assert published >= 15


def test_small_cells_are_hidden_with_whatever_gives_them_away(client, november):
    first, second, _third = november
    document = json.loads(client.get(f"/opendata/complaints-monthly-{YEAR}.json").content)
    month = f"{NOVEMBER[0]}-{NOVEMBER[1]:02d}"
    rows = {(r["breakdown"], r["code"]): r for r in document["rows"] if r["month"] == month}
    second_row = rows[("category", str(second.pk))]
    # 2 closed: hidden, and so is the other non-zero state of the row (7 under review),
    # otherwise 9 - 7 would give it back.
    assert second_row["received"] == 9
    assert second_row["closed"] is None and second_row["under_review"] is None
    # The province's closed count (2) is hidden too.
    assert rows[("all", "")]["closed"] is None
    for row in document["rows"]:
        for name in ("received", "completed", "in_progress", "under_review", "closed", "rated"):
            assert row[name] is None or row[name] == 0 or row[name] >= 5
    assert document["suppression"]["threshold"] == 5
    assert [f["name"] for f in document["schema"]["fields"]] == list(FIELD_NAMES)
    # Only the third category (8 rated) shows an average; the first has 6 ratings of 4.
    assert rows[("category", str(first.pk))]["average_rating"] == 4.0


def test_one_hidden_cell_among_a_months_categories_takes_another_with_it():
    def row(breakdown, code, received):
        base = {"month": "2025-11", "breakdown": breakdown, "code": code, "received": received}
        return {**base, "completed": received, "in_progress": 0, "under_review": 0, "closed": 0}

    rows = [row("all", "", 20), row("category", "1", 3), row("category", "2", 6)]
    rows += [row("category", "3", 11)]
    for r in rows:
        r.update(rated=0, average_rating=None)
    suppress(rows)
    received = {r["code"]: r["received"] for r in rows}
    assert received == {"": 20, "1": None, "2": None, "3": 11}


def test_only_years_with_data_exist(client, november):
    assert client.get(f"/opendata/complaints-monthly-{YEAR}.csv").status_code == 200
    assert client.get(f"/opendata/complaints-monthly-{YEAR - 1}.csv").status_code == 404
    assert client.get(f"/opendata/complaints-monthly-{YEAR + 2}.json").status_code == 404
    assert client.get("/opendata/complaints-monthly-99999999999999999999.json").status_code == 404
    current = json.loads(client.get(f"/opendata/complaints-monthly-{YEAR + 1}.json").content)
    this_month = timezone.localdate().strftime("%Y-%m")
    assert max(r["month"] for r in current["rows"]) == this_month


def test_the_dictionary_page_lists_files_and_fields(client, november):
    page = client.get("/opendata/").content.decode()
    assert f"complaints-monthly-{YEAR}.csv" in page
    assert f"complaints-monthly-{YEAR}.json" in page
    for name in FIELD_NAMES:
        assert f"<code>{name}</code>" in page
    assert "จำนวนเรื่องที่ได้รับ" in page
