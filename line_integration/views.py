"""LINE's webhook and the citizen's pages for linking and unlinking a LINE account."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from line_integration import linking, selectors, services
from line_integration.webhook import InvalidWebhook, parse_signed_body

logger = logging.getLogger(__name__)

LINK_TOKEN_MAX = 200


@csrf_exempt
@require_POST
def webhook(request):
    """Store the signed events and answer at once; the worker talks to LINE afterwards."""
    try:
        events = parse_signed_body(request.body, request.headers.get("X-Line-Signature"))
    except InvalidWebhook as exc:
        logger.warning("Refused LINE webhook: %s", exc)
        return HttpResponseBadRequest("invalid webhook")
    services.record_webhook_events(events=events)
    return HttpResponse("OK", content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def link(request):
    """Confirm linking the LINE user who holds ``linkToken`` to the logged-in account."""
    source = request.POST if request.method == "POST" else request.GET
    link_token = source.get("linkToken", "").strip()
    if not link_token or len(link_token) > LINK_TOKEN_MAX:
        return render(request, "line_integration/link_invalid.html", status=400)
    if request.method == "POST":
        nonce = services.create_link_nonce(user=request.user)
        return HttpResponseRedirect(
            linking.line_dialog_url(link_token=link_token, nonce=nonce.nonce)
        )
    return render(
        request,
        "line_integration/link_confirm.html",
        {
            "link_token": link_token,
            "current_link": selectors.active_line_account_for(request.user),
        },
    )


@login_required
@require_POST
def unlink(request):
    if services.unlink_line_account(user=request.user) is None:
        messages.info(request, _("บัญชีนี้ไม่ได้เชื่อมต่อกับ LINE"))
    else:
        messages.success(request, _("ยกเลิกการเชื่อมต่อบัญชี LINE แล้ว"))
    return redirect("accounts:profile")
