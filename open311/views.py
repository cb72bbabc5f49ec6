"""Open311 GeoReport v2 under /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

``.xml`` or ``.json`` after a resource chooses the format (JSON without one). GETs need no
key; POST requests needs a partner's ``api_key`` (403 without an active one) and is counted
per key (429 past ``OPEN311_POST_LIMIT`` an hour). Public GETs are counted per client address
(``OPEN311_GET_LIMIT`` a minute). Every refusal is the specification's error list.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from complaints.models import Complaint, ComplaintCategory, StateChange
from core.centre import identity as centre_identity
from core.http import client_ip
from core.ratelimit import Rate, allow
from open311 import documents, georeport
from open311.forms import ArgumentError, new_request, request_query
from open311.keys import active_key, known_key
from open311.models import PartnerRequest
from open311.services import partner_request_submit

READ_METHODS = ("GET", "HEAD")


def _get_rate() -> Rate:
    return Rate(settings.OPEN311_GET_LIMIT, 60)


def _post_rate() -> Rate:
    return Rate(settings.OPEN311_POST_LIMIT, 3600)


def _refusal(request, fmt: str, methods: tuple[str, ...]):
    """What every resource checks first: the method, the jurisdiction, the public rate."""
    if request.method not in methods:
        allowed = ", ".join(m for m in methods if m != "HEAD")
        return georeport.error(
            fmt, 405, f"ใช้ได้เฉพาะ {allowed}", headers={"Allow": ", ".join(methods)}
        )
    params = request.POST if request.method == "POST" else request.GET
    jurisdiction = (params.get("jurisdiction_id") or "").strip()
    if jurisdiction and jurisdiction.lower() != documents.jurisdiction_id():
        return georeport.error(
            fmt, 404, f"jurisdiction_id: ไม่พบเขตนี้ ระบบนี้ให้บริการ {documents.jurisdiction_id()}"
        )
    if request.method in READ_METHODS and not allow("open311-get", client_ip(request), _get_rate()):
        return _too_many(fmt, 60)
    return None


def _too_many(fmt: str, seconds: int):
    return georeport.error(
        fmt,
        429,
        "ส่งคำขอถี่เกินกำหนด กรุณารอสักครู่แล้วลองใหม่",
        headers={"Retry-After": str(seconds)},
    )


CHANGESET = "2026-01-01T00:00:00+07:00"  # when this endpoint's behaviour last changed


def discovery(request, fmt: str = georeport.JSON):
    """Open311 service discovery: where the GeoReport v2 endpoint is and what it speaks."""
    refused = _refusal(request, fmt, READ_METHODS)
    if refused:
        return refused
    document = {
        "changeset": CHANGESET,
        "contact": f"{documents.centre_name()} สายด่วน {centre_identity().hotline}",
        "key_service": "ขอกุญแจ API สำหรับส่งเรื่อง (POST) ได้ที่ศูนย์ดำรงธรรม หัวหน้าเจ้าหน้าที่เป็นผู้ออกกุญแจ",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": request.build_absolute_uri(reverse("open311:root")).rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return georeport.respond(document, fmt, root="discovery")


def services(request, fmt: str = georeport.JSON):
    """GET services: every active category is a service."""
    refused = _refusal(request, fmt, READ_METHODS)
    if refused:
        return refused
    categories = ComplaintCategory.objects.filter(is_active=True).order_by("sort_order", "name")
    return georeport.respond([documents.service(c) for c in categories], fmt, root="services")


def service_definition(request, code: str, fmt: str = georeport.JSON):
    """GET services/{service_code}: the extra fields every category asks (subdistrict...)."""
    refused = _refusal(request, fmt, READ_METHODS)
    if refused:
        return refused
    category = _category(code)
    if category is None:
        return georeport.error(fmt, 404, "service_code: ไม่มีประเภทเรื่องนี้ ดูรายการได้ที่ services")
    return georeport.respond(documents.service_definition(category), fmt, root="service_definition")


def _category(code: str) -> ComplaintCategory | None:
    if not (code and code.isascii() and code.isdigit() and len(code) <= 9):
        return None
    return ComplaintCategory.objects.filter(pk=int(code), is_active=True).first()


@csrf_exempt
def service_requests(request, fmt: str = georeport.JSON):
    """GET requests (the filters of the specification, paged) and POST requests."""
    refused = _refusal(request, fmt, (*READ_METHODS, "POST"))
    if refused:
        return refused
    if request.method == "POST":
        return _create(request, fmt)
    try:
        query = request_query(request.GET)
    except ArgumentError as exc:
        return georeport.error(fmt, 400, *exc.descriptions)
    complaints = documents.requests_queryset()
    if query.ids:
        complaints = complaints.filter(tracking_number__in=query.ids)
    else:
        complaints = complaints.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if query.service_codes:
            complaints = complaints.filter(category_id__in=query.service_codes)
        if query.states:
            complaints = complaints.filter(state__in=query.states)
    first = (query.page - 1) * query.page_size
    page = list(complaints[first : first + query.page_size + 1])
    more = len(page) > query.page_size
    page = page[: query.page_size]
    headers = {}
    if more:
        following = request.GET.copy()
        following["page"] = str(query.page + 1)
        following["page_size"] = str(query.page_size)
        headers["Link"] = f'<{request.path}?{urlencode(following, doseq=True)}>; rel="next"'
    return georeport.respond(
        _documents(request, page), fmt, root="service_requests", headers=headers
    )


def service_request(request, request_id: str, fmt: str = georeport.JSON):
    """GET requests/{service_request_id}: the id is the tracking number."""
    refused = _refusal(request, fmt, READ_METHODS)
    if refused:
        return refused
    complaint = (
        documents.requests_queryset().filter(tracking_number=request_id[:40]).first()
        if request_id.isascii()
        else None
    )
    if complaint is None:
        return georeport.error(fmt, 404, "service_request_id: ไม่พบเรื่องนี้")
    return georeport.respond(_documents(request, [complaint]), fmt, root="service_requests")


def _documents(request, complaints: list[Complaint]) -> list[dict]:
    """The page's cases, each with its last public event; in full for the partner that filed
    them (its key in the query)."""
    ids = [c.pk for c in complaints]
    updated = dict(
        StateChange.objects.filter(complaint_id__in=ids, kind__in=documents.PUBLIC_KINDS)
        .values("complaint_id")
        .annotate(last=Max("at"))
        .values_list("complaint_id", "last")
    )
    key = active_key(request.headers.get("X-Api-Key") or request.GET.get("api_key"))
    filed = set()
    if key is not None and ids:
        filed = set(
            PartnerRequest.objects.filter(api_key=key, complaint_id__in=ids).values_list(
                "complaint_id", flat=True
            )
        )
    centre = documents.centre_name()
    for complaint in complaints:
        complaint.public_updated_at = updated.get(complaint.pk)
    return [
        documents.service_request(c, centre=centre, for_filer=c.pk in filed) for c in complaints
    ]


def _create(request, fmt: str):
    raw_key = request.POST.get("api_key") or request.headers.get("X-Api-Key")
    key = active_key(raw_key)
    if key is None:
        revoked = raw_key and known_key(raw_key) is not None
        reason = "api_key: กุญแจนี้ถูกยกเลิกแล้ว" if revoked else "api_key: ไม่มีหรือไม่ถูกต้อง"
        return georeport.error(fmt, 403, reason)
    if not allow("open311-post", key.pk, _post_rate()):
        return _too_many(fmt, 3600)
    code = (request.POST.get("service_code") or "").strip()
    if not code:
        return georeport.error(fmt, 400, "service_code: กรุณาระบุประเภทเรื่อง")
    if _category(code) is None:
        return georeport.error(fmt, 404, "service_code: ไม่มีประเภทเรื่องนี้ ดูรายการได้ที่ services")
    try:
        checked = new_request(request.POST)
    except ArgumentError as exc:
        return georeport.error(fmt, 400, *exc.descriptions)
    try:
        complaint = partner_request_submit(key=key, request=checked, client_ip=client_ip(request))
    except ValidationError as exc:
        return georeport.error(fmt, 400, *exc.messages)
    document = [
        {
            "service_request_id": complaint.tracking_number,
            "service_notice": documents.service_notice(),
            "account_id": checked.account_id or None,
        }
    ]
    return georeport.respond(document, fmt, root="service_requests", status=201)
