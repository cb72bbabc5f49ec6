"""One simulated citizen: registers through the registration wizard, links LINE, logs out and in
again, accepts the consent, files a complaint with a photo and tracks it; and the figures all
citizens share.

The browser part (cookies, CSRF, forms, the complaint wizard) is bench.phone's. A citizen
pauses between the pages it fills in ("think time", uniform between half and one and a half
times LOADTEST_THINK_S), not before what a browser fetches by itself (a redirect's target, the
not-a-robot challenge the tap fetches, the address lists the page's script asks for).
"""

import json
import random
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from stdnum.th import pin

from bench.common import percentile
from bench.phone import (
    FILING_STEPS,
    FilingError,
    FormFields,
    Phone,
    Response,
    file_complaint,
    log_in,
    post_past_robot_check,
    showing,
)

PASSWORD = "nakhon2569sawan"
REGISTERED = "ลงทะเบียนเรียบร้อยแล้ว"
# Pages a citizen reads or fills in before the request; the others follow at once.
THOUGHTFUL = {
    "reg_get",
    "reg_account",
    "reg_person",
    "reg_address",
    "reg_confirm",
    "logout_post",
    "login_get",
    "login_post",
    "consent_post",
    "step1_post",
    "step2_post",
    "step3_post",
    "confirm_post",
    "track_list",
    "track_detail",
}
STEPS = (
    "reg_get",
    "reg_account",
    "reg_person",
    "districts_api",
    "subdistricts_api",
    "reg_address",
    "reg_robot",
    "reg_confirm",
    "profile_get",
    "logout_post",
    *FILING_STEPS,
    "track_list",
    "track_detail",
)
THAI_TRY_AGAIN = "กรุณาลองใหม่"
FIRST_NAMES = ("สมชาย", "สมศรี", "วิชัย", "มาลี", "ประเสริฐ", "บุญมี", "กาญจนา", "สุนทร")
LAST_NAMES = ("ใจดี", "รักไทย", "มีสุข", "ทองคำ", "ศรีสวัสดิ์", "บุญเรือง", "แก้วมณี")


@dataclass(frozen=True)
class Identity:
    number: int

    @property
    def national_id(self) -> str:
        digits = f"{1 + self.number % 8}{self.number:011d}"
        return digits + pin.calc_check_digit(digits)

    @property
    def username(self) -> str:
        return f"c{self.number:07d}"

    @property
    def phone(self) -> str:
        return f"08{self.number % 100_000_000:08d}"


class Stats:
    """What every citizen saw, behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.error_samples: list[str] = []
        self.unavailable: Counter = Counter()  # Thai 503 pages, per step
        self.bad_unavailable: list[str] = []  # 503 without Thai text, or with a stack trace
        self.journeys: list[float] = []
        self.confirmed: dict[str, str] = {}  # tracking number -> username
        self.unlinked = 0
        self.window: list[float] = []  # every answer's ms since the last progress line

    def timed(self, step: str, response: Response) -> None:
        with self.lock:
            self.statuses[response.status] += 1
            if response.status < 500:
                self.ms[step].append(response.ms)
                self.window.append(response.ms)

    def take_window(self) -> list[float]:
        """The answers' ms since the last call: whether slow answers came all at once."""
        with self.lock:
            window, self.window = self.window, []
        return window

    def error(self, step: str, message: str) -> None:
        with self.lock:
            self.errors[step] += 1
            if len(self.error_samples) < 20:
                self.error_samples.append(message[:300])

    def saw_unavailable(self, step: str, response: Response) -> None:
        with self.lock:
            self.unavailable[step] += 1
            text = response.text
            if THAI_TRY_AGAIN not in text or "Traceback" in text or 'File "/' in text:
                self.bad_unavailable.append(f"{step}: {text[:200]!r}")

    def requests(self) -> int:
        return sum(self.statuses.values())

    def step_lines(self) -> list[tuple[str, int, float, float, float, float]]:
        """(step, n, p50, p95, p99, max) in journey order."""
        rows = []
        for step in STEPS:
            values = self.ms.get(step)
            if values:
                rows.append(
                    (
                        step,
                        len(values),
                        percentile(values, 50),
                        percentile(values, 95),
                        percentile(values, 99),
                        max(values),
                    )
                )
        return rows


