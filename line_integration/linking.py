"""Account linking: a LINE follower proves which site account is theirs by logging in.

Flow (LINE's account-link protocol): the "เชื่อมต่อบัญชี" postback issues a link token and
replies with a button to /line/link/?linkToken=...; the citizen logs in and confirms; we
create a nonce and send the browser to LINE's accountLink dialog; LINE then sends an
accountLink event carrying the nonce, which binds the LINE user to the nonce's account.
"""

import logging
from urllib.parse import urlencode

import urllib3
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from linebot.v3.messaging.exceptions import ApiException

from accounts.roles import staff_menu
from line_integration import messages as msg
from line_integration import selectors, services
from line_integration.client import messaging_api
from line_integration.services import LinkOutcome

logger = logging.getLogger(__name__)


def link_page_url(link_token: str) -> str:
    return msg.site_url(reverse("line:link") + "?" + urlencode({"linkToken": link_token}))


def line_dialog_url(*, link_token: str, nonce: str) -> str:
    query = urlencode({"linkToken": link_token, "nonce": nonce})
    return f"{settings.LINE_ACCESS_HOST.rstrip('/')}/dialog/bot/accountLink?{query}"


def issue_link_token(line_user_id: str) -> str:
    with messaging_api() as api:
        response = api.issue_link_token(line_user_id, _request_timeout=settings.LINE_HTTP_TIMEOUT)
    return response.link_token


def start_link(ctx) -> list[dict] | None:
    """Answer to the "เชื่อมต่อบัญชี" postback: a button to our login-and-confirm page."""
    if not ctx.is_from_user:
        return None
    if ctx.user is not None:
        return [
            msg.text(
                _(
                    "บัญชี LINE นี้เชื่อมต่อกับบัญชี %(username)s อยู่แล้ว หากต้องการเปลี่ยนบัญชี "
                    "กรุณายกเลิกการเชื่อมต่อที่หน้า “ข้อมูลของฉัน” บนเว็บไซต์ก่อน"
                )
                % {"username": ctx.user.username}
            )
        ]
    try:
        link_token = issue_link_token(ctx.line_user_id)
    except (ApiException, urllib3.exceptions.HTTPError, ValueError):
        logger.exception("LINE link token for %s failed", ctx.line_user_id)
        return [msg.text(_("ขออภัย ระบบเชื่อมต่อบัญชีขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้ง"))]
    return [
        msg.bubble(
            title=_("เชื่อมต่อบัญชี LINE"),
            lines=[
                _(
                    "กดปุ่มด้านล่าง แล้วเข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่านของเว็บไซต์ "
                    "เพื่อรับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE"
                ),
                _("ปุ่มนี้ใช้ได้ภายใน 10 นาที"),
            ],
            buttons=[msg.uri_action(_("เข้าสู่ระบบเพื่อเชื่อมต่อ"), link_page_url(link_token))],
        )
    ]


OUTCOME_TEXT = {
    LinkOutcome.LINKED: gettext_lazy(
        "เชื่อมต่อบัญชี LINE กับบัญชี %(username)s เรียบร้อยแล้ว ท่านจะได้รับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE"
    ),
    LinkOutcome.ALREADY_LINKED: gettext_lazy("บัญชี LINE นี้เชื่อมต่อกับบัญชี %(username)s อยู่แล้ว"),
    LinkOutcome.INVALID_NONCE: gettext_lazy(
        "ลิงก์เชื่อมต่อบัญชีหมดอายุหรือถูกใช้ไปแล้ว กรุณากด “เชื่อมต่อบัญชี” อีกครั้ง"
    ),
    LinkOutcome.LINE_USER_TAKEN: gettext_lazy(
        "บัญชี LINE นี้เชื่อมต่อกับบัญชีอื่นอยู่แล้ว จึงเชื่อมต่อไม่ได้ "
        "หากต้องการเปลี่ยน กรุณาเข้าสู่ระบบด้วยบัญชีเดิมแล้วยกเลิกการเชื่อมต่อที่หน้า “ข้อมูลของฉัน”"
    ),
    LinkOutcome.ACCOUNT_TAKEN: gettext_lazy(
        "บัญชี %(username)s เชื่อมต่อกับ LINE อื่นอยู่แล้ว จึงเชื่อมต่อไม่ได้ "
        "กรุณายกเลิกการเชื่อมต่อเดิมที่หน้า “ข้อมูลของฉัน” บนเว็บไซต์ก่อน"
    ),
}


def handle_account_link(ctx) -> list[dict]:
    """The accountLink event: bind if the nonce is good, and tell the citizen either way."""
    from line_integration.tasks import link_rich_menu

    link = ctx.event.get("link") or {}
    if link.get("result") != "ok":
        return [msg.text(_("เชื่อมต่อบัญชีไม่สำเร็จ กรุณากด “เชื่อมต่อบัญชี” เพื่อลองอีกครั้ง"))]
    result = services.complete_account_link(
        line_user_id=ctx.line_user_id, nonce=str(link.get("nonce") or "")
    )
    account = result.account
    username = ""
    if account is not None and account.user is not None:
        username = account.user.username
    if result.outcome in (LinkOutcome.LINKED, LinkOutcome.ALREADY_LINKED):
        ctx.account = account
        line_user_id = ctx.line_user_id
        transaction.on_commit(lambda: link_rich_menu.enqueue(line_user_id))
    if result.outcome == LinkOutcome.ACCOUNT_TAKEN:
        username = _nonce_username(link)
    return [msg.text(str(OUTCOME_TEXT[result.outcome]) % {"username": username})]


def _nonce_username(link: dict) -> str:
    from line_integration.models import LinkNonce

    nonce = LinkNonce.objects.filter(nonce=str(link.get("nonce") or "")).select_related("user")
    row = nonce.first()
    return row.user.username if row else ""


# Rich menus for staff -----------------------------------------------------------------------


def apply_rich_menu(line_user_id: str) -> str:
    """Give a linked staff member their role's rich menu, when that menu has been set up."""
    account = selectors.line_account(line_user_id)
    if account is None or not account.is_active:
        return "not-linked"
    role = staff_menu(account.user)
    if role is None:
        return "citizen"
    try:
        from line_integration import richmenu
    except ImportError:
        logger.info("No rich menu module; %s keeps the default menu", line_user_id)
        return "not-set-up"
    try:
        menu_id = richmenu.menu_id_for(role)
    except Exception:  # a missing menu must never break linking
        logger.exception("Rich menu for role %s could not be found", role)
        menu_id = None
    if not menu_id:
        logger.info("Rich menu for role %s is not set up (manage.py line_richmenu)", role)
        return "not-set-up"
    with messaging_api() as api:
        api.link_rich_menu_id_to_user(
            line_user_id, menu_id, _request_timeout=settings.LINE_HTTP_TIMEOUT
        )
    services.set_rich_menu_role(line_user_id=line_user_id, role=role)
    return "linked"


def remove_rich_menu(line_user_id: str) -> str:
    try:
        with messaging_api() as api:
            api.unlink_rich_menu_id_from_user(
                line_user_id, _request_timeout=settings.LINE_HTTP_TIMEOUT
            )
    except ApiException as exc:
        if exc.status == 404:
            return "none"
        raise
    return "unlinked"
