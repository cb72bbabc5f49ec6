"""The officers' screens in the Wagtail admin: the case list (columns, filters, search, urgency
order, who sees what), the case page (what the citizen sent, history) and its four actions,
including two officers saving the same case at once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from accounts.validators import format_thai_phone
from addresses.models import District, Subdistrict
from complaints.models import (
    Agency,
    AgencyMember,
    ClosedReason,
    Complaint,
    ComplaintCategory,
    State,
    StateChange,
)
from complaints.workflow import STALE_MESSAGE, complaint_assign, complaint_forward
from core.thai_dates import format_thai_date
from tests.accounts.factories import CitizenFactory, StaffFactory, UserFactory
from tests.complaints.admin_support import (
    ADMIN_URL,
    agency_staff,
    case,
    grant_officer_screen_permissions,
    inspect_url,
    permissions,
)
from tests.complaints.factories import EvidenceFileFactory, jpeg_bytes, pdf_bytes
from tests.complaints.workflow_support import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup():
    grant_officer_screen_permissions()
    yield


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


@pytest.fixture
def supervisor():
    return StaffFactory(role=Role.SUPERVISOR, first_name="สมศักดิ์", last_name="หัวหน้า")


@pytest.fixture
def agency():
    return make_agency(name="ที่ว่าการอำเภอทดสอบระบบ")


def html(response) -> str:
    return response.content.decode()


def row_order(response) -> list[str]:
    """Tracking numbers in the order the list shows them."""
    return re.findall(r"field-tracking_number[^>]*>.*?>(NSN-\d{4}-\d{6})<", html(response), re.S)


def post_action(client, complaint, action, *, version=None, files=None, **fields):
    data = {"action": action, f"{action}-version": version or complaint.version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    for name, upload in (files or {}).items():
        data[f"{action}-{name}"] = upload
    return client.post(inspect_url(complaint), data)


# The list -------------------------------------------------------------------------------------


def column_headers(page: str) -> list[str]:
    table = page[page.index('<table class="listing full-width">') :]
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table.split("</thead>")[0], re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_list_shows_the_columns_the_deadline_and_the_overdue_count(client, officer, agency):
    late = case(days_left=-2)
    soon = case(days_left=2)
    complaint_assign(complaint=soon, officer=officer, by=officer)
    complaint_forward(complaint=soon, agency=agency, by=officer)
    client.force_login(officer)

    page = html(client.get(ADMIN_URL))

    assert column_headers(page) == [
        "เลือก",
        "เลขที่เรื่อง",
        "วันที่ยื่น",
        "ประเภทเรื่องร้องเรียน",
        "อำเภอ",
        "สถานะ",
        "เจ้าหน้าที่",
        "หน่วยงานที่ส่งต่อ",
        "กำหนดเวลา",
        "ผู้ร้องเรียน",
    ]
    assert "เกินกำหนด 1 เรื่อง" in page
    assert '<span class="deadline-badge deadline-overdue">เกินกำหนด 2 วัน</span>' in page
    assert '<span class="deadline-badge deadline-warn">เหลือ 2 วัน</span>' in page
    assert 'class="deadline-row-overdue' in page
    assert "วิไล ตั้งใจ" in page and agency.name in page and "เมืองนครสวรรค์" in page
    assert format_thai_date(soon.submitted_at) in page
    assert f"{late.complainant_name} ({format_thai_phone(late.complainant_phone)})" in page
    assert f'href="{inspect_url(late)}"' in page


def test_filters_offer_officers_not_citizens_and_narrow_the_list(client, officer, agency):
    other_district = District.objects.get(pk="6002")
    late = case(days_left=-1)
    far = case(
        days_left=9,
        target_district=other_district,
        target_subdistrict=Subdistrict.objects.filter(district=other_district).first(),
    )
    forwarded = case(days_left=5)
    complaint_forward(complaint=forwarded, agency=agency, by=officer)
    complaint_assign(complaint=far, officer=officer, by=officer)
    client.force_login(officer)

    page = html(client.get(ADMIN_URL))
    for heading in (
        "ตามสถานะ",
        "ตามประเภทเรื่องร้องเรียน",
        "ตามอำเภอ",
        "ตามเจ้าหน้าที่ผู้รับผิดชอบ",
        "ตามหน่วยงานที่ส่งต่อ",
        "ตามกำหนดเวลา",
    ):
        assert heading in page
    assert "วิไล ตั้งใจ" in page
    assert late.citizen.username not in page  # citizens are never offered as officers

    def shown(query):
        return set(row_order(client.get(ADMIN_URL + query)))

    everyone = {late.tracking_number, far.tracking_number, forwarded.tracking_number}
    assert shown("?overdue=yes") == {late.tracking_number}
    assert shown("?overdue=no") == everyone - {late.tracking_number}
    assert shown(f"?officer={officer.pk}") == {far.tracking_number}
    assert shown("?officer=none") == everyone - {far.tracking_number}
    assert shown(f"?agency__id__exact={agency.pk}") == {forwarded.tracking_number}
    assert shown("?target_district__code__exact=6002") == {far.tracking_number}
    assert shown("?state__exact=under_review") == everyone - {forwarded.tracking_number}
    assert shown("?state__exact=in_progress") == {forwarded.tracking_number}  # forwarding moves it
    assert shown("?state__exact=completed") == set()


def test_only_the_offered_filters_apply_and_odd_addresses_do_no_harm(
    client, agency, concealed_case
):
    """Any other field__lookup in the address is ignored: an agency member cannot probe a
    concealed complainant's name letter by letter."""
    client.force_login(agency_staff(agency))
    probes = (
        "?complainant_first_name__startswith=ก",
        "?complainant_first_name=ลับเฉพาะ",
        "?citizen__password__startswith=zz",
        "?foo=bar",
        "?officer=abc",
        "?overdue=maybe",
        "?o=99",
        "?p=abc",
    )

    for probe in probes:
        assert row_order(client.get(ADMIN_URL + probe)) == [concealed_case.tracking_number]
    response = client.get(ADMIN_URL + "?agency__id__exact=abc")
    assert response.status_code == 302 and response["Location"] == ADMIN_URL
    assert "ตัวกรองในที่อยู่หน้าเว็บไม่ถูกต้อง" in html(client.get(ADMIN_URL))


