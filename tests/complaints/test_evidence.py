"""Evidence files: what a citizen can attach, what we keep of it, and what is refused."""

import hashlib
import io
import json
import os
import time
from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.datastructures import MultiValueDict
from PIL import Image

from complaints.evidence import (
    MAX_FILES,
    PICKER_ACCEPT,
    EvidenceFilesField,
    StagedFile,
    attach_staged,
    cleanup_stale_uploads,
    discard_staged,
    open_staged,
    stage_files,
)
from complaints.models import EvidenceFile
from complaints.tasks import cleanup_wizard_uploads_task
from core import uploads
from core.storage import private_storage, wizard_upload_storage
from core.uploads import check_upload
from tests.complaints import files
from tests.complaints.factories import ComplaintFactory
from tests.complaints.files import upload

INVALID = "ไม่ใช่รูปภาพ JPEG/PNG/HEIC หรือ PDF ที่ถูกต้อง"
UNSAFE = "มีสคริปต์ ไฟล์แนบ หรือคำสั่งที่เปิดสิ่งที่อยู่นอกเอกสาร ซึ่งไม่ปลอดภัย"


def refusal(name: str, content: bytes, content_type: str = "image/jpeg") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content, content_type))
    return caught.value.messages


def stored_image(checked) -> Image.Image:
    image = Image.open(io.BytesIO(checked.content))
    image.load()
    return image


def temp_files() -> list[str]:
    folder = wizard_upload_storage.path("")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


# --- what we keep of photos and screenshots ---------------------------------------------------


def test_phone_photo_is_kept_upright_without_gps_or_camera_details():
    original = files.jpeg((40, 20), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is really there

    checked = check_upload(upload("IMG_0001.JPG", original))

    image = stored_image(checked)
    assert (checked.kind, checked.extension, checked.content_type) == ("image", "jpg", "image/jpeg")
    assert image.format == "JPEG"
    assert image.size == (20, 40)  # orientation 6 applied: the sideways photo now stands up
    red, blue = image.getpixel((10, 3)), image.getpixel((10, 36))
    assert red[0] > 200 and red[2] < 60 and blue[2] > 200 and blue[0] < 60
    assert not image.getexif() and "exif" not in image.info
    for trace in (b"Apple", b"iPhone 13", b"2026:03:15"):
        assert trace not in checked.content
    assert checked.original_name == "IMG_0001.JPG"
    assert checked.size == len(checked.content)
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_an_upright_phone_photo_keeps_every_pixel_as_coded_without_its_metadata(progressive):
    image = files.two_colour_image((64, 48))
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        quality=80,
        progressive=progressive,
        exif=files.phone_exif(),
        comment=b"taken at 12/3 Moo 4, Nong Pling",
    )
    original = out.getvalue()

    checked = check_upload(upload("IMG_0002.JPG", original))

    kept = stored_image(checked)
    as_sent = Image.open(io.BytesIO(original))
    assert kept.tobytes() == as_sent.convert("RGB").tobytes()  # no second JPEG generation
    assert (kept.format, kept.size, checked.extension) == ("JPEG", (64, 48), "jpg")
    assert not kept.getexif() and "comment" not in kept.info
    for trace in (b"Apple", b"iPhone 13", b"2026:03:15", b"Nong Pling", b"Exif"):
        assert trace not in checked.content
    assert checked.size == len(checked.content) < len(original)


def test_a_photo_kept_as_coded_carries_nothing_in_its_jfif_header():
    original = files.jpeg((64, 48))
    assert original[2:4] == b"\xff\xe0" and original[6:11] == b"JFIF\x00"
    length = int.from_bytes(original[4:6], "big")
    hidden = b"\x02\x01SECRET"  # a "thumbnail" of 2 x 1 pixels: six bytes
    header = original[6:18] + hidden
    smuggled = original[:4] + (2 + len(header)).to_bytes(2, "big") + header + original[4 + length :]
    assert Image.open(io.BytesIO(smuggled)).size == (64, 48)

    checked = check_upload(upload("IMG_0004.JPG", smuggled))

    assert b"SECRET" not in checked.content
    assert stored_image(checked).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_a_photo_with_a_colour_profile_is_converted_not_kept_as_coded():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    out = io.BytesIO()
    files.two_colour_image().save(out, format="JPEG", icc_profile=profile, exif=files.phone_exif())

    image = stored_image(check_upload(upload("IMG_0003.JPG", out.getvalue())))

    assert "icc_profile" not in image.info and not image.getexif()


