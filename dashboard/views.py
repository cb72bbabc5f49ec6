from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import can_view_dashboard
from accounts.staff_only import EXECUTIVES, staff_only_response
from dashboard import charts, district_map, exports
from dashboard.forms import DashboardFilterForm
from dashboard.report import Report

STATE_COLORS = ("#f9a825", "#1565c0", "#2e7d32", "#757575")


def dashboard_access(view):
    """Log-in first (anonymous → log-in page), then executives and supervisors only: anyone
    else gets the Thai page that says who "สำหรับผู้บริหาร" is for (403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_view_dashboard(request.user):
            return staff_only_response(request, EXECUTIVES)
        return view(request, *args, **kwargs)

    return wrapped


def _sections(report: Report) -> list[dict]:
    """Each chart with the table of its numbers (the same tables the exports write)."""
    b = report.breakdowns
    svgs = [
        charts.monthly_columns(
            b.months, title=_("จำนวนเรื่องที่ได้รับและที่ดำเนินการเสร็จสิ้น รายเดือน"), chart_id="chart-months"
        ),
        charts.horizontal_bars(
            b.categories, title=_("จำนวนเรื่องตามประเภท"), chart_id="chart-categories"
        ),
        charts.horizontal_bars(
            b.districts, title=_("จำนวนเรื่องตามอำเภอ"), chart_id="chart-districts"
        ),
        charts.horizontal_bars(
            b.states,
            title=_("จำนวนเรื่องตามสถานะ"),
            chart_id="chart-states",
            show_completed=False,
            colors=STATE_COLORS,
        ),
        charts.horizontal_bars(
            b.agencies, title=_("จำนวนเรื่องตามหน่วยงานที่ส่งต่อ"), chart_id="chart-agencies"
        ),
    ]
    keys = ("months", "categories", "districts", "states", "agencies")
    headings = (
        _("เรื่องที่ได้รับและที่ดำเนินการเสร็จสิ้น รายเดือน"),
        _("ตามประเภทเรื่องร้องเรียน"),
        _("ตามอำเภอ"),
        _("ตามสถานะ"),
        _("ตามหน่วยงานที่ส่งต่อ"),
    )
    sections = [
        {
            "key": key,
            "heading": heading,
            "svg": svg,
            "headers": headers,
            "rows": rows,
            "legend": key != "states",
            "empty": not any(row[1] for row in rows),
        }
        for key, heading, svg, (_title, headers, rows) in zip(
            keys, headings, svgs, exports.tables(report), strict=True
        )
    ]
    sections.insert(keys.index("districts") + 1, _map_section(report))
    return sections


def _map_section(report: Report) -> dict:
    """The districts again, as a schematic map of the province with its own table."""
    tiles = district_map.tiles(report.breakdowns.districts, district_map.district_names())
    total = report.figures.total
    return {
        "key": "map",
        "heading": _("แผนที่อำเภอ (แบบย่อ)"),
        "note": _(
            "แผนภาพนี้ไม่ใช่แผนที่จริง: แต่ละอำเภอเป็นช่องสี่เหลี่ยมขนาดเท่ากัน วางตามทิศโดยประมาณ "
            "(ทิศเหนืออยู่ด้านบน) สีเข้มคือได้รับเรื่องมาก ตัวเลขในช่องคือจำนวนเรื่องที่ได้รับ"
        )
        if district_map.hand_drawn()
        else _(
            "แผนภาพนี้ไม่ใช่แผนที่จริง: แต่ละอำเภอเป็นช่องสี่เหลี่ยมขนาดเท่ากัน เรียงตามรหัสอำเภอ "
            "สีเข้มคือได้รับเรื่องมาก ตัวเลขในช่องคือจำนวนเรื่องที่ได้รับ"
        ),
        "svg": district_map.district_map(
            tiles, title=_("จำนวนเรื่องที่ได้รับตามอำเภอ แผนที่แบบย่อ"), chart_id="chart-map"
        ),
        "headers": [_("อำเภอ"), _("จำนวนเรื่องที่ได้รับ"), _("ร้อยละของทั้งหมด")],
        "rows": [
            [tile.name, tile.total, f"{100 * tile.total / (total or 1):.1f}"] for tile in tiles
        ],
        "legend": False,
        "empty": not any(tile.total for tile in tiles),
    }


@dashboard_access
def index(request):
    form = DashboardFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/index.html", {"form": form}, status=400)
    report = Report.build(form.filters())
    query = request.GET.urlencode()
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "report": report,
            "sections": _sections(report),
            "query": query,
            "filters_open": bool(request.GET),
        },
    )


@dashboard_access
def export(request, fmt: str):
    form = DashboardFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboard/index.html", {"form": form}, status=400)
    report = Report.build(form.filters())
    if fmt == "xlsx":
        content, content_type = exports.xlsx_bytes(report), exports.XLSX_TYPE
    else:
        content, content_type = exports.pdf_bytes(report), "application/pdf"
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
