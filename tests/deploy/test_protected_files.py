"""Every protected download behind nginx: Django checks who asks, then hands the file to nginx
with X-Accel-Redirect (PRIVATE_FILES_X_ACCEL_REDIRECT=1), or streams it itself when the files
are in a private bucket that nginx cannot read. (Evidence downloads: tests/complaints/
test_file_downloads.py; nginx itself: test_nginx.py.)"""

import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from complaints.workflow import complaint_add_note
from core.storage import private_storage
from tests.accounts.factories import StaffFactory
from tests.complaints.admin_support import case
from tests.complaints.factories import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def note_with_attachment():
    officer = StaffFactory(role=Role.CASE_OFFICER)
    entry = complaint_add_note(
        complaint=case(),
        by=officer,
        internal_note="แนบบันทึกข้อความ",
        attachment=SimpleUploadedFile("บันทึก.pdf", pdf_bytes(), "application/pdf"),
    )
    return officer, entry, f"/admin/complaints/history/{entry.pk}/attachment/"


def test_internal_attachments_are_handed_to_nginx_after_the_check(
    client, settings, note_with_attachment
):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = True
    officer, entry, url = note_with_attachment
    client.force_login(officer)

    response = client.get(url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{entry.attachment.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(entry.complaint.citizen)
    refused = client.get(url)
    assert refused.status_code == 302 and "X-Accel-Redirect" not in refused


def test_files_in_a_private_bucket_are_streamed_even_behind_nginx(
    client, settings, note_with_attachment
):
    """nginx's /protected/ location is a folder; with PRIVATE_S3_BUCKET the app streams."""
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = True
    officer, _entry, url = note_with_attachment
    client.force_login(officer)
    # Same files, but configured as a separate private storage (as PRIVATE_S3_BUCKET does).
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(settings.PRIVATE_MEDIA_ROOT)},
        },
    }

    response = client.get(url)

    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")


def test_behind_nginx_private_files_are_readable_by_the_folders_group_only(
    settings, note_with_attachment
):
    """nginx's workers (another user) read the files through the group of PRIVATE_MEDIA_ROOT
    (setgid, README "Production"); without nginx only the application's user can."""
    _officer, entry, _url = note_with_attachment
    assert stat.S_IMODE(os.stat(private_storage.path(entry.attachment.name)).st_mode) == 0o600

    settings.PRIVATE_FILES_X_ACCEL_REDIRECT = True
    name = private_storage.save("evidence/2099/x.pdf", SimpleUploadedFile("x.pdf", b"%PDF"))
    path = private_storage.path(name)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o750