def test_a_very_large_photo_is_shrunk_to_3000_pixels_on_the_long_side():
    checked = check_upload(upload("wide.jpg", files.jpeg((4000, 1000), colour=(90, 90, 90))))

    assert stored_image(checked).size == (3000, 750)


def test_png_screenshot_stays_png_without_its_text_and_exif_chunks():
    original = files.png((30, 60))
    assert b"secret-note-from-phone" in original

    checked = check_upload(upload("Screenshot.png", original, "image/png"))

    image = stored_image(checked)
    assert (image.format, image.size, checked.extension) == ("PNG", (30, 60), "png")
    assert checked.content_type == "image/png"
    assert image.getpixel((5, 5)) == (0, 128, 0)
    assert b"secret-note-from-phone" not in checked.content
    assert not image.getexif() and "Comment" not in image.info


def test_colour_profile_is_not_carried_over():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("L", (20, 20), 128).save(out, format="PNG", icc_profile=profile)

    checked = check_upload(upload("grey.png", out.getvalue()))

    image = stored_image(checked)
    assert image.mode == "L" and "icc_profile" not in image.info


def test_16_bit_greyscale_png_keeps_its_shades():
    out = io.BytesIO()
    Image.new("I;16", (20, 20), 40000).save(out, format="PNG")

    image = stored_image(check_upload(upload("scan.png", out.getvalue())))

    assert (image.mode, image.getpixel((3, 3))) == ("L", 40000 // 256)


def test_transparent_png_keeps_its_transparency():
    checked = check_upload(upload("sticker.png", files.png(mode="RGBA", colour=(0, 0, 0, 0))))

    image = stored_image(checked)
    assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 0


def test_iphone_heic_photo_becomes_jpeg_without_exif():
    original = files.heic((64, 48))
    assert original[4:12] == b"ftypheic"

    checked = check_upload(upload("IMG_2301.HEIC", original, "image/heic"))

    image = stored_image(checked)
    assert (image.format, image.size) == ("JPEG", (64, 48))
    assert (checked.extension, checked.content_type) == ("jpg", "image/jpeg")
    assert not image.getexif() and b"Apple" not in checked.content
    assert checked.original_name == "IMG_2301.HEIC"


def test_anything_hidden_after_the_image_data_is_not_kept():
    smuggled = files.jpeg() + b"<script>alert(document.cookie)</script>"

    checked = check_upload(upload("photo.jpg", smuggled))

    assert b"<script>" not in checked.content
    assert stored_image(checked).size == (40, 20)


def test_type_comes_from_the_content_not_the_name_or_browser():
    as_pdf = check_upload(upload("scan.pdf", files.png(), "application/pdf"))
    as_image = check_upload(upload("photo.jpg", files.pdf(), "image/jpeg"))

    assert (as_pdf.kind, as_pdf.extension) == ("image", "png")
    assert (as_image.kind, as_image.extension) == ("pdf", "pdf")


# --- PDFs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [files.pdf, files.pdf_with_link, files.pdf_with_internal_actions],
    ids=["blank", "with-link", "with-internal-actions"],
)
def test_a_plain_pdf_is_kept_byte_for_byte(make):
    original = make()

    checked = check_upload(upload("ใบเสร็จ.pdf", original, "application/pdf"))

    assert checked.content == original
    assert (checked.kind, checked.content_type, checked.extension) == (
        "pdf",
        "application/pdf",
        "pdf",
    )
    assert checked.original_name == "ใบเสร็จ.pdf"


@pytest.mark.parametrize(
    "make",
    [
        files.pdf_with_document_js,
        files.pdf_with_open_action_js,
        files.pdf_with_page_open_js,
        files.pdf_with_hidden_js,
        files.pdf_with_launch,
        files.pdf_with_attachment,
        files.pdf_with_file_annotation,
    ],
    ids=lambda make: make.__name__.removeprefix("pdf_with_"),
)
def test_pdf_that_can_run_code_or_carries_files_is_refused(make):
    assert refusal("หลักฐาน.pdf", make(), "application/pdf") == [f"ไฟล์ PDF หลักฐาน.pdf {UNSAFE}"]


