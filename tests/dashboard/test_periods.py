import datetime

from dashboard.periods import Period, fiscal_year_of, months_between, range_for_fiscal_year
from tests.dashboard.support import bkk


def test_fiscal_year_runs_october_to_september_in_buddhist_era():
    assert range_for_fiscal_year(2569) == (datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))
    assert fiscal_year_of(datetime.date(2025, 10, 1)) == 2569
    assert fiscal_year_of(datetime.date(2026, 9, 30)) == 2569
    assert fiscal_year_of(datetime.date(2026, 10, 1)) == 2570
    assert fiscal_year_of(datetime.date(2026, 1, 15)) == 2569


def test_a_moment_counts_by_its_bangkok_date_not_utc():
    last_minute = bkk(2026, 9, 30, 23, 59)  # 16:59 UTC
    first_minute = bkk(2026, 10, 1, 0, 0)  # still 30 September in UTC
    assert fiscal_year_of(last_minute) == 2569
    assert fiscal_year_of(first_minute.astimezone(datetime.UTC)) == 2570


def test_period_bounds_are_bangkok_midnights():
    start, end = Period.fiscal_year(2569).bounds()
    assert start == bkk(2025, 10, 1, 0, 0)
    assert end == bkk(2026, 10, 1, 0, 0)
    assert start.astimezone(datetime.UTC).hour == 17  # 30 Sep 17:00 UTC


def test_months_between_covers_every_month_touched():
    months = months_between(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1))
    assert months == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
