"""Evidence files for a complaint (ขั้นตอนที่ ๓): check, clean, stage, attach, clean up.

A file citizens send is trusted for nothing but its bytes. The type is decided from the content
(never the name or the browser's Content-Type). Photos and screenshots are decoded and encoded
again, which drops EXIF/GPS/XMP and anything hidden after the image data; PDFs are parsed
strictly and refused when they could run code or carry other files, and otherwise kept as sent.

Flow: the wizard calls ``stage_files`` on each upload step (files wait in
``wizard_upload_storage`` under random names, described by ``StagedFile`` dicts in the session),
then ``attach_staged`` inside the submit transaction. ``cleanup_stale_uploads`` removes what
abandoned wizards left behind; run it daily (task ``cleanup_wizard_uploads_task`` or command
``manage.py cleanup_wizard_uploads``).
"""

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
from dataclasses import asdict, dataclass
from datetime import timedelta

import pillow_heif
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from complaints.models import EvidenceFile
from complaints.storage import private_storage, wizard_upload_storage

pillow_heif.register_heif_opener()

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
ACCEPT = (
    "image/jpeg,image/png,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.heic,.heif,.pdf"
)

# 50 MP lets 48 MP phone photos through; bigger is refused before a pixel is decoded.
MAX_IMAGE_PIXELS = 50_000_000
# Every phone screenshot keeps full resolution (the tallest, iPhone Pro Max, is 2796 px);
# a 12 MP photo becomes about 6.75 MP.
MAX_IMAGE_LONG_SIDE = 3000
JPEG_QUALITY = 85
IMAGE_FORMATS = ("JPEG", "PNG", "HEIF")
MAX_NAME_CHARS = 100
MAX_PDF_OBJECTS = 200_000

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
_TOKEN = re.compile(r"[0-9a-f]{32}")

# Anything that makes a PDF reader run code, start programs, or carry other files.
_PDF_HAZARD_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
_PDF_HAZARD_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/GoToE"}
_PDF_HAZARD_SUBTYPES = {"/FileAttachment", "/RichMedia"}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed ``check_upload``: ``content`` is what we will store."""

    content: bytes
    original_name: str
    kind: str  # EvidenceFile.Kind: "image" or "pdf"
    content_type: str
    extension: str  # "jpg", "png" or "pdf"
    size: int
    sha256: str


@dataclass
class StagedFile:
    """A checked file waiting in ``wizard_upload_storage`` until the complaint is submitted.

    ``to_dict()`` is JSON-serialisable for the wizard session; ``from_dict()`` refuses
    anything that could not have come from ``stage_files`` (the token names a file on disk).
    """

    token: str
    original_name: str
    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        return f"{self.token}.{self.extension}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "StagedFile":
        staged = cls(**{name: data[name] for name in cls.__dataclass_fields__})
        if not _TOKEN.fullmatch(str(staged.token)) or staged.extension not in CONTENT_TYPES:
            raise ValueError("not a staged evidence file")
        return staged


def display_name(raw) -> str:
    """The citizen's file name, safe to show: no folders, no control or bidi characters
    (an RLO can make "gpj.exe" look like "exe.jpg"), at most MAX_NAME_CHARS characters."""
    name = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: MAX_NAME_CHARS - len(extension) - 2]}….{extension}"
        else:
            name = name[: MAX_NAME_CHARS - 1] + "…"
    return name or _("(ไม่มีชื่อ)")


def download_name(original_name: str, extension: str) -> str:
    """The name a download gets: the citizen's name, with an extension matching the stored
    content (IMG_0001.HEIC was stored as JPEG, so it downloads as IMG_0001.jpg)."""
    stem, dot, current = original_name.rpartition(".")
    matching = {"jpg": ("jpg", "jpeg"), "png": ("png",), "pdf": ("pdf",)}[extension]
    if dot and current.lower() in matching:
        return original_name
    return f"{stem if dot and stem else original_name}.{extension}"


def _invalid(name: str) -> ValidationError:
    return ValidationError(
        _("ไฟล์ %(name)s ไม่ใช่รูปภาพ JPEG/PNG/HEIC หรือ PDF ที่ถูกต้อง") % {"name": name},
        code="invalid_type",
    )


def _read_capped(uploaded) -> bytes:
    data = bytearray()
    for chunk in uploaded.chunks():
        data += chunk
        if len(data) > MAX_FILE_BYTES:
            break
    return bytes(data)


def check_upload(uploaded) -> CheckedFile:
    """Check one uploaded file and return the bytes to keep, or raise ValidationError with a
    Thai message naming the file. Images come back re-encoded (JPEG, or PNG for PNG input),
    PDFs unchanged."""
    name = display_name(getattr(uploaded, "name", ""))
    content = _read_capped(uploaded)
    if not content:
        raise ValidationError(
            _("ไฟล์ %(name)s ว่างเปล่า กรุณาเลือกไฟล์อีกครั้ง") % {"name": name}, code="empty"
        )
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("ไฟล์ %(name)s มีขนาดเกิน 10 MB") % {"name": name}, code="file_too_large"
        )
    if content.startswith(b"%PDF-"):
        _check_pdf(content, name)
        kind, extension = EvidenceFile.Kind.PDF, "pdf"
    else:
        content, extension = _clean_image(content, name)
        kind = EvidenceFile.Kind.IMAGE
    return CheckedFile(
        content=content,
        original_name=name,
        kind=str(kind),
        content_type=CONTENT_TYPES[extension],
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _open_image(content: bytes, name: str) -> Image.Image:
    """Open by content, among our three formats only, refusing decompression bombs before
    any pixel is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content), formats=IMAGE_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            image = None
    if image is None or image.width * image.height > MAX_IMAGE_PIXELS:
        if image is not None:
            image.close()
        raise ValidationError(
            _("รูป %(name)s มีความละเอียดสูงเกินไป (เกิน 50 ล้านพิกเซล) กรุณาย่อขนาดรูปแล้วแนบใหม่")
            % {"name": name},
            code="too_many_pixels",
        )
    return image


