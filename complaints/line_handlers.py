"""ติดตามเรื่อง in LINE: the rich menu's "menu=track" and typed "ติดตาม", "ติดตาม CMI-…" or a bare
tracking number (any province's prefix: numbers keep the one they were given). Imported by
line_integration.handlers on the first webhook event.

A LINE user only ever sees complaints of the site account linked to them; a number that is not
theirs gets the same answer as a number that does not exist, so nothing leaks. Always in Thai:
the answer is read in the LINE chat, whatever language the site was in.
"""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from complaints import deadlines, selectors
from complaints.line_messages import complaint_detail_path
from complaints.models import Complaint, State
from core import menu, province
from core.thai_dates import format_thai_date, format_thai_datetime
from line_integration import messages as msg
from line_integration.handlers import (
    EventContext,
    register_postback,
    register_text,
    service_action,
)

TRACK_PURPOSE = "complaints.track"
CAROUSEL_MAX = 12  # LINE's limit for bubbles in one carousel
LATEST = 5
NUMBER = r"[A-Za-z]{2,5}[-\s]?[0-9๐-๙]{4}[-\s]?[0-9๐-๙]{6,}"
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def normalize_tracking_number(typed: str) -> str:
    """ "cmi 2569 000123" or Thai digits as typed on a phone -> "CMI-2569-000123"."""
    typed = typed.translate(THAI_DIGITS)
    prefix = re.match(r"[A-Za-z]*", typed).group().upper()
    digits = re.sub(r"[^0-9]", "", typed)
    return f"{prefix}-{digits[:4]}-{digits[4:]}"


# Messages ------------------------------------------------------------------------------------


def rate_url(complaint: Complaint) -> str:
    return msg.signed_in_url(
        reverse("complaints:rate", kwargs={"tracking_number": complaint.tracking_number})
    )


def status_bubble(complaint: Complaint, *, latest_note: bool = False) -> dict:
    """One complaint: number, category, state, date, deadline and a link to its page."""
    lines = [
        _("ประเภท: %(category)s") % {"category": complaint.category.name},
        _("สถานะ: %(state)s") % {"state": complaint.get_state_display()},
        _("วันที่ยื่น: %(date)s") % {"date": format_thai_date(complaint.submitted_at)},
    ]
    if deadlines.days_left(complaint) is not None:
        lines.append(_("กำหนดแจ้งผล: %(badge)s") % {"badge": deadlines.badge(complaint)["label"]})
    if latest_note:
        last = selectors.public_history(complaint).exclude(public_note="").last()
        if last is not None:
            lines.append(
                _("ความคืบหน้าล่าสุด (%(at)s): %(note)s")
                % {
                    "at": format_thai_datetime(last.at),
                    "note": last.public_note,
                }
            )
    detail_url = msg.signed_in_url(complaint_detail_path(complaint.tracking_number))
    buttons = [msg.uri_action(_("ดูรายละเอียด"), detail_url)]
    if complaint.state == State.COMPLETED and selectors.current_rating(complaint) is None:
        buttons.append(msg.uri_action(_("ประเมินความพึงพอใจ"), rate_url(complaint)))
    return msg.bubble(
        title=complaint.tracking_number,
        lines=lines,
        buttons=buttons,
        alt_text=_("เรื่องเลขที่ %(number)s: %(state)s")
        % {
            "number": complaint.tracking_number,
            "state": complaint.get_state_display(),
        },
    )


def carousel(bubbles: list[dict], *, alt_text: str, quick_replies=None) -> dict:
    """A Flex carousel of ``msg.bubble`` messages (their contents; at most LINE's 12)."""
    message = {
        "type": "flex",
        "altText": msg.clip_text(alt_text, msg.ALT_TEXT_MAX),
        "contents": {
            "type": "carousel",
            "contents": [bubble["contents"] for bubble in bubbles[:CAROUSEL_MAX]],
        },
    }
    if quick_replies:
        message["quickReply"] = msg.quick_reply(quick_replies)
    return message


def all_complaints_action() -> dict:
    return msg.uri_action(_("ดูเรื่องทั้งหมด"), msg.signed_in_url(reverse("complaints:mine")))


def file_complaint_action() -> dict:
    return msg.uri_action(_("ร้องเรียนร้องทุกข์"), msg.signed_in_url(reverse("complaints:new")))


