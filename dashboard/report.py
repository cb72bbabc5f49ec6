"""Everything one dashboard view shows, gathered once so the page and both exports say the
same thing."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core.thai_dates import format_thai_date, format_thai_datetime
from dashboard import definitions
from dashboard.forms import Filters
from dashboard.periods import THAI_MONTHS, fiscal_year_of, range_for_fiscal_year
from dashboard.selectors import Breakdowns, Figures, dashboard_numbers


@dataclass(frozen=True)
class FigureLine:
    number: str
    label: str
    value: str
    unit: str
    definition: str
    key: str


@dataclass
class Report:
    filters: Filters
    figures: Figures
    breakdowns: Breakdowns
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @classmethod
    def build(cls, filters: Filters) -> "Report":
        now = timezone.now()
        figures, parts = dashboard_numbers(filters=filters, now=now)
        return cls(filters=filters, figures=figures, breakdowns=parts, generated_at=now)

    def _line(self, item: definitions.Definition) -> FigureLine:
        value = definitions.display(getattr(self.figures, item.key))
        return FigureLine(
            item.number, str(item.label), value, str(item.unit), str(item.definition), item.key
        )

    @property
    def seven(self) -> list[FigureLine]:
        return [self._line(item) for item in definitions.FIGURES]

    @property
    def extra(self) -> list[FigureLine]:
        """Closed, overdue and average days: shown with the seven, not numbered."""
        return [
            self._line(item)
            for item in (definitions.CLOSED, definitions.OVERDUE, definitions.AVERAGE_DAYS)
        ]

    @property
    def sum_line(self) -> str:
        """The check a reader can do in their head: ๑ = ๒ + ๓ + ๔ + ยุติเรื่อง."""
        f = self.figures
        return _("๑ = ๒ + ๓ + ๔ + ยุติเรื่อง: %(total)s = %(c)s + %(p)s + %(r)s + %(x)s") % {
            "total": f"{f.total:,}",
            "c": f"{f.completed:,}",
            "p": f"{f.in_progress:,}",
            "r": f"{f.under_review:,}",
            "x": f"{f.closed:,}",
        }

    @property
    def period_label(self) -> str:
        f, period = self.filters, self.filters.period
        days = f"{format_thai_date(period.start)} – {format_thai_date(period.end)}"
        if f.month:
            month = THAI_MONTHS[f.month - 1]
            return _("เดือน%(month)s %(year)s (ปีงบประมาณ %(fy)s)") % {
                "month": month,
                "year": period.start.year + 543,
                "fy": f.fiscal_year,
            }
        if f.fiscal_year and (period.start, period.end) == range_for_fiscal_year(f.fiscal_year):
            return _("ปีงบประมาณ %(fy)s (%(days)s)") % {"fy": f.fiscal_year, "days": days}
        return days

    @property
    def scope(self) -> list[tuple[str, str]]:
        """(label, value) pairs describing the view, for headers of the page and exports."""
        f = self.filters
        return [
            (_("ช่วงเวลา (วันที่ได้รับเรื่อง)"), self.period_label),
            (_("อำเภอ"), str(f.district) if f.district else _("ทุกอำเภอ")),
            (_("ประเภทเรื่องร้องเรียน"), str(f.category) if f.category else _("ทุกประเภท")),
            (_("หน่วยงานที่ส่งต่อ"), str(f.agency) if f.agency else _("ทุกหน่วยงาน")),
            (_("สถานะ ณ"), format_thai_datetime(self.generated_at)),
        ]

    @property
    def is_current_fiscal_year(self) -> bool:
        return self.filters.fiscal_year == fiscal_year_of(self.generated_at)
