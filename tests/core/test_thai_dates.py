import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from core.thai_dates import format_thai_date, format_thai_datetime


def test_dates_use_the_buddhist_era_and_thai_month_names():
    with translation.override("th"):
        assert format_thai_date(datetime.date(2026, 3, 15)) == "15 มี.ค. 2569"
        assert format_thai_date(datetime.date(2025, 12, 31)) == "31 ธ.ค. 2568"


def test_times_are_shown_in_bangkok_time():
    utc_evening = datetime.datetime(2026, 9, 30, 18, 30, tzinfo=datetime.UTC)
    with translation.override("th"):
        # 01:30 on 1 October in Bangkok: the next fiscal year already.
        assert format_thai_datetime(utc_evening) == "1 ต.ค. 2569 01:30 น."


def test_english_readers_get_the_common_era():
    with translation.override("en"):
        assert format_thai_date(datetime.date(2026, 3, 15)) == "15 Mar 2026"


def test_filters_work_in_templates():
    template = Template("{% load thai_dates %}{{ d|thai_date }} / {{ t|thai_datetime }}")
    moment = datetime.datetime(2026, 1, 2, 9, 5, tzinfo=ZoneInfo("Asia/Bangkok"))
    with translation.override("th"):
        rendered = template.render(Context({"d": moment.date(), "t": moment}))
    assert rendered == "2 ม.ค. 2569 / 2 ม.ค. 2569 09:05 น."
    assert format_thai_date(None) == ""
