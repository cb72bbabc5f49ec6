"""templates/includes/field.html (core/templatetags/form_fields.py) draws each kind of field as
the template it replaced did: the same elements, attributes, text and escaping, so labels, the
required star, help text and errors stay tied to their input for screen readers. The template it
replaced is kept as the reference (reference/field.html); only the whitespace between tags
differs."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.template.loader import render_to_string

REFERENCE = (Path(__file__).parent / "reference" / "field.html").read_text()


class NotARobotWidget(forms.TextInput):
    """Named as core.robot_check's widget (its widget_type is "notarobot"), drawn plainly so
    that two drawings are the same (the real one carries a fresh wait token each time)."""


class Everything(forms.Form):
    name = forms.CharField(label="ชื่อ", help_text="ตามบัตรประชาชน")
    nickname = forms.CharField(label='ชื่อเล่น <b>"&"</b>', required=False)
    agree = forms.BooleanField(label="ยอมรับ")
    optional_box = forms.BooleanField(label="รับข่าว", required=False, help_text="ทาง LINE")
    identity = forms.ChoiceField(
        label="เปิดเผยชื่อ",
        choices=[("disclose", "เปิดเผย"), ("conceal", "ปกปิด")],
        widget=forms.RadioSelect,
        help_text="เลือกหนึ่งข้อ",
    )
    kind = forms.ChoiceField(
        label="ประเภท", choices=[("a", "ก"), ("b", "ข")], widget=forms.RadioSelect, required=False
    )
    robot = forms.CharField(label="ฉันไม่ใช่โปรแกรมอัตโนมัติ", widget=NotARobotWidget, help_text="กด")
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    details = forms.CharField(label="รายละเอียด", widget=forms.Textarea, max_length=5)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if "<" in name:
            raise forms.ValidationError('ห้ามใช้ "<" <script>')
        return name


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def _both(field) -> tuple[str, str]:
    reference = engines["django"].from_string(REFERENCE).render({"field": field})
    ours = render_to_string("includes/field.html", {"field": field})
    return _flat(reference), _flat(ours)


FORMS = {
    "empty": lambda: Everything(),
    "filled": lambda: Everything(initial={"name": "สมชาย", "identity": "conceal", "token": "x"}),
    "refused": lambda: Everything(
        data={"name": "<b>", "nickname": "a&b", "identity": "none", "details": "ยาวเกินห้าตัว"}
    ),
    "accepted": lambda: Everything(
        data={"name": "สมชาย", "agree": "on", "identity": "disclose", "robot": "x", "details": "a"}
    ),
}


@pytest.mark.parametrize("state", FORMS)
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_each_kind_of_field_is_drawn_as_the_template_drew_it(state, name):
    form = FORMS[state]()
    form.is_valid()
    reference, ours = _both(form[name])
    assert ours == reference


def test_a_refused_field_carries_its_message_beside_it_and_is_described_by_it():
    form = FORMS["refused"]()
    assert not form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["name"]})
    assert 'class="field has-error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    message = "ห้ามใช้ &quot;&lt;&quot; &lt;script&gt;"
    assert f'<ul class="errorlist" id="id_name_error"><li>{message}</li>' in html
    star = '<span class="required" aria-hidden="true">*</span>'
    assert f'<label for="id_name">ชื่อ</label>{star}' in html


def test_a_label_is_escaped_and_a_hidden_field_is_only_its_input():
    form = Everything()
    label = render_to_string("includes/field.html", {"field": form["nickname"]})
    assert "ชื่อเล่น &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;" in label
    assert 'class="required"' not in label
    hidden = render_to_string("includes/field.html", {"field": form["token"]})
    assert _flat(hidden) == '<input type="hidden" name="token" id="id_token">'
