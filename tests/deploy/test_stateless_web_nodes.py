"""Web nodes keep nothing of their own: two gunicorn nodes (deploy/gunicorn.conf.py, production
settings) share one PostgreSQL database and one private S3-compatible bucket, and each has its
own empty disk folders. A citizen's requests alternate between them, as a load balancer without
sticky sessions would send them: log-in, consent (the not-a-robot challenge from one node, the
answer checked by the other, used once for both), the four wizard steps with two photos
uploaded to one node, and "ยืนยัน" on the other. The session, the wizard's data and the
uploads in progress must all be found wherever the next request lands.

The bucket is moto's S3 server on loopback (an S3-compatible stand-in, as MinIO would be).
"""

import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from addresses.models import Subdistrict
from bench.common import Processes
from complaints.models import Complaint
from complaints.setup import ensure_complaint_consent
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory
from tests.complaints import files as evidence_files
from tests.core.robot import solve
from tests.deploy.conftest import MEDIA_BUCKET, PRIVATE_BUCKET
from tests.deploy.support import (
    FIELD_ENCRYPTION_KEY,
    Browser,
    Form,
    free_port,
    postgres_only,
    production_env,
    start_gunicorn,
)

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

CATEGORY = "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา"
PHOTOS = ("ไฟดับ-1.jpg", "ไฟดับ-2.jpg")


