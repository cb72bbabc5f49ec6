"""The developer's phone simulator (/dev/line/): a LINE chat with our official account, played
against the local stand-in. Mounted only when DEBUG and LINE_USE_STANDIN (see cms/urls.py),
and every view checks both again, so it can never answer in production.

The stand-in listens on another port, so the page talks to it through the small same-origin
JSON proxy below rather than across origins.
"""

import json
import urllib.error
import urllib.request
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

PROXY_TIMEOUT = 15.0  # "send" waits for our own webhook to answer the stand-in


def standin_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (settings.DEBUG and settings.LINE_USE_STANDIN):
            raise Http404
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _standin(method: str, path: str, *, query: dict | None = None, body: bytes | None = None):
    """(status, content type, bytes) from the stand-in's control endpoints."""
    url = f"{settings.LINE_API_HOST.rstrip('/')}/__standin/{path}"
    if query:
        url += "?" + urlencode(query)
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=PROXY_TIMEOUT) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def _proxy(method: str, path: str, **kwargs) -> HttpResponse:
    try:
        status, content_type, payload = _standin(method, path, **kwargs)
    except (urllib.error.URLError, OSError):
        message = _("ติดต่อ LINE จำลองไม่ได้ ให้เริ่ม python manage.py line_standin ก่อน")
        return JsonResponse({"message": message}, status=502)
    return HttpResponse(payload, status=status, content_type=content_type)


def _json_body(request) -> bytes | None:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return json.dumps(data if isinstance(data, dict) else {}).encode()


@standin_only
@require_GET
def simulator(request):
    strings = {
        "noUsers": _("ยังไม่มีผู้ใช้ LINE จำลอง สร้างผู้ใช้ใหม่ได้ด้านบน"),
        "image": _("[รูปภาพ]"),
        "altText": _("ข้อความแจ้งเตือน:"),
        "sticker": _("[สติกเกอร์]"),
        "typing": _("กำลังพิมพ์…"),
        "notDelivered": _("ไม่ถึงผู้ใช้ (บล็อกบัญชีอยู่)"),
        "webhook": _("webhook ตอบ"),
        "postback": _("postback"),
        "unsupported": _("ข้อความชนิดนี้ยังแสดงในเครื่องจำลองไม่ได้"),
        "pickDate": _("วันที่ (ปปปป-ดด-วว)"),
        "menu": _("เมนู"),
        "noMenu": _("ยังไม่มีริชเมนู (python manage.py line_richmenu)"),
        "notImage": _("เลือกไฟล์รูปภาพ (JPEG หรือ PNG)"),
        "readFailed": _("อ่านไฟล์รูปภาพไม่ได้"),
    }
    return render(
        request,
        "line_integration/dev_simulator.html",
        {
            "standin_url": settings.LINE_API_HOST,
            "inapp_url": settings.LINE_ACCESS_HOST.rstrip("/") + "/__standin/inapp",
            "strings": strings,
        },
    )


@standin_only
@require_http_methods(["GET", "POST"])
def users(request):
    if request.method == "GET":
        return _proxy("GET", "users")
    body = _json_body(request)
    if body is None:
        return JsonResponse({"message": _("ข้อมูลไม่ถูกต้อง")}, status=400)
    return _proxy("POST", "users", body=body)


@standin_only
@require_GET
def chats(request):
    query = {"user": request.GET.get("user", ""), "since": request.GET.get("since", "0")}
    return _proxy("GET", "chats", query=query)


@standin_only
@require_http_methods(["POST"])
def send(request):
    body = _json_body(request)
    if body is None:
        return JsonResponse({"message": _("ข้อมูลไม่ถูกต้อง")}, status=400)
    return _proxy("POST", "send", body=body)


@standin_only
@require_GET
def sent(request):
    """What our code sent to LINE, as the stand-in recorded it (filter with ?path=)."""
    query = {key: request.GET[key] for key in ("path", "method", "since") if key in request.GET}
    return _proxy("GET", "requests", query=query)


@standin_only
@require_GET
def rich_menu_image(request, menu_id: str):
    return _proxy("GET", f"richmenu/{menu_id}/image")
