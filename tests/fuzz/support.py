"""Sending one hostile input and checking what a user would notice.

- ``isolated(client)``: one example in a savepoint that is rolled back afterwards (and the
  client's cookies put back), so every example starts from the same prepared state: the
  Hypothesis examples of one test share the ``db`` fixture's transaction.
- ``send(client, endpoint, method, path, data, ...)``: builds the request body by hand (own
  multipart and urlencoded encoders, so invalid UTF-8, NUL bytes and hostile file names reach
  the server exactly as a script would send them), counts it, checks the response, and follows
  a redirect to the page the user sees next and checks that too.
- ``check_page``: below 500, and no markup payload shown raw.
- ``snapshot(*models)``: every row of those models, to prove a refused submission left
  nothing behind (no new row, no changed field).
- ``FileSandbox``: no file written outside MEDIA_ROOT / PRIVATE_MEDIA_ROOT.
"""

import copy
import json
import os
import secrets
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_from_bytes, urlsplit

from django.db import transaction

from tests.fuzz.report import count
from tests.fuzz.strategies import MARK, SCRIPT_PAYLOADS

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


class RawMarkupFinder(HTMLParser):
    """Elements the browser would run that carry ``MARK``: an ``on…`` attribute, a
    ``javascript:`` URL, or a script element (not JSON data) whose code names it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_type = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARK in name or (name.startswith("on") and MARK in value):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                if MARK in value:
                    self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script_type = dict(attrs).get("type") or "text/javascript"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None

    def handle_data(self, data):
        if self._script_type and "json" not in self._script_type and f"{MARK}()" in data:
            self.found.append(f"<script>{data[:80]!r}")


def raw_markup(page: str) -> list[str]:
    finder = RawMarkupFinder()
    finder.feed(page)
    finder.close()
    return finder.found


# --- encoding requests ------------------------------------------------------------------------


def to_bytes(value) -> bytes:
    """UTF-8, with lone surrogates kept as the invalid bytes they stand for."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


def pairs(data: dict):
    for key, value in data.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            yield key, item


def urlencoded(data: dict) -> str:
    return "&".join(
        f"{quote_from_bytes(to_bytes(k), safe=b'')}={quote_from_bytes(to_bytes(v), safe=b'')}"
        for k, v in pairs(data)
    )


def _header_value(value) -> bytes:
    return to_bytes(value).replace(b'"', b"%22")


def multipart(data: dict, files=()) -> tuple[bytes, str]:
    """A multipart body with raw (possibly invalid) bytes; ``files`` are (field, Upload)."""
    boundary = f"fuzz{secrets.token_hex(12)}".encode()
    out = bytearray()
    for key, value in pairs(data):
        out += b"--" + boundary + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + _header_value(key) + b'"\r\n\r\n'
        out += to_bytes(value) + b"\r\n"
    for field, upload in files:
        if upload.rfc2231:
            name = b"filename*=UTF-8''" + quote_from_bytes(to_bytes(upload.name)).encode()
        else:
            name = b'filename="' + to_bytes(upload.name) + b'"'
        out += b"--" + boundary + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + _header_value(field) + b'"; ' + name
        out += b"\r\nContent-Type: " + to_bytes(upload.content_type) + b"\r\n\r\n"
        out += upload.content + b"\r\n"
    out += b"--" + boundary + b"--\r\n"
    return bytes(out), f"multipart/form-data; boundary={boundary.decode()}"


def body_for(data: dict, encoding: str, files=(), raw: tuple[bytes, str] | None = None):
    """(body, content type) of one request; files force multipart."""
    if files or encoding == "multipart":
        return multipart(data, files)
    if encoding == "urlencoded":
        return urlencoded(data).encode("ascii"), "application/x-www-form-urlencoded"
    if encoding == "json":
        text = json.dumps(data, ensure_ascii=True, default=str)
        return text.encode("ascii"), "application/json"
    if encoding == "raw" and raw is not None:
        return raw
    return urlencoded(data).encode("ascii"), "application/x-www-form-urlencoded"


def path_segment(value) -> str:
    return quote_from_bytes(to_bytes(value), safe=b"")


# --- sending and checking ---------------------------------------------------------------------


