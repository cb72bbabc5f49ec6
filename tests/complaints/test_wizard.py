"""Filing a complaint through the test client, the way a citizen's browser posts it.

The citizen's walk: "เข้าระบบร้องเรียน" (consent + not-a-robot) → ขั้นตอนที่ ๑-๔ → "ยืนยัน".
Nakhon Sawan is province 60; เมืองนครสวรรค์ is 6001 and 1018 a district of Bangkok.
The not-a-robot check is passed as the ALTCHA widget passes it: a challenge from the site,
solved (tests.core.robot), posted as "robot".
"""

import base64
import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import ConsentRecord
from addresses.models import Subdistrict
from complaints.models import Complaint, ComplaintConsent, EvidenceFile, StateChange
from complaints.setup import ensure_complaint_consent
from core.models import UsedChallenge
from line_integration.models import LineAccount, OutboundMessage
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.factories import first_category, jpeg_bytes, pdf_bytes, png_bytes
from tests.core.robot import solved_answer

NEW = reverse("complaints:new")
WIZARD = reverse("complaints:wizard")
MANAGEMENT = "complaint_wizard-current_step"
SUBDISTRICT = "600102"

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent():
    ensure_complaint_consent()
    return ComplaintConsent.current()


@pytest.fixture
def citizen():
    return CitizenFactory(national_id="3100600445635", phone="+66812345678")


@pytest.fixture
def browser(client, citizen, consent):
    """A logged-in citizen who has accepted the consent."""
    client.force_login(citizen.user)
    response = accept_consent(client, consent)
    assert response.status_code == 302
    return client


def accept_consent(client, consent, answer=None):
    """ "ยืนยัน" on the consent page after the not-a-robot check (solved unless ``answer``)."""
    robot = solved_answer(client) if answer is None else answer
    return client.post(NEW, {"robot": robot, "consent_revision": consent.live_revision_id})


def b64(data: dict) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def text_of(response) -> str:
    return response.content.decode()


def post(client, step, data=None, **extra):
    payload = {MANAGEMENT: step, **{f"{step}-{k}": v for k, v in (data or {}).items()}}
    payload.update(extra)
    return client.post(WIZARD, payload)


def details_data(**overrides):
    data = {
        "category": str(first_category().pk),
        "details": "น้ำประปาไม่ไหลมาสามวันแล้ว ทั้งหมู่บ้านเดือดร้อน ขอให้เร่งแก้ไข",
        "target_agency": "การประปาส่วนภูมิภาค",
        "target_place": "หมู่บ้านสวรรค์",
        "target_address": "หมู่ 4",
        "province": "60",
        "district": "6001",
        "subdistrict": SUBDISTRICT,
        "latitude": "15.700001",
        "longitude": "100.120002",
        "accuracy": "25",
    }
    data.update(overrides)
    return data


def upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name="รูปถ่าย.jpg", color=(200, 30, 30)):
    return upload(name, jpeg_bytes(color=color), "image/jpeg")


def pdf(name="เอกสาร.pdf", pages=1):
    return upload(name, pdf_bytes(pages), "application/pdf")


def fill_until(client, last_step, *, files=None, details=None, identity="disclose"):
    """Go through the steps with valid data up to (and including) ``last_step``."""
    client.get(WIZARD)
    response = post(client, "complainant", {"phone": "081-234-5678", "email": "a@example.com"})
    if last_step == "complainant":
        return response
    response = post(client, "details", details or details_data())
    if last_step == "details":
        return response
    evidence = {"identity": identity}
    if files:
        evidence["attachments"] = files
    return post(client, "evidence", evidence)


def staged_names(client) -> list[str]:
    data = client.session["wizard_complaint_wizard"]["extra_data"].get("staged_files", [])
    return [item["original_name"] for item in data]


def link_line(user):
    return LineAccount.objects.create(
        line_user_id="U" + "b" * 32, user=user, followed=True, is_active=True
    )


# --- เข้าระบบร้องเรียน --------------------------------------------------------------------------


