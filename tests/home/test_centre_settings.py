"""The centre's identity is edited in the admin (Settings → ข้อมูลศูนย์) and shows in every
page's header and footer; left blank, it is the configured province's usual one."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from accounts.roles import Role
from core import centre
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db


def header_and_footer(client, path="/accounts/login/") -> tuple[str, str]:
    html = client.get(path).content.decode()
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    footer = html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
    return header, footer


def test_blank_settings_give_the_provinces_centre(client, settings):
    settings.PROVINCE_CODE = "50"
    header, footer = header_and_footer(client)
    assert "ศูนย์ดำรงธรรมจังหวัดเชียงใหม่" in header
    assert "ศาลากลางจังหวัดเชียงใหม่" in footer and "สายด่วน 1567" in footer
    assert "นครสวรรค์" not in header + footer


def test_settings_edited_in_the_admin_show_in_the_page_header(client):
    site = Site.objects.get(is_default_site=True)
    supervisor = StaffFactory(role=Role.SUPERVISOR)
    client.force_login(supervisor)
    url = reverse("wagtailsettings:edit", args=["core", "centresettings", site.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "name": "ศูนย์ดำรงธรรมทดสอบ",
            "name_en": "Test Damrongdhamma Centre",
            "address": "อาคารทดสอบ ชั้น 2",
            "address_en": "",
            "hotline": "056 000 111",
            "line_oa_id": "@ddc-test",
            "logo": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    client.logout()
    header, footer = header_and_footer(client)
    assert "ศูนย์ดำรงธรรมทดสอบ" in header
    assert "อาคารทดสอบ ชั้น 2" in footer and "สายด่วน 056 000 111" in footer
    assert 'href="https://line.me/R/ti/p/%40ddc-test"' in footer
    assert centre.identity().hotline == "056 000 111"  # LINE messages and emails too

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    header, _footer = header_and_footer(client)
    assert "Test Damrongdhamma Centre" in header


def test_a_bad_line_id_is_refused_in_thai(client):
    site = Site.objects.get(is_default_site=True)
    client.force_login(StaffFactory(role=Role.SUPERVISOR))
    url = reverse("wagtailsettings:edit", args=["core", "centresettings", site.pk])
    response = client.post(url, {"line_oa_id": "ไม่ใช่ไอดี", "hotline": "โทร"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "กรอก LINE ID เช่น @ddc-example" in html
    assert "กรอกเฉพาะตัวเลข ช่องว่าง หรือ -" in html


def test_line_messages_name_the_configured_centre(settings):
    from django.utils import translation

    from line_integration.handlers import help_messages

    settings.PROVINCE_CODE = "50"

    class Context:
        user = None

    with translation.override("th"):
        text = help_messages(Context())[0]["text"]
    assert text.startswith("ศูนย์ดำรงธรรมจังหวัดเชียงใหม่ยินดีให้บริการ")
    assert "1567" in text


def centre_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        header_and_footer(client)
    return sum("core_centresettings" in query["sql"] for query in captured.captured_queries)


def test_pages_read_the_centre_once_in_a_while_and_a_change_at_once(client, settings):
    """Every page names the centre: a process reads the settings once per
    CENTRE_CACHE_SECONDS, and a change saved in this process shows on the next page."""
    from core.models import CentreSettings

    settings.CENTRE_CACHE_SECONDS = 60
    assert centre_queries(client) == 1
    assert centre_queries(client) == 0

    stored = CentreSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))[0]
    stored.name = "ศูนย์ดำรงธรรมที่แก้ไขแล้ว"
    stored.save()
    assert "ศูนย์ดำรงธรรมที่แก้ไขแล้ว" in header_and_footer(client)[0]
    assert centre_queries(client) == 0

    settings.CENTRE_CACHE_SECONDS = 0  # as another process sees it once its minute is over
    assert centre_queries(client) == 1
