"""Duplicates and nearby cases: the hint a citizen sees while filing (and what it never shows),
joining a case ("ติดตามเรื่องนี้"), what followers see and hear, and officers merging a duplicate
through the workflow."""

import datetime
import math
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from addresses.models import Subdistrict
from complaints import nearby
from complaints.models import (
    ClosedReason,
    Complaint,
    ComplaintCategory,
    ComplaintFollower,
    State,
    StateChange,
)
from complaints.services import complaint_follow
from complaints.workflow import (
    StaleComplaint,
    TransitionNotAllowed,
    complaint_change_state,
    complaint_merge,
)
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import (
    agency_staff,
    case,
    grant_officer_screen_permissions,
    inspect_url,
)
from tests.complaints.factories import EvidenceFileFactory
from tests.complaints.workflow_support import (
    as_text,
    grant_case_permissions,
    link_line,
    make_agency,
    messages_to,
)

pytestmark = pytest.mark.django_db

SPOT = (15.703000, 100.137000)  # a street in Mueang Nakhon Sawan
NEARBY_URL = "/complaints/new/nearby/"


@pytest.fixture(autouse=True)
def _setup():
    grant_officer_screen_permissions()
    grant_case_permissions()


@pytest.fixture
def road():
    return ComplaintCategory.objects.create(name="ถนนชำรุดทดสอบ", sort_order=999)


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER)


def north_of(metres: float) -> tuple[Decimal, Decimal]:
    lat = SPOT[0] + metres / nearby.METRES_PER_DEGREE
    return Decimal(f"{lat:.6f}"), Decimal(f"{SPOT[1]:.6f}")


def east_of(metres: float) -> tuple[Decimal, Decimal]:
    lon = SPOT[1] + metres / (nearby.METRES_PER_DEGREE * math.cos(math.radians(SPOT[0])))
    return Decimal(f"{SPOT[0]:.6f}"), Decimal(f"{lon:.6f}")


def at(position, days_ago: float = 1, **fields) -> Complaint:
    complaint = case(latitude=position[0], longitude=position[1], **fields)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=when)
    complaint.refresh_from_db()
    return complaint


def hint(citizen, category, position=SPOT, subdistrict=None):
    lat, lon = position if position else (None, None)
    return nearby.filing_hint(
        citizen=citizen, category=category, latitude=lat, longitude=lon, subdistrict=subdistrict
    )


# The filing hint -----------------------------------------------------------------------------


def test_the_hint_shows_open_cases_of_the_category_within_200_metres_nearest_first(road):
    citizen = CitizenFactory().user
    close = at(north_of(40), category=road)
    edge = at(east_of(195), category=road)
    at(north_of(215), category=road)  # too far
    at(north_of(10))  # another category
    at(north_of(10), category=road, state=State.COMPLETED)  # finished
    at(north_of(10), category=road, days_ago=61)  # older than 60 days

    shown = hint(citizen, road)

    assert [case.pk for case in shown] == [close.pk, edge.pk]
    assert [case.distance_m for case in shown] == [40, 195]


def test_without_a_position_the_hint_shows_the_subdistrict_newest_first(road):
    citizen = CitizenFactory().user
    older = at((None, None), days_ago=5, category=road)
    here = at(north_of(0), days_ago=1, category=road)
    subdistrict = here.target_subdistrict
    other = Subdistrict.objects.filter(district=subdistrict.district).exclude(pk=subdistrict.pk)[0]
    case(category=road, target_subdistrict=other)

    shown = hint(citizen, road, position=None, subdistrict=subdistrict)

    assert [c.pk for c in shown] == [here.pk, older.pk]
    assert all(c.distance_m is None for c in shown)


def test_the_hint_counts_everyone_who_reported_and_marks_the_citizens_own(road):
    mine = CitizenFactory()
    theirs = at(north_of(20), category=road)
    own = at(north_of(30), category=road, profile=mine)
    complaint_follow(complaint=theirs, citizen=CitizenFactory().user)
    complaint_follow(complaint=theirs, citizen=CitizenFactory().user)

    shown = {c.pk: c for c in hint(mine.user, road)}

    assert shown[theirs.pk].reporters == 3 and not shown[theirs.pk].own
    assert shown[own.pk].own


