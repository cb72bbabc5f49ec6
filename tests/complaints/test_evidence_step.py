"""ขั้นตอนที่ ๓ (evidence): one control picks a photo or a file, the page's script uploads each
file as soon as it is picked and can remove one, and "ต่อไป" still uploads whatever the picker
holds when the script does not run. Same checks and Thai messages either way."""

import json
import re

import pytest

from tests.complaints import test_wizard as wizard
from tests.complaints.test_wizard import (
    MANAGEMENT,
    WIZARD,
    fill_until,
    jpeg,
    pdf,
    post,
    staged_names,
    text_of,
    upload,
)

# The filing tests' fixtures: a citizen logged in who has accepted the consent.
browser, citizen, consent = wizard.browser, wizard.citizen, wizard.consent

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def send(client, *, files=(), **fields):
    """What static/js/evidence-upload.js sends: one request per file (or per removal)."""
    payload = {MANAGEMENT: "evidence", **fields}
    if files:
        payload["evidence-attachments"] = list(files)
    response = client.post(WIZARD, payload, **JSON)
    return response, json.loads(response.content)


def test_the_step_has_one_large_labelled_control_that_offers_the_camera(browser):
    page = text_of(fill_until(browser, "details"))

    assert page.count('type="file"') == 1
    picker = re.search(r"<input[^>]*type=\"file\"[^>]*>", page).group(0)
    assert 'accept="image/*,' in picker and "application/pdf" in picker
    assert "capture" not in picker  # the gallery and files stay on offer
    assert "multiple" in picker
    label = re.search(r'<label for="id_evidence-attachments"[^>]*class="file-button"', page)
    assert label, "the picker is a large button-style label"
    assert "ถ่ายรูปหรือเลือกไฟล์" in page
    assert "แนบหลักฐานประกอบการร้องเรียน" in page  # the seed's words
    assert "แนบไฟล์ที่เลือก" not in page  # no second button for the same job
    assert "evidence-upload.js" in page


def test_a_picked_file_is_staged_at_once_and_listed(browser):
    fill_until(browser, "details")

    response, data = send(browser, files=[jpeg("ถนน.jpg")])

    assert response.status_code == 200
    assert data["errors"] == []
    assert data["files_left"] == 4
    assert "ถนน.jpg" in data["files_html"]
    assert 'name="remove_file"' in data["files_html"]
    assert staged_names(browser) == ["ถนน.jpg"]


def test_a_refused_file_gets_the_same_thai_message_and_keeps_the_others(browser):
    fill_until(browser, "details")
    send(browser, files=[pdf("คำร้อง.pdf")])
    program = upload("รูปภาพ.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "image/jpeg")

    response, data = send(browser, files=[program])

    assert response.status_code == 422
    assert data["errors"] == ["ไฟล์ รูปภาพ.jpg ไม่ใช่รูปภาพ JPEG/PNG/HEIC หรือ PDF ที่ถูกต้อง"]
    assert staged_names(browser) == ["คำร้อง.pdf"]
    assert "คำร้อง.pdf" in data["files_html"]


def test_a_sixth_file_is_refused_and_the_picker_is_hidden(browser):
    fill_until(browser, "details")
    for i in range(5):
        send(browser, files=[jpeg(f"รูป{i}.jpg", color=(i * 40, 10, 10))])

    response, data = send(browser, files=[pdf()])

    assert response.status_code == 422
    assert data["errors"] == ["แนบไฟล์ได้ไม่เกิน 5 ไฟล์ (แนบไว้แล้ว 5 ไฟล์)"]
    assert data["files_left"] == 0
    assert len(staged_names(browser)) == 5


def tokens_in(files_html: str) -> dict[str, str]:
    """File name -> the token its "ลบ" button sends."""
    rows = re.findall(r"<li\b.*?</li>", files_html, re.S)
    return {
        re.search(r'class="file-name">([^<]*)<', row).group(1): re.search(
            r'name="remove_file" value="([0-9a-f]{32})"', row
        ).group(1)
        for row in rows
    }


def test_a_file_is_removed_by_the_script(browser):
    fill_until(browser, "details")
    send(browser, files=[jpeg("เก็บ.jpg")])
    _response, data = send(browser, files=[pdf("ลบ.pdf")])

    response, data = send(browser, remove_file=tokens_in(data["files_html"])["ลบ.pdf"])

    assert response.status_code == 200
    assert staged_names(browser) == ["เก็บ.jpg"]
    assert list(tokens_in(data["files_html"])) == ["เก็บ.jpg"]
    assert data["files_left"] == 4


def test_uploading_leaves_the_choice_being_made_alone(browser):
    """The script sends only the file: what the citizen ticked on the page is not touched."""
    fill_until(browser, "details")
    # "ย้อนกลับ" keeps the choice as a draft; "ต่อไป" on step ๒ shows it again.
    post(browser, "evidence", {"identity": "conceal"}, wizard_goto_step="details")
    post(browser, "details", wizard.details_data())

    send(browser, files=[jpeg()])

    page = text_of(browser.get(WIZARD))
    assert "ขั้นตอนที่ ๓ จาก ๔" in page
    assert re.search(r'value="conceal"[^>]*checked', page)


def test_without_the_script_next_uploads_what_was_picked(browser):
    fill_until(browser, "details")

    response = post(browser, "evidence", {"identity": "disclose", "attachments": [jpeg("ไฟ.jpg")]})

    assert "ขั้นตอนที่ ๔ จาก ๔" in text_of(response)
    assert staged_names(browser) == ["ไฟ.jpg"]


def test_an_upload_after_the_consent_changed_asks_for_it_again(browser, consent):
    fill_until(browser, "details")
    consent.save_revision().publish()

    response, data = send(browser, files=[jpeg("รอ.jpg")])

    assert response.status_code == 409
    assert data["redirect"] == "/complaints/new/"
    assert staged_names(browser) == ["รอ.jpg"]  # kept for when the citizen comes back
