"""Reading Open311's arguments: the GET requests filters and the POST of a new request.

A POST is checked by the wizard's own forms (``DetailsForm`` for what and where, and
``ComplainantForm`` for the phone and e-mail), fed from the GeoReport fields, so a partner's
case passes exactly the checks a citizen's does, with the same Thai messages.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from complaints.forms import ComplainantForm, DetailsForm
from complaints.urls_tracking import TrackingNumberConverter
from core import province
from open311.documents import STATES_OF

MAX_SPAN = datetime.timedelta(days=90)
MAX_IDS = 200
TRACKING_NUMBER = re.compile(TrackingNumberConverter.regex)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
NAME_MAX = 100
TITLE_MAX = 20
ID_MAX = 100
SUBDISTRICT_CODE = re.compile(r"^\d{6}$")


class ArgumentError(Exception):
    """A GeoReport argument that cannot be used: 400 with these descriptions."""

    def __init__(self, *descriptions: str):
        super().__init__(*descriptions)
        self.descriptions = descriptions


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def w3c_moment(name: str, value: str) -> datetime.datetime:
    """A W3C date-time (``2010-01-01T00:00:00Z``) or date; no offset means Bangkok time."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError
            moment = datetime.datetime.combine(day, datetime.time.min)
    except (ValueError, TypeError) as exc:
        raise ArgumentError(f"{name}: ต้องเป็นวันเวลารูปแบบ W3C เช่น 2026-01-01T00:00:00+07:00") from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive(name: str, value: str | None, default: int, maximum: int) -> int:
    if value in (None, ""):
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        raise ArgumentError(f"{name}: ต้องเป็นจำนวนเต็มบวก")
    return min(int(value), maximum)


@dataclass(frozen=True)
class RequestQuery:
    ids: list[str]
    service_codes: list[int]
    start: datetime.datetime | None
    end: datetime.datetime | None
    states: tuple[str, ...]
    page: int
    page_size: int