def test_category_filter(client, officer):
    land = ComplaintCategory.objects.create(name="ที่ดินทดสอบ", sort_order=999)
    mine = case(category=land)
    case()
    client.force_login(officer)

    assert row_order(client.get(f"{ADMIN_URL}?category__id__exact={land.pk}")) == [
        mine.tracking_number
    ]


def test_search_by_tracking_number_name_phone_and_details(client, officer):
    somchai = case(
        profile=CitizenFactory(first_name="บุญเรือน", last_name="ทองมาก", phone="+66899991234")
    )
    other = case(details="ไฟฟ้าดับทั้งหมู่บ้านตั้งแต่เมื่อวาน")
    client.force_login(officer)

    def found(term):
        return row_order(client.get(ADMIN_URL, {"q": term}))

    def opened(term):
        return client.get(ADMIN_URL, {"q": term})["Location"]

    assert opened(somchai.tracking_number) == inspect_url(somchai)
    assert found("บุญเรือน") == [somchai.tracking_number]
    assert found("บุญเรือน ทองมาก") == [somchai.tracking_number]
    assert opened("0899991234") == inspect_url(somchai)
    assert opened("089-999-1234") == inspect_url(somchai)
    assert found("0899991") == [somchai.tracking_number]
    assert found("ไฟฟ้าดับ") == [other.tracking_number]
    assert found("ไม่มีเรื่องนี้แน่นอน") == []


