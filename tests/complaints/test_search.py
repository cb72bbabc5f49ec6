"""The officers' search (complaints.search) through the case list: what is found, in what order,
what goes straight to a case, and what concealment hides. Every expected list is written out,
so the same test run on SQLite and on PostgreSQL proves both give the same answers."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from complaints import search
from complaints.models import Complaint, ComplaintCategory
from complaints.workflow import complaint_forward
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import (
    ADMIN_URL,
    agency_staff,
    case,
    grant_officer_screen_permissions,
    inspect_url,
)
from tests.complaints.test_admin import row_order
from tests.complaints.workflow_support import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup():
    grant_officer_screen_permissions()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER)


def filed(days_ago: float, **fields) -> Complaint:
    """A case filed ``days_ago`` days ago (the list's recency)."""
    complaint = case(**fields)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=when)
    return complaint


def found(client, term, **params):
    return row_order(client.get(ADMIN_URL, {"q": term, **params}))


# Normalisation -------------------------------------------------------------------------------


def test_thai_marks_digits_and_invisible_characters_are_made_one_form():
    assert search.normalize("น้ำท่วม") == search.normalize("นำ้ท่วม")  # tone typed after sara am
    assert search.normalize("น้ำ") == search.normalize("น\u0e49\u0e4d\u0e32")  # ํ + า for ำ
    assert search.normalize("หมู่ ๕") == search.normalize("หมู่ 5")
    assert search.normalize("หมู่ ๕").endswith(" 5")
    assert search.normalize("ไฟ\u200bฟ้า  ดับ") == search.normalize("ไฟฟ้า ดับ")
    assert len(search.normalize("ไฟฟ้า ดับ")) == len("ไฟฟ้า ดับ")  # marks kept, as letters
    assert search.normalize("NSN-2569") == "nsn-2569"
    text = "น้ำท่วม หมู่ ๕ ไฟฟ้า"
    assert search.normalize(search.normalize(text)) == search.normalize(text)


def test_what_was_typed_is_read_as_words_numbers_and_phones():
    assert search.parse("ถนน  ชำรุด").words == ("ถนน", "ชำรุด")
    assert search.parse("nsn 2569 000123").tracking_number == "NSN-2569-000123"
    assert search.parse("081-234-5678").phone == "0812345678"
    assert search.parse("081 234 5678").phone == "0812345678"
    assert search.parse("+66 81 234 5678").phone == "0812345678"
    assert search.parse("812345").words == ("812345",)
    assert search.parse("812345").phone == ""
    assert search.parse("ไฟ").problem  # two characters cannot be looked up alone


# What is found ------------------------------------------------------------------------------


def test_details_place_address_area_category_and_agency_are_searched(client, officer):
    land = ComplaintCategory.objects.create(name="ข้อพิพาทที่ดินทำกิน", sort_order=900)
    agency = make_agency(name="สำนักงานชลประทานที่ 3")
    by_details = filed(1, details="น้ำประปาไม่ไหลมาสามวันแล้ว", target_place="")
    by_place = filed(2, details="ขอความช่วยเหลือ", target_place="ตลาดสดเทศบาลหนองปลิง")
    by_address = filed(3, details="ขอความช่วยเหลือ", target_address="หมู่ 7 ซอยวัดไทร")
    by_category = filed(4, details="ขอความช่วยเหลือ", category=land)
    by_agency = filed(5, details="ขอความช่วยเหลือ")
    complaint_forward(complaint=by_agency, agency=agency, by=officer)
    client.force_login(officer)

    assert found(client, "ประปา") == [by_details.tracking_number]
    assert found(client, "หนองปลิง") == [by_place.tracking_number]
    assert found(client, "ซอยวัดไทร") == [by_address.tracking_number]
    assert found(client, "ทำกิน") == [by_category.tracking_number]
    assert found(client, "ชลประทาน") == [by_agency.tracking_number]
    subdistrict = by_place.target_subdistrict.name_th
    assert len(found(client, subdistrict)) == 5  # every case is in that subdistrict


def test_every_word_must_be_found_somewhere(client, officer):
    both = filed(1, details="ไฟฟ้าดับทั้งซอย", target_place="หน้าวัดหนองโพ")
    only_one = filed(2, details="ไฟฟ้าดับทั้งซอย", target_place="ตลาดเก่า")
    client.force_login(officer)

    assert found(client, "ไฟฟ้าดับ หนองโพ") == [both.tracking_number]
    assert found(client, "ไฟฟ้าดับ") == [both.tracking_number, only_one.tracking_number]