def request_query(params, *, now: datetime.datetime | None = None) -> RequestQuery:
    """The filters of GET requests. ``service_request_id`` overrides the others (spec);
    without dates the most recent 90 days are listed, and a range may span 90 days at most."""
    ids = _list(params.get("service_request_id"))[: MAX_IDS + 1]
    if len(ids) > MAX_IDS:
        raise ArgumentError(f"service_request_id: ขอได้ครั้งละไม่เกิน {MAX_IDS} เรื่อง")
    if any(not TRACKING_NUMBER.fullmatch(i) for i in ids):
        example = f"{province.tracking_prefix()}-2569-000123"
        raise ArgumentError(f"service_request_id: เลขที่เรื่องไม่ถูกต้อง (เช่น {example})")
    page = _positive("page", params.get("page"), 1, 10**6)
    page_size = _positive("page_size", params.get("page_size"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if ids:
        return RequestQuery(ids, [], None, None, (), page, page_size)
    codes = _list(params.get("service_code"))
    if any(not (code.isascii() and code.isdigit()) or len(code) > 9 for code in codes):
        raise ArgumentError("service_code: ไม่มีประเภทเรื่องนี้ ดูรายการได้ที่ services")
    statuses = _list(params.get("status"))
    if any(status not in STATES_OF for status in statuses):
        raise ArgumentError("status: ใช้ได้เฉพาะ open หรือ closed")
    states = tuple(state for status in dict.fromkeys(statuses) for state in STATES_OF[status])
    start_text, end_text = params.get("start_date"), params.get("end_date")
    start = w3c_moment("start_date", start_text) if start_text else None
    end = w3c_moment("end_date", end_text) if end_text else None
    if start is None and end is None:
        end = now or timezone.now()
    if start is None:
        start = end - MAX_SPAN
    elif end is None:
        end = start + MAX_SPAN
    if end < start:
        raise ArgumentError("end_date: ต้องไม่ก่อน start_date")
    if end - start > MAX_SPAN:
        raise ArgumentError("start_date, end_date: ช่วงวันที่ต้องไม่เกิน 90 วัน")
    return RequestQuery([], [int(c) for c in codes], start, end, states, page, page_size)


# --- POST requests ------------------------------------------------------------------------------


def _attribute(data, code: str) -> str:
    value = data.get(f"attribute[{code}]", "")
    return value.strip() if isinstance(value, str) else ""


def _short(data, name: str, limit: int) -> str:
    value = (data.get(name) or "").strip()
    if len(value) > limit:
        raise ArgumentError(f"{name}: ยาวเกินกำหนด ({limit} ตัวอักษร)")
    return value


@dataclass(frozen=True)
class NewRequest:
    details: dict  # DetailsForm's cleaned data, as complaint_submit takes it
    contact: dict  # ComplainantForm's
    title: str
    first_name: str
    last_name: str
    conceal_identity: bool
    media_url: str
    account_id: str
    device_id: str


# The wizard's field names as a partner knows them.
GEOREPORT_NAME = {
    "category": "service_code",
    "details": "description",
    "target_agency": "attribute[agency]",
    "target_place": "attribute[place]",
    "target_address": "address_string",
    "province": "attribute[subdistrict]",
    "district": "attribute[subdistrict]",
    "subdistrict": "attribute[subdistrict]",
    "latitude": "lat",
    "longitude": "long",
    "accuracy": "lat",
    "phone": "phone",
    "email": "email",
}


def new_request(data) -> NewRequest:
    """A POSTed request checked as the wizard checks a citizen's; ``ArgumentError`` lists
    every problem (field name, then the wizard's Thai message)."""
    problems = []
    latitude, longitude = data.get("lat", ""), data.get("long", "")
    address_string, address_id = (data.get("address_string") or "").strip(), data.get("address_id")
    if not ((latitude and longitude) or address_string or address_id):
        problems.append("lat, long, address_string, address_id: ต้องระบุตำแหน่งอย่างใดอย่างหนึ่ง")
    subdistrict = _attribute(data, "subdistrict") or (address_id or "").strip()
    if not SUBDISTRICT_CODE.match(subdistrict):
        problems.append("attribute[subdistrict]: กรุณาระบุรหัสตำบล 6 หลัก เช่น 600101")
        subdistrict = ""
    details = DetailsForm(
        {
            "category": data.get("service_code", ""),
            "details": data.get("description", ""),
            "target_agency": _attribute(data, "agency"),
            "target_place": _attribute(data, "place"),
            "target_address": address_string,
            "province": subdistrict[:2],
            "district": subdistrict[:4],
            "subdistrict": subdistrict,
            "latitude": latitude,
            "longitude": longitude,
        }
    )
    contact = ComplainantForm({"phone": data.get("phone", ""), "email": data.get("email", "")})
    for form in (details, contact):
        if not form.is_valid():
            for field, errors in form.errors.items():
                if field in ("province", "district", "subdistrict") and not subdistrict:
                    continue
                label = GEOREPORT_NAME.get(field, "request")
                problems.extend(f"{label}: {message}" for message in errors)
    try:
        first_name = _short(data, "first_name", NAME_MAX)
        last_name = _short(data, "last_name", NAME_MAX)
        title = _attribute(data, "title")[:TITLE_MAX]
        media_url = _media_url(data.get("media_url") or "")
        account_id, device_id = (
            _short(data, "account_id", ID_MAX),
            _short(data, "device_id", ID_MAX),
        )
    except ArgumentError as exc:
        problems.extend(exc.descriptions)
        first_name = last_name = title = media_url = account_id = device_id = ""
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if not value and not any(p.startswith(name) for p in problems):
            problems.append(f"{name}: กรุณาระบุชื่อและนามสกุลผู้ร้อง")
    conceal = _attribute(data, "conceal_identity") or "no"
    if conceal not in ("yes", "no"):
        problems.append("attribute[conceal_identity]: ใช้ได้เฉพาะ yes หรือ no")
    if problems:
        raise ArgumentError(*problems)
    return NewRequest(
        details=details.cleaned_data,
        contact=contact.cleaned_data,
        title=title,
        first_name=first_name,
        last_name=last_name,
        conceal_identity=conceal == "yes",
        media_url=media_url,
        account_id=account_id,
        device_id=device_id,
    )


def _media_url(value: str) -> str:
    """Kept as the partner's reference only (never fetched): an http(s) address or nothing."""
    value = value.strip()
    if not value:
        return ""
    field = forms.URLField(max_length=2000, assume_scheme="https")
    try:
        cleaned = field.clean(value)
    except forms.ValidationError as exc:
        raise ArgumentError("media_url: ต้องเป็นที่อยู่ http หรือ https") from exc
    if not cleaned.lower().startswith(("http://", "https://")):
        raise ArgumentError("media_url: ต้องเป็นที่อยู่ http หรือ https")
    return cleaned


__all__ = ["ArgumentError", "NewRequest", "RequestQuery", "new_request", "request_query"]