@pytest.mark.parametrize("place", sorted(files.ACTION_PLACES))
@pytest.mark.parametrize("action", sorted(files.OUTSIDE_ACTIONS))
def test_pdf_with_an_action_reaching_outside_the_document_is_refused(action, place):
    """Only actions that stay in the file pass (go to a page, a web or mail link, turn pages,
    show a field), wherever an action may sit: another file (a UNC path leaks the Windows
    log-in), a program, a form sent away, data imported, scripts, media players."""
    content = files.pdf_with_action(action, place)
    assert refusal("หลักฐาน.pdf", content, "application/pdf") == [f"ไฟล์ PDF หลักฐาน.pdf {UNSAFE}"]


def test_encrypted_pdf_is_refused_with_advice():
    [message] = refusal("statement.pdf", files.pdf_encrypted(), "application/pdf")

    assert message.startswith("ไฟล์ PDF statement.pdf มีการเข้ารหัส")
    assert "ไม่มีรหัสผ่าน" in message


@pytest.mark.parametrize(
    "make", [files.pdf_malformed, files.pdf_truncated, files.pdf_with_broken_xref]
)
def test_broken_pdf_is_refused(make):
    assert refusal("doc.pdf", make(), "application/pdf") == [f"ไฟล์ doc.pdf {INVALID}"]


# --- everything else --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        files.WINDOWS_EXE,
        files.LINUX_ELF,
        files.HTML,
        files.SVG,
        files.zip_archive(),
        files.jpeg((400, 300))[:1500],
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,
    ],
    ids=["exe", "elf", "html", "svg", "zip", "truncated-jpeg", "jpeg-magic-only"],
)
def test_files_that_are_not_real_images_or_pdfs_are_refused_by_name(content):
    assert refusal("photo.jpg", content) == [f"ไฟล์ photo.jpg {INVALID}"]


def test_empty_file_is_refused():
    assert refusal("photo.jpg", b"") == ["ไฟล์ photo.jpg ว่างเปล่า กรุณาเลือกไฟล์อีกครั้ง"]


def test_decompression_bomb_is_refused_before_decoding():
    bomb = files.png_bomb(8000, 8000)  # 64 megapixels in a small file
    assert len(bomb) < 200_000

    [message] = refusal("huge.png", bomb, "image/png")

    assert message.startswith("รูป huge.png มีความละเอียดสูงเกินไป")


def test_file_over_10_mb_is_refused():
    big = b"\xff\xd8\xff\xe0" + os.urandom(10 * 1024 * 1024) + b"\xff\xd9"

    assert refusal("big.jpg", big) == ["ไฟล์ big.jpg มีขนาดเกิน 10 MB"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\somchai\\Desktop\\ถนนพัง.jpg", "ถนนพัง.jpg"),
        ("../../etc/passwd", "passwd"),
        ("bill\u202egpj.exe", "billgpj.exe"),
        ("a\x00b\r\nc.png", "abc.png"),
        ("   ", "(ไม่มีชื่อ)"),
    ],
)
def test_shown_file_name_has_no_folders_or_control_characters(raw, shown):
    assert uploads.display_name(raw) == shown


def test_long_file_name_is_cut_but_keeps_its_extension():
    name = uploads.display_name("ภาพ" * 120 + ".jpeg")

    assert len(name) <= uploads.MAX_NAME_CHARS and name.endswith("….jpeg")


# --- staging in the wizard --------------------------------------------------------------------


def test_staged_files_wait_under_random_names_in_private_storage(settings):
    photo, receipt = files.jpeg(), files.pdf()

    staged = stage_files([upload("ถนน.jpg", photo), upload("ใบเสร็จ.pdf", receipt)], already=[])

    assert [item.original_name for item in staged] == ["ถนน.jpg", "ใบเสร็จ.pdf"]
    assert temp_files() == sorted(f"{item.token}.{item.extension}" for item in staged)
    assert str(settings.PRIVATE_MEDIA_ROOT) in wizard_upload_storage.path(staged[0].storage_name)
    assert open_staged(staged[1]) == receipt
    session_copy = json.loads(json.dumps([item.to_dict() for item in staged]))
    assert [StagedFile.from_dict(item) for item in session_copy] == staged


def test_a_sixth_file_is_refused_and_nothing_new_is_staged():
    already = stage_files(
        [upload(f"{n}.png", files.png(colour=(n, 0, 0)), "image/png") for n in range(5)],
        already=[],
    )

    with pytest.raises(ValidationError) as caught:
        stage_files([upload("six.png", files.png(colour=(9, 9, 9)))], already=already)

    assert caught.value.messages == ["แนบไฟล์ได้ไม่เกิน 5 ไฟล์ (แนบไว้แล้ว 5 ไฟล์)"]
    assert len(temp_files()) == MAX_FILES