def test_the_consent_page_needs_a_login(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={NEW}"
    assert client.get(WIZARD)["Location"].startswith(reverse("accounts:login"))


def test_staff_without_a_profile_are_told_only_citizens_file(client, consent):
    client.force_login(StaffFactory())
    response = client.get(NEW)
    assert response.status_code == 403
    assert "เฉพาะประชาชนที่ลงทะเบียนแล้ว" in text_of(response)
    assert client.get(WIZARD).status_code == 403


def test_the_consent_page_shows_the_live_text_and_the_not_a_robot_check(client, citizen, consent):
    client.force_login(citizen.user)
    page = text_of(client.get(NEW))
    assert "เข้าระบบร้องเรียน" in page
    assert consent.title in page
    assert "ยินยอมให้ศูนย์ดำรงธรรมจังหวัดนครสวรรค์" in page
    # One box, labelled, that works without JavaScript; the script finds the challenge address.
    assert '<label for="id_robot">ฉันไม่ใช่โปรแกรมอัตโนมัติ</label>' in page
    box = r'<input type="checkbox" name="robot" value="wait:[^"]+"[^>]* id="id_robot"'
    assert re.search(box, page)
    assert 'data-challenge-url="/robot-check/challenge/"' in page
    assert 'role="status" aria-live="polite"' in page
    assert "vendor/altcha/altcha.min.js" in page and 'type="module"' in page
    assert "พิมพ์ตัวอักษร" not in page and "captcha" not in page
    assert ">ยืนยัน</button>" in page
    assert f'value="{consent.live_revision_id}"' in page


def test_consent_without_the_check_is_refused_in_thai_beside_the_box(client, citizen, consent):
    client.force_login(citizen.user)
    response = accept_consent(client, consent, answer="")
    assert response.status_code == 200
    error = re.search(r'<ul class="errorlist" id="id_robot_error">(.*?)</ul>', text_of(response))
    assert "กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ”" in error.group(1)
    assert "complaint_consent" not in client.session
    assert client.get(WIZARD)["Location"] == NEW


def test_a_solved_check_lets_the_citizen_in_once(client, citizen, consent):
    client.force_login(citizen.user)
    answer = solved_answer(client)
    response = accept_consent(client, consent, answer=answer)
    assert response["Location"] == WIZARD
    assert UsedChallenge.objects.count() == 1


def test_a_replayed_answer_is_refused_whoever_sends_it(client, citizen, consent):
    """The same solved challenge, sent again by the same citizen or by another one (a script
    sharing one solution), is refused: each challenge counts once."""
    client.force_login(citizen.user)
    answer = solved_answer(client)
    assert accept_consent(client, consent, answer=answer).status_code == 302

    other = Client()
    other.force_login(CitizenFactory().user)
    response = accept_consent(other, consent, answer=answer)
    assert response.status_code == 200
    assert "การยืนยันนี้ใช้ไปแล้ว" in text_of(response)
    assert "complaint_consent" not in other.session

    assert "การยืนยันนี้ใช้ไปแล้ว" in text_of(accept_consent(client, consent, answer=answer))


def test_a_forged_answer_is_refused(client, citizen, consent):
    client.force_login(citizen.user)
    answer = json.loads(base64.b64decode(solved_answer(client)))
    answer["solution"]["counter"] += 1
    response = accept_consent(client, consent, answer=b64(answer))
    assert "ยืนยันว่าไม่ใช่โปรแกรมไม่สำเร็จ" in text_of(response)
    response = accept_consent(client, consent, answer="not base64 at all {}")
    assert response.status_code == 200
    assert "ยืนยันว่าไม่ใช่โปรแกรมไม่สำเร็จ" in text_of(response)
    assert "complaint_consent" not in client.session


def test_without_javascript_the_tick_box_counts_after_a_moment(client, citizen, consent, settings):
    """The plain box carries a signed token of the time the page was made: ticked at once it
    says to wait and stays ticked; a moment later the same tick is accepted, once."""
    client.force_login(citizen.user)
    token = re.search(r'name="robot" value="(wait:[^"]+)"', text_of(client.get(NEW))).group(1)
    response = accept_consent(client, consent, answer=token)
    page = text_of(response)
    assert "กรุณารอสักครู่" in page
    assert re.search(rf'name="robot" value="{re.escape(token)}" checked', page)

    settings.ALTCHA_FALLBACK_MIN_WAIT = datetime.timedelta(0)
    assert accept_consent(client, consent, answer=token)["Location"] == WIZARD
    assert "การยืนยันนี้ใช้ไปแล้ว" in text_of(accept_consent(client, consent, answer=token))


def test_consent_accepted_while_the_text_changed_is_asked_again(client, citizen, consent):
    client.force_login(citizen.user)
    shown = consent.live_revision_id
    consent.title = "ข้อตกลงฉบับปรับปรุง"
    consent.save_revision().publish()
    answer = solved_answer(client)
    response = client.post(NEW, {"robot": answer, "consent_revision": shown})
    assert response.status_code == 200
    assert "เพิ่งมีการปรับปรุง" in text_of(response)
    assert "ข้อตกลงฉบับปรับปรุง" in text_of(response)
    # The check passed is kept (not used up), so the citizen only reads and confirms again.
    assert f'name="robot" value="{answer}"' in text_of(response)
    assert UsedChallenge.objects.count() == 0
    live = ComplaintConsent.current().live_revision_id
    response = client.post(NEW, {"robot": answer, "consent_revision": live})
    assert response["Location"] == WIZARD


def test_the_wizard_needs_the_consent_first(client, citizen, consent):
    client.force_login(citizen.user)
    assert client.get(WIZARD)["Location"] == NEW


# --- ขั้นตอนที่ ๑-๔ ---------------------------------------------------------------------------


def test_step_one_is_prefilled_and_masks_the_id(browser, citizen):
    page = text_of(browser.get(WIZARD))
    assert "ขั้นตอนที่ ๑ จาก ๔" in page
    assert citizen.full_name in page
    assert citizen.national_id_masked in page
    assert "3100600445635" not in page
    assert citizen.address_text in page
    assert 'value="081 234 5678"' in page
    assert ">ต่อไป</button>" in page


def test_the_whole_flow_files_one_complaint(browser, citizen, consent):
    link_line(citizen.user)
    fill_until(browser, "details")
    response = post(
        browser,
        "evidence",
        {"identity": "conceal", "attachments": [jpeg("หลุม.jpg"), pdf("คำร้อง.pdf")]},
    )
    page = text_of(response)
    assert "ขั้นตอนที่ ๔ จาก ๔" in page
    for expected in (
        "หลุม.jpg",
        "คำร้อง.pdf",
        "ปกปิดข้อมูล",
        "น้ำประปาไม่ไหล",
        "การประปาส่วนภูมิภาค",
        "อำเภอเมืองนครสวรรค์",
        "15.700001",
        citizen.national_id_masked,
        "แก้ไข",
    ):
        assert expected in page
    key = re.search(r'name="review-submission_key" value="([0-9a-f-]+)"', page).group(1)

    response = post(browser, "review", {"submission_key": key})

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:done", args=[complaint.tracking_number])
    assert str(complaint.submission_key) == key
    assert complaint.conceal_identity is True
    assert complaint.complainant_phone == "+66812345678"
    assert complaint.complainant_email == "a@example.com"
    assert complaint.target_subdistrict == Subdistrict.objects.get(pk=SUBDISTRICT)
    assert complaint.location_accuracy_m == 25
    assert sorted(complaint.files.values_list("original_name", flat=True)) == [
        "คำร้อง.pdf",
        "หลุม.jpg",
    ]
    assert complaint.consent.revision_id == consent.live_revision_id
    assert complaint.consent.kind == ConsentRecord.Kind.COMPLAINT_CONSENT
    assert StateChange.objects.filter(complaint=complaint, to_state="under_review").count() == 1
    (message,) = OutboundMessage.objects.all()
    assert complaint.tracking_number in message.messages[0]["altText"]

    done = text_of(browser.get(response["Location"]))
    assert "ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว" in done
    assert complaint.tracking_number in done
    assert "ภายใน 15 วัน" in done
    assert "ติดตามเรื่องร้องเรียน" in done
    # A new complaint starts with the consent again.
    assert browser.get(WIZARD)["Location"] == NEW


def test_no_line_message_for_a_citizen_without_line(browser):
    fill_until(browser, "evidence")
    post(browser, "review", {})
    assert Complaint.objects.count() == 1
    assert OutboundMessage.objects.count() == 0


def test_posting_the_final_step_twice_files_once(browser):
    page = text_of(fill_until(browser, "evidence"))
    key = re.search(r'name="review-submission_key" value="([0-9a-f-]+)"', page).group(1)

    first = post(browser, "review", {"submission_key": key})
    second = post(browser, "review", {"submission_key": key})

    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]
    tracking_number = Complaint.objects.get().tracking_number
    assert tracking_number in text_of(browser.get(second["Location"]))


