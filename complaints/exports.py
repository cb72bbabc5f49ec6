"""The officers' list as a spreadsheet (CSV for any tool, .xlsx for Excel).

Every exported row is a view of a complainant's personal data, so each one is written to the
access log; concealed complainants stay concealed exactly as on screen (``complainant_display``).
Cells are text, never formulas: a citizen's "=HYPERLINK(...)" must not run on an officer's PC.
"""

import csv
import io
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.roles import staff_name
from complaints.deadlines import badge, days_left
from complaints.models import Complaint
from complaints.selectors import complainant_display, log_personal_data_access
from core.thai_dates import format_thai_date

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
DETAILS_MAX_CHARS = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = (18, 14, 24, 20, 22, 22, 28, 12, 18, 26, 18, 60)


def headers() -> list[str]:
    return [
        _("เลขที่เรื่อง"),
        _("วันที่ยื่นเรื่อง"),
        _("ประเภทเรื่องร้องเรียน"),
        _("อำเภอ"),
        _("สถานะ"),
        _("เจ้าหน้าที่ผู้รับผิดชอบ"),
        _("หน่วยงานที่ส่งต่อ"),
        _("วันคงเหลือ (ติดลบ = เกินกำหนด)"),
        _("กำหนดเวลา"),
        _("ชื่อผู้ร้องเรียน"),
        _("โทรศัพท์ผู้ร้องเรียน"),
        _("รายละเอียด"),
    ]


def _truncated(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= DETAILS_MAX_CHARS else text[: DETAILS_MAX_CHARS - 1] + "…"


def row_for(complaint: Complaint, *, viewer) -> list:
    person = complainant_display(complaint, viewer=viewer)
    left = days_left(complaint)
    return [
        complaint.tracking_number,
        format_thai_date(complaint.submitted_at),
        str(complaint.category),
        str(complaint.target_district),
        complaint.get_state_display(),
        staff_name(complaint.assigned_officer),
        str(complaint.agency or ""),
        "" if left is None else left,
        str(badge(complaint)["label"]),
        str(person.get("name") or ""),
        str(person.get("phone") or ""),
        _truncated(complaint.details),
    ]


def _defused(value):
    """A CSV cell that a spreadsheet will show as text, not evaluate (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel on Windows shows Thai as mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_defused(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("เรื่องร้องเรียน")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl reads any "=..." string as a formula
                cell.data_type = "s"
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_complaints(*, complaints: Iterable[Complaint], viewer, fmt: str, ip: str | None):
    """The download for ``complaints`` (already filtered and visible to ``viewer``), with one
    access-log entry per exported complaint."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    with translation.override("th"):
        complaints = list(complaints)
        rows = [row_for(complaint, viewer=viewer) for complaint in complaints]
        with transaction.atomic():
            for complaint in complaints:
                log_personal_data_access(complaint=complaint, user=viewer, action="export", ip=ip)
        content = csv_bytes(rows) if fmt == CSV else xlsx_bytes(rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        content, content_type="text/csv; charset=utf-8" if fmt == CSV else XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
