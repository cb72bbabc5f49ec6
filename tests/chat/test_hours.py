"""Service hours of the chat, as citizens are told them (Asia/Bangkok, weekdays, holidays)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from chat import hours
from chat.models import ServiceHoliday

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def office_hours(settings):
    settings.CHAT_SERVICE_DAYS = "01234"
    settings.CHAT_SERVICE_START = "08:30"
    settings.CHAT_SERVICE_END = "16:30"


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=BKK)  # 23 Nov 2026 is a Monday


def test_weekday_office_hours_are_service_time_and_the_edges_are_exact():
    assert hours.is_service_time(at(23, 8, 30))
    assert hours.is_service_time(at(25, 16, 29))
    assert not hours.is_service_time(at(25, 16, 30))
    assert not hours.is_service_time(at(25, 8, 29))
    assert not hours.is_service_time(at(28, 10))  # Saturday


def test_a_utc_clock_is_read_in_bangkok_time():
    utc_morning = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Bangkok
    assert hours.is_service_time(utc_morning)


def test_before_opening_the_answer_comes_the_same_morning():
    assert hours.next_service_start(at(24, 6, 15)) == at(24, 8, 30)


def test_friday_evening_waits_for_monday_morning():
    assert hours.next_service_start(at(27, 18)) == at(30, 8, 30)


def test_holidays_are_skipped():
    ServiceHoliday.objects.create(date=datetime.date(2026, 11, 30), name="วันหยุดชดเชย")
    ServiceHoliday.objects.create(date=datetime.date(2026, 12, 1), name="วันหยุดพิเศษ")
    assert not hours.is_service_time(at(30, 10))
    assert hours.next_service_start(at(27, 18)) == datetime.datetime(2026, 12, 2, 8, 30, tzinfo=BKK)


def test_the_citizen_is_told_the_day_date_and_time_in_thai():
    text = hours.expected_answer_text(at(27, 18))
    assert "นอกเวลาทำการ" in text
    assert "วันจันทร์ที่ 30 พ.ย. 2569 เวลา 08:30 น." in text
    assert hours.hours_text() == ("เจ้าหน้าที่ให้บริการวันจันทร์–ศุกร์ เวลา 08:30–16:30 น. (ยกเว้นวันหยุดราชการ)")


def test_in_english_the_weekdays_are_english_too():
    from django.utils import translation

    with translation.override("en"):
        assert hours.hours_text() == (
            "Officers are available Monday–Friday, 08:30–16:30 (except public holidays)."
        )
        assert "Monday" in hours.expected_answer_text(at(27, 18))
