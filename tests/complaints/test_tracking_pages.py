"""ติดตามเรื่องร้องเรียน on the site: the citizen's list, one complaint's page with its public
timeline (never what officers keep for themselves), and asking to reopen a finished case."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from complaints.models import ClosedReason, State, StateChange
from complaints.workflow import complaint_change_state
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory, EvidenceFileFactory, jpeg_bytes
from tests.complaints.workflow_support import (
    add_officer_only_traces,
    grant_case_permissions,
    officer,
)

pytestmark = pytest.mark.django_db

MINE = "/complaints/"


@pytest.fixture(autouse=True)
def _setup():
    grant_case_permissions()
    yield


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def staff():
    return officer(first_name="ประยูร", last_name="ลับเฉพาะ")


def filed(citizen, *, days_ago: int = 0, **fields):
    complaint = ComplaintFactory(profile=citizen, **fields)
    if days_ago:
        moment = timezone.now() - datetime.timedelta(days=days_ago)
        type(complaint).objects.filter(pk=complaint.pk).update(
            submitted_at=moment, report_due_at=type(complaint).due_from(moment)
        )
        complaint.refresh_from_db()
    return complaint


def detail(complaint) -> str:
    return f"/complaints/{complaint.tracking_number}/"


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The list ------------------------------------------------------------------------------------


def test_list_shows_only_my_complaints_newest_first(client, citizen):
    oldest = filed(citizen, days_ago=20)
    middle = filed(citizen, days_ago=3)
    newest = filed(citizen)
    someone_elses = filed(CitizenFactory())
    client.force_login(citizen.user)

    response = client.get(MINE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "เรื่องร้องเรียนของฉัน" in html
    numbers = re.findall(r"NSN-\d{4}-\d{6}", html)
    assert list(dict.fromkeys(numbers)) == [
        newest.tracking_number,
        middle.tracking_number,
        oldest.tracking_number,
    ]
    assert someone_elses.tracking_number not in html
    assert f'href="{detail(newest)}"' in html
    assert newest.category.name in html


def test_list_shows_state_date_and_deadline_of_each(client, citizen, staff):
    overdue = filed(citizen, days_ago=20)
    fresh = filed(citizen)
    complaint_change_state(complaint=fresh, to=State.IN_PROGRESS, by=staff)
    client.force_login(citizen.user)

    text = page_text(client.get(MINE))

    assert "อยู่ระหว่างการตรวจสอบ" in text and "อยู่ระหว่างดำเนินการ" in text
    assert "เกินกำหนด 5 วัน" in text  # due 15 days after filing, 20 days ago
    assert "เหลือ 15 วัน" in text
    submitted = timezone.localtime(overdue.submitted_at)
    assert f"{submitted.day} " in text and str(submitted.year + 543) in text
    assert 'class="state-label state-in_progress"' in text


def test_a_long_list_is_split_into_pages_of_twenty(client, citizen):
    complaints = [filed(citizen, days_ago=days) for days in range(21)]
    client.force_login(citizen.user)

    first = client.get(MINE).content.decode()
    second = client.get(MINE, {"page": "2"}).content.decode()
    nonsense = client.get(MINE, {"page": "ไม่ใช่ตัวเลข"})

    assert len(set(re.findall(r"NSN-\d{4}-\d{6}", first))) == 20
    assert set(re.findall(r"NSN-\d{4}-\d{6}", second)) == {complaints[-1].tracking_number}
    assert "หน้า 1 จาก 2" in first
    assert nonsense.status_code == 200


def test_empty_list_offers_to_file_a_complaint(client, citizen):
    filed(CitizenFactory())
    client.force_login(citizen.user)

    response = client.get(MINE)

    assert "ท่านยังไม่มีเรื่องร้องเรียน" in response.content.decode()
    assert f'href="{reverse("complaints:new")}"' in response.content.decode()


def test_pages_ask_anonymous_visitors_to_log_in(client, citizen):
    complaint = filed(citizen)
    for url in (MINE, detail(complaint), f"{detail(complaint)}rate/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_old_track_address_leads_to_the_list(client, citizen):
    client.force_login(citizen.user)

    response = client.get("/complaints/track/")

    assert response.status_code == 302
    assert response.url == MINE


def test_tracking_number_routes_never_swallow_other_paths():
    assert resolve("/complaints/new/").url_name == "new"
    assert resolve("/complaints/track/").url_name == "track"
    assert resolve("/complaints/NSN-2569-000123/").url_name == "detail"
    assert resolve("/complaints/NSN-2569-000123/rate/").url_name == "rate"
    assert reverse("complaints:mine") == MINE


# One complaint -------------------------------------------------------------------------------


def test_another_citizens_complaint_is_not_found(client, citizen):
    theirs = filed(CitizenFactory())
    client.force_login(citizen.user)

    assert client.get(detail(theirs)).status_code == 404
    assert client.get(f"{detail(theirs)}rate/").status_code == 404
    assert client.post(f"{detail(theirs)}reopen/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/complaints/NSN-2569-999999/",  # well formed, does not exist
        "/complaints/NSN-2569-12/",  # too short to be a tracking number
        "/complaints/nsn-2569-000001/",
        "/complaints/12345/",
    ],
)
def test_unknown_numbers_are_not_found(client, citizen, path):
    filed(citizen)
    client.force_login(citizen.user)

    assert client.get(path).status_code == 404


def test_detail_shows_what_was_filed_with_file_links(client, citizen):
    complaint = filed(citizen, target_place="ซอยข้างตลาดสด")
    photo = EvidenceFileFactory(complaint=complaint, original_name="หลุมหน้าบ้าน.jpg")
    client.force_login(citizen.user)

    response = client.get(detail(complaint))

    text = page_text(response)
    assert response.status_code == 200
    assert complaint.tracking_number in text
    assert complaint.category.name in text
    assert complaint.details in text
    assert "ซอยข้างตลาดสด" in text
    assert "อำเภอเมืองนครสวรรค์" in text
    assert "หลุมหน้าบ้าน.jpg" in text
    assert f'href="{reverse("complaints:evidence_download", args=[photo.pk])}"' in text
    assert "เหลือ 15 วัน" in text
    assert "ตรวจสอบเรื่องของท่าน" in text  # what comes next while under review
    assert "ขอเปิดเรื่องใหม่" not in text


def test_timeline_shows_public_steps_but_nothing_officers_keep(client, citizen, staff):
    complaint = filed(citizen)
    add_officer_only_traces(complaint, staff)
    complaint_change_state(
        complaint=complaint,
        to=State.COMPLETED,
        by=staff,
        public_note="ส่งต่อให้ องค์การบริหารส่วนตำบลบ้านแก่ง ดำเนินการ ซ่อมถนนเรียบร้อยแล้ว",
        internal_note="งบประมาณจากกองช่าง-DDD",
        attachment=SimpleUploadedFile("ใบสั่งงาน.jpg", jpeg_bytes(), "image/jpeg"),
    )
    assert StateChange.objects.filter(complaint=complaint).exclude(attachment="").count() == 2
    client.force_login(citizen.user)

    text = page_text(client.get(detail(complaint)))

    assert "ได้รับเรื่องร้องเรียนแล้ว อยู่ระหว่างการตรวจสอบ" in text
    assert "อยู่ระหว่างดำเนินการ" in text  # the forward moved it on
    assert "ส่งต่อให้ องค์การบริหารส่วนตำบลบ้านแก่ง ดำเนินการ ซ่อมถนนเรียบร้อยแล้ว" in text
    assert "ดำเนินการเสร็จสิ้น" in text
    for secret in (
        "AAA",
        "BBB",
        "CCC",
        "DDD",
        "หนังสือลับ",
        "ใบสั่งงาน",
        "/history/",
        "สำนักงานลับเฉพาะหน่วยงาน",
        "ประยูร",
        "ลับเฉพาะ",
        staff.username,
    ):
        assert secret not in text, secret
    timeline = text[text.index("ความคืบหน้า") : text.index("เรื่องที่ท่านร้องเรียน")]
    assert timeline.count('class="timeline-entry"') == 3


def test_completed_case_invites_rating_and_reopening(client, citizen, staff):
    complaint = filed(citizen)
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=staff, public_note="ซ่อมเรียบร้อย"
    )
    client.force_login(citizen.user)

    text = page_text(client.get(detail(complaint)))

    assert "กรุณาประเมินความพึงพอใจ" in text
    assert f'href="{detail(complaint)}rate/"' in text
    assert 'id="reopen"' in text
    assert not re.search(r"(เกินกำหนด|เหลือ) \d+ วัน", text)


def test_closed_case_gives_the_reason_and_offers_to_reopen(client, citizen, staff):
    complaint = filed(citizen)
    complaint_change_state(
        complaint=complaint,
        to=State.CLOSED,
        by=staff,
        closed_reason=ClosedReason.DUPLICATE,
        public_note="ซ้ำกับเรื่องที่ท่านร้องไว้ก่อนหน้า",
    )
    client.force_login(citizen.user)

    text = page_text(client.get(detail(complaint)))

    assert "เป็นเรื่องซ้ำ" in text
    assert "ซ้ำกับเรื่องที่ท่านร้องไว้ก่อนหน้า" in text
    assert "ขอเปิดเรื่องใหม่ได้" in text
    assert f'action="{detail(complaint)}reopen/"' in text
    assert "ประเมินความพึงพอใจ" not in text


# Reopening -----------------------------------------------------------------------------------


def completed(citizen, staff):
    complaint = filed(citizen)
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=staff, public_note="ซ่อมเรียบร้อย"
    )
    return complaint


def test_citizen_reopens_a_completed_case_from_its_page(client, citizen, staff):
    complaint = completed(citizen, staff)
    client.force_login(citizen.user)

    response = client.post(
        f"{detail(complaint)}reopen/",
        {"reason": "ถนนกลับมาเป็นหลุมอีกแล้ว", "version": complaint.version},
        follow=True,
    )

    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    assert complaint.reopen_count == 1
    text = page_text(response)
    assert "ส่งคำขอเปิดเรื่องใหม่แล้ว" in text
    assert "ถนนกลับมาเป็นหลุมอีกแล้ว" in text  # in the timeline
    assert 'id="reopen"' not in text


def test_reopening_needs_a_reason_and_keeps_the_case_as_it_was(client, citizen, staff):
    complaint = completed(citizen, staff)
    client.force_login(citizen.user)

    response = client.post(
        f"{detail(complaint)}reopen/", {"reason": "   ", "version": complaint.version}
    )

    assert response.status_code == 400
    assert "กรุณาระบุเหตุผลที่ขอเปิดเรื่องใหม่" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.COMPLETED


def test_reopening_a_page_that_is_out_of_date_is_refused_with_the_reason_kept(
    client, citizen, staff
):
    complaint = completed(citizen, staff)
    loaded_version = complaint.version
    client.force_login(citizen.user)
    client.post(f"{detail(complaint)}reopen/", {"reason": "ครั้งแรก", "version": loaded_version})
    complaint.refresh_from_db()
    complaint_change_state(complaint=complaint, to=State.COMPLETED, by=staff)

    response = client.post(
        f"{detail(complaint)}reopen/", {"reason": "ส่งซ้ำจากหน้าเก่า", "version": loaded_version}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "กรุณาโหลดหน้าใหม่" in html
    assert "ส่งซ้ำจากหน้าเก่า" in html  # what was typed is not lost
    complaint.refresh_from_db()
    assert complaint.state == State.COMPLETED and complaint.reopen_count == 1


def test_an_open_case_cannot_be_reopened(client, citizen):
    complaint = filed(citizen)
    client.force_login(citizen.user)

    response = client.post(f"{detail(complaint)}reopen/", {"reason": "ลองดู"}, follow=True)

    assert "ยังขอเปิดเรื่องใหม่ไม่ได้" in page_text(response)
    complaint.refresh_from_db()
    assert complaint.state == State.UNDER_REVIEW and complaint.reopen_count == 0
