"""Hostile values for the bad-input sweep (no input may cause a 500), as Hypothesis strategies.

Every value a form field, query parameter, path segment or webhook field may receive: any
Unicode (lone surrogates included, sent as the invalid UTF-8 they encode to), script tags,
SQL fragments, path traversal, format strings, huge and non-finite numbers, absurd dates in
both eras, values just over each limit, 1 MB strings, and lists where one value is expected.

Markup payloads carry ``MARK`` so that a page showing one raw can be told from a page that
merely contains ``<script`` of its own.
"""

import json

from hypothesis import strategies as st

MARK = "fz9x"

SCRIPT_PAYLOADS = (
    f"<script>{MARK}()</script>",
    f'"><img src=x onerror={MARK}()>',
    f"'><svg/onload={MARK}()>",
    f"</textarea><script>{MARK}()</script>",
    f'<a href="javascript:{MARK}()">คลิก</a>',
    f"<iframe src=javascript:{MARK}()></iframe>",
    f"<ScRiPt >{MARK}()</sCrIpT>",
    f"<details open ontoggle={MARK}()>",
    f"javascript:{MARK}()",
)
SQL_FRAGMENTS = (
    "' OR '1'='1",
    "'; DROP TABLE complaints_complaint; --",
    "1; SELECT pg_sleep(10)--",
    '" OR ""="',
    "1' UNION SELECT password FROM accounts_user--",
    "%' AND 1=1 --",
    "\\'; --",
    "') OR ('a'='a",
    "%",
    "_",
    "*",
)
TRAVERSAL = (
    "../../etc/passwd",
    "../../../../../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "....//....//etc/passwd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%c0%af..%c0%afetc/passwd",
    "file:///etc/passwd",
    "\\\\server\\share\\x",
    "~/.ssh/id_rsa",
)
FORMATS = ("%s%s%s%n", "{0}{1}", "%(name)s", "%(", "{{ 7*7 }}", "{% debug %}", "${7*7}", "%d")
ODD_TEXT = (
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: fuzz=1",
    "\u202egpj.exe",
    "\ufeff",
    "\u200b\u200b",
    "e\u0301\u0301\u0301\u0301",
    "🙂" * 10,
    "๑๒๓๔๕๖๗๘๙๐",
    "１２３４５",
    "   ",
    "",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "\t\n\r\x0b\x0c",
    "\x1b[31m",
    "ก\u0e47\u0e47\u0e47",
    "\ud800",
    "\udfff\ud800",
)
NUMBERS = (
    "9" * 400,
    "-" + "9" * 60,
    "1e309",
    "-1e309",
    "1e-400",
    "Infinity",
    "-Infinity",
    "NaN",
    "nan",
    "0x7fffffff",
    str(2**63),
    str(-(2**63) - 1),
    str(2**31),
    str(2**64 + 1),
    "-1",
    "0",
    "-0",
    "1.5",
    "1,000",
    "๕",
    "1_000",
    " 7 ",
    "+1",
    "1" * 20,
)
DATES = (
    "0000-00-00",
    "-0001-01-01",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2569-02-30",
    "2569-13-45",
    "31/02/2569",
    "29/02/2567",
    "15/03/2528",
    "15/03/-2528",
    "15/03/1985",
    "1/1/1",
    "32/12/2569",
    "15-03-2528",
    "15.03.2528",
    "12/31/2024",
    "1899-12-31",
    "2443-01-01",
    "2400-01-01",
    "2401-01-01",
    "3000-01-01",
    "now",
    "-2569-10-01",
    "2026-10-01T00:00:00",
    "10000-01-01",
    "1970-01-01",
)
LIMITS = (10, 20, 30, 50, 100, 150, 200, 254, 255, 1000, 2000, 4000, 4096)
OVER_LIMIT = tuple("ก" * (n + 1) for n in LIMITS) + tuple("x" * (n + 1) for n in LIMITS)
ONE_MB = 1024 * 1024
# Pure ASCII reaches the forms (1 MB of it is under DATA_UPLOAD_MAX_MEMORY_SIZE); a Thai 1 MB
# string is 3 MB in UTF-8 and 9 MB percent-encoded, so the request itself is refused.
OVERSIZED = ("A" * ONE_MB, "ก" * (ONE_MB // 3), "<script>" * (ONE_MB // 8))

# The values most likely to break something, drawn far more often than the rest.
NASTY = (
    "\x00",
    "6\x000",
    "\ud800",
    "9" * 400,
    "1e309",
    "NaN",
    "-1",
    "0",
    "",
    "9999-12-31",
    "15/03/-2528",
    SCRIPT_PAYLOADS[0],
    SCRIPT_PAYLOADS[1],
    SQL_FRAGMENTS[0],
    TRAVERSAL[0],
    "%(name)s",
)

ATOMS = (
    SCRIPT_PAYLOADS
    + SQL_FRAGMENTS
    + TRAVERSAL
    + FORMATS
    + ODD_TEXT
    + NUMBERS
    + DATES
    + ("0812345678", "+66812345678", "somchai@example.com", "3100600445635", "NSN-2569-000001")
)

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
any_char = st.one_of(st.characters(), surrogates)


def hostile_text(*, oversized: bool = True) -> st.SearchStrategy[str]:
    """One string a user (or a script) could type into any box."""
    parts = [
        st.sampled_from(NASTY),
        st.sampled_from(NASTY),
        st.sampled_from(ATOMS),
        st.text(any_char, max_size=30),
        st.tuples(st.text(any_char, max_size=6), st.sampled_from(ATOMS), st.text(max_size=6)).map(
            "".join
        ),
        st.tuples(st.sampled_from(SCRIPT_PAYLOADS), st.sampled_from(ATOMS)).map("".join),
        st.sampled_from(OVER_LIMIT),
        st.integers().map(str),
        st.floats().map(str),
    ]
    if oversized:
        parts.append(st.sampled_from(OVERSIZED))
    return st.one_of(*parts)


def hostile_value(*, oversized: bool = True) -> st.SearchStrategy:
    """What one form field receives: usually one string, sometimes several (a list where a
    scalar goes) or nothing at all (``None``: the field is left out of the request)."""
    text = hostile_text(oversized=oversized)
    return st.one_of(
        text,
        text,
        text,
        st.lists(hostile_text(oversized=False), min_size=2, max_size=4),
        st.none(),
    )


@st.composite
def field_values(draw, names, *, fixed: dict | None = None, oversized: bool = True) -> dict:
    """A dict of hostile values for ``names`` (fields drawn as ``None`` are left out), with
    ``fixed`` values sometimes sent as a real browser would, so that later checks are reached."""
    fixed = fixed or {}
    if draw(st.integers(0, 3)) == 0:  # every field the same nasty value
        value = draw(st.sampled_from(NASTY))
        return {name: value for name in names}
    data = {}
    for name in names:
        if name in fixed and draw(st.booleans()):
            data[name] = fixed[name]
            continue
        value = draw(hostile_value(oversized=oversized))
        if value is not None:
            data[name] = value
    return data


# --- request bodies ---------------------------------------------------------------------------

ENCODINGS = ("multipart", "multipart", "urlencoded", "urlencoded", "json", "raw")
RAW_CONTENT_TYPES = (
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "multipart/form-data; boundary=" + "b" * 5000,
    "multipart/form-data; charset=bogus; boundary=zz",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "application/json",
    "text/plain",
    "application/xml",
    "",
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(any_char, max_size=20)
    | st.sampled_from(ATOMS),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
raw_bodies = st.one_of(
    st.binary(max_size=600),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode("utf-8", "surrogatepass")),
    st.sampled_from(
        (
            b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n',
            b"--x\r\nContent-Disposition: form-data; name=\r\n\r\nv\r\n--x--",
            b'--x\r\nContent-Disposition: form-data; filename="../../x"\r\n\r\nv\r\n--x--',
            b"a=%ff%fe&b=%c0%af&%00=%00",
            b"\xff\xfe\x00\x00",
            b"&&&===&&&",
            b"a=" + b"%" * 1000,
            b"x=1&" * 1200,  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS
            b'{"events": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            b'{"events": [' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"]}",
            b'{"events": [{"type": "message", "x": 1e999, "y": NaN}]}',
            rb'{"events": [{"type": "message\u0000", "webhookEventId": "\ud800"}]}',
        )
    ),
)


# --- uploads ----------------------------------------------------------------------------------

HOSTILE_FILE_NAMES = (
    "../../etc/passwd.jpg",
    "../../../../../../../../../tmp/fz9x-escaped.jpg",
    "..\\..\\..\\fz9x-escaped.png",
    f"<script>{MARK}()</script>.pdf",
    f'"><img src=x onerror={MARK}()>.jpg',
    "photo\x00.jpg",
    "photo.jpg\x00.exe",
    "/etc/passwd",
    "/tmp/fz9x-absolute.jpg",
    "CON.jpg",
    "x" * 300 + ".jpg",
    "ก" * 200 + ".pdf",
    "",
    ".",
    "..",
    "\u202egpj.exe",
    "\ud800.jpg",
    "%2e%2e%2ffz9x.jpg",
    ".htaccess",
    "a/b/c.jpg",
    "a\r\nX-Injected: 1.jpg",
    'quote".jpg',
    "รูปถ่าย.jpg",
    "IMG_0001.HEIC",
)


@st.composite
def uploads(draw, *, max_files: int = 3) -> list:
    """Files as a browser (or a script) sends them: hostile names, lying content types and
    contents from a real JPEG/PNG/PDF to a 10 MB + 1 byte blob."""
    from tests.fuzz.files import FILE_CONTENTS, Upload

    count = draw(st.integers(min_value=0, max_value=max_files))
    files = []
    for _ in range(count):
        files.append(
            Upload(
                name=draw(st.one_of(st.sampled_from(HOSTILE_FILE_NAMES), st.text(any_char))),
                content=FILE_CONTENTS[draw(st.sampled_from(sorted(FILE_CONTENTS)))](),
                content_type=draw(
                    st.sampled_from(
                        (
                            "image/jpeg",
                            "application/pdf",
                            "text/html",
                            "application/octet-stream",
                            "image/svg+xml",
                            "",
                            "image/jpeg\r\nX-Injected: 1",
                        )
                    )
                ),
                rfc2231=draw(st.booleans()),
            )
        )
    return files


@st.composite
def form_posts(draw, names, *, fixed: dict | None = None, prefix: str = "", extra=None):
    """One POST of a form: (data, encoding, raw body). ``names`` are the form's fields
    (``prefix`` added), ``extra`` a dict of further fields sent as they are (a wizard's
    management field); ``raw`` is used when the encoding drawn is "raw"."""
    values = draw(field_values(names, fixed=fixed))
    data = {f"{prefix}{name}": value for name, value in values.items()}
    data.update(extra or {})
    encoding = draw(st.sampled_from(ENCODINGS))
    raw = None
    if encoding == "raw":
        raw = (draw(raw_bodies), draw(st.sampled_from(RAW_CONTENT_TYPES)))
    return data, encoding, raw