def test_with_four_staged_a_duplicate_and_a_new_file_fit():
    already = stage_files(
        [upload(f"{n}.png", files.png(colour=(n, 0, 0)), "image/png") for n in range(4)],
        already=[],
    )

    added = stage_files(
        [upload("0-again.png", files.png(colour=(0, 0, 0))), upload("new.jpg", files.jpeg())],
        already=already,
    )

    assert [item.original_name for item in added] == ["new.jpg"]
    assert len(temp_files()) == MAX_FILES


def test_six_files_at_once_are_refused():
    uploads = [upload(f"{n}.png", files.png(colour=(0, n, 0))) for n in range(6)]

    with pytest.raises(ValidationError) as caught:
        stage_files(uploads, already=[])

    assert caught.value.messages == ["แนบไฟล์ได้ไม่เกิน 5 ไฟล์"]
    assert temp_files() == []


def test_more_than_25_mb_in_all_is_refused():
    already = stage_files(
        [upload("scan1.pdf", files.pdf_of_noise()), upload("scan2.pdf", files.pdf_of_noise())],
        already=[],
    )
    assert sum(item.size for item in already) < 25 * 1024 * 1024

    with pytest.raises(ValidationError) as caught:
        stage_files([upload("scan3.pdf", files.pdf_of_noise())], already=already)

    assert caught.value.messages == ["ขนาดไฟล์รวมเกิน 25 MB"]
    assert len(temp_files()) == 2


def test_one_bad_file_stages_none_and_every_problem_is_listed():
    uploads = [
        upload("good.jpg", files.jpeg()),
        upload("page.jpg", files.HTML),
        upload("locked.pdf", files.pdf_encrypted()),
    ]

    with pytest.raises(ValidationError) as caught:
        stage_files(uploads, already=[])

    messages = caught.value.messages
    assert len(messages) == 2
    assert messages[0] == f"ไฟล์ page.jpg {INVALID}"
    assert messages[1].startswith("ไฟล์ PDF locked.pdf มีการเข้ารหัส")
    assert temp_files() == []


def test_the_same_file_picked_again_is_not_staged_twice():
    photo = files.jpeg()
    first = stage_files([upload("a.jpg", photo)], already=[])

    again = stage_files([upload("a-copy.jpg", photo), upload("a.jpg", photo)], already=first)

    assert again == [] and len(temp_files()) == 1


def test_discarded_file_is_gone():
    [staged] = stage_files([upload("a.jpg", files.jpeg())], already=[])

    discard_staged(staged)

    assert temp_files() == []
    with pytest.raises(FileNotFoundError):
        open_staged(staged)


@pytest.mark.parametrize("token", ["../../settings", "a" * 31, "A" * 32])
def test_session_data_cannot_point_outside_the_temporary_folder(token):
    data = {
        "token": token,
        "original_name": "a.jpg",
        "kind": "image",
        "content_type": "image/jpeg",
        "extension": "jpg",
        "size": 1,
        "sha256": "0" * 64,
    }
    with pytest.raises(ValueError):
        StagedFile.from_dict(data)


# --- attaching on submit ----------------------------------------------------------------------