def _clean_image(content: bytes, name: str) -> tuple[bytes, str]:
    """Decode fully (truncated or corrupt files fail here), turn upright, shrink, re-encode."""
    try:
        with _open_image(content, name) as probe:
            source_format = probe.format
            probe.verify()
        with _open_image(content, name) as image:
            if source_format == "JPEG":
                image.draft("RGB", (MAX_IMAGE_LONG_SIDE, MAX_IMAGE_LONG_SIDE))
            image.load()
            # In place: a copy of a 5-megapixel photo cost ~15 ms of the ~70 ms this check takes.
            ImageOps.exif_transpose(image, in_place=True)
            extension = "png" if source_format == "PNG" else "jpg"
            return _encode(_normalise_mode(image, extension), extension), extension
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - hostile input makes Pillow raise anything
        raise _invalid(name) from error


def _encode(image: Image.Image, extension: str) -> bytes:
    """Only pixels go out: PNG stays PNG (sharp text in screenshots), the rest is JPEG."""
    image.thumbnail((MAX_IMAGE_LONG_SIDE, MAX_IMAGE_LONG_SIDE), Image.Resampling.LANCZOS)
    image.info.clear()  # Pillow would copy ICC/XMP/EXIF from here into the new file
    out = io.BytesIO()
    if extension == "png":
        image.save(out, format="PNG")
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY)  # optimize=True doubled the time
    return out.getvalue()


