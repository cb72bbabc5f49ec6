"""The one cascading province → district → subdistrict choice every address form uses.

With JavaScript (static/js/address-select.js) choosing a province refills the district list
from /addresses/api/. Without it, the form has a button named ``REFRESH_FIELD`` that posts the
form back; the view then re-renders it with narrowed choices and no errors (see
``is_refresh``). Whatever the browser did, ``clean`` rejects a district outside the province or
a subdistrict outside the district.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from addresses.models import District, Province, Subdistrict
from core.choices import ModelChoiceField, Select, kept

REFRESH_FIELD = "_refresh_address"


def area_code(value) -> str:
    """The code as sent when it can be one (codes are ASCII digits), else "": anything else,
    a NUL byte above all, must not reach the database."""
    value = str(getattr(value, "pk", value) or "")
    return value if value.isascii() and value.isdigit() else ""


class AreaChoiceField(ModelChoiceField):
    """Thailand's areas: rows loaded by a migration, never changed while the site runs, so each
    list is read and escaped once per process (core.choices)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("static_choices", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not area_code(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


def is_refresh(data) -> bool:
    """True when the no-JavaScript "show districts" button sent the form."""
    return bool(data) and any(key.endswith(REFRESH_FIELD) for key in data)


class AreaSelect(Select):
    """A select that tells the script which field it feeds."""

    def __init__(self, *, level: str, attrs=None):
        attrs = {"data-address-level": level, **(attrs or {})}
        super().__init__(attrs=attrs)


class AddressFieldsMixin(forms.Form):
    province = AreaChoiceField(
        label=_("จังหวัด"),
        queryset=Province.objects.order_by("name_th"),
        empty_label=_("เลือกจังหวัด"),
        widget=AreaSelect(level="province"),
        error_messages={"required": _("กรุณาเลือกจังหวัด"), "invalid_choice": _("จังหวัดที่เลือกไม่ถูกต้อง")},
    )
    district = AreaChoiceField(
        label=_("อำเภอ"),
        queryset=District.objects.none(),
        empty_label=_("เลือกอำเภอ"),
        widget=AreaSelect(level="district"),
        error_messages={
            "required": _("กรุณาเลือกอำเภอ"),
            "invalid_choice": _("อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก"),
        },
    )
    subdistrict = AreaChoiceField(
        label=_("ตำบล"),
        queryset=Subdistrict.objects.none(),
        empty_label=_("เลือกตำบล"),
        widget=AreaSelect(level="subdistrict"),
        error_messages={
            "required": _("กรุณาเลือกตำบล"),
            "invalid_choice": _("ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province_code = self._selected("province")
        district_code = self._selected("district")
        province_code, district_code = province_code or "", district_code or ""
        # Each list's query is built once per process too (the ORM's filter() cost more than
        # the rest of this form's set-up); the field takes its own copy of it.
        districts = ("districts of", province_code)
        self.fields["district"].use_static_list(
            kept(
                ("query", *districts),
                lambda: District.objects.filter(province_id=province_code).order_by("name_th"),
            ),
            key=districts,
        )
        subdistricts = ("subdistricts of", province_code, district_code)
        self.fields["subdistrict"].use_static_list(
            kept(
                ("query", *subdistricts),
                lambda: Subdistrict.objects.filter(
                    district_id=district_code, district__province_id=province_code
                ).order_by("name_th"),
            ),
            key=subdistricts,
        )

    def _selected(self, name: str) -> str | None:
        """The code chosen for a field: from the submitted data, else the initial value."""
        if self.is_bound:
            return area_code(self.data.get(self.add_prefix(name))) or None
        value = self.initial.get(name) or self.fields[name].initial
        return area_code(value) or None

    def clean(self):
        cleaned = super().clean()
        province, district, subdistrict = (
            cleaned.get("province"),
            cleaned.get("district"),
            cleaned.get("subdistrict"),
        )
        if province and district and district.province_id != province.pk:
            self.add_error("district", _("อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก"))
        if district and subdistrict and subdistrict.district_id != district.pk:
            self.add_error("subdistrict", _("ตำบลที่เลือกไม่อยู่ในอำเภอที่เลือก"))
        return cleaned