def keys(s3, prefix: str = "") -> list[str]:
    listing = s3.list_objects_v2(Bucket=PRIVATE_BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.fixture
def nodes(bucket, tmp_path):
    """Two web nodes, each with its own folders, sharing the database and the bucket."""
    endpoint, _s3 = bucket
    procs = Processes(tmp_path)
    urls, folders = [], []
    try:
        for name in ("node-a", "node-b"):
            folder = tmp_path / name
            env = production_env(
                folder,
                S3_ENDPOINT_URL=endpoint,
                S3_REGION="us-east-1",
                S3_ACCESS_KEY_ID="deploy-test",
                S3_SECRET_ACCESS_KEY="deploy-test-secret",
                S3_ADDRESSING_STYLE="path",
                MEDIA_S3_BUCKET=MEDIA_BUCKET,
                PRIVATE_S3_BUCKET=PRIVATE_BUCKET,
            )
            urls.append(start_gunicorn(procs, name, free_port(), env))
            folders.append(folder)
        yield urls, folders
    except BaseException:
        for name in list(procs.running):
            print(f"--- {name} ---\n{procs.tail(name)}")  # noqa: T201
        raise
    finally:
        procs.stop_all()


class Citizen:
    """A browser whose every request goes to the next node in turn."""

    def __init__(self, urls):
        self.browser, self.urls, self.turn, self.log = Browser(), urls, 0, {}

    def _next(self, label: str) -> str:
        node = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        self.log[label] = node
        return node

    def other_node_next(self, label: str) -> None:
        """Make the next request go to the node that did not answer ``label``."""
        if self.urls[self.turn % len(self.urls)] == self.log[label]:
            self.turn += 1

    def get(self, label, path, expect=200):
        page = self.browser.get(self._next(label), path)
        assert page.status == expect, (label, page.status, page.text[:2000])
        return page

    def post(self, label, path, fields, files=(), expect=200):
        page = self.browser.post(self._next(label), path, fields, files)
        assert page.status == expect, (label, page.status, page.text[:2000])
        return page


def test_a_complaint_started_on_one_node_is_finished_on_another(nodes, bucket, settings):
    urls, folders = nodes
    _endpoint, s3 = bucket
    ensure_complaint_consent()
    settings.FIELD_ENCRYPTION_KEY = FIELD_ENCRYPTION_KEY  # the nodes' key: they read the ID
    profile = CitizenFactory()
    # The test settings hash with MD5 for speed; the nodes accept only production's hashers.
    profile.user.password = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, salt="deploytestsalt")
    profile.user.save(update_fields=["password"])
    photos = [evidence_files.jpeg((64, 48)), evidence_files.jpeg((48, 64))]
    citizen = Citizen(urls)

    page = citizen.get("login form", "/accounts/login/?next=/complaints/new/")
    fields = {**Form(page.text).fields, "username": profile.user.username}
    login = citizen.post(
        "log in", "/accounts/login/", {**fields, "password": DEFAULT_PASSWORD}, expect=302
    )
    consent = citizen.get("consent", login.location)
    assert "เข้าระบบร้องเรียน" in consent.text
    form = Form(consent.text)
    # The tap on "ฉันไม่ใช่โปรแกรมอัตโนมัติ": a challenge from one node, solved as the phone
    # would, checked by the other; the same answer sent again is refused by either.
    challenge = citizen.get("not-a-robot challenge", form.robot_challenge_url)
    fields = {**form.fields, form.robot_field: solve(json.loads(challenge.text))}
    citizen.other_node_next("not-a-robot challenge")
    wizard = citizen.post("accept consent", login.location, fields, expect=302).location
    citizen.other_node_next("accept consent")
    again = citizen.post("the same answer again", login.location, fields)
    assert "การยืนยันนี้ใช้ไปแล้ว" in again.text
    step1 = citizen.get("step 1", wizard)
    assert "ขั้นตอนที่ ๑ จาก ๔" in step1.text
    step2 = citizen.post("step 1 done", wizard, Form(step1.text).fields)
    assert "ขั้นตอนที่ ๒ จาก ๔" in step2.text
    form = Form(step2.text)
    area = Subdistrict.objects.select_related("district").get(district_id="6001", name_th="ปากน้ำโพ")
    details = {
        **form.fields,
        "details-category": form.options["details-category"][CATEGORY],
        "details-details": "ไฟถนนดับทั้งซอยมาหนึ่งสัปดาห์ กลางคืนมืดมาก",
        "details-target_place": "ซอยข้างตลาด",
        "details-province": "60",
        "details-district": area.district_id,
        "details-subdistrict": str(area.pk),
    }
    step3 = citizen.post("step 2 done", wizard, details)
    assert "ขั้นตอนที่ ๓ จาก ๔" in step3.text
    uploads = [
        ("evidence-attachments", name, "image/jpeg", data)
        for name, data in zip(PHOTOS, photos, strict=True)
    ]
    fields = {**Form(step3.text).fields, "evidence-identity": "conceal"}
    step4 = citizen.post("upload photos", wizard, fields, files=uploads)
    assert "ขั้นตอนที่ ๔ จาก ๔" in step4.text
    assert all(name in step4.text for name in PHOTOS)
    assert len(keys(s3, "wizard-uploads/")) == 2  # waiting in the shared bucket

    citizen.other_node_next("upload photos")
    review = citizen.get("review again", wizard)  # the other node shows the same review
    assert all(name in review.text for name in PHOTOS)
    citizen.other_node_next("upload photos")
    done = citizen.post("ยืนยัน", wizard, Form(review.text).fields, expect=302)
    receipt = citizen.get("receipt", done.location)
    assert "ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว" in receipt.text

    assert citizen.log["upload photos"] != citizen.log["ยืนยัน"]
    complaint = Complaint.objects.get(citizen=profile.user)
    assert complaint.tracking_number in receipt.text
    evidence = list(complaint.files.order_by("pk"))
    assert [item.original_name for item in evidence] == list(PHOTOS)
    assert keys(s3) == sorted(item.file.name for item in evidence)  # staged copies removed
    for folder in folders:
        assert files_under(folder) == [], f"{folder.name} kept files on its own disk"

    # Either node hands the citizen the file, streamed from the bucket after the check.
    for label in ("download 1", "download 2"):
        page = citizen.get(label, f"/complaints/files/{evidence[0].pk}/")
        assert hashlib.sha256(page.body).hexdigest() == evidence[0].sha256
        assert page.headers["Content-Disposition"].startswith("attachment;")
        assert "X-Accel-Redirect" not in page.headers
    stranger = Browser()
    assert stranger.get(urls[0], f"/complaints/files/{evidence[0].pk}/").status == 302