def test_most_urgent_cases_come_first(client, officer):
    fresh = case(days_left=14)
    done = case(days_left=-30, state=State.COMPLETED)
    very_late = case(days_left=-5)
    late = case(days_left=-1)
    due_today = case(days_left=0)
    client.force_login(officer)

    order = row_order(client.get(ADMIN_URL))

    assert order == [
        very_late.tracking_number,
        late.tracking_number,
        due_today.tracking_number,
        fresh.tracking_number,
        done.tracking_number,
    ]


# Who sees what --------------------------------------------------------------------------------


def test_supervisor_sees_every_case(client, supervisor, agency):
    plain, forwarded = case(), case()
    complaint_forward(complaint=forwarded, agency=agency, by=supervisor)
    client.force_login(supervisor)

    assert set(row_order(client.get(ADMIN_URL))) == {
        plain.tracking_number,
        forwarded.tracking_number,
    }
    assert client.get(inspect_url(plain)).status_code == 200


def test_agency_member_sees_only_cases_forwarded_to_their_agency(client, officer, agency):
    ours, theirs, nobodys = case(), case(), case()
    complaint_forward(complaint=ours, agency=agency, by=officer)
    complaint_forward(complaint=theirs, agency=make_agency(), by=officer)
    member = agency_staff(agency)
    client.force_login(member)

    assert row_order(client.get(ADMIN_URL)) == [ours.tracking_number]
    assert client.get(inspect_url(ours)).status_code == 200
    assert client.get(inspect_url(theirs)).status_code == 404
    assert client.get(inspect_url(nobodys)).status_code == 404
    assert row_order(client.get(ADMIN_URL, {"q": theirs.tracking_number})) == []


