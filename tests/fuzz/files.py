"""Files the fuzz tests upload: real ones made in code and hostile ones, each built once."""

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from core.uploads import MAX_FILE_BYTES
from tests.complaints.factories import jpeg_bytes, pdf_bytes, png_bytes
from tests.fuzz.strategies import MARK


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"
    rfc2231: bool = False  # filename*=UTF-8''… instead of filename="…"


@cache
def pdf_with_script() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.alert('{MARK}')"),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def huge_blob() -> bytes:
    """One byte over the 10 MB limit, starting like a JPEG."""
    return jpeg_bytes()[:20] + b"\0" * (MAX_FILE_BYTES + 1 - 20)


@cache
def pixel_bomb() -> bytes:
    """A tiny PNG that claims 100,000 × 100,000 pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = (100_000).to_bytes(4, "big") * 2  # IHDR width and height (CRC now wrong)
    return bytes(data)


FILE_CONTENTS = {
    "jpeg": cache(jpeg_bytes),
    "png": cache(png_bytes),
    "pdf": cache(pdf_bytes),
    "pdf_script": pdf_with_script,
    "pdf_encrypted": encrypted_pdf,
    "empty": lambda: b"",
    "garbage": lambda: b"\x00\xff" * 64,
    "truncated_jpeg": lambda: jpeg_bytes()[:100],
    "svg_script": lambda: f'<svg xmlns="http://www.w3.org/2000/svg" onload="{MARK}()"/>'.encode(),
    "html": lambda: f"<html><script>{MARK}()</script></html>".encode(),
    "gif_polyglot": lambda: f"GIF89a<script>{MARK}()</script>".encode(),
    "pdf_header_only": lambda: b"%PDF-1.7\n%%EOF",
    "pixel_bomb": pixel_bomb,
    "huge": huge_blob,
}
