"""A citizen's phone without a browser: what bench.complaint_filing and the load test share.

A plain HTTP client with a cookie jar that reads the CSRF token and each form's fields from the
HTML as a browser would send them, the camera photos it uploads, and the citizen's two
journeys through the site: log in and reach the complaint wizard (consent with the not-a-robot
check: the challenge fetched as the ALTCHA widget fetches it and solved here, as the phone would
solve it), then file a complaint through the four steps. Each
request carries an ``X-Bench-Step: <tag>:<step>`` header, so gunicorn's access log
(``%({x-bench-step}i)s``) tells which request took how long inside the server.
"""

import http.client
import io
import itertools
import json
import random
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import altcha

CATEGORY = "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา"
DETAILS = "ไฟถนนดับทั้งซอยมาหนึ่งสัปดาห์ กลางคืนมืดมาก เด็กนักเรียนเดินกลับบ้านลำบาก ขอให้มาซ่อมด้วยครับ"
PHOTO_NAMES = ("ไฟดับ-1.jpg", "ไฟดับ-2.jpg", "ไฟดับ-3.jpg", "ไฟดับ-4.jpg", "ไฟดับ-5.jpg")
ACCESS_LOG_FORMAT = "%({x-bench-step}i)s %(s)s %(D)s"
# What the consent page or the registration's last step says of an answer already used or too
# old (core.robot_check): a person then taps the box again.
ROBOT_AGAIN = ("การยืนยันนี้ใช้ไปแล้ว", "การยืนยันหมดเวลาแล้ว")
# The requests of log_in() and file_complaint(), in order, by the names they are timed under.
FILING_STEPS = (
    "login_get",
    "login_post",
    "consent_get",
    "robot_challenge",
    "consent_post",
    "step1_get",
    "step1_post",
    "step2_post",
    "step3_post",
    "confirm_post",
    "done_get",
)


class FilingError(Exception):
    """The site did not answer as a citizen's browser expected."""


# --- the evidence: phone photos of a given size and weight --------------------------------


