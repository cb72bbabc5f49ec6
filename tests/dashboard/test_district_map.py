"""The schematic map of Nakhon Sawan's 15 districts on the dashboard, and its table."""

import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from addresses.models import District
from dashboard.district_map import LAYOUTS, thai_sort_key
from tests.accounts.factories import StaffFactory
from tests.dashboard.support import filed

pytestmark = pytest.mark.django_db

URL = "/dashboard/"


def map_section(client) -> str:
    client.force_login(StaffFactory(role=Role.EXECUTIVE))
    html = client.get(URL).content.decode()
    return html.split('id="section-map"', 1)[1].split("</section>", 1)[0]


def tile_count(section: str, code: str) -> str:
    tile = re.search(rf'<g data-district="{code}">(.*?)</g>', section, re.S)
    assert tile, code
    return re.findall(r">([\d,]+)</text>", tile.group(1))[-1]


def test_the_layout_places_each_of_the_provinces_districts_once():
    codes = set(District.objects.filter(province_id="60").values_list("code", flat=True))
    assert set(LAYOUTS["60"]) == codes
    assert len(codes) == 15
    assert len({(column, row) for column, row, _split in LAYOUTS["60"].values()}) == 15


def test_every_district_is_on_the_map_with_its_count(client):
    krok_phra = District.objects.get(code="6002")
    now = timezone.now()
    for _ in range(3):
        filed(now, target_district=krok_phra, target_subdistrict=krok_phra.subdistricts.first())
    filed(now)  # เมืองนครสวรรค์, the factory's district

    section = map_section(client)

    assert section.count("<g data-district=") == 15
    assert tile_count(section, "6002") == "3"
    assert tile_count(section, "6001") == "1"
    assert tile_count(section, "6013") == "0"  # แม่วงก์: nothing received, still drawn
    assert "<title>โกรกพระ: 3 เรื่อง</title>" in section


def test_the_map_says_it_is_not_a_real_map_and_has_a_table(client):
    filed(timezone.now())

    section = map_section(client)

    assert "ไม่ใช่แผนที่จริง" in section
    assert '<svg class="chart"' in section and 'role="img"' in section
    table = section.split("<tbody>", 1)[1]
    names = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert len(names) == 15
    assert names == sorted(names, key=thai_sort_key)
    assert names[0] == "เก้าเลี้ยว"  # sorted under ก, not after ฮ
    assert re.search(r"<th scope=\"row\">เมืองนครสวรรค์</th><td>1</td><td>100.0</td>", table)


def test_no_map_is_drawn_for_an_empty_period(client):
    section = map_section(client)
    assert "<svg" not in section
    assert "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้" in section
