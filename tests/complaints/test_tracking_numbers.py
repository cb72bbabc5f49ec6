"""Tracking numbers: <province prefix>-<Buddhist-era year in Thailand>-<6 digits>, one sequence
per year (NSN for the default province 60; the suite also runs with PROVINCE_CODE=50: CMI)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from complaints.models import TrackingCounter
from complaints.tracking import buddhist_year, is_tracking_number, next_tracking_number
from core import province

BANGKOK = ZoneInfo("Asia/Bangkok")
MID_2569 = datetime(2026, 3, 15, 10, 0, tzinfo=BANGKOK)

pytestmark = pytest.mark.django_db


def n(rest: str) -> str:
    """The number with the configured province's prefix."""
    return f"{province.tracking_prefix()}-{rest}"


def test_first_number_of_a_year_and_its_format():
    number = next_tracking_number(at=MID_2569)
    assert number == n("2569-000001")
    assert is_tracking_number(number)


def test_numbers_follow_each_other_within_a_year():
    numbers = [next_tracking_number(at=MID_2569) for _ in range(3)]
    assert numbers == [n("2569-000001"), n("2569-000002"), n("2569-000003")]
    assert TrackingCounter.objects.get(pk=2569).last_value == 3


def test_the_year_is_the_thai_calendar_year_not_utc():
    # 31 Dec 2026 23:59 in Bangkok is still 2569; one minute later (still 31 Dec in UTC) is 2570.
    last_of_2569 = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)
    first_of_2570 = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert next_tracking_number(at=MID_2569) == n("2569-000001")
    assert next_tracking_number(at=last_of_2569) == n("2569-000002")
    assert next_tracking_number(at=first_of_2570) == n("2570-000001")
    assert next_tracking_number(at=first_of_2570) == n("2570-000002")
    # A late filing dated in the old year continues the old year's sequence.
    assert next_tracking_number(at=last_of_2569) == n("2569-000003")


def test_a_rolled_back_filing_gives_its_number_back():
    assert next_tracking_number(at=MID_2569) == n("2569-000001")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_tracking_number(at=MID_2569) == n("2569-000002")
        raise RuntimeError("the complaint failed")
    assert next_tracking_number(at=MID_2569) == n("2569-000002")


def test_more_than_six_digits_still_unique():
    TrackingCounter.objects.create(year_be=2569, last_value=999_999)
    assert next_tracking_number(at=MID_2569) == n("2569-1000000")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        next_tracking_number(at=datetime(2026, 3, 15, 10, 0))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("NSN-2569-000123", True),
        ("NSN-2569-123", False),
        ("nsn-2569-000123", False),
        ("NSN-2569-000123/../", False),
        ("", False),
    ],
)
def test_is_tracking_number(value, expected):
    assert is_tracking_number(value) is expected


def test_buddhist_year():
    assert buddhist_year(datetime(2026, 1, 1, 0, 0, tzinfo=BANGKOK)) == 2569


@pytest.mark.django_db(transaction=True)
def test_filings_at_the_same_moment_never_share_a_number():
    """Eight filings at once, each taking its number inside its own transaction, the year's
    first among them: eight different numbers, with no gap."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connections

    start = Barrier(8)

    def file_one(_index: int) -> str:
        try:
            start.wait()
            with transaction.atomic():
                return next_tracking_number(at=MID_2569)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(file_one, range(8)))
    assert sorted(numbers) == [n(f"2569-{k:06d}") for k in range(1, 9)]