def test_thai_typed_in_another_mark_order_still_finds(client, officer):
    flooded = filed(1, details="น้ำท่วมถนนหน้าบ้าน")
    client.force_login(officer)

    assert found(client, "นำ้ท่วม") == [flooded.tracking_number]
    assert found(client, "น\u0e49\u0e4d\u0e32ท่วม") == [flooded.tracking_number]


def test_a_short_word_narrows_but_a_query_of_short_words_is_refused(client, officer):
    fire = filed(1, details="ไฟไหม้กองขยะข้างบ้าน")
    filed(2, details="ขยะไม่มีคนเก็บ")
    client.force_login(officer)

    assert found(client, "ขยะ ไฟ") == [fire.tracking_number]
    response = client.get(ADMIN_URL, {"q": "ไฟ"})
    assert "คำค้นสั้นเกินไป" in response.content.decode()
    assert row_order(response) == []


# Order -----------------------------------------------------------------------------------------


def test_results_are_ranked_by_where_the_words_are_then_newest_first(client, officer):
    in_details_new = filed(1, details="ถนนชำรุดหน้าตลาดหนองบัว", target_place="")
    in_details_old = filed(9, details="ถนนชำรุดหน้าตลาดหนองบัว", target_place="")
    in_place = filed(30, details="ขอให้ซ่อมด่วน", target_place="ตลาดหนองบัว")
    apart = filed(2, details="ตลาดใหม่ ถนนเส้นหนองบัวชำรุด", target_place="")
    client.force_login(officer)

    assert found(client, "ตลาด หนองบัว") == [
        in_place.tracking_number,  # both words in the place: 3 + 3 (+2 together)
        in_details_new.tracking_number,  # in the details, together as typed: 1 + 1 + 2
        in_details_old.tracking_number,
        apart.tracking_number,  # in the details, apart: 1 + 1
    ]


def test_a_column_the_officer_sorts_by_orders_the_results(client, officer):
    first = filed(1, details="ถนนชำรุด", target_place="")
    second = filed(2, details="ขอซ่อม", target_place="ถนนชำรุดหน้าวัด")
    client.force_login(officer)

    assert found(client, "ถนนชำรุด") == [second.tracking_number, first.tracking_number]
    assert found(client, "ถนนชำรุด", o="2") == [second.tracking_number, first.tracking_number]
    assert found(client, "ถนนชำรุด", o="-2") == [first.tracking_number, second.tracking_number]


def test_past_the_limit_the_newest_matches_are_shown_and_the_list_says_so(
    client, officer, monkeypatch
):
    monkeypatch.setattr(search, "CANDIDATES", 3)
    cases = [filed(days, details="ถนนชำรุด") for days in (1, 2, 3, 4, 5)]
    client.force_login(officer)

    response = client.get(ADMIN_URL, {"q": "ชำรุด"})

    assert row_order(response) == [c.tracking_number for c in cases[:3]]
    assert "พบมากกว่า 3 เรื่อง" in response.content.decode()


@pytest.mark.parametrize("limit", [3, 5])
@pytest.mark.parametrize("typed", ["ชำรุด", "ถนน ชำรุด"])
def test_searching_recent_months_first_finds_the_same_newest_matches(
    client, officer, monkeypatch, limit, typed
):
    """PostgreSQL looks in recent months before everything when it expects many matches (here:
    always): one word in the last 60 days, then the last year; several words, their indexes
    combined, in the last year. The newest matches found are the same."""
    monkeypatch.setattr(search, "CANDIDATES", limit)
    monkeypatch.setattr(search, "BROAD_MATCHES", -1)
    cases = [filed(days, details="ถนนชำรุด") for days in (1, 20, 70, 100, 400, 500)]
    filed(2, details="ไฟฟ้าดับที่ถนนสายหลัก")  # "ถนน" without "ชำรุด": found by neither
    client.force_login(officer)

    assert found(client, typed) == [c.tracking_number for c in cases[:limit]]


def test_a_case_filed_after_a_search_of_recent_months_is_found_by_the_next_one(
    client, officer, monkeypatch
):
    """Recent months are read from the lowest id filed since the window's start, kept for the
    hour: the newest case here has the lowest id, and a case filed since has a higher one;
    both are found."""
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(search, "BROAD_MATCHES", -1)
    cache.clear()  # the bound is read here, not kept from an earlier test
    older = [filed(days, details="ถนนชำรุด") for days in (30, 40, 50, 60)]
    client.force_login(officer)
    assert found(client, "ถนน ชำรุด") == [c.tracking_number for c in older[:2]]

    newer = filed(3, details="ถนนชำรุด")

    assert found(client, "ถนน ชำรุด") == [newer.tracking_number, older[0].tracking_number]
    assert found(client, "ชำรุด") == [newer.tracking_number, older[0].tracking_number]


