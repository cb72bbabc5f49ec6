"""The dashboard as files to take to a meeting: Excel (numbers as numbers, one sheet per
breakdown) and PDF (fpdf2 with the Sarabun font, since the PDF core fonts have no Thai).

Only counts leave the system here, no complainant's data, so nothing goes to the access log.
Names typed by officers (categories, agencies) are written as text, never as formulas.
"""

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core import centre
from core.thai_dates import THAI_MONTHS_SHORT
from dashboard import definitions
from dashboard.report import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT_PATH = Path(settings.BASE_DIR) / "static" / "fonts" / "Sarabun-Bold.ttf"


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def _month_label(day) -> str:
    return f"{THAI_MONTHS_SHORT[day.month - 1]} {day.year + 543}"


def tables(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """The breakdowns as (title, headers, rows), shared by both formats."""
    b = report.breakdowns
    total, completed = _("จำนวนเรื่องที่ได้รับ"), _("ดำเนินการเสร็จสิ้น")
    return [
        (
            _("รายเดือน"),
            [_("เดือน"), total, completed],
            [[_month_label(m.first_day), m.total, m.completed] for m in b.months],
        ),
        (
            _("ตามประเภท"),
            [_("ประเภทเรื่องร้องเรียน"), total, completed],
            [[r.label, r.total, r.completed] for r in b.categories],
        ),
        (
            _("ตามอำเภอ"),
            [_("อำเภอ"), total, completed],
            [[r.label, r.total, r.completed] for r in b.districts],
        ),
        (_("ตามสถานะ"), [_("สถานะ"), total], [[r.label, r.total] for r in b.states]),
        (
            _("ตามหน่วยงาน"),
            [_("หน่วยงานที่ส่งต่อ"), total, completed],
            [[r.label, r.total, r.completed] for r in b.agencies],
        ),
    ]


def _figure_rows(report: Report) -> list[list]:
    items = [
        *definitions.FIGURES,
        definitions.CLOSED,
        definitions.OVERDUE,
        definitions.AVERAGE_DAYS,
    ]
    return [
        [
            item.number,
            str(item.label),
            _number(getattr(report.figures, item.key)),
            str(item.unit),
            str(item.definition),
        ]
        for item in items
    ]


def _append_text_safe(sheet, row: list) -> None:
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":  # a name starting with "=" stays text
            cell.data_type = "s"


def xlsx_bytes(report: Report) -> bytes:
    with translation.override("th"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("ตัวเลขสรุป")
        sheet.append([_("แดชบอร์ดผู้บริหาร %(name)s") % centre.texts()])
        sheet["A1"].font = Font(bold=True, size=14)
        for label, value in report.scope:
            _append_text_safe(sheet, [label, value])
        sheet.append([])
        sheet.append([_("ลำดับ"), _("ตัวชี้วัด"), _("ค่า"), _("หน่วย"), _("นิยาม")])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in _figure_rows(report):
            sheet.append(row)
        sheet.append([])
        sheet.append(["", report.sum_line])
        for column, width in zip("ABCDE", (10, 44, 12, 8, 90), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_col=5, max_col=5):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
        for title, headers, rows in tables(report):
            part = workbook.create_sheet(title[:31])
            part.append(headers)
            for cell in part[1]:
                cell.font = Font(bold=True)
            for row in rows:
                _append_text_safe(part, row)
            part.column_dimensions["A"].width = 40
            part.column_dimensions["B"].width = 20
            part.column_dimensions["C"].width = 20
            part.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def pdf_bytes(report: Report) -> bytes:
    from fpdf import FPDF

    with translation.override("th"):
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_font("Sarabun", "", str(FONT_PATH))
        pdf.add_font("Sarabun", "B", str(FONT_PATH))  # table headings ask for bold
        pdf.add_page()
        pdf.set_font("Sarabun", size=15)
        pdf.multi_cell(
            0, 8, _("แดชบอร์ดผู้บริหาร %(name)s") % centre.texts(), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Sarabun", size=10)
        for label, value in report.scope:
            pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        lines = report.seven + report.extra
        _pdf_table(
            pdf,
            [_("ตัวชี้วัด"), _("ค่า"), _("หน่วย")],
            [[f"{line.number} {line.label}".strip(), line.value, line.unit] for line in lines],
            widths=(120, 35, 25),
        )
        pdf.ln(1)
        pdf.multi_cell(0, 6, report.sum_line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("Sarabun", size=12)
        pdf.multi_cell(0, 7, _("นิยาม"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Sarabun", size=9)
        for line in lines:
            text = f"{line.number} {line.label}: {line.definition}".strip()
            pdf.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        for title, headers, rows in tables(report):
            pdf.ln(3)
            pdf.set_font("Sarabun", size=12)
            pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Sarabun", size=9)
            widths = (100, 40, 40) if len(headers) == 3 else (120, 60)
            _pdf_table(
                pdf,
                headers,
                [[str(v) if not isinstance(v, int) else f"{v:,}" for v in row] for row in rows],
                widths=widths,
            )
        return bytes(pdf.output())


def _pdf_table(pdf, headers: list[str], rows: list[list[str]], *, widths) -> None:
    with pdf.table(
        col_widths=widths, text_align=("LEFT", *["RIGHT"] * (len(widths) - 1)), line_height=6
    ) as table:
        table.row(headers)
        for row in rows:
            table.row(row)