def phone_photo(size: tuple[int, int], seed: int, target: int) -> bytes:
    """A camera-like JPEG (shapes on a gradient, sensor noise, GPS EXIF) at the highest
    quality that stays within ``target`` bytes, so the server decodes a real photo's worth."""
    from PIL import Image, ImageDraw

    from tests.complaints.files import phone_exif

    rnd, (width, height) = random.Random(seed), size
    ramp = Image.linear_gradient("L").resize(size)
    scene = Image.merge("RGB", (ramp, ramp.rotate(180), Image.new("L", size, 120)))
    draw = ImageDraw.Draw(scene)
    for _ in range(60):
        x, y, side = rnd.randrange(width), rnd.randrange(height), rnd.randrange(40, width // 6)
        draw.rectangle((x, y, x + side, y + side // 2), fill=tuple(rnd.choices(range(256), k=3)))
    photo = Image.blend(scene, Image.effect_noise(size, 30).convert("RGB"), 0.18)
    best, low, high = b"", 30, 95
    while low <= high:
        quality = (low + high) // 2
        buffer = io.BytesIO()
        photo.save(buffer, format="JPEG", quality=quality, exif=phone_exif())
        if buffer.tell() <= target:
            best, low = buffer.getvalue(), quality + 1
        else:
            high = quality - 1
    return best


def attachments(photos: list[bytes]) -> list[tuple[str, str, bytes]]:
    """Step 3's file fields: the photos under the names a phone gives them."""
    names = PHOTO_NAMES[: len(photos)]
    return [("evidence-attachments", n, data) for n, data in zip(names, photos, strict=True)]


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- a browser without a browser -----------------------------------------------------------


class FormFields(HTMLParser):
    """What the page's POST form would send by default, the options of each <select>, and
    where the not-a-robot check's script would fetch its challenge (and the field it fills)."""

    def __init__(self, html: str):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.options: dict[str, dict[str, str]] = {}
        self.robot_challenge_url = ""
        self.robot_field = ""
        self._in_robot_check = False
        self._select = self._option = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        name = attr.get("name")
        if "data-robot-check" in attr:
            self.robot_challenge_url = attr.get("data-challenge-url", "")
            self._in_robot_check = True
        if tag == "input" and name and self._in_robot_check and not self.robot_field:
            self.robot_field = name
        if tag == "input" and name and attr.get("type") not in ("submit", "file", "button"):
            if attr.get("type") not in ("radio", "checkbox") or "checked" in attr:
                self.fields[name] = attr.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.options[name] = {}
        elif tag == "option" and self._select:
            self._option = attr.get("value", "")
            if "selected" in attr:
                self.fields[self._select] = self._option
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._option is not None:
            self.options[self._select][data.strip()] = self._option
        elif self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str
    ms: float

    @property
    def location(self) -> str:
        """The redirect's target as a path (the site answers with absolute or relative URLs)."""
        return urlsplit(self.headers.get("Location", ""))._replace(scheme="", netloc="").geturl()


def loopback_addresses():
    """127.0.0.2, 127.0.0.3, ...: a loopback address of its own for each phone (Linux answers
    on all of 127.0.0.0/8), as each real phone has its own, so per-client rate limits count
    each simulated citizen apart."""
    for number in itertools.count(2):
        if number % 256 not in (0, 255):
            yield f"127.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


_ADDRESSES = loopback_addresses()


class Phone:
    """One citizen's browser: cookies, and the time of every request it made."""

    user_agent = "bench.phone"
    timeout = 60.0

    def __init__(self, port: int, tag: object):
        self.port, self.tag = port, tag
        self.cookies: dict[str, str] = {}
        self.times: dict[str, float] = {}
        self.source = next(_ADDRESSES)

    def send(self, step, method, path, *, body=b"", content_type=None) -> Response:
        """One request on a new connection, as a phone's browser often makes them."""
        headers = {"X-Bench-Step": f"{self.tag}:{step}", "User-Agent": self.user_agent}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        ms = (time.perf_counter() - started) * 1000
        self.times[step] = ms
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)  # deleted, as on log-out
        text = content.decode("utf-8", errors="replace")
        return Response(response.status, response.headers, text, ms)

    def request(self, step, method, path, *, body=b"", content_type=None, expect=200):
        """The page's HTML, or the redirect's path when ``expect`` is 302."""
        response = self.send(step, method, path, body=body, content_type=content_type)
        if response.status != expect:
            raise FilingError(f"{step}: HTTP {response.status}, expected {expect}")
        return response.location if expect == 302 else response.text

    def post_form(self, step, path, fields, *, expect=200, files=None):
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(step, "POST", path, body=body, content_type=content_type, expect=expect)


def showing(html: str, step: str, *texts: str) -> str:
    for text in texts:
        if text not in html:
            raise FilingError(f"{step}: page does not show {text!r}")
    return html


# --- the journeys ----------------------------------------------------------------------------


def log_in(phone: Phone, username: str, password: str) -> str:
    """Log in on the way to a new complaint; returns the consent page's path."""
    page = FormFields(phone.request("login_get", "GET", "/accounts/login/?next=/complaints/new/"))
    fields = {**page.fields, "username": username, "password": password}
    return phone.post_form("login_post", "/accounts/login/", fields, expect=302)


def pass_robot_check(phone: Phone, step: str, page: FormFields) -> dict[str, str]:
    """The tap on "ฉันไม่ใช่โปรแกรมอัตโนมัติ": the challenge from the site (one request, timed
    as ``step``), solved by this process as a phone's browser would solve it; the form field
    the widget then fills in."""
    if not page.robot_challenge_url:
        raise FilingError(f"{step}: the page has no not-a-robot check")
    challenge = altcha.Challenge.from_dict(
        json.loads(phone.request(step, "GET", page.robot_challenge_url))
    )
    solution = altcha.solve_challenge(challenge, timeout=60)
    if solution is None:
        raise FilingError(f"{step}: the challenge could not be solved")
    return {page.robot_field: altcha.Payload(challenge, solution).to_base64()}


def post_past_robot_check(phone, step, path, page, fields, *, robot_step, expect=302):
    """POST a form that carries the not-a-robot check. A person who sent it again after a
    "try again" page is told that the answer was used already, taps the box again and sends
    it once more: so does this (the load test's patient citizens)."""
    for attempt in (1, 2):
        answer = pass_robot_check(phone, robot_step, page)
        try:
            return phone.post_form(step, path, {**fields, **answer}, expect=expect)
        except FilingError as error:
            if attempt == 2 or not any(text in str(error) for text in ROBOT_AGAIN):
                raise


def file_complaint(phone: Phone, consent_path: str, area: dict, photos: list[bytes]) -> str:
    """Consent (the not-a-robot check passed), the four steps and the receipt; returns the
    tracking number the receipt page shows."""
    page = FormFields(
        showing(phone.request("consent_get", "GET", consent_path), "consent_get", "เข้าระบบร้องเรียน")
    )
    wizard = post_past_robot_check(
        phone, "consent_post", consent_path, page, page.fields, robot_step="robot_challenge"
    )
    page = FormFields(
        showing(phone.request("step1_get", "GET", wizard), "step1_get", "ขั้นตอนที่ ๑ จาก ๔")
    )
    html = showing(
        phone.post_form("step1_post", wizard, page.fields), "step1_post", "ขั้นตอนที่ ๒ จาก ๔"
    )
    page = FormFields(html)
    fields = {
        **page.fields,
        "details-category": page.options["details-category"][CATEGORY],
        "details-details": DETAILS,
        "details-target_place": "ซอยข้างตลาด",
        **area,
    }
    page = FormFields(
        showing(phone.post_form("step2_post", wizard, fields), "step2_post", "ขั้นตอนที่ ๓ จาก ๔")
    )
    fields = {**page.fields, "evidence-identity": "conceal"}
    files = attachments(photos)
    html = phone.post_form("step3_post", wizard, fields, files=files)
    page = FormFields(showing(html, "step3_post", "ขั้นตอนที่ ๔ จาก ๔", *(f[1] for f in files)))
    done = phone.post_form("confirm_post", wizard, page.fields, expect=302)
    showing(phone.request("done_get", "GET", done), "done_get", "ยื่นเรื่องร้องเรียนเรียบร้อยแล้ว")
    return done.rstrip("/").rsplit("/", 1)[-1]
