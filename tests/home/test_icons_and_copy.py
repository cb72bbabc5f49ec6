"""Citizen pages draw their pictograms as inline SVG with a visible label beside them, never as
emoji (which show as empty boxes where no emoji font is installed and are read out by screen
readers), and their text says what the citizen needs, nothing about older forms."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from complaints.models import State
from complaints.workflow import complaint_change_state
from core.menu import SERVICES
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import grant_case_permissions, officer

pytestmark = pytest.mark.django_db

# Emoji and pictographic symbols (and the emoji variation selector) — not ordinary punctuation.
PICTOGRAPHS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")
DECORATIVE_SVG = re.compile(r'<svg class="icon[^"]*" aria-hidden="true" focusable="false"')


def pictographs_in(html: str) -> list[str]:
    return PICTOGRAPHS.findall(html)


def test_home_tiles_have_svg_icons_beside_their_names(client):
    html = client.get("/").content.decode()

    tiles = re.findall(r'<a class="tile" href="[^"]+">(.*?)</a>', html, re.S)
    assert len(tiles) == len(SERVICES) == 6
    for tile in tiles:
        assert DECORATIVE_SVG.match(tile), tile[:80]
        assert re.search(r'<span class="name">[^<]+</span>', tile)
    assert pictographs_in(html) == []


def test_no_template_and_no_service_definition_carries_an_emoji():
    templates = Path(settings.BASE_DIR, "templates")
    found = {
        str(path.relative_to(templates)): pictographs_in(path.read_text(encoding="utf-8"))
        for path in templates.rglob("*.html")
    }
    assert {name: chars for name, chars in found.items() if chars} == {}
    assert [service.key for service in SERVICES if pictographs_in(service.icon)] == []


def test_the_receipt_marks_success_with_an_svg_tick(client):
    citizen = CitizenFactory()
    complaint = ComplaintFactory(profile=citizen)
    client.force_login(citizen.user)

    html = client.get(f"/complaints/done/{complaint.tracking_number}/").content.decode()

    assert re.search(r'<p class="done-mark">' + DECORATIVE_SVG.pattern, html)
    assert "ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว" in html  # the visible words the tick goes with
    assert pictographs_in(html) == []


def test_ratings_are_drawn_as_svg_stars_next_to_the_score_in_words(client):
    grant_case_permissions()
    citizen = CitizenFactory()
    complaint = ComplaintFactory(profile=citizen)
    complaint_change_state(complaint=complaint, to=State.COMPLETED, by=officer())
    client.force_login(citizen.user)
    rate = f"/complaints/{complaint.tracking_number}/rate/"

    form = client.get(rate).content.decode()
    assert form.count('class="icon star filled"') == 5 + 4 + 3 + 2 + 1
    assert "4 ดาว ดี" in form
    client.post(rate, {"score": "4", "comment": ""})
    detail = client.get(f"/complaints/{complaint.tracking_number}/").content.decode()

    stars = re.search(r'<span class="rating-stars">(.*?)</span></span>', detail, re.S).group(1)
    assert stars.count('class="icon star filled"') == 4
    assert stars.count('class="icon star"') == 1
    assert "4/5" in detail
    assert pictographs_in(form) == pictographs_in(detail) == []


def test_the_password_hint_says_what_to_type_not_how_forms_used_to_be(client):
    html = client.get("/accounts/register/").content.decode()

    assert "แบบฟอร์มเดิม" not in html
    assert "อย่างน้อย 8 ตัวอักษร มีทั้งตัวอักษรภาษาอังกฤษและตัวเลข" in html