@pytest.mark.parametrize(
    ("role", "sent_to"), [(Role.NEWS_EDITOR, "/admin/"), (Role.EXECUTIVE, "/admin/login/")]
)
def test_news_editors_and_executives_see_no_cases(client, role, sent_to):
    """Wagtail answers "forbidden" with a redirect: editors to the dashboard with a message,
    people without admin access to the log-in page."""
    complaint = case()
    client.force_login(StaffFactory(role=role))

    for url in (ADMIN_URL, inspect_url(complaint), ADMIN_URL + "?export=csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == sent_to
        assert complaint.tracking_number.encode() not in response.content
    followed = html(client.get(ADMIN_URL, follow=True))
    assert complaint.tracking_number not in followed
    assert complaint.complainant_first_name not in followed
    assert f'"{ADMIN_URL}"' not in followed.replace('value="', "")  # not in the menu either


def test_case_officer_has_the_case_list_in_the_menu(client, officer):
    client.force_login(officer)

    assert ADMIN_URL in html(client.get("/admin/"))


def test_citizen_and_anonymous_are_sent_to_log_in(client):
    complaint = case()
    assert client.get(inspect_url(complaint))["Location"].startswith("/admin/login/")
    client.force_login(complaint.citizen)

    for url in (ADMIN_URL, inspect_url(complaint)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_no_generic_add_edit_or_delete_of_cases(client, supervisor):
    complaint = case()
    client.force_login(supervisor)

    for url in (
        f"{ADMIN_URL}create/",
        f"{ADMIN_URL}edit/{complaint.pk}/",
        f"{ADMIN_URL}delete/{complaint.pk}/",
    ):
        assert client.get(url).status_code == 302
    client.post(f"{ADMIN_URL}delete/{complaint.pk}/")
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_viewer_without_change_permission_gets_no_forms_and_cannot_post(client, officer, agency):
    complaint = case()
    complaint_forward(complaint=complaint, agency=agency, by=officer)
    reader = UserFactory()
    reader.user_permissions.add(
        *permissions(("wagtailadmin.access_admin", "complaints.view_complaint"))
    )
    AgencyMember.objects.create(user=reader, agency=agency)
    client.force_login(reader)

    page = html(client.get(inspect_url(complaint)))
    assert complaint.tracking_number in page
    assert "<form" not in page.split('id="case-history"')[1]
    response = post_action(client, complaint, "state", to_state=State.COMPLETED)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS  # as forwarding left it


# The case page --------------------------------------------------------------------------------


def test_case_page_shows_what_the_citizen_sent_with_files_and_history(client, officer):
    complaint = case(
        days_left=-3,
        target_place="ซอยข้างวัด",
        target_address="ตรงข้ามร้านน้ำชา",
        latitude=Decimal("15.703000"),
        longitude=Decimal("100.137000"),
        location_accuracy_m=18,
    )
    photo = EvidenceFileFactory(complaint=complaint, original_name="หลุมถนน.jpg")
    complaint_assign(complaint=complaint, officer=officer, by=officer, internal_note="รับไว้เอง")
    client.force_login(officer)

    page = html(client.get(inspect_url(complaint)))

    assert complaint.complainant_name in page
    assert complaint.complainant_national_id_masked in page
    assert complaint.complainant_national_id not in page
    assert format_thai_phone(complaint.complainant_phone) in page
    assert complaint.details in page
    for text in (
        "ซอยข้างวัด",
        "ตรงข้ามร้านน้ำชา",
        "ตำบลปากน้ำโพ",
        "อำเภอเมืองนครสวรรค์",
        "จังหวัดนครสวรรค์",
        complaint.category.name,
    ):
        assert text in page
    assert "ละติจูด 15.703000 ลองจิจูด 100.137000" in page
    assert "https://www.openstreetmap.org/?mlat=15.703000&amp;mlon=100.137000" in page
    assert "data-location-readonly" in page and "vendor/leaflet/leaflet.js" in page
    assert f'href="/complaints/files/{photo.pk}/"' in page and "หลุมถนน.jpg" in page
    assert "เกินกำหนด 3 วัน" in page
    assert "ได้รับเรื่องร้องเรียนแล้ว อยู่ระหว่างการตรวจสอบ" in page
    assert "มอบหมายเจ้าหน้าที่: วิไล ตั้งใจ" in page and "รับไว้เอง" in page
    assert "ผู้ร้องเรียน</td>" in page  # the first entry is the citizen's, named as such
    for title in ("เปลี่ยนสถานะ", "มอบหมายเจ้าหน้าที่", "ส่งต่อหน่วยงาน", "บันทึกภายใน"):
        assert f">{title}</h2>" in page


def test_case_page_shows_the_consent_record(client, officer):
    from accounts.models import ConsentRecord

    complaint = case()
    complaint.consent = ConsentRecord.objects.create(
        user=complaint.citizen,
        kind=ConsentRecord.Kind.COMPLAINT_CONSENT,
        text_title="ข้อตกลงการให้ความยินยอมทดสอบ",
        ip_address="203.0.113.9",
    )
    complaint.save()
    client.force_login(officer)

    page = html(client.get(inspect_url(complaint)))

    assert "ข้อตกลงการให้ความยินยอมทดสอบ" in page and "203.0.113.9" in page


def test_state_select_offers_only_allowed_transitions(client, officer):
    complaint = case(state=State.COMPLETED)
    client.force_login(officer)

    page = html(client.get(inspect_url(complaint)))
    select = re.search(r'<select name="state-to_state".*?</select>', page, re.S).group(0)

    assert 'value="in_progress"' in select
    assert 'value="closed"' not in select and 'value="under_review"' not in select


# Actions --------------------------------------------------------------------------------------


def test_change_state_with_a_public_note(client, officer):
    complaint = case()
    client.force_login(officer)

    response = post_action(
        client,
        complaint,
        "state",
        to_state=State.IN_PROGRESS,
        public_note="ส่งเจ้าหน้าที่ลงพื้นที่แล้ว",
        internal_note="โทรแจ้งอบต.",
    )

    assert response.status_code == 302 and response["Location"] == inspect_url(complaint)
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    entry = complaint.history.last()
    assert (entry.kind, entry.from_state, entry.to_state) == (
        StateChange.Kind.STATE,
        State.UNDER_REVIEW,
        State.IN_PROGRESS,
    )
    assert entry.public_note == "ส่งเจ้าหน้าที่ลงพื้นที่แล้ว" and entry.by == officer
    page = html(client.get(response["Location"]))
    assert f"เปลี่ยนสถานะเรื่อง {complaint.tracking_number} เป็น “อยู่ระหว่างดำเนินการ” แล้ว" in page
    assert "ส่งเจ้าหน้าที่ลงพื้นที่แล้ว" in page and "โทรแจ้งอบต." in page


def test_closing_needs_a_reason_and_keeps_what_was_typed(client, officer):
    complaint = case()
    client.force_login(officer)

    response = post_action(
        client, complaint, "state", to_state=State.CLOSED, public_note="เรื่องนี้ซ้ำกับเรื่องเดิม"
    )

    assert response.status_code == 200
    page = html(response)
    assert "กรุณาเลือกเหตุผลที่ยุติเรื่อง" in page and "เรื่องนี้ซ้ำกับเรื่องเดิม" in page
    complaint.refresh_from_db()
    assert complaint.state == State.UNDER_REVIEW

    response = post_action(
        client,
        complaint,
        "state",
        to_state=State.CLOSED,
        public_note="เรื่องนี้ซ้ำกับเรื่องเดิม",
        closed_reason=ClosedReason.DUPLICATE,
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.closed_reason) == (State.CLOSED, ClosedReason.DUPLICATE)


def test_a_transition_not_allowed_is_refused_with_a_message(client, officer):
    complaint = case(state=State.COMPLETED)
    client.force_login(officer)

    response = post_action(
        client,
        complaint,
        "state",
        to_state=State.CLOSED,
        public_note="ปิด",
        closed_reason=ClosedReason.OTHER,
    )

    assert response.status_code == 200
    assert "เลือกตัวเลือกที่ถูกต้อง" in html(response) or "Select a valid choice" in html(response)
    complaint.refresh_from_db()
    assert complaint.state == State.COMPLETED


def test_assign_an_officer(client, supervisor, officer):
    complaint = case()
    client.force_login(supervisor)

    response = post_action(
        client, complaint, "assign", officer=officer.pk, internal_note="คุณวิไลดูแลพื้นที่นี้"
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_officer == officer
    entry = complaint.history.last()
    assert (entry.kind, entry.assigned_to, entry.by) == (
        StateChange.Kind.ASSIGN,
        officer,
        supervisor,
    )
    assert "มอบหมายเรื่อง" in html(client.get(response["Location"]))


def test_assigning_to_a_citizen_is_refused(client, officer):
    complaint = case()
    client.force_login(officer)

    response = post_action(client, complaint, "assign", officer=complaint.citizen.pk)

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.assigned_officer is None


def test_forward_to_an_agency(client, officer, agency):
    complaint = case()
    inactive = make_agency(is_active=False)
    client.force_login(officer)
    page = html(client.get(inspect_url(complaint)))
    assert agency.name in page and inactive.name not in page

    response = post_action(
        client,
        complaint,
        "forward",
        agency=agency.pk,
        public_note="ส่งเรื่องให้อำเภอแล้ว",
        internal_note="หนังสือที่ 123",
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.agency == agency
    entry = complaint.history.last()
    assert (entry.kind, entry.agency, entry.public_note) == (
        StateChange.Kind.FORWARD,
        agency,
        "ส่งเรื่องให้อำเภอแล้ว",
    )


def test_internal_note_with_attachment_downloads_only_for_staff_who_may_act(
    client, officer, agency
):
    complaint = case()
    client.force_login(officer)

    response = post_action(
        client,
        complaint,
        "note",
        internal_note="แนบบันทึกข้อความ",
        files={"attachment": SimpleUploadedFile("บันทึก.pdf", pdf_bytes(), "application/pdf")},
    )

    assert response.status_code == 302
    entry = complaint.history.last()
    assert entry.kind == StateChange.Kind.NOTE and entry.attachment
    url = f"/admin/complaints/history/{entry.pk}/attachment/"
    page = html(client.get(inspect_url(complaint)))
    assert url in page and "แนบบันทึกข้อความ" in page

    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/octet-stream"

    other_agency_member = agency_staff(agency)  # the case is not forwarded to them
    client.force_login(other_agency_member)
    assert client.get(url).status_code == 404
    client.force_login(complaint.citizen)
    assert client.get(url).status_code == 302


def test_a_note_without_text_is_refused(client, officer):
    complaint = case()
    client.force_login(officer)
    before = complaint.history.count()

    response = post_action(client, complaint, "note", internal_note="   ")

    assert response.status_code == 200
    assert complaint.history.count() == before


def test_an_attachment_that_is_not_an_image_or_pdf_is_refused(client, officer):
    complaint = case()
    client.force_login(officer)
    before = complaint.history.count()

    response = post_action(
        client,
        complaint,
        "note",
        internal_note="แนบไฟล์",
        files={
            "attachment": SimpleUploadedFile(
                "run.exe", b"MZ\x90\x00" * 50, "application/octet-stream"
            )
        },
    )

    assert response.status_code == 200
    assert "ถ้าแนบไฟล์ไว้ กรุณาเลือกไฟล์อีกครั้ง" in html(response)
    assert complaint.history.count() == before


def test_photo_attachment_is_kept(client, officer):
    complaint = case()
    client.force_login(officer)

    post_action(
        client,
        complaint,
        "state",
        to_state=State.IN_PROGRESS,
        files={"attachment": SimpleUploadedFile("ลงพื้นที่.jpg", jpeg_bytes(), "image/jpeg")},
    )

    entry = complaint.history.last()
    assert entry.to_state == State.IN_PROGRESS and entry.attachment_name == "ลงพื้นที่.jpg"


def test_two_officers_saving_the_same_case_the_second_is_refused(client, officer, supervisor):
    complaint = case()
    client.force_login(officer)
    first_page = html(client.get(inspect_url(complaint)))
    client.force_login(supervisor)
    second_page = html(client.get(inspect_url(complaint)))
    version = complaint.version
    assert f'name="state-version" value="{version}"' in first_page
    assert f'name="state-version" value="{version}"' in second_page

    client.force_login(officer)
    assert (
        post_action(
            client,
            complaint,
            "state",
            version=version,
            to_state=State.IN_PROGRESS,
            public_note="กำลังดำเนินการ",
        ).status_code
        == 302
    )
    complaint.refresh_from_db()
    saved = (complaint.state, complaint.version, complaint.history.count())

    client.force_login(supervisor)
    response = post_action(
        client,
        complaint,
        "state",
        version=version,
        to_state=State.CLOSED,
        public_note="ปิดเรื่อง",
        closed_reason=ClosedReason.DUPLICATE,
    )

    assert response.status_code == 409
    page = html(response)
    assert str(STALE_MESSAGE) in page
    assert "ปิดเรื่อง" in page  # what the supervisor typed is still there
    assert f'name="state-version" value="{complaint.version}"' in page  # now the latest
    complaint.refresh_from_db()
    assert (complaint.state, complaint.version, complaint.history.count()) == saved

    for action, fields in (
        ("assign", {"officer": supervisor.pk}),
        ("note", {"internal_note": "บันทึกซ้อน"}),
    ):
        response = post_action(client, complaint, action, version=version, **fields)
        assert response.status_code == 409 and str(STALE_MESSAGE) in html(response)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.version, complaint.history.count()) == saved
    assert complaint.assigned_officer is None


def test_unknown_action_is_a_bad_request(client, officer):
    complaint = case()
    client.force_login(officer)

    assert client.post(inspect_url(complaint), {"action": "delete"}).status_code == 400


# Agency members and concealed complainants ----------------------------------------------------


@pytest.fixture
def concealed_case(officer, agency):
    profile = CitizenFactory(
        first_name="ลับเฉพาะ",
        last_name="ไม่เปิดเผย",
        phone="+66812223344",
        national_id="1101700230708",
    )
    complaint = case(profile=profile, conceal_identity=True, days_left=3)
    complaint_forward(complaint=complaint, agency=agency, by=officer, public_note="ส่งต่อแล้ว")
    return complaint


def identity_texts(complaint):
    return [
        complaint.complainant_first_name,
        complaint.complainant_last_name,
        complaint.complainant_phone,
        format_thai_phone(complaint.complainant_phone),
        "0812223344",
        complaint.complainant_email,
        complaint.complainant_address,
        complaint.complainant_national_id,
        complaint.complainant_national_id_masked,
        complaint.citizen.username,
    ]


def test_concealed_identity_never_reaches_agency_members(client, agency, concealed_case):
    member = agency_staff(agency)
    client.force_login(member)

    pages = [html(client.get(ADMIN_URL)), html(client.get(inspect_url(concealed_case)))]

    for page in pages:
        assert concealed_case.tracking_number in page
        assert "ปกปิดข้อมูล" in page
        for text in identity_texts(concealed_case):
            assert text not in page
    for term in ("ลับเฉพาะ", "ไม่เปิดเผย", "0812223344"):
        assert row_order(client.get(ADMIN_URL, {"q": term})) == []


def test_centre_officers_still_see_a_concealed_complainant(client, officer, concealed_case):
    client.force_login(officer)

    page = html(client.get(inspect_url(concealed_case)))

    assert "ลับเฉพาะ" in page and format_thai_phone("+66812223344") in page
    assert "ห้ามเปิดเผยชื่อ" in page
    assert row_order(client.get(ADMIN_URL, {"q": "ลับเฉพาะ"})) == [concealed_case.tracking_number]


def test_agency_member_sees_a_named_complainant_who_did_not_conceal(client, officer, agency):
    complaint = case()
    complaint_forward(complaint=complaint, agency=agency, by=officer)
    client.force_login(agency_staff(agency))

    assert complaint.complainant_name in html(client.get(inspect_url(complaint)))


def test_agency_member_may_move_their_case_but_not_assign_or_forward(
    client, officer, agency, concealed_case
):
    member = agency_staff(agency)
    client.force_login(member)

    page = html(client.get(inspect_url(concealed_case)))
    assert ">เปลี่ยนสถานะ</h2>" in page and ">บันทึกภายใน</h2>" in page
    assert ">มอบหมายเจ้าหน้าที่</h2>" not in page and ">ส่งต่อหน่วยงาน</h2>" not in page

    response = post_action(client, concealed_case, "assign", officer=member.pk)
    assert response.status_code == 400
    response = post_action(
        client, concealed_case, "state", to_state=State.COMPLETED, public_note="อำเภอซ่อมถนนแล้ว"
    )
    assert response.status_code == 302
    concealed_case.refresh_from_db()
    assert concealed_case.state == State.COMPLETED and concealed_case.assigned_officer is None


# Agencies -------------------------------------------------------------------------------------

AGENCY_URL = "/admin/snippets/complaints/agency/"
MEMBER_URL = "/admin/snippets/complaints/agencymember/"


def test_officer_lists_filters_and_adds_agencies(client, officer):
    make_agency(name="สถานีตำรวจทดสอบ", kind=Agency.Kind.POLICE)
    make_agency(name="อำเภอทดสอบกรอง", kind=Agency.Kind.DISTRICT_OFFICE)
    client.force_login(officer)

    filtered = html(client.get(AGENCY_URL, {"kind": Agency.Kind.POLICE}))
    assert "สถานีตำรวจทดสอบ" in filtered and "อำเภอทดสอบกรอง" not in filtered

    response = client.post(
        f"{AGENCY_URL}add/",
        {
            "name": "เทศบาลตำบลทดสอบ",
            "kind": Agency.Kind.LOCAL_GOVERNMENT,
            "district": "6001",
            "phone": "056 000 000",
            "email": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Agency.objects.filter(name="เทศบาลตำบลทดสอบ", district_id="6001").exists()


def test_an_agency_that_received_cases_cannot_be_deleted(client, officer, agency):
    admin = UserFactory(is_superuser=True, is_staff=True)
    complaint_forward(complaint=case(), agency=agency, by=officer)
    unused = make_agency()
    client.force_login(admin)

    response = client.post(f"{AGENCY_URL}delete/{agency.pk}/")

    assert response.status_code == 302
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert "ลบหน่วยงานที่เคยได้รับเรื่องร้องเรียนไม่ได้" in html(client.get(response["Location"]))
    client.post(f"{AGENCY_URL}delete/{unused.pk}/")
    assert not Agency.objects.filter(pk=unused.pk).exists()


def test_officers_cannot_delete_agencies_at_all(client, officer):
    unused = make_agency()
    client.force_login(officer)

    client.post(f"{AGENCY_URL}delete/{unused.pk}/")

    assert Agency.objects.filter(pk=unused.pk).exists()


def test_supervisor_manages_agency_members_with_staff_accounts_only(client, supervisor, agency):
    staff_user = UserFactory(first_name="ปลัด", last_name="ใหม่")
    citizen = CitizenFactory()
    client.force_login(supervisor)

    form = html(client.get(f"{MEMBER_URL}add/"))
    assert staff_user.username in form and citizen.user.username not in form

    response = client.post(f"{MEMBER_URL}add/", {"user": staff_user.pk, "agency": agency.pk})
    assert response.status_code == 302
    assert AgencyMember.objects.get(user=staff_user).agency == agency
    response = client.post(f"{MEMBER_URL}add/", {"user": citizen.user.pk, "agency": agency.pk})
    assert response.status_code == 200
    assert not AgencyMember.objects.filter(user=citizen.user).exists()


def test_case_officers_do_not_manage_agency_members(client, officer):
    client.force_login(officer)

    assert client.get(MEMBER_URL).status_code == 302
    assert client.get(AGENCY_URL).status_code == 200


def test_roles_grant_what_the_officer_screens_need():
    """accounts/setup.py must grant these (the fixture above does it until it does)."""
    from accounts.setup import ROLE_PERMISSIONS
    from tests.complaints.admin_support import OFFICER_PERMISSIONS, SUPERVISOR_PERMISSIONS

    assert set(OFFICER_PERMISSIONS) <= set(ROLE_PERMISSIONS[Role.CASE_OFFICER])
    assert set(SUPERVISOR_PERMISSIONS) <= set(ROLE_PERMISSIONS[Role.SUPERVISOR])
    assert not {p for p in ROLE_PERMISSIONS[Role.NEWS_EDITOR] if p.endswith("_complaint")}
    assert not ROLE_PERMISSIONS[Role.EXECUTIVE]


def test_submitted_time_is_shown_in_thai(client, officer):
    complaint = case()
    filed = timezone.make_aware(datetime.datetime(2026, 3, 15, 7, 5))
    Complaint.objects.filter(pk=complaint.pk).update(submitted_at=filed)
    client.force_login(officer)

    assert "15 มี.ค. 2569 07:05 น." in html(client.get(inspect_url(complaint)))


def test_supervisors_see_the_citizens_rating_on_the_case_page(client):
    """Ratings are visible to supervisors (and, as figures, to executives on the dashboard)."""
    from complaints.models import SatisfactionRating
    from tests.complaints.factories import ComplaintFactory

    complaint = ComplaintFactory(state="completed")
    SatisfactionRating.objects.create(
        complaint=complaint, completion_round=0, score=2, comment="ช้าไปหน่อย"
    )
    client.force_login(StaffFactory(role=Role.SUPERVISOR))
    html = client.get(f"/admin/complaints/complaint/inspect/{complaint.pk}/").content.decode()
    assert 'data-rating-score="2"' in html
    assert "ช้าไปหน่อย" in html