def test_the_confirmation_is_only_for_its_citizen(browser, client, consent):
    fill_until(browser, "evidence")
    done_url = post(browser, "review", {})["Location"]

    other = CitizenFactory()
    client.logout()
    client.force_login(other.user)
    assert client.get(done_url).status_code == 404
    client.logout()
    assert client.get(done_url)["Location"].startswith(reverse("accounts:login"))


# --- errors, step by step ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone, email, message",
    [
        ("12345", "a@example.com", "หมายเลขโทรศัพท์ไม่ถูกต้อง"),
        ("", "a@example.com", "กรุณากรอกหมายเลขโทรศัพท์ที่ติดต่อได้"),
        ("0812345678", "not-an-email", "รูปแบบอีเมลไม่ถูกต้อง"),
    ],
)
def test_step_one_errors(browser, phone, email, message):
    browser.get(WIZARD)
    response = post(browser, "complainant", {"phone": phone, "email": email})
    page = text_of(response)
    assert "ขั้นตอนที่ ๑ จาก ๔" in page
    assert message in page
    assert f'value="{email}"' in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"category": ""}, "กรุณาเลือกประเภทเรื่องร้องเรียน"),
        ({"details": "   "}, "กรุณากรอกรายละเอียดการร้องเรียน"),
        ({"details": "ก" * 4001}, "เกินกำหนด 4,000 ตัวอักษร"),
        ({"district": "1018", "subdistrict": ""}, "อำเภอที่เลือกไม่อยู่ในจังหวัดที่เลือก"),
        ({"latitude": "91", "longitude": "100"}, "ตำแหน่งที่ตั้งไม่ถูกต้อง"),
        ({"latitude": "15.7", "longitude": "abc"}, "ตำแหน่งที่ตั้งไม่ถูกต้อง"),
        ({"latitude": "15.7", "longitude": ""}, "ตำแหน่งที่ตั้งไม่ครบ"),
        ({"accuracy": "-5"}, "ความแม่นยำของตำแหน่งไม่ถูกต้อง"),
    ],
)
def test_step_two_errors(browser, overrides, message):
    fill_until(browser, "complainant")
    response = post(browser, "details", details_data(**overrides))
    page = text_of(response)
    assert response.status_code == 200
    assert "ขั้นตอนที่ ๒ จาก ๔" in page
    assert message in page
    assert "การประปาส่วนภูมิภาค" in page  # what was typed is still there


