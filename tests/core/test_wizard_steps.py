"""A wizard's step bar (templates/includes/wizard_steps.html, core/templatetags/wizard_steps.py)
is drawn as the template loop it replaced drew it: the same list, states, the current step
marked for screen readers, in the page's language. That loop is kept as the reference
(reference/wizard_steps.html)."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

REFERENCE = (Path(__file__).parent / "reference" / "wizard_steps.html").read_text()

BAR = [
    {"number": "๑", "title": "ข้อมูลผู้ร้องเรียน", "state": "done"},
    {"number": "๒", "title": 'รายละเอียด <b>"&"</b>', "state": "current"},
    {"number": "๓", "title": "หลักฐาน", "state": ""},
]


def _flat(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("current", [0, 1, 2])
def test_the_step_bar_is_drawn_as_the_template_drew_it(language, current):
    bar = [
        {**item, "state": "done" if i < current else "current" if i == current else ""}
        for i, item in enumerate(BAR)
    ]
    context = {"step_bar": bar, "steps_label": "ขั้นตอน <การร้องเรียน>"}
    with translation.override(language):
        reference = engines["django"].from_string(REFERENCE).render(context)
        ours = render_to_string("includes/wizard_steps.html", context)
    assert _flat(ours) == _flat(reference)


def test_the_current_step_is_marked_and_read_out_with_its_number():
    with translation.override("en"):
        html = render_to_string("includes/wizard_steps.html", {"step_bar": BAR, "steps_label": "x"})
    assert (
        '<li class="current" aria-current="step"><span class="visually-hidden">Step </span>'
        "๒. รายละเอียด &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;</li>"
    ) in html
    assert html.count("aria-current") == 1
