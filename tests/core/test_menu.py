"""The six services are one definition: the home page's tiles, the LINE rich menus and the bot's
quick replies show the same services, with the same pages, in the seed's order."""

from django.conf import settings
from django.utils import translation

from core.menu import CITIZEN_SERVICES, SERVICES
from line_integration import richmenu
from line_integration.handlers import menu_actions
from line_integration.line_login import entry_path


def test_the_rich_menu_draws_the_names_the_home_page_shows():
    with translation.override("th"):
        assert [service.drawn_name for service in SERVICES] == [str(s.name) for s in SERVICES]
    assert [len(service.line_label) <= 20 for service in SERVICES] == [True] * 6


def test_the_rich_menu_opens_the_home_page_tiles_pages(db):
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    areas = [area["action"] for area in richmenu.menu_body("citizen")["areas"]]
    for service, action in zip(SERVICES, areas, strict=True):
        if service.postback:
            assert action["data"] == service.postback
        elif service.staff:
            assert action["uri"] == site + service.url
        else:
            assert action["uri"] == site + entry_path(service.url)
    assert {"/complaints/new/", "/admin/", "/dashboard/"} <= {s.url for s in SERVICES}


def test_quick_replies_offer_the_citizens_items_of_the_menu(db):
    with translation.override("th"):
        labels = [action["label"] for action in menu_actions(linked=True)]
    assert labels == [service.line_label for service in CITIZEN_SERVICES]
    assert labels == ["ร้องเรียนร้องทุกข์", "ติดตามเรื่อง", "ข่าวสารศูนย์ดำรงธรรม", "ขอความช่วยเหลือ"]
