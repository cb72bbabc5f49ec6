"""Rich menus as code: images within LINE's limits, six tappable areas tiling the picture,
and `manage.py line_richmenu` keeping LINE (here the stand-in) in sync without duplicates."""

import io
from itertools import combinations

import pytest
from django.conf import settings
from django.core.management import call_command
from linebot.v3.messaging import RichMenuRequest
from linebot.v3.messaging.exceptions import ApiException
from PIL import Image

from line_integration import richmenu
from line_integration.client import messaging_api

LABELS = {
    "ร้องเรียนร้องทุกข์",
    "ติดตามเรื่องร้องเรียน",
    "ติดตามข่าวสารศูนย์ดำรงธรรม",
    "สำหรับเจ้าหน้าที่",
    "ติดต่อขอความช่วยเหลือประชาชน",
    "สำหรับผู้บริหาร",
}


def sync(*args) -> str:
    out = io.StringIO()
    call_command("line_richmenu", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("role", richmenu.ROLES)
def test_image_is_within_lines_limits(role):
    data = richmenu.draw_menu(role)
    image = Image.open(io.BytesIO(data))

    assert image.format in {"PNG", "JPEG"}
    assert len(data) <= 1024 * 1024
    assert 800 <= image.width <= 2500 and image.height >= 250
    assert image.width / image.height >= 1.45
    assert image.size == (richmenu.WIDTH, richmenu.HEIGHT)


@pytest.mark.parametrize("role", richmenu.ROLES)
def test_six_areas_tile_the_image_without_overlap(role):
    areas = [a["bounds"] for a in richmenu.menu_body(role)["areas"]]

    assert len(areas) == 6
    for b in areas:
        assert b["x"] >= 0 and b["y"] >= 0
        assert b["x"] + b["width"] <= richmenu.WIDTH and b["y"] + b["height"] <= richmenu.HEIGHT
    for a, b in combinations(areas, 2):
        overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
        overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
        assert overlap_x <= 0 or overlap_y <= 0
    assert sum(b["width"] * b["height"] for b in areas) == richmenu.WIDTH * richmenu.HEIGHT


def test_citizen_menu_actions():
    actions = {item.drawn_name: richmenu.action_for(item) for item in richmenu.items_for("citizen")}
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")

    assert set(actions) == LABELS
    assert actions["ติดตามเรื่องร้องเรียน"]["data"] == "menu=track"
    assert actions["ติดตามข่าวสารศูนย์ดำรงธรรม"]["data"] == "menu=news"
    assert actions["ติดต่อขอความช่วยเหลือประชาชน"]["data"] == "menu=chat"
    assert actions["ร้องเรียนร้องทุกข์"]["uri"] == f"{site}/line/login/?next=%2Fcomplaints%2Fnew%2F"
    assert actions["สำหรับเจ้าหน้าที่"]["uri"] == f"{site}/admin/"
    assert actions["สำหรับผู้บริหาร"]["uri"] == f"{site}/dashboard/"
    assert all(len(action["label"]) <= 20 for action in actions.values())


@pytest.mark.parametrize(
    ("role", "first"), [("officer", "สำหรับเจ้าหน้าที่"), ("executive", "สำหรับผู้บริหาร")]
)
def test_staff_menus_put_their_item_first_and_highlight_it(role, first):
    items = richmenu.items_for(role)
    image = Image.open(io.BytesIO(richmenu.draw_menu(role))).convert("RGB")
    citizen = Image.open(io.BytesIO(richmenu.draw_menu("citizen"))).convert("RGB")

    assert items[0].drawn_name == first
    assert {item.drawn_name for item in items} == LABELS
    assert image.getpixel((20, 20)) != citizen.getpixel((20, 20))  # the highlighted tile
    assert image.getpixel((1000, 20)) == citizen.getpixel((1000, 20))


def test_labels_are_drawn_with_the_shipped_thai_font():
    font = richmenu.font(100)

    assert font.path.endswith("static/fonts/Sarabun-Bold.ttf")
    assert (richmenu.FONT_DIR / "Sarabun-OFL.txt").read_text().count("SIL OPEN FONT LICENSE")
    assert font.getbbox("ร้องเรียน")[2] > font.getbbox("ร")[2] * 5


def test_menus_pass_lines_validation(line_standin):
    with messaging_api() as api:
        for role in richmenu.ROLES:
            body = {**richmenu.menu_body(role), "name": richmenu.current_version(role).name}
            api.validate_rich_menu_object(
                RichMenuRequest.from_dict(body), _request_timeout=settings.LINE_HTTP_TIMEOUT
            )


def test_running_twice_creates_each_menu_once_and_sets_the_default(line_standin):
    state = line_standin.state
    assert richmenu.menu_id_for("citizen") is None

    first = sync()
    second = sync()

    assert first.count("(created;") == 3
    assert second.count("(unchanged;") == 3
    assert (
        len(state.requests("/v2/bot/richmenu", method="POST"))
        - len(state.requests("/v2/bot/richmenu/alias", method="POST"))
        == 6
    )  # 3 menus + 3 images
    assert len(state.rich_menus) == 3
    assert set(state.aliases) == {"citizen-menu", "officer-menu", "executive-menu"}
    assert state.default_rich_menu == state.aliases["citizen-menu"]
    assert state.rich_menus[state.default_rich_menu]["menu"]["chatBarText"] == "เมนู"
    for role in richmenu.ROLES:
        assert richmenu.menu_id_for(role) == state.aliases[f"{role}-menu"]
        assert state.rich_menus[richmenu.menu_id_for(role)]["image"] == richmenu.draw_menu(role)


def test_a_changed_design_becomes_new_menus_and_prune_removes_the_old(line_standin, settings):
    state = line_standin.state
    sync()
    old = dict(state.aliases)
    settings.WAGTAILADMIN_BASE_URL = "https://damrongdhama.example"

    sync("--prune")

    assert len(state.rich_menus) == 3
    assert set(state.aliases.values()).isdisjoint(old.values())
    new_citizen = state.rich_menus[state.aliases["citizen-menu"]]["menu"]
    assert state.default_rich_menu == new_citizen["richMenuId"]
    assert (
        new_citizen["areas"][0]["action"]["uri"]
        == "https://damrongdhama.example/line/login/?next=%2Fcomplaints%2Fnew%2F"
    )


def test_a_menu_left_without_its_image_is_completed_on_the_next_run(line_standin):
    line_standin.state.inject("/v2/bot/richmenu/", status=500, method="POST", times=1)
    with pytest.raises(ApiException):
        sync()

    output = sync()

    assert "image uploaded" in output
    assert len(line_standin.state.rich_menus) == 3
    assert all(entry["image"] for entry in line_standin.state.rich_menus.values())