def test_a_refused_position_is_not_sent_back(browser):
    fill_until(browser, "complainant")
    page = text_of(post(browser, "details", details_data(latitude="91", longitude="100")))
    assert 'name="details-latitude" value=""' in page
    assert "ระบบไม่ได้บันทึกตำแหน่งนี้" in page
    response = post(browser, "details", details_data(latitude="", longitude="", accuracy=""))
    assert "ขั้นตอนที่ ๓ จาก ๔" in text_of(response)


def test_details_of_exactly_4000_characters_with_line_breaks_pass(browser):
    fill_until(browser, "complainant")
    text = ("ก" * 99 + "\r\n") * 40  # 4,000 characters once a line break counts as one
    response = post(browser, "details", details_data(details=text))
    assert "ขั้นตอนที่ ๓ จาก ๔" in text_of(response)


def test_step_two_has_the_seed_labels_a_counter_and_the_map(browser):
    page = text_of(fill_until(browser, "complainant"))
    for label in (
        "ประเภทเรื่องร้องเรียน",
        "รายละเอียดการร้องเรียน",
        "ร้องเรียนไปยังพื้นที่หน่วยงาน/สถานที่/ที่อยู่",
        "แชร์ตำแหน่งที่ตั้งปัจจุบัน",
        "หน่วยงาน",
        "สถานที่",
    ):
        assert label in page
    assert 'data-char-counter="4000"' in page
    assert "vendor/leaflet/leaflet.js" in page
    assert "/maptiles/{z}/{x}/{y}.png" in page  # tiles through this site, no other host
    assert "tile.openstreetmap.org" not in page
    assert '<option value="60" selected>' in page  # นครสวรรค์ by default


