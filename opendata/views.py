"""Open data at stable addresses: /opendata/ (the data dictionary and the list of files),
/opendata/complaints-monthly-<fiscal year>.csv and .json. Anyone may download them; they hold
only counts (``opendata.datasets``)."""

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from opendata import datasets

CACHE_SECONDS = 3600
LICENCE = "Open Data Common (data.go.th)"


def _year(year: int) -> int:
    if year not in datasets.available_years():
        raise Http404
    return year


def _cached(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "years": datasets.available_years(),
            "fields": datasets.FIELDS,
            "threshold": datasets.THRESHOLD,
        },
    )


def _cell(value) -> str:
    return "" if value is None else str(value)


@require_safe
def monthly_csv(request, year: int):
    """UTF-8 with a byte-order mark (so Excel reads the Thai); the header row has the machine
    names, or the Thai labels with ``?header=th``."""
    rows = datasets.monthly_rows(_year(year))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if request.GET.get("header") == "th":
        writer.writerow([field.title for field in datasets.FIELDS])
    else:
        writer.writerow(datasets.FIELD_NAMES)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in datasets.FIELD_NAMES])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="complaints-monthly-{year}.csv"'
    return _cached(response)


def _json_value(value):
    return float(value) if hasattr(value, "quantize") else value


@require_safe
def monthly_json(request, year: int):
    """The same rows, with a Table Schema (names, Thai titles, types) and how cells are hidden."""
    rows = datasets.monthly_rows(_year(year))
    document = {
        "title": f"สถิติเรื่องร้องเรียนรายเดือน ปีงบประมาณ {year}",
        "fiscal_year": year,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "license": LICENCE,
        "suppression": {
            "threshold": datasets.THRESHOLD,
            "description": (
                f"ไม่เผยแพร่จำนวนตั้งแต่ 1 ถึง {datasets.THRESHOLD - 1} เรื่อง (เป็น null) "
                "และค่าที่ใช้คำนวณย้อนกลับได้ "
                f"คะแนนเฉลี่ยแสดงเมื่อมีผู้ประเมินอย่างน้อย {datasets.THRESHOLD} เรื่อง"
            ),
        },
        "schema": {
            "fields": [
                {"name": f.name, "title": f.title, "type": f.type, "description": f.description}
                for f in datasets.FIELDS
            ]
        },
        "rows": [{k: _json_value(v) for k, v in row.items()} for row in rows],
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
    return _cached(response)
