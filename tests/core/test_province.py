"""Any province's centre: PROVINCE_CODE (and TRACKING_PREFIX) decide the tracking numbers, the
forms' default province, the dashboard's districts and the seeded agencies; numbers given under
another prefix are still found."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from accounts.roles import Role
from addresses.models import District
from complaints.forms import DetailsForm
from complaints.line_handlers import normalize_tracking_number
from complaints.models import Agency
from complaints.search import parse
from complaints.setup import ensure_agencies
from complaints.tracking import next_tracking_number
from core import province
from dashboard.forms import DashboardFilterForm
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

MID_2569 = datetime(2026, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Bangkok"))


@pytest.fixture
def chiang_mai(settings):
    settings.PROVINCE_CODE = "50"
    settings.TRACKING_PREFIX = ""
    return settings


def test_the_default_province_is_nakhon_sawan(settings):
    settings.PROVINCE_CODE = "60"
    where = province.current()
    assert (where.name_th, where.tracking_prefix) == ("นครสวรรค์", "NSN")
    assert where.centre_name("th") == "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์"


def test_every_province_has_a_prefix_and_a_place():
    import geothai

    codes = {p.code for p in geothai.provinces()}
    assert set(province.PROVINCES) == codes and len(codes) == 77
    prefixes = [prefix for prefix, _lat, _lng in province.PROVINCES.values()]
    assert len(set(prefixes)) == 77  # no two provinces share a prefix
    for prefix, lat, lng in province.PROVINCES.values():
        assert province.PREFIX_RE.fullmatch(prefix)
        assert 5.5 < lat < 20.5 and 97.3 < lng < 105.7  # inside Thailand


def test_tracking_numbers_get_the_configured_provinces_prefix(chiang_mai):
    assert next_tracking_number(at=MID_2569) == "CMI-2569-000001"
    chiang_mai.TRACKING_PREFIX = "DDCCM"
    assert next_tracking_number(at=MID_2569) == "DDCCM-2569-000002"


def test_bangkok_is_named_as_bangkok(settings):
    settings.PROVINCE_CODE = "10"
    where = province.current()
    assert where.centre_name("th") == "ศูนย์ดำรงธรรมกรุงเทพมหานคร"
    assert where.centre_name("en") == "Damrongdhamma Center of Bangkok"
    assert where.tracking_prefix == "BKK"


def test_an_unknown_province_or_a_bad_prefix_stops_the_site(settings):
    settings.PROVINCE_CODE = "99"
    with pytest.raises(SystemCheckError, match="PROVINCE_CODE"):
        call_command("check")
    settings.PROVINCE_CODE = "50"
    settings.TRACKING_PREFIX = "cm-1"
    with pytest.raises(SystemCheckError, match="TRACKING_PREFIX"):
        call_command("check")


def test_numbers_given_under_the_old_prefix_are_still_found(chiang_mai, client):
    profile = CitizenFactory()
    old = ComplaintFactory(profile=profile, tracking_number="NSN-2568-000042")
    client.force_login(profile.user)

    page = client.get(f"/complaints/{old.tracking_number}/")
    assert page.status_code == 200
    assert "NSN-2568-000042" in page.content.decode()
    assert parse("nsn 2568 000042").tracking_number == "NSN-2568-000042"
    assert parse("CMI-2569-000001").tracking_number == "CMI-2569-000001"
    assert normalize_tracking_number("nsn ๒๕๖๘ ๐๐๐๐๔๒") == "NSN-2568-000042"


def test_the_forms_default_to_the_configured_province(chiang_mai):
    assert DetailsForm().initial["province"] == "50"
    districts = DashboardFilterForm({}).fields["district"].queryset
    assert {d.code[:2] for d in districts} == {"50"}
    assert districts.count() == District.objects.filter(province_id="50").count()


def test_seeded_agencies_follow_the_province(chiang_mai):
    Agency.objects.all().delete()

    ensure_agencies(Agency, District)

    offices = Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE)
    assert offices.count() == District.objects.filter(province_id="50").count()
    assert offices.get(district_id="5001").name == "ที่ว่าการอำเภอเมืองเชียงใหม่"
    assert Agency.objects.filter(name="สำนักงานจังหวัดเชียงใหม่").exists()
    assert not Agency.objects.filter(name__contains="นครสวรรค์").exists()
    ensure_agencies(Agency, District)  # again: nothing doubled
    assert offices.count() == District.objects.filter(province_id="50").count()


def test_the_dashboard_map_draws_another_provinces_districts(chiang_mai, client):
    from dashboard import district_map

    client.force_login(StaffFactory(role=Role.EXECUTIVE))
    names = district_map.district_names()
    places = district_map.layout(names)
    assert set(places) == set(names) and len(set(places.values())) == len(names)
    assert not district_map.hand_drawn()