def test_the_area_refresh_without_javascript(browser):
    fill_until(browser, "complainant")
    response = post(
        browser, "details", {"province": "60", "district": "6001", "_refresh_address": "1"}
    )
    page = text_of(response)
    assert f'value="{SUBDISTRICT}"' in page
    assert "errorlist" not in page


def test_a_renamed_program_is_refused_and_other_files_kept(browser):
    fill_until(browser, "details")
    post(browser, "evidence", {"attachments": [jpeg("ก่อน.jpg")], "upload_files": "1"})
    program = upload("รูปภาพ.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "image/jpeg")

    response = post(browser, "evidence", {"identity": "disclose", "attachments": [program, pdf()]})

    page = text_of(response)
    assert "ขั้นตอนที่ ๓ จาก ๔" in page
    assert "รูปภาพ.jpg ไม่ใช่รูปภาพ JPEG/PNG/HEIC หรือ PDF ที่ถูกต้อง" in page
    assert staged_names(browser) == ["ก่อน.jpg", "เอกสาร.pdf"]
    assert "ก่อน.jpg" in page and "เอกสาร.pdf" in page
    assert re.search(r'value="disclose"[^>]*checked', page), "the choice made is kept"


def test_a_sixth_file_is_refused(browser):
    fill_until(browser, "details")
    files = [jpeg(f"รูป{i}.jpg", color=(i * 40, 10, 10)) for i in range(5)]
    post(browser, "evidence", {"attachments": files, "upload_files": "1"})
    assert len(staged_names(browser)) == 5

    response = post(browser, "evidence", {"attachments": [pdf()], "identity": "disclose"})

    page = text_of(response)
    assert "แนบไฟล์ได้ไม่เกิน 5 ไฟล์" in page
    assert len(staged_names(browser)) == 5
    assert "ขั้นตอนที่ ๓ จาก ๔" in page


def test_removing_a_staged_file(browser):
    fill_until(browser, "details")
    post(
        browser,
        "evidence",
        {
            "attachments": [jpeg("เก็บ.jpg"), upload("ลบ.png", png_bytes(), "image/png")],
            "upload_files": "1",
        },
    )
    tokens = {
        item["original_name"]: item["token"]
        for item in browser.session["wizard_complaint_wizard"]["extra_data"]["staged_files"]
    }
    response = post(browser, "evidence", {"identity": "conceal"}, remove_file=tokens["ลบ.png"])
    page = text_of(response)
    assert staged_names(browser) == ["เก็บ.jpg"]
    assert "ลบ.png" not in page
    assert "errorlist" not in page  # removing is not an attempt to go on

    response = post(browser, "evidence", {"identity": "conceal"})
    assert "ขั้นตอนที่ ๔ จาก ๔" in text_of(response)
    post(browser, "review", {})
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["เก็บ.jpg"]


def test_the_identity_choice_is_required_and_explained(browser):
    page = text_of(fill_until(browser, "details"))
    assert 'enctype="multipart/form-data"' in page
    assert "เปิดเผยข้อมูล" in page and "ปกปิดข้อมูล" in page
    assert "หน่วยงานที่รับเรื่องจะไม่เห็นชื่อ" in page
    assert 'accept="image/*,' in page and "multiple" in page
    response = post(browser, "evidence", {"attachments": [jpeg()]})
    page = text_of(response)
    assert "กรุณาเลือก" in page and "ปกปิดข้อมูล" in page
    assert staged_names(browser) == ["รูปถ่าย.jpg"]


# --- back, edit, consent changes -----------------------------------------------------------


def test_back_keeps_what_was_typed(browser):
    fill_until(browser, "complainant")
    typed = details_data(details="เรื่องที่พิมพ์ค้างไว้ ยังไม่ครบ", category="")
    response = post(browser, "details", typed, wizard_goto_step="complainant")
    assert "ขั้นตอนที่ ๑ จาก ๔" in text_of(response)

    response = post(browser, "complainant", {"phone": "0812345678", "email": ""})
    page = text_of(response)
    assert "ขั้นตอนที่ ๒ จาก ๔" in page
    assert "เรื่องที่พิมพ์ค้างไว้ ยังไม่ครบ" in page
    assert "errorlist" not in page


def test_edit_from_the_review_and_come_back(browser):
    fill_until(browser, "evidence")
    response = post(browser, "review", {}, wizard_goto_step="details")
    assert "ขั้นตอนที่ ๒ จาก ๔" in text_of(response)
    assert "น้ำประปาไม่ไหลมาสามวันแล้ว" in text_of(response)
    post(browser, "details", details_data(details="แก้ไขรายละเอียดแล้ว"))
    response = post(browser, "evidence", {"identity": "disclose"})
    assert "แก้ไขรายละเอียดแล้ว" in text_of(response)


def test_a_consent_republished_midway_is_asked_again(browser, consent):
    fill_until(browser, "complainant")
    consent.title = "ข้อตกลงฉบับใหม่"
    consent.save_revision().publish()
    consent.refresh_from_db()

    response = post(browser, "details", details_data(details="พิมพ์ไว้ก่อนข้อตกลงเปลี่ยน"))
    assert response["Location"] == NEW
    page = text_of(browser.get(NEW))
    assert "ข้อตกลงฉบับใหม่" in page
    assert "มีการปรับปรุง" in page

    accept_consent(browser, consent)
    page = text_of(browser.get(WIZARD))
    assert "ขั้นตอนที่ ๒ จาก ๔" in page
    assert "พิมพ์ไว้ก่อนข้อตกลงเปลี่ยน" in page

    post(browser, "details", details_data())
    post(browser, "evidence", {"identity": "disclose"})
    post(browser, "review", {})
    assert Complaint.objects.get().consent.revision_id == consent.live_revision_id


def test_restart_clears_everything(browser):
    fill_until(browser, "details")
    post(browser, "evidence", {"attachments": [jpeg()], "upload_files": "1"})
    page = text_of(browser.get(WIZARD + "?restart=1"))
    assert "ขั้นตอนที่ ๑ จาก ๔" in page
    assert staged_names(browser) == []


def test_a_staged_file_lost_before_submitting_is_asked_for_again(browser):
    from core.storage import wizard_upload_storage

    fill_until(browser, "evidence", files=[jpeg("หาย.jpg")])
    (item,) = browser.session["wizard_complaint_wizard"]["extra_data"]["staged_files"]
    wizard_upload_storage.delete(f"{item['token']}.{item['extension']}")

    response = post(browser, "review", {})

    page = text_of(response)
    assert Complaint.objects.count() == 0
    assert "ขั้นตอนที่ ๓ จาก ๔" in page
    assert "หาย.jpg หมดเวลาเก็บชั่วคราวแล้ว กรุณาแนบไฟล์นี้อีกครั้ง" in page
    assert staged_names(browser) == []
    response = post(browser, "evidence", {"identity": "disclose", "attachments": [jpeg("หาย.jpg")]})
    post(browser, "review", {})
    assert Complaint.objects.get().files.get().original_name == "หาย.jpg"


def test_a_file_refused_while_going_back_is_reported(browser):
    fill_until(browser, "details")
    program = upload("โปรแกรม.jpg", b"MZ\x90\x00" + b"\x00" * 100, "image/jpeg")
    response = post(browser, "evidence", {"attachments": [program]}, wizard_goto_step="details")
    page = text_of(response)
    assert "ขั้นตอนที่ ๒ จาก ๔" in page
    assert "โปรแกรม.jpg ไม่ใช่รูปภาพ" in page
