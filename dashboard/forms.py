"""The dashboard's filters, read from the query string (GET: a filtered view is a link an
executive can bookmark or send)."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from addresses.models import District
from complaints.models import Agency, ComplaintCategory
from core import province
from dashboard.periods import THAI_MONTHS, Period, fiscal_months, fiscal_year_of, month_range

YEARS_BACK = 5


@dataclass(frozen=True)
class Filters:
    """What the figures are about: complaints received in ``period`` (Bangkok dates), narrowed
    to a district, category and agency when given."""

    period: Period
    district: District | None = None
    category: ComplaintCategory | None = None
    agency: Agency | None = None
    fiscal_year: int | None = None  # set when the period is a whole fiscal year or one month
    month: int | None = None

    @classmethod
    def for_fiscal_year(cls, be_year: int | None = None, **narrowing) -> "Filters":
        be_year = be_year or fiscal_year_of()
        return cls(period=Period.fiscal_year(be_year), fiscal_year=be_year, **narrowing)


def fiscal_year_choices() -> list[tuple[int, str]]:
    current = fiscal_year_of()
    return [(year, str(year)) for year in range(current, current - YEARS_BACK, -1)]


def month_choices() -> list[tuple[str, str]]:
    """Month names in fiscal order (ตุลาคม first); the year comes from the fiscal year."""
    order = [10, 11, 12, *range(1, 10)]
    return [("", _("ทั้งปีงบประมาณ"))] + [(str(m), THAI_MONTHS[m - 1]) for m in order]


class DashboardFilterForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(
        label=_("ปีงบประมาณ"),
        coerce=int,
        choices=fiscal_year_choices,
        help_text=_("1 ตุลาคม ถึง 30 กันยายน"),
    )
    month = forms.TypedChoiceField(
        label=_("เดือน"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=month_choices,
    )
    date_from = forms.DateField(
        label=_("ตั้งแต่วันที่"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("ถ้าระบุช่วงวันที่ จะใช้ช่วงวันที่แทนปีงบประมาณและเดือน"),
    )
    date_to = forms.DateField(
        label=_("ถึงวันที่"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    district = forms.ModelChoiceField(
        label=_("อำเภอ"),
        required=False,
        empty_label=_("ทุกอำเภอ"),
        queryset=District.objects.none(),  # the centre's province's, set per form
    )
    category = forms.ModelChoiceField(
        label=_("ประเภทเรื่องร้องเรียน"),
        required=False,
        empty_label=_("ทุกประเภท"),
        queryset=ComplaintCategory.objects.all(),
    )
    agency = forms.ModelChoiceField(
        label=_("หน่วยงานที่ส่งต่อ"),
        required=False,
        empty_label=_("ทุกหน่วยงาน"),
        queryset=Agency.objects.all(),
    )

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("fiscal_year", str(fiscal_year_of()))
        super().__init__(data, **kwargs)
        self.fields["district"].queryset = District.objects.filter(
            province_id=province.code()
        ).order_by("name_th")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and not end:
            self.add_error("date_to", _("กรุณาระบุวันที่สิ้นสุดด้วย"))
        elif end and not start:
            self.add_error("date_from", _("กรุณาระบุวันที่เริ่มต้นด้วย"))
        elif start and end and start > end:
            self.add_error("date_to", _("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"))
        return cleaned

    def filters(self) -> Filters:
        """The filters of a valid form."""
        data = self.cleaned_data
        narrowing = {key: data.get(key) for key in ("district", "category", "agency")}
        if data.get("date_from") and data.get("date_to"):
            return Filters(period=Period(data["date_from"], data["date_to"]), **narrowing)
        be_year, month = data["fiscal_year"], data.get("month")
        if not month:
            return Filters.for_fiscal_year(be_year, **narrowing)
        ad_year = next(year for year, m in fiscal_months(be_year) if m == month)
        return Filters(
            period=Period(*month_range(ad_year, month)),
            fiscal_year=be_year,
            month=month,
            **narrowing,
        )
