"""A server restart in the middle of filing a complaint loses nothing.

The rule: wizard state lives in database sessions, so a server restart between steps, going
back, or reloading keeps every field and uploaded file. The live-server fixture cannot be
restarted, so this test runs the site itself: gunicorn against its own migrated SQLite file and
private media folder. At step ๔ the server is killed (SIGKILL, as a crash would) and a new
process takes over the same port and database; the phone then loads the page again, goes back to
step ๒ and forward, and files. What was stored is read by a separate Django process (the test's
own database is another one)."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.complaints import files as evidence_files
from tests.e2e.phones import phone
from tests.e2e.robot import pass_robot_check

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.e2e.restart_settings"
RESULT = "RESULT:"
CATEGORY = "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา"
DETAILS = "ท่อประปาแตกหน้าบ้านเลขที่ 12 น้ำไหลนองถนนมาสามวันแล้ว\nขอให้มาซ่อมด่วน"
PLACE = "ซอยวัดใหม่"
PHOTO, PDF = "ท่อแตก.jpg", "ใบแจ้งหนี้ค่าน้ำ.pdf"

SETUP = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from tests.accounts.factories import CitizenFactory
print({RESULT!r} + CitizenFactory().user.username)
"""
STORED = f"""
import io, json
from PIL import Image
from complaints.models import Complaint
found = []
for complaint in Complaint.objects.all():
    files = []
    for item in complaint.files.order_by("original_name"):
        with item.file.open("rb") as stored:
            data = stored.read()
        exif = len(Image.open(io.BytesIO(data)).getexif()) if item.kind == "image" else None
        files.append({{"name": item.original_name, "kind": item.kind, "bytes": len(data),
                      "exif_tags": exif}})
    found.append({{"details": complaint.details, "place": complaint.target_place,
                  "category": complaint.category.name,
                  "subdistrict": complaint.target_subdistrict.name_th,
                  "conceal": complaint.conceal_identity, "files": files}})
print({RESULT!r} + json.dumps(found, ensure_ascii=False))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """gunicorn serving the project from a database and media folder of its own."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": f"sqlite:///{workdir / 'site.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def django(self, code: str, *, timeout: float) -> str:
        """Run code in a Django shell on the site's database; what it printed after RESULT."""
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
        assert done.returncode == 0 and lines, f"Django shell failed:\n{done.stderr[-3000:]}"
        return lines[-1][len(RESULT) :]

    def start(self) -> None:
        self.starts += 1
        log = self.workdir / f"gunicorn{self.starts}.log"
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "cms.wsgi",
                    "-w",
                    "1",
                    "-b",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120  # importing the site takes long on a busy machine
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def kill(self) -> None:
        """SIGKILL to gunicorn and its worker: nothing gets to save anything on the way out."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)
        self.proc = None


def fill_steps_one_to_three(page, username: str) -> None:
    page.goto("/complaints/new/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="LOG IN").click()
    pass_robot_check(page)
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.get_by_text("ขั้นตอนที่ ๑ จาก ๔")).to_be_visible()
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
    page.get_by_label("ประเภทเรื่องร้องเรียน").select_option(label=CATEGORY)
    page.get_by_label("รายละเอียดการร้องเรียน").fill(DETAILS)
    page.get_by_label("สถานที่").fill(PLACE)
    page.get_by_label("อำเภอ").select_option(label="เมืองนครสวรรค์")
    page.get_by_label("ตำบล").select_option(label="ปากน้ำโพ")
    page.get_by_role("button", name="ต่อไป").click()

    expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
    photo = evidence_files.jpeg(size=(120, 90))
    assert b"Exif" in photo and b"iPhone 13" in photo  # a phone photo with GPS EXIF
    page.get_by_label("แนบหลักฐาน").set_input_files(
        [
            {"name": PHOTO, "mimeType": "image/jpeg", "buffer": photo},
            {"name": PDF, "mimeType": "application/pdf", "buffer": evidence_files.pdf()},
        ]
    )
    page.get_by_label(re.compile("ปกปิดข้อมูล")).check()
    page.get_by_role("button", name="ต่อไป").click()


def expect_review(page) -> None:
    expect(page.get_by_text("ขั้นตอนที่ ๔ จาก ๔")).to_be_visible()
    main = page.locator("main")
    expect(main.locator(".details-text")).to_have_text(DETAILS)
    expect(main).to_contain_text(CATEGORY)
    expect(main).to_contain_text(PLACE)
    expect(main).to_contain_text("ตำบลปากน้ำโพ อำเภอเมืองนครสวรรค์ จังหวัดนครสวรรค์")
    expect(main.locator(".summary li")).to_have_text([PHOTO, PDF])
    expect(main.locator(".summary strong")).to_have_text("ปกปิดข้อมูล")


def selected(page, label: str):
    return page.get_by_label(label, exact=True).locator("option:checked")


def test_a_server_restart_mid_wizard_keeps_every_field_and_file(browser, tmp_path):
    site = Site(tmp_path)
    context = None
    try:
        username = site.django(SETUP, timeout=300)  # migrate: slow on a busy machine
        site.start()
        context, page = phone(browser, site)
        fill_steps_one_to_three(page, username)
        expect_review(page)

        old = site.proc.pid
        site.kill()
        site.start()
        assert site.proc.pid != old

        page.goto("/complaints/new/steps/")  # the wizard's address, opened again
        expect_review(page)
        page.reload()
        expect_review(page)

        page.get_by_role("button", name="ย้อนกลับ").click()
        expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
        expect(page.locator(".file-list .file-name")).to_have_text([PHOTO, PDF])
        expect(page.get_by_label(re.compile("ปกปิดข้อมูล"))).to_be_checked()
        page.get_by_role("button", name="ย้อนกลับ").click()
        expect(page.get_by_text("ขั้นตอนที่ ๒ จาก ๔")).to_be_visible()
        expect(page.get_by_label("รายละเอียดการร้องเรียน")).to_have_value(DETAILS)
        expect(page.get_by_label("สถานที่")).to_have_value(PLACE)
        expect(selected(page, "ประเภทเรื่องร้องเรียน")).to_have_text(CATEGORY)
        expect(selected(page, "อำเภอ")).to_have_text("เมืองนครสวรรค์")
        expect(selected(page, "ตำบล")).to_have_text("ปากน้ำโพ")

        page.get_by_role("button", name="ต่อไป").click()
        expect(page.get_by_text("ขั้นตอนที่ ๓ จาก ๔")).to_be_visible()
        page.get_by_role("button", name="ต่อไป").click()
        expect_review(page)
        page.get_by_role("button", name="ยืนยัน", exact=True).click()
        expect(page.get_by_role("heading", name="ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")).to_be_visible()
        context.close()
        context = None

        stored = json.loads(site.django(STORED, timeout=120))
        assert len(stored) == 1, "exactly one complaint filed"
        complaint = stored[0]
        assert complaint["details"] == DETAILS
        assert complaint["place"] == PLACE
        assert complaint["category"] == CATEGORY
        assert complaint["subdistrict"] == "ปากน้ำโพ"
        assert complaint["conceal"] is True
        assert [(f["name"], f["kind"]) for f in complaint["files"]] == [
            (PHOTO, "image"),
            (PDF, "pdf"),
        ]
        assert all(f["bytes"] > 0 for f in complaint["files"])
        assert complaint["files"][0]["exif_tags"] == 0, "the photo is stored without EXIF/GPS"
    finally:
        if context is not None:
            context.close()
        site.kill()