def _normalise_mode(image: Image.Image, extension: str) -> Image.Image:
    """sRGB pixels in a mode the output format takes; transparency only survives in PNG
    (a transparent HEIC is laid on white, as a viewer would show it)."""
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: scale, don't clip, to 8 bits
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    image = _to_srgb(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if extension == "png" and image.mode in ("1", "L", "LA", "RGB", "RGBA"):
        return image
    if extension == "png":
        return image.convert("RGBA" if has_alpha else "RGB")
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image if image.mode in ("L", "RGB") else image.convert("RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Phone photos carry a colour profile (Display P3); we drop profiles, so convert first."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode=output_mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _check_pdf(content: bytes, name: str) -> None:
    """Strict parse of the whole object graph; refuse encryption, scripts and attachments."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        encrypted = reader.is_encrypted
        hazardous = not encrypted and _pdf_has_hazard(reader)
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # noqa: BLE001 - hostile input makes pypdf raise anything
        raise _invalid(name) from error
    if encrypted:
        raise ValidationError(
            _("ไฟล์ PDF %(name)s มีการเข้ารหัส กรุณาบันทึกเป็น PDF ที่ไม่มีรหัสผ่านแล้วแนบใหม่") % {"name": name},
            code="pdf_encrypted",
        )
    if hazardous:
        raise ValidationError(
            _("ไฟล์ PDF %(name)s มีสคริปต์หรือไฟล์แนบซ่อนอยู่ ซึ่งไม่ปลอดภัย") % {"name": name},
            code="pdf_unsafe",
        )
    if pages == 0:
        raise _invalid(name)


def _pdf_has_hazard(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer. Names arrive decoded (/J#61vaScript is
    /JavaScript), objects inside object streams included; a graph too big to walk is refused."""
    stack, seen, steps = [reader.trailer], set(), 0
    while stack:
        steps += 1
        if steps > MAX_PDF_OBJECTS:
            return True
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if _PDF_HAZARD_KEYS.intersection(dict.keys(item)):
                return True
            if (
                _resolved(item, "/S") in _PDF_HAZARD_ACTIONS
                or _resolved(item, "/Subtype") in _PDF_HAZARD_SUBTYPES
                or _resolved(item, "/Type") == "/EmbeddedFile"
            ):
                return True
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    return False


def _resolved(dictionary: DictionaryObject, key: str):
    value = dict.get(dictionary, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def stage_files(uploads: list, *, already: list[StagedFile]) -> list[StagedFile]:
    """Check new uploads and keep them in the wizard's temporary storage.

    Raises one ValidationError listing every problem (bad files, more than MAX_FILES counting
    ``already``, more than MAX_TOTAL_BYTES stored in all); then nothing is staged. A file
    identical to one already staged (or picked twice) is skipped silently. Returns only the
    new StagedFile objects; the caller appends them to its list.
    """
    errors: list[str] = []
    checked: list[CheckedFile] = []
    seen = {staged.sha256 for staged in already}
    full = len(already) >= MAX_FILES  # then refuse without decoding anything
    for upload in [] if full else uploads[:MAX_FILES]:
        try:
            item = check_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if item.sha256 not in seen:
            seen.add(item.sha256)
            checked.append(item)
    too_many = full or len(uploads) > MAX_FILES or len(already) + len(checked) > MAX_FILES
    if uploads and too_many:
        message = _("แนบไฟล์ได้ไม่เกิน %(max)d ไฟล์") % {"max": MAX_FILES}
        if already:
            message += " " + _("(แนบไว้แล้ว %(count)d ไฟล์)") % {"count": len(already)}
        errors.insert(0, message)
    total = sum(staged.size for staged in already) + sum(item.size for item in checked)
    if total > MAX_TOTAL_BYTES:
        errors.append(_("ขนาดไฟล์รวมเกิน 25 MB"))
    if errors:
        raise ValidationError(errors)
    return _write_staged(checked)


def _write_staged(checked: list[CheckedFile]) -> list[StagedFile]:
    staged: list[StagedFile] = []
    try:
        for item in checked:
            entry = StagedFile(
                token=secrets.token_hex(16),
                original_name=item.original_name,
                kind=item.kind,
                content_type=item.content_type,
                extension=item.extension,
                size=item.size,
                sha256=item.sha256,
            )
            saved = wizard_upload_storage.save(entry.storage_name, ContentFile(item.content))
            if saved != entry.storage_name:
                raise OSError(f"temporary name taken: {entry.storage_name}")
            staged.append(entry)
    except BaseException:
        for entry in staged:
            discard_staged(entry)
        raise
    return staged


def discard_staged(staged: StagedFile) -> None:
    """Delete the temporary file (the citizen removed it, or it has been attached)."""
    wizard_upload_storage.delete(staged.storage_name)


def open_staged(staged: StagedFile) -> bytes:
    """The staged bytes, e.g. for a preview; FileNotFoundError once cleaned up."""
    with wizard_upload_storage.open(staged.storage_name, "rb") as handle:
        return handle.read()


def attach_staged(*, complaint, staged: list[StagedFile]) -> list[EvidenceFile]:
    """Store the staged files as the complaint's evidence. Call inside the submit
    transaction (after the complaint is saved): the temporary files are deleted only once it
    commits. A file gone from temporary storage, or changed there, raises ValidationError
    asking the citizen to attach it again, and the transaction should roll back."""
    if len(staged) > MAX_FILES or sum(item.size for item in staged) > MAX_TOTAL_BYTES:
        raise ValidationError(_("แนบไฟล์ได้ไม่เกิน %(max)d ไฟล์ รวมไม่เกิน 25 MB") % {"max": MAX_FILES})
    contents = [_staged_content(item) for item in staged]
    created: list[EvidenceFile] = []
    try:
        for item, content in zip(staged, contents, strict=True):
            evidence = EvidenceFile(
                complaint=complaint,
                original_name=item.original_name,
                kind=item.kind,
                content_type=CONTENT_TYPES[item.extension],
                size=len(content),
                sha256=item.sha256,
            )
            evidence.file.save(f"evidence.{item.extension}", ContentFile(content), save=False)
            created.append(evidence)
            evidence.save()
    except BaseException:
        for evidence in created:
            evidence.file.delete(save=False)
        raise

    def discard_all() -> None:
        for item in staged:
            discard_staged(item)

    transaction.on_commit(discard_all)
    return created


def _staged_content(item: StagedFile) -> bytes:
    try:
        content = open_staged(item)
    except FileNotFoundError:
        content = None
    if content is None or hashlib.sha256(content).hexdigest() != item.sha256:
        raise ValidationError(
            _("ไฟล์ %(name)s หมดเวลาเก็บชั่วคราวแล้ว กรุณาแนบไฟล์นี้อีกครั้ง") % {"name": item.original_name},
            code="staged_missing",
        )
    return content


def cleanup_stale_uploads(*, older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete temporary wizard uploads older than ``older_than`` (abandoned wizards), and
    evidence files no EvidenceFile row points to (a submit that rolled back after writing
    them). Returns how many files were deleted."""
    cutoff = timezone.now() - older_than
    deleted = _delete_old(wizard_upload_storage, "", cutoff, keep=set())
    try:
        years, _files = private_storage.listdir("evidence")
    except FileNotFoundError:
        years = []
    for year in years:
        folder = f"evidence/{year}"
        rows = EvidenceFile.objects.filter(file__startswith=f"{folder}/")
        kept = set(rows.values_list("file", flat=True))
        deleted += _delete_old(private_storage, folder, cutoff, keep=kept)
    return deleted


def _delete_old(storage, folder: str, cutoff, *, keep: set[str]) -> int:
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    deleted = 0
    for filename in files:
        name = f"{folder}/{filename}" if folder else filename
        if name in keep:
            continue
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                deleted += 1
        except FileNotFoundError:
            continue
    return deleted


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """A file input that takes several files at once (``<input type=file multiple>``) and
    cleans to a list of UploadedFile objects ([] when none). It checks nothing about the
    files: pass the list to ``stage_files``, whose messages know what is already staged."""

    def __init__(self, *, accept: str = ACCEPT, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        uploads = [self.to_python(item) for item in items if item not in self.empty_values]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        return uploads

    def has_changed(self, initial, data):
        return bool(data)