def check_page(response, what: str = "") -> None:
    """What any user would notice: a server error, or their markup running on the page."""
    assert response.status_code < 500, f"{what}: HTTP {response.status_code}"
    if getattr(response, "streaming", False):
        return
    if "html" not in response.get("Content-Type", ""):
        return
    page = response.content.decode("utf-8", "replace")
    for payload in SCRIPT_PAYLOADS:
        if "<" in payload or '"' in payload:
            assert payload not in page, f"{what}: markup shown raw: {payload!r}"
    found = raw_markup(page)
    assert not found, f"{what}: markup shown raw: {found}"


def send(
    client,
    endpoint: str,
    method: str,
    path: str,
    data: dict | None = None,
    *,
    encoding: str = "multipart",
    files=(),
    raw: tuple[bytes, str] | None = None,
    query: str | None = None,
    headers: dict | None = None,
    follow: bool = True,
):
    """One hostile request, counted under ``endpoint``; the response and the page a redirect
    leads to are checked with ``check_page``."""
    count(endpoint)
    data = data or {}
    extra = {"headers": headers or {}}
    if method == "GET":
        query_string = urlencoded(data) if query is None else query
        response = client.get(path, QUERY_STRING=query_string, **extra)
    else:
        body, content_type = body_for(data, encoding, files, raw)
        if query:
            path = f"{path}?{query}"
        response = client.generic(method, path, body, content_type=content_type, **extra)
    check_page(response, f"{method} {path}")
    if FileSandbox.active is not None:
        FileSandbox.active.assert_contained(f"{method} {path}")
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    if follow and location and not urlsplit(location).netloc:
        check_page(client.get(location), f"GET {location} after {method} {path}")
    return response


@contextmanager
def isolated(*clients):
    """Run one example and undo everything it wrote to the database and the clients' cookies."""
    cookies = [copy.deepcopy(client.cookies) for client in clients]
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        for client, saved in zip(clients, cookies, strict=True):
            client.cookies = saved


def snapshot(*models) -> dict:
    """Every row of ``models``, all fields: equal snapshots mean nothing was saved."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in models
    }


def changed(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def assert_unchanged(before: dict, models, what: str) -> None:
    after = snapshot(*models)
    assert not changed(before, after), (
        f"{what} was refused but saved rows: {changed(before, after)}"
    )


def new_rows(before: dict, after: dict, model) -> list:
    label = model._meta.label
    old = {row[0] for row in before[label]}
    return [row for row in after[label] if row[0] not in old]


# --- files ------------------------------------------------------------------------------------


class FileSandbox:
    """MEDIA_ROOT and PRIVATE_MEDIA_ROOT deep inside ``base``: a "../../x" that escaped them
    still lands in ``base`` (and is seen); absolute targets of hostile names are watched too."""

    active: "FileSandbox | None" = None  # the running test's, checked after every request

    WATCHED = (
        Path("/tmp/fz9x-escaped.jpg"),
        Path("/tmp/fz9x-absolute.jpg"),
        Path("/etc/passwd.jpg"),
        Path("/fz9x-escaped.png"),
    )

    def __init__(self, base: Path):
        self.base = base
        self.media = base / "srv" / "site" / "media"
        self.private = base / "srv" / "site" / "private_media"
        self.started = time.time()

    def stray_files(self) -> list[str]:
        stray = []
        for folder, _dirs, names in os.walk(self.base):
            for name in names:
                path = Path(folder) / name
                if not (path.is_relative_to(self.media) or path.is_relative_to(self.private)):
                    stray.append(str(path))
        for path in self.WATCHED:
            if path.exists() and path.stat().st_mtime >= self.started:
                stray.append(str(path))
        return stray

    def assert_contained(self, what: str = "") -> None:
        stray = self.stray_files()
        assert not stray, f"{what}: files written outside the media folders: {stray}"


def submit(client, endpoint, path, form, *, models=(), accepted=None, files=(), method="POST"):
    """POST one drawn form (``strategies.form_posts``); when ``accepted(response)`` is false
    the rows of ``models`` must be exactly as before. Returns (response, rows before)."""
    data, encoding, raw = form
    before = snapshot(*models)
    response = send(client, endpoint, method, path, data, encoding=encoding, files=files, raw=raw)
    if accepted is None or not accepted(response):
        assert_unchanged(before, models, f"{method} {path}")
    return response, before


def redirected_to(response, *prefixes) -> bool:
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return any(location.startswith(prefix) for prefix in prefixes)
