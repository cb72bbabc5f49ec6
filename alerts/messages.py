"""The staff alerts as LINE Flex messages (line_integration.messages), always in Thai, each
with buttons to the page behind every number. Nothing about any complainant: a case is its
number, category, district and due day."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.deadlines import due_date
from complaints.notifications import admin_case_url
from core.thai_dates import format_thai_date
from dashboard.definitions import FIGURES
from line_integration import messages as msg

LINES_MAX = 10


def admin_list_url(**filters) -> str:
    path = reverse("complaints_complaint_modeladmin_index")
    return msg.site_url(path + ("?" + urlencode(filters) if filters else ""))


def _case_line(complaint) -> str:
    return _("%(number)s · %(category)s · อ.%(district)s · ครบกำหนด %(date)s") % {
        "number": complaint.tracking_number,
        "category": complaint.category.name,
        "district": complaint.target_district.name_th,
        "date": format_thai_date(due_date(complaint)),
    }


def _case_lines(cases: list) -> list[str]:
    lines = [_case_line(c) for c in cases[:LINES_MAX]]
    if len(cases) > LINES_MAX:
        lines.append(_("และอีก %(count)d เรื่อง") % {"count": len(cases) - LINES_MAX})
    return lines


def deadline_soon_message(cases: list, *, list_url: str) -> dict:
    """For the assigned officer: their cases due within three working days."""
    with translation.override("th"):
        title = _("เรื่องใกล้ครบกำหนดแจ้งผล (ภายใน 3 วันทำการ)")
        lines = [
            _("เรื่องที่ท่านรับผิดชอบ %(count)d เรื่อง ต้องแจ้งผลให้ผู้ร้องภายใน 3 วันทำการ")
            % {"count": len(cases)},
            *_case_lines(cases),
        ]
        url = admin_case_url(cases[0]) if len(cases) == 1 else list_url
        button = msg.uri_action(_("เปิดเรื่องในระบบ"), url)
        alt_text = _("เรื่องใกล้ครบกำหนดแจ้งผล %(count)d เรื่อง") % {"count": len(cases)}
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


def overdue_message(cases: list, *, list_url: str, as_supervisor: bool) -> dict:
    """For the assigned officer, and for supervisors: cases past their report-back day."""
    with translation.override("th"):
        title = _("เรื่องเกินกำหนดแจ้งผล")
        lead = (
            _("เรื่องร้องเรียนเกินกำหนดแจ้งผล %(count)d เรื่อง")
            if as_supervisor
            else _("เรื่องที่ท่านรับผิดชอบเกินกำหนดแจ้งผล %(count)d เรื่อง")
        )
        lines = [lead % {"count": len(cases)}, *_case_lines(cases)]
        url = admin_case_url(cases[0]) if len(cases) == 1 else list_url
        button = msg.uri_action(_("เปิดเรื่องในระบบ"), url)
        alt_text = _("เรื่องเกินกำหนดแจ้งผล %(count)d เรื่อง") % {"count": len(cases)}
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


def morning_digest_message(counts: dict, urls: dict, *, today, since) -> dict:
    """For supervisors each working morning: four numbers, a button to each list."""
    with translation.override("th"):
        title = _("สรุปเรื่องร้องเรียนประจำวันที่ %(date)s") % {"date": format_thai_date(today)}
        labels = {
            "new": _("เรื่องใหม่ตั้งแต่ %(date)s") % {"date": format_thai_date(since)},
            "unassigned": _("ยังไม่มอบหมายเจ้าหน้าที่"),
            "due_soon": _("ครบกำหนดภายใน 3 วันทำการ"),
            "overdue": _("เกินกำหนดแจ้งผล"),
        }
        lines = [
            _("%(label)s: %(count)d เรื่อง") % {"label": labels[key], "count": counts[key]}
            for key in labels
        ]
        short = {
            "new": _("เรื่องใหม่"),
            "unassigned": _("ยังไม่มอบหมาย"),
            "due_soon": _("ใกล้ครบกำหนด"),
            "overdue": _("เกินกำหนด"),
        }
        buttons = [msg.uri_action(f"{short[key]} ({counts[key]})", urls[key]) for key in labels]
        alt_text = (
            _(
                "สรุปประจำเช้า: ใหม่ %(new)d ยังไม่มอบหมาย %(unassigned)d "
                "ใกล้ครบกำหนด %(due_soon)d เกินกำหนด %(overdue)d"
            )
            % counts
        )
        return msg.bubble(title=title, lines=lines, buttons=buttons, alt_text=alt_text)


def _figure_text(figures, definition) -> str:
    value = getattr(figures, definition.key)
    if value is None:
        return "-"
    number = f"{value:,}" if isinstance(value, int) else f"{value}"
    return f"{number} {definition.unit}".strip() if definition.unit != "%" else f"{number}%"


def weekly_summary_message(figures, *, fiscal_year: int, week_label: str, url: str) -> dict:
    """For executives each week: the seed's seven figures for the fiscal year so far."""
    with translation.override("th"):
        title = _("สรุปผลการดำเนินงาน ปีงบประมาณ %(year)s") % {"year": fiscal_year}
        lines = [_("ข้อมูล ณ %(when)s") % {"when": week_label}]
        lines += [
            f"{definition.number}. {definition.label}: {_figure_text(figures, definition)}"
            for definition in FIGURES
        ]
        button = msg.uri_action(_("เปิดแดชบอร์ด"), url)
        alt_text = _("สรุปผลการดำเนินงานประจำสัปดาห์: เรื่องทั้งหมด %(total)s เรื่อง") % {
            "total": f"{figures.total:,}"
        }
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)