def what_it_says(html: str) -> str:
    """A page's title and first error message, to tell what went wrong."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    error = re.search(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', html, re.S)
    parts = [m[1].strip() for m in (title, error) if m] or [html[:120]]
    return " | ".join(" ".join(part.split()) for part in parts)


class Citizen(Phone):
    """A phone that thinks before it acts, records what it saw, and (when ``patient``) tries
    again a few seconds after a "try again" page, as a person would."""

    user_agent = "loadtest.citizen"

    patience_s = 180.0  # how long a patient citizen keeps trying one page

    def __init__(self, port, tag, *, stats: Stats, think_s: float, patient: bool):
        super().__init__(port, tag)
        self.stats, self.think_s, self.patient = stats, think_s, patient

    def send(self, step, method, path, *, body=b"", content_type=None) -> Response:
        if step in THOUGHTFUL and self.think_s:
            time.sleep(random.uniform(0.5, 1.5) * self.think_s)
        give_up = time.monotonic() + self.patience_s
        while True:
            try:
                response = super().send(step, method, path, body=body, content_type=content_type)
            except OSError as error:
                self.stats.error(step, f"{step}: {error.__class__.__name__}: {error}")
                if not self.patient or time.monotonic() > give_up:
                    raise FilingError(f"{step}: {error}") from error
                time.sleep(2)
                continue
            self.stats.timed(step, response)
            if response.status < 500:
                return response
            if response.status == 503:
                self.stats.saw_unavailable(step, response)
            else:
                self.stats.error(step, f"{step}: HTTP {response.status} {response.text[:120]!r}")
            if not self.patient or time.monotonic() > give_up:
                return response
            time.sleep(random.uniform(2, 4))  # reads the page, then reloads or sends again

    def request(self, step, method, path, *, body=b"", content_type=None, expect=200):
        response = self.send(step, method, path, body=body, content_type=content_type)
        if response.status != expect:
            raise FilingError(
                f"{step}: HTTP {response.status}, expected {expect}: {what_it_says(response.text)}"
            )
        return response.location if expect == 302 else response.text

    def get_json(self, step: str, path: str) -> dict:
        return json.loads(self.request(step, "GET", path))


def register(phone: Citizen, who: Identity) -> None:
    """The registration wizard, four steps, the address chosen as the page's script does."""
    page = FormFields(
        showing(phone.request("reg_get", "GET", "/accounts/register/"), "reg_get", "จาก ๔")
    )
    fields = {
        **page.fields,
        "account-national_id": who.national_id,
        "account-username": who.username,
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    html = phone.post_form("reg_account", "/accounts/register/", fields)
    page = FormFields(showing(html, "reg_account", "ขั้นตอนที่ ๒ จาก ๔"))
    fields = {
        **page.fields,
        "person-title": random.choice([v for v in page.options["person-title"].values() if v]),
        "person-first_name": random.choice(FIRST_NAMES),
        "person-last_name": random.choice(LAST_NAMES),
        "person-birth_date": f"{random.randint(1950, 2005)}-0{random.randint(1, 9)}-15",
        "person-phone": who.phone,
        "person-email": f"{who.username}@example.com",
    }
    html = phone.post_form("reg_person", "/accounts/register/", fields)
    page = FormFields(showing(html, "reg_person", "ขั้นตอนที่ ๓ จาก ๔"))
    province = page.options["address-province"]["นครสวรรค์"]
    districts = phone.get_json("districts_api", f"/addresses/api/districts/?province={province}")
    district = random.choice(districts["options"])["value"]
    path = f"/addresses/api/subdistricts/?district={district}"
    subdistrict = random.choice(phone.get_json("subdistricts_api", path)["options"])["value"]
    fields = {
        **page.fields,
        "address-house_number": str(random.randint(1, 300)),
        "address-moo": str(random.randint(1, 12)),
        "address-province": province,
        "address-district": district,
        "address-subdistrict": subdistrict,
    }
    html = phone.post_form("reg_address", "/accounts/register/", fields)
    page = FormFields(showing(html, "reg_address", "ขั้นตอนที่ ๔ จาก ๔"))
    fields = {**page.fields, "confirm-accept_privacy_notice": "on"}
    profile = post_past_robot_check(
        phone, "reg_confirm", "/accounts/register/", page, fields, robot_step="reg_robot"
    )
    showing(phone.request("profile_get", "GET", profile), "profile_get", REGISTERED)


def log_out(phone: Citizen) -> None:
    """The header's log-out button (its form carries the CSRF cookie's token)."""
    fields = {"csrfmiddlewaretoken": phone.cookies.get("csrftoken", "")}
    phone.post_form("logout_post", "/accounts/logout/", fields, expect=302)


def track(phone: Citizen, tracking_number: str) -> None:
    """เรื่องร้องเรียนของฉัน, then the complaint's own page."""
    showing(phone.request("track_list", "GET", "/complaints/"), "track_list", tracking_number)
    path = f"/complaints/{tracking_number}/"
    showing(phone.request("track_detail", "GET", path), "track_detail", tracking_number)


def journey(phone: Citizen, who: Identity, *, area: dict, photo: bytes, link_line) -> str:
    """Everything one citizen does; returns the tracking number the receipt showed."""
    register(phone, who)
    if link_line(who.username) is None:
        phone.stats.unlinked += 1
    log_out(phone)
    consent = log_in(phone, who.username, PASSWORD)
    tracking_number = file_complaint(phone, consent, area, [photo])
    with phone.stats.lock:
        phone.stats.confirmed[tracking_number] = who.username
    track(phone, tracking_number)
    return tracking_number
