"""The form renderer (core/form_renderer.py) writes plain inputs, text areas, radios and tick-box
lists exactly as Django's templates do, byte for byte, and leaves everything else to the
templates."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.utils.safestring import mark_safe

from core.form_renderer import FormRenderer

TEMPLATES = DjangoTemplates()
OURS = FormRenderer()

WIDGETS = [
    forms.TextInput(),
    forms.EmailInput(),
    forms.PasswordInput(),
    forms.PasswordInput(render_value=True),
    forms.NumberInput(),
    forms.HiddenInput(),
    forms.URLInput(),
    forms.DateInput(),
    forms.TimeInput(),
    forms.DateTimeInput(),
    forms.CheckboxInput(),
    forms.FileInput(),
    forms.Textarea(),
    Input(),
]
VALUES = [
    None,
    "",
    "สมชาย",
    'a "quoted" <b>&amp;</b>',
    mark_safe("<i>safe</i>"),
    0,
    12.5,
    True,
    False,
    datetime.date(2026, 12, 2),
    datetime.datetime(2026, 12, 2, 9, 30),
]
ATTRS = [
    None,
    {"id": "id_x", "required": True, "disabled": False, "maxlength": 10},
    {"class": 'a "b" <c>', "data-x": mark_safe("<safe>"), "aria-describedby": "id_x_helptext"},
    {"inputmode": "numeric", "autocomplete": "off", "placeholder": "เช่น 081-234-5678"},
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
def test_each_widget_is_written_as_the_templates_write_it(widget):
    if type(widget) is Input:  # input.html itself, which the others include
        widget.input_type = "text"
    for value in VALUES:
        for attrs in ATTRS:
            expected = widget.render("field", value, attrs=attrs, renderer=TEMPLATES)
            assert widget.render("field", value, attrs=attrs, renderer=OURS) == expected


CHOICES = [
    ("disclose", "เปิดเผย"),
    ("conceal", 'ปกปิด <b>"&"</b>'),
    ("", "ไม่ระบุ"),
    (3, mark_safe("<i>สาม</i>")),
]
GROUPED = [("ภาค <เหนือ>", [("cm", "เชียงใหม่"), ("cr", "เชียงราย")]), ("ns", "นครสวรรค์")]


@pytest.mark.parametrize("kind", [forms.RadioSelect, forms.CheckboxSelectMultiple])
@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []], ids=["flat", "groups", "none"])
def test_radios_and_tick_box_lists_are_written_as_the_templates_write_them(kind, choices):
    widget = kind(choices=choices)
    for value in [None, "", "conceal", ["disclose", "3"], 3, "cr", ["cm", "ns"]]:
        for attrs in ATTRS + [{"id": "id_x", "class": "choices <x>", "required": True}]:
            expected = widget.render("field", value, attrs=attrs, renderer=TEMPLATES)
            assert widget.render("field", value, attrs=attrs, renderer=OURS) == expected


@pytest.mark.parametrize("kind", [forms.RadioSelect, forms.CheckboxSelectMultiple])
def test_a_page_that_lays_out_each_radio_itself_gets_them_as_the_templates_write_them(kind):
    field = forms.ChoiceField(choices=CHOICES + [("x", "X")], widget=kind)
    for value in [None, "conceal", "x"]:
        for attrs in ATTRS:
            theirs = forms.Form(renderer=TEMPLATES)
            ours = forms.Form(renderer=OURS)
            theirs.fields["field"] = ours.fields["field"] = field
            for form in (theirs, ours):
                form.initial = {"field": value}
                form.fields["field"].widget.attrs = attrs or {}
            for draw in (lambda radio: radio.tag(), str):  # {{ radio.tag }}, {{ radio }}
                drawn = [[draw(radio) for radio in form["field"]] for form in (theirs, ours)]
                assert drawn[1] == drawn[0]
                assert len(drawn[1]) == 5


class Everything(forms.Form):
    name = forms.CharField(label="ชื่อ", max_length=50, help_text="ตามบัตรประชาชน")
    email = forms.EmailField(label="อีเมล", required=False)
    details = forms.CharField(label="รายละเอียด", widget=forms.Textarea)
    agree = forms.BooleanField(label="ยอมรับ")
    kind = forms.ChoiceField(label="ประเภท", choices=[("a", "ก"), ("b", "ข")])
    how = forms.ChoiceField(label="ช่องทาง", choices=[("x", "X")], widget=forms.RadioSelect)
    photo = forms.FileField(label="รูป", required=False)
    birth = forms.DateField(label="วันเกิด", widget=forms.SelectDateWidget(years=[2500, 2501]))


@pytest.mark.parametrize(
    "data",
    [None, {"name": 'x"<>', "details": "บรรทัด 1\r\nบรรทัด 2 <script>", "agree": "on", "kind": "b"}],
)
def test_a_whole_form_is_the_same_bound_or_not(data):
    """Errors, help text, radios, selects and date parts go through the templates as before."""
    theirs = Everything(data=data, renderer=TEMPLATES)
    ours = Everything(data=data, renderer=OURS)
    assert str(ours) == str(theirs)
    assert ours.as_p() == theirs.as_p()
