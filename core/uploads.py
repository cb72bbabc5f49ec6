"""Files people send us (complaint evidence, chat pictures): check, clean, name.

A file is trusted for nothing but its bytes. The type is decided from the content (never the
name or the browser's Content-Type). Photos and screenshots are decoded and encoded again,
which drops EXIF/GPS/XMP and anything hidden after the image data; PDFs are parsed strictly and
refused when they could run code, carry other files or reach outside the document (their
actions are an allow-list), and otherwise kept as sent.

Most phone photos need neither turning, shrinking nor a colour conversion: a JPEG that is
upright, at most MAX_IMAGE_LONG_SIDE pixels long, in plain colour (RGB or grey) and without a
colour profile is kept as the phone coded it, without its metadata (``_jpeg_without_metadata``:
only the segments that make the picture, up to the end-of-image marker). Its pixels are still
all decoded, at an eighth of the size, so a truncated or corrupt file is refused the same way;
the officer sees the photo without a second JPEG generation's loss, and the check costs about a
third of a decode and re-encode (10 against 31 ms for a 5-megapixel photo).
"""

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

pillow_heif.register_heif_opener()

MAX_FILE_BYTES = 10 * 1024 * 1024
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
KIND_IMAGE, KIND_PDF = "image", "pdf"

# Anything that makes a PDF reader run code or carry other files, wherever it sits.
_PDF_HAZARD_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
_PDF_HAZARD_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen", "/3D"}
# Actions (PDF 32000-1, 12.6.4) are an allow-list: only those that stay inside the document
# pass (go to a page, a web or mail link, the four standard page turns, show or hide a field,
# switch layers, clear a form). Everything else reaches outside: another file (GoToR, GoToE,
# a UNC path leaks the reader's Windows log-in), a program (Launch), a form sent or data
# imported (SubmitForm, ImportData), scripts, media players, viewer menu items.
_PDF_SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Hide", "/SetOCGState", "/Trans", "/ResetForm"}
# Names that mean nothing but an action, refused wherever they are found.
_PDF_NEVER_ACTIONS = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData"}
_PDF_NEVER_ACTIONS |= {"/RichMediaExecute", "/Rendition", "/Movie", "/Sound"}
_PDF_SAFE_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
_PDF_SAFE_URI_SCHEMES = ("https://", "http://", "mailto:")
# Where actions sit: annotations, form fields and bookmarks (/A), the catalog (/OpenAction),
# the next action of a chain (/Next), and additional actions (/AA, a dictionary of them).
_PDF_ACTION_KEYS = ("/A", "/OpenAction", "/Next")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed ``check_upload``: ``content`` is what we will store."""

    content: bytes
    original_name: str
    kind: str  # KIND_IMAGE or KIND_PDF (EvidenceFile.Kind)
    content_type: str
    extension: str  # "jpg", "png" or "pdf"
    size: int
    sha256: str


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
        kind, extension = KIND_PDF, "pdf"
    else:
        content, extension = _clean_image(content, name)
        kind = KIND_IMAGE
    return CheckedFile(
        content=content,
        original_name=name,
        kind=kind,
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
    """Decode fully (truncated or corrupt files fail here), turn upright, shrink, re-encode;
    or, for a JPEG that needs none of it, keep its picture segments as they are."""
    try:
        with _open_image(content, name) as probe:
            source_format = probe.format
            as_coded = source_format == "JPEG" and _fits_as_coded(probe)
            probe.verify()
        if as_coded and (kept := _upright_jpeg(content, name)):
            return kept, "jpg"
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
    except Exception as error:  # hostile input makes Pillow raise anything
        raise _invalid(name) from error


def _fits_as_coded(image: Image.Image) -> bool:
    """An opened JPEG needs neither turning, shrinking nor a colour conversion (its header
    says so; no pixel is read)."""
    return (
        image.mode in ("RGB", "L")
        and max(image.size) <= MAX_IMAGE_LONG_SIDE
        and not image.info.get("icc_profile")
        and image.getexif().get(ORIENTATION, 1) == 1
    )


def _upright_jpeg(content: bytes, name: str) -> bytes | None:
    """A photo that ``_fits_as_coded`` without its metadata, or None for a marker this does not
    know. Every pixel is decoded first (at an eighth of the size: the same entropy-coded data,
    read to its end), so a truncated or corrupt file raises here."""
    with _open_image(content, name) as image:
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
    return _jpeg_without_metadata(content)


ORIENTATION = 0x0112  # EXIF tag
# JPEG markers (ITU T.81, B.1.1.3): what makes the picture is kept, nothing else.
_EOI, _SOS = 0xD9, 0xDA
_PICTURE_MARKERS = (set(range(0xC0, 0xD0)) - {0xC8}) | {0xDB, 0xDC, 0xDD}  # SOFn DHT DAC DQT ..
# JFIF's header (version, density: 12 bytes; a thumbnail of 0 x 0 after it) and Adobe's (how the
# colours are coded: 12 bytes) are written again with only those bytes:
# marker -> (what the header starts with, what follows its 12 bytes).
_HEADERS = {0xE0: (b"JFIF\x00", b"\x00\x00"), 0xEE: (b"Adobe", b"")}
_HEADER_BYTES = 12
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # past stuffed bytes and restart markers


def _jpeg_without_metadata(content: bytes) -> bytes | None:
    """SOI, the tables, frame and scans, EOI: APP1 (EXIF, GPS, XMP), APP2 and up (profiles,
    maker notes, IPTC), comments, JFIF's thumbnail and anything after the end of the image are
    left out; JFIF's and Adobe's headers stay (they only say how to read the pixels). None for a
    marker this does not know, so that the picture is decoded and encoded instead."""
    if not content.startswith(b"\xff\xd8"):
        return None
    out = [b"\xff\xd8"]
    at, size = 2, len(content)
    while at + 2 <= size:
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        length = int.from_bytes(content[at + 2 : at + 4], "big")
        end = at + 2 + length
        if length < 2 or end > size:
            return None
        if marker == _SOS:
            found = _NEXT_MARKER.search(content, end)
            while found and content[found.start() + 1] == 0xFF:  # fill bytes: the marker follows
                found = _NEXT_MARKER.search(content, found.start() + 1)
            if not found:
                return None
            out.append(content[at : found.start()])
            at = found.start()
            continue
        header = content[at + 4 : min(end, at + 4 + _HEADER_BYTES)]
        if marker in _PICTURE_MARKERS:
            out.append(content[at:end])
        elif (
            marker in _HEADERS
            and header.startswith(_HEADERS[marker][0])
            and len(header) == _HEADER_BYTES
        ):
            body = header + _HEADERS[marker][1]
            out.append(bytes([0xFF, marker]) + (2 + len(body)).to_bytes(2, "big") + body)
        elif not (0xE0 <= marker <= 0xEF or marker == 0xFE):  # APPn and COM are left out
            return None
        at = end
    return None


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
    """Strict parse of the whole object graph; refuse encryption, scripts, attachments and
    actions that reach outside the document."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        encrypted = reader.is_encrypted
        hazardous = not encrypted and _pdf_has_hazard(reader)
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # hostile input makes pypdf raise anything
        raise _invalid(name) from error
    if encrypted:
        raise ValidationError(
            _("ไฟล์ PDF %(name)s มีการเข้ารหัส กรุณาบันทึกเป็น PDF ที่ไม่มีรหัสผ่านแล้วแนบใหม่") % {"name": name},
            code="pdf_encrypted",
        )
    if hazardous:
        raise ValidationError(
            _("ไฟล์ PDF %(name)s มีสคริปต์ ไฟล์แนบ หรือคำสั่งที่เปิดสิ่งที่อยู่นอกเอกสาร ซึ่งไม่ปลอดภัย")
            % {"name": name},
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
            if _dictionary_hazard(item):
                return True
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    return False


def _dictionary_hazard(item: DictionaryObject) -> bool:
    if _PDF_HAZARD_KEYS.intersection(dict.keys(item)):
        return True
    if _resolved(item, "/Subtype") in _PDF_HAZARD_SUBTYPES:
        return True
    if _resolved(item, "/Type") == "/EmbeddedFile":
        return True
    # An action is judged where it sits, and also anywhere it says it is one.
    if (_is_action(item) or _resolved(item, "/S") in _PDF_NEVER_ACTIONS) and not _safe_action(item):
        return True
    return not all(_safe_action(action) for action in _actions_in(item))


def _is_action(dictionary: DictionaryObject) -> bool:
    return _resolved(dictionary, "/Type") == "/Action"


def _actions_in(dictionary: DictionaryObject):
    """The actions this dictionary holds. Under /A a dictionary without /S is no action (a
    tagged PDF's structure attributes); under the other keys it must be one."""
    for key in _PDF_ACTION_KEYS:
        value = _resolved(dictionary, key)
        if isinstance(value, DictionaryObject):
            if key != "/A" or "/S" in value or _is_action(value):
                yield value
        elif isinstance(value, ArrayObject) and key == "/Next":
            yield from (element.get_object() for element in value)
    additional = _resolved(dictionary, "/AA")
    if isinstance(additional, DictionaryObject):
        yield from (value.get_object() for value in dict.values(additional))


def _safe_action(action) -> bool:
    if not isinstance(action, DictionaryObject):
        return False
    kind = _resolved(action, "/S")
    if kind not in _PDF_SAFE_ACTIONS:
        return False
    if kind == "/Named":
        return _resolved(action, "/N") in _PDF_SAFE_NAMED
    if kind == "/URI":
        uri = _resolved(action, "/URI")
        text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri or "")
        return text.strip().lower().startswith(_PDF_SAFE_URI_SCHEMES)
    return True


def _resolved(dictionary: DictionaryObject, key: str):
    value = dict.get(dictionary, key)
    return value.get_object() if isinstance(value, IndirectObject) else value