def complaints_list_messages(user) -> list[dict]:
    complaints = list(
        Complaint.objects.filter(citizen=user)
        .select_related("category")
        .order_by("-submitted_at", "-pk")[: LATEST + 1]
    )
    if not complaints:
        return [
            msg.bubble(
                title=_("ยังไม่มีเรื่องร้องเรียน"),
                lines=[_("บัญชีของท่านยังไม่มีเรื่องร้องเรียน หากมีเรื่องเดือดร้อน แจ้งได้ทันทีที่ปุ่มด้านล่าง")],
                buttons=[file_complaint_action()],
            )
        ]
    total = Complaint.objects.filter(citizen=user).count()
    shown = complaints[:LATEST]
    alt_text = _("เรื่องร้องเรียนของท่าน %(shown)d เรื่องล่าสุด จากทั้งหมด %(total)d เรื่อง") % {
        "shown": len(shown),
        "total": total,
    }
    bubbles = [status_bubble(complaint) for complaint in shown]
    return [
        carousel(
            bubbles,
            alt_text=alt_text,
            quick_replies=[all_complaints_action(), file_complaint_action()],
        )
    ]


def one_complaint_messages(user, tracking_number: str) -> list[dict]:
    complaint = selectors.citizen_complaint(user=user, tracking_number=tracking_number)
    if complaint is None:
        return [
            msg.text(
                _("ไม่พบเรื่องร้องเรียนหมายเลขนี้ในบัญชีของท่าน")
                + "\n"
                + _("กรุณาตรวจสอบเลขที่เรื่อง (เช่น %(example)s) หรือกด “ติดตามเรื่อง” เพื่อดูเรื่องทั้งหมดของท่าน")
                % {"example": f"{province.tracking_prefix()}-2569-000123"},
                quick_replies=[service_action(menu.TRACK)],
            )
        ]
    return [status_bubble(complaint, latest_note=True)]


def link_first_messages() -> list[dict]:
    """For a follower without a linked account: how to link (the built-in "action=link")."""
    return [
        msg.bubble(
            title=_("กรุณาเชื่อมต่อบัญชีก่อนติดตามเรื่อง"),
            lines=[
                _("การติดตามเรื่องร้องเรียนทาง LINE ต้องเชื่อมต่อบัญชี LINE นี้กับบัญชีผู้ใช้ของเว็บไซต์ศูนย์ดำรงธรรมก่อน"),
                _(
                    "กด “เข้าสู่ระบบด้วย LINE” แล้วลงทะเบียน หรือเข้าสู่ระบบด้วยบัญชีที่มีอยู่ "
                    "บัญชีจะเชื่อมต่อกับ LINE นี้ทันที"
                ),
            ],
            buttons=[
                msg.uri_action(
                    _("เข้าสู่ระบบด้วย LINE"), msg.signed_in_url(reverse("complaints:mine"))
                ),
                msg.postback_action(_("เชื่อมต่อบัญชี"), "action=link"),
            ],
        )
    ]


def track_answer(ctx: EventContext, tracking_number: str | None = None) -> list[dict]:
    with translation.override("th"):
        if ctx.user is None:
            answer = link_first_messages()
        elif tracking_number:
            answer = one_complaint_messages(ctx.user, tracking_number)
        else:
            answer = complaints_list_messages(ctx.user)
    return msg.validate(answer)


# Handlers ------------------------------------------------------------------------------------


@register_postback(menu.TRACK.postback, purpose=TRACK_PURPOSE)
def on_track_menu(ctx: EventContext):
    return track_answer(ctx)


@register_text(r"ติดตาม(?:เรื่อง(?:ร้องเรียน)?)?(?:ของฉัน)?", purpose=TRACK_PURPOSE)
def on_track_text(ctx: EventContext):
    return track_answer(ctx)


@register_text(
    rf"(?:ติดตาม(?:เรื่อง(?:ร้องเรียน)?)?\s*)?(?:เลขที่\s*)?(?P<number>{NUMBER})",
    purpose=TRACK_PURPOSE,
)
def on_track_number(ctx: EventContext):
    return track_answer(ctx, normalize_tracking_number(ctx.match["number"]))