def test_the_hint_page_never_shows_a_name_the_details_or_a_concealed_cases_text(client, road):
    open_case = at(
        north_of(20),
        category=road,
        profile=CitizenFactory(first_name="ชื่อลับมาก", phone="+66811119999"),
        details="รายละเอียดที่ระบุตัวผู้ร้องได้",
        target_place="หน้าบ้านเลขที่ 99",
    )
    concealed = at(
        north_of(60),
        category=road,
        conceal_identity=True,
        details="รายละเอียดลับ",
        target_place="สถานที่ของผู้ปกปิด",
    )
    client.force_login(CitizenFactory().user)

    response = client.get(
        NEARBY_URL, {"category": road.pk, "latitude": SPOT[0], "longitude": SPOT[1]}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-nearby-case=") == 2
    assert "หน้าบ้านเลขที่ 99" in page  # the place of a case that was not concealed
    for secret in (
        "ชื่อลับมาก",
        "0811119999",
        "รายละเอียดที่ระบุตัวผู้ร้องได้",
        "รายละเอียดลับ",
        "สถานที่ของผู้ปกปิด",
        open_case.tracking_number,
        concealed.tracking_number,
    ):
        assert secret not in page


def test_the_hint_page_refuses_bad_numbers_and_asks_for_a_citizen(client, road):
    citizen = CitizenFactory().user
    client.force_login(citizen)
    assert client.get(NEARBY_URL, {"category": road.pk, "latitude": "x"}).status_code == 400
    assert client.get(NEARBY_URL, {"category": road.pk, "latitude": "1e999"}).status_code == 400
    assert client.get(NEARBY_URL, {"category": "999999999999999999999"}).status_code == 200
    client.force_login(StaffFactory())
    assert client.get(NEARBY_URL, {"category": road.pk}).status_code == 403


# Following ----------------------------------------------------------------------------------


def test_a_citizen_joins_a_case_from_the_hint_and_sees_it_in_their_list(client, road):
    joined = at(north_of(20), category=road, details="ข้อความของผู้ร้องคนแรก")
    citizen = CitizenFactory()
    client.force_login(citizen.user)

    response = client.post(reverse("complaints:follow"), {"follow": joined.pk})

    assert response.status_code == 302
    assert response["Location"] == f"/complaints/following/{joined.tracking_number}/"
    assert ComplaintFollower.objects.filter(complaint=joined, citizen=citizen.user).exists()
    listing = client.get("/complaints/").content.decode()
    assert joined.tracking_number in listing and "เรื่องที่ท่านติดตาม" in listing
    page = client.get(response["Location"]).content.decode()
    assert joined.tracking_number in page and "2 คน" in page  # its complainant and this one
    assert "ข้อความของผู้ร้องคนแรก" not in page
    assert joined.complainant_first_name not in page
    # the case's own page stays the complainant's
    assert client.get(f"/complaints/{joined.tracking_number}/").status_code == 404


def test_only_what_the_hint_offers_can_be_joined(client, road):
    citizen = CitizenFactory()
    finished = at(north_of(20), category=road, state=State.COMPLETED)
    old = at(north_of(20), category=road, days_ago=90)
    own = at(north_of(20), category=road, profile=citizen)
    client.force_login(citizen.user)

    for complaint in (finished, old, own):
        response = client.post(reverse("complaints:follow"), {"follow": complaint.pk})
        assert response.status_code == 302 and response["Location"] == reverse("complaints:wizard")
    assert not ComplaintFollower.objects.exists()
    assert client.post(reverse("complaints:follow"), {"follow": "9" * 30}).status_code == 302


def test_followers_hear_state_changes_without_the_note_to_the_complainant(officer, road):
    complaint = at(north_of(20), category=road)
    follower = CitizenFactory().user
    complaint_follow(complaint=complaint, citizen=follower)
    follower_line, owner_line = link_line(follower), link_line(complaint.citizen)

    complaint_change_state(
        complaint=complaint,
        to=State.IN_PROGRESS,
        by=officer,
        public_note="เรียนคุณผู้ร้อง เจ้าหน้าที่จะโทรหาท่านพรุ่งนี้",
    )

    [owner_row] = messages_to(owner_line)
    [follower_row] = messages_to(follower_line)
    assert "เจ้าหน้าที่จะโทรหาท่านพรุ่งนี้" in as_text(owner_row)
    assert "เจ้าหน้าที่จะโทรหาท่านพรุ่งนี้" not in as_text(follower_row)
    assert "อยู่ระหว่างดำเนินการ" in as_text(follower_row)
    assert f"/complaints/following/{complaint.tracking_number}/" in as_text(follower_row)


def test_a_follower_may_stop_following(client, road):
    complaint = at(north_of(20), category=road)
    citizen = CitizenFactory()
    complaint_follow(complaint=complaint, citizen=citizen.user)
    client.force_login(citizen.user)

    response = client.post(f"/complaints/following/{complaint.tracking_number}/stop/")

    assert response.status_code == 302
    assert not ComplaintFollower.objects.exists()
    assert client.get(f"/complaints/following/{complaint.tracking_number}/").status_code == 404


# Merging ------------------------------------------------------------------------------------


def test_a_merge_closes_the_duplicate_and_everyone_follows_the_surviving_case(officer, road):
    first = at(north_of(20), days_ago=3, category=road)
    second = at(north_of(30), days_ago=1, category=road)
    EvidenceFileFactory(complaint=second)
    joined_second = CitizenFactory().user
    complaint_follow(complaint=second, citizen=joined_second)
    lines = {
        "first": link_line(first.citizen),
        "second": link_line(second.citizen),
        "joined": link_line(joined_second),
    }

    complaint_merge(duplicate=second, into=first, by=officer, expected_version=second.version)

    second.refresh_from_db()
    assert second.state == State.CLOSED
    assert second.closed_reason == ClosedReason.DUPLICATE
    assert second.merged_into_id == first.pk
    assert second.files.count() == 1
    assert list(second.history.values_list("kind", "to_state")) == [
        (StateChange.Kind.STATE, State.UNDER_REVIEW),
        (StateChange.Kind.STATE, State.CLOSED),
    ]
    assert first.history.filter(kind=StateChange.Kind.MERGE).count() == 1
    assert set(first.followers.values_list("citizen_id", flat=True)) == {
        second.citizen_id,
        joined_second.pk,
    }
    for name, line_id in lines.items():
        assert len(messages_to(line_id)) == 1, name  # one LINE notice each
    assert first.tracking_number in as_text(messages_to(lines["second"])[0])
    assert "3 คน" in as_text(messages_to(lines["first"])[0])


def test_a_merge_is_refused_for_a_finished_duplicate_a_stale_page_and_an_agency(officer, road):
    first = at(north_of(20), days_ago=3, category=road)
    done = at(north_of(30), category=road, state=State.COMPLETED)
    second = at(north_of(30), category=road)
    member = agency_staff(make_agency())

    with pytest.raises(TransitionNotAllowed):
        complaint_merge(duplicate=done, into=first, by=officer)
    with pytest.raises(StaleComplaint):
        complaint_merge(duplicate=second, into=first, by=officer, expected_version=99)
    with pytest.raises(PermissionDenied):
        complaint_merge(duplicate=second, into=first, by=member)
    second.refresh_from_db()
    assert second.state == State.UNDER_REVIEW and second.merged_into_id is None


def test_the_case_page_lists_likely_duplicates_and_merges_one(client, officer, road):
    this = at(north_of(0), days_ago=2, category=road, details="ถนนหน้าตลาดเป็นหลุมลึก รถล้มบ่อย")
    alike = at(north_of(50), days_ago=1, category=road, details="ถนนหน้าตลาดเป็นหลุมลึกมาก")
    unlike = at(north_of(80), days_ago=1, category=road, details="ขอไฟส่องสว่างเพิ่ม")
    at(north_of(400), days_ago=1, category=road, details="ถนนหน้าตลาดเป็นหลุมลึก")  # too far
    client.force_login(officer)

    page = client.get(inspect_url(this)).content.decode()
    listed = re.findall(r'data-duplicate="(NSN-\d{4}-\d{6})"', page)
    assert listed == [alike.tracking_number, unlike.tracking_number]

    response = client.post(
        inspect_url(this),
        {
            "action": "merge",
            "merge-version": this.version,
            "merge-other": alike.pk,
            "merge-other_version": alike.version,
            "merge-keep": "this",
            "merge-public_note": "",
        },
    )

    assert response.status_code == 302 and response["Location"] == inspect_url(this)
    alike.refresh_from_db()
    assert alike.merged_into_id == this.pk and alike.state == State.CLOSED
    page = client.get(inspect_url(this)).content.decode()
    assert "data-merged-duplicates" in page and alike.tracking_number in page
    assert re.findall(r'data-duplicate="(NSN-\d{4}-\d{6})"', page) == [unlike.tracking_number]


def test_agency_members_see_no_merge_form(client, officer, road):
    agency = make_agency()
    this = at(north_of(0), category=road, agency=agency)
    at(north_of(20), category=road, agency=agency)
    client.force_login(agency_staff(agency))

    page = client.get(inspect_url(this)).content.decode()

    assert "data-duplicate=" in page and "merge-form" not in page
    response = client.post(inspect_url(this), {"action": "merge"})
    assert response.status_code == 400


def test_step_two_shows_the_hint_without_javascript_after_the_area_button(client, road):
    """The no-JavaScript path: "แสดงอำเภอ/ตำบล" sends step ๒ back with the subdistrict chosen,
    and the page comes with the hint; "ติดตามเรื่องนี้" is a button of the same form."""
    from complaints.models import ComplaintConsent
    from complaints.setup import ensure_complaint_consent
    from tests.complaints.test_wizard import MANAGEMENT, WIZARD, accept_consent, details_data

    ensure_complaint_consent()
    neighbour = case(category=road, target_place="ศาลาประชาคมหมู่ 4")
    subdistrict = neighbour.target_subdistrict_id
    client.force_login(CitizenFactory().user)
    accept_consent(client, ComplaintConsent.current())
    client.get(WIZARD)
    client.post(WIZARD, {MANAGEMENT: "complainant", "complainant-phone": "0812345678"})

    data = details_data(category=str(road.pk), subdistrict=subdistrict, latitude="", longitude="")
    payload = {MANAGEMENT: "details", **{f"details-{k}": v for k, v in data.items()}}
    page = client.post(WIZARD, {**payload, "details-_refresh_address": "1"}).content.decode()

    assert f'data-nearby-case="{neighbour.pk}"' in page
    assert "ศาลาประชาคมหมู่ 4" in page and "ตำบลเดียวกัน" in page
    assert f'formaction="{reverse("complaints:follow")}"' in page