@pytest.mark.django_db
def test_attached_files_are_stored_privately_and_temporaries_go_on_commit(
    settings, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory()
    staged = stage_files(
        [upload("IMG_9.HEIC", files.heic()), upload("บิล.pdf", files.pdf())], already=[]
    )

    with django_capture_on_commit_callbacks(execute=True):
        created = attach_staged(complaint=complaint, staged=staged)
        assert len(temp_files()) == 2  # still there until the transaction commits

    assert temp_files() == []
    rows = list(EvidenceFile.objects.filter(complaint=complaint))
    assert rows == created
    assert [(r.original_name, r.kind, r.content_type) for r in rows] == [
        ("IMG_9.HEIC", "image", "image/jpeg"),
        ("บิล.pdf", "pdf", "application/pdf"),
    ]
    year = complaint.submitted_at.year
    for row, item in zip(rows, staged, strict=True):
        folder, name = row.file.name.rsplit("/", 1)
        assert folder == f"evidence/{year}"
        stem, extension = name.split(".")
        assert len(stem) == 32 and extension == item.extension
        path = private_storage.path(row.file.name)
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        with open(path, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == row.sha256 == item.sha256
        assert row.size == item.size
    assert not os.path.exists(settings.MEDIA_ROOT) or not any(os.scandir(settings.MEDIA_ROOT))


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["deleted", "changed"])
def test_a_lost_temporary_file_asks_the_citizen_to_attach_it_again(damage):
    complaint = ComplaintFactory()
    kept, lost = stage_files(
        [upload("a.jpg", files.jpeg()), upload("ถนนพัง.png", files.png())], already=[]
    )
    if damage == "deleted":
        discard_staged(lost)
    else:
        with open(wizard_upload_storage.path(lost.storage_name), "ab") as handle:
            handle.write(b"more")

    with pytest.raises(ValidationError) as caught:
        attach_staged(complaint=complaint, staged=[kept, lost])

    assert caught.value.messages == ["ไฟล์ ถนนพัง.png หมดเวลาเก็บชั่วคราวแล้ว กรุณาแนบไฟล์นี้อีกครั้ง"]
    assert not EvidenceFile.objects.exists()
    assert not os.path.exists(private_storage.path("evidence"))


# --- cleaning up ------------------------------------------------------------------------------


def _age(storage, name: str, hours: float) -> None:
    moment = time.time() - hours * 3600
    os.utime(storage.path(name), (moment, moment))


@pytest.mark.django_db
def test_cleanup_removes_only_old_temporary_files():
    old, fresh = stage_files(
        [upload("old.jpg", files.jpeg()), upload("new.pdf", files.pdf())], already=[]
    )
    _age(wizard_upload_storage, old.storage_name, hours=25)
    _age(wizard_upload_storage, fresh.storage_name, hours=23)

    assert cleanup_stale_uploads() == 1

    assert temp_files() == [fresh.storage_name]
    assert cleanup_stale_uploads(older_than=timedelta(hours=1)) == 1
    assert temp_files() == []


@pytest.mark.django_db
def test_cleanup_removes_evidence_files_no_complaint_points_to(django_capture_on_commit_callbacks):
    complaint = ComplaintFactory()
    staged = stage_files([upload("a.jpg", files.jpeg())], already=[])
    with django_capture_on_commit_callbacks(execute=True):
        [kept] = attach_staged(complaint=complaint, staged=staged)
    orphan = private_storage.save(
        f"evidence/{complaint.submitted_at:%Y}/{'f' * 32}.jpg", io.BytesIO(files.jpeg())
    )
    _age(private_storage, orphan, hours=48)
    _age(private_storage, kept.file.name, hours=48)

    assert cleanup_stale_uploads() == 1

    assert not private_storage.exists(orphan)
    assert private_storage.exists(kept.file.name)


@pytest.mark.django_db
def test_cleanup_task_and_command_do_the_same_work():
    first, second = stage_files(
        [upload("a.jpg", files.jpeg()), upload("b.pdf", files.pdf())], already=[]
    )
    _age(wizard_upload_storage, first.storage_name, hours=30)

    result = cleanup_wizard_uploads_task.enqueue()

    assert result.return_value == 1 and temp_files() == [second.storage_name]
    _age(wizard_upload_storage, second.storage_name, hours=3)
    out = io.StringIO()
    call_command("cleanup_wizard_uploads", "--hours", "2", stdout=out)
    assert out.getvalue().strip() == "deleted 1 file(s)" and temp_files() == []


@pytest.mark.django_db
def test_cleanup_with_nothing_uploaded_yet():
    assert cleanup_stale_uploads() == 0


# --- the form field ---------------------------------------------------------------------------


class EvidenceForm(forms.Form):
    files = EvidenceFilesField(label="หลักฐานประกอบ")


def test_form_field_takes_several_files_and_renders_a_multiple_input():
    uploads = MultiValueDict({"files": [upload("a.jpg", b"x"), upload("b.pdf", b"y")]})

    form = EvidenceForm(data={}, files=uploads)

    assert form.is_valid()
    assert [f.name for f in form.cleaned_data["files"]] == ["a.jpg", "b.pdf"]
    html = str(form["files"])
    assert 'type="file"' in html and "multiple" in html and f'accept="{PICKER_ACCEPT}"' in html
    assert "required" not in html


def test_form_field_without_files_is_an_empty_list():
    form = EvidenceForm(data={}, files=MultiValueDict())

    assert form.is_valid() and form.cleaned_data["files"] == []