# Straight to the case -----------------------------------------------------------------------


def test_a_tracking_number_opens_its_case(client, officer):
    complaint = filed(1)
    client.force_login(officer)

    for typed in (complaint.tracking_number, complaint.tracking_number.lower().replace("-", " ")):
        response = client.get(ADMIN_URL, {"q": typed})
        assert response.status_code == 302
        assert response["Location"] == inspect_url(complaint)


def test_a_phone_number_opens_the_one_case_it_belongs_to(client, officer):
    alone = filed(1, profile=CitizenFactory(phone="+66891112233"))
    twice = CitizenFactory(phone="+66894445566")
    first, second = filed(1, profile=twice), filed(2, profile=twice)
    client.force_login(officer)

    response = client.get(ADMIN_URL, {"q": "089-111-2233"})
    assert response.status_code == 302 and response["Location"] == inspect_url(alone)
    assert found(client, "0894445566") == [first.tracking_number, second.tracking_number]


def test_part_of_a_phone_number_finds_its_cases(client, officer):
    mine = filed(1, profile=CitizenFactory(phone="+66812345678"))
    filed(2, profile=CitizenFactory(phone="+66899999999"))
    client.force_login(officer)

    assert found(client, "812345") == [mine.tracking_number]
    assert found(client, "0812345") == [mine.tracking_number]
    assert found(client, "2345678") == [mine.tracking_number]


# Concealment ---------------------------------------------------------------------------------


def test_an_agency_finds_its_cases_by_name_only_where_the_complainant_did_not_conceal(
    client, officer
):
    agency = make_agency()
    named = filed(1, profile=CitizenFactory(first_name="เปิดเผยนาม", phone="+66811110000"))
    hidden = filed(
        2,
        profile=CitizenFactory(first_name="ปกปิดนาม", phone="+66822220000"),
        conceal_identity=True,
    )
    for complaint in (named, hidden):
        complaint_forward(complaint=complaint, agency=agency, by=officer)
    client.force_login(agency_staff(agency))

    assert found(client, "เปิดเผยนาม") == [named.tracking_number]
    assert found(client, "081111") == [named.tracking_number]
    assert client.get(ADMIN_URL, {"q": "0811110000"})["Location"] == inspect_url(named)
    assert found(client, "ปกปิดนาม") == []
    assert found(client, "082222") == []
    response = client.get(ADMIN_URL, {"q": "0822220000"})
    assert response.status_code == 200 and row_order(response) == []  # not opened either
    assert found(client, "ถนนในหมู่บ้าน") == [named.tracking_number, hidden.tracking_number]

    client.force_login(officer)
    assert found(client, "ปกปิดนาม") == [hidden.tracking_number]


# PostgreSQL's index -------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_answers_thai_substrings_from_the_trigram_index():
    """The migration created pg_trgm as the database's owner (no superuser) and both GIN
    indexes; the planner uses them for a Thai word once the other ways in are off the table
    (a test database is too small for the planner to prefer an index by itself)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
        cursor.execute("SELECT show_trgm(%s)", ["ถนนชำรุด"])
        assert len(cursor.fetchone()[0]) > 0, "this database's LC_CTYPE hides Thai from pg_trgm"
        for mark in "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4e":  # a word is not cut there
            cursor.execute("SELECT show_trgm(%s)", [search.normalize(mark)])
            assert len(cursor.fetchone()[0]) == 2, hex(ord(mark))
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        query = search.matching(Complaint.objects.all(), search.parse("ชำรุด"), viewer=None)
        plan = query.order_by().values("pk").explain()
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "complaint_search_text_trgm" in plan, plan


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="enable_indexscan is a PostgreSQL planner setting; SQLite has none (CI runs it there)",
)
def test_a_search_of_several_words_leaves_the_rest_of_the_request_its_indexes(
    client, officer, monkeypatch
):
    """Several words are looked up with the planner's plain index scans off, for that
    statement only: the officer's request goes on inside its transaction with them on."""
    monkeypatch.setattr(search, "BROAD_MATCHES", -1)
    case = filed(1, details="ถนนชำรุด")

    with transaction.atomic():
        results = search.search(Complaint.objects.all(), "ถนน ชำรุด", viewer=officer)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_indexscan")
            assert cursor.fetchone() == ("on",)
    assert [c.tracking_number for c in results] == [case.tracking_number]
