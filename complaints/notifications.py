"""LINE messages about a case once it is filed: to the citizen, the officer, the agency.

Always in Thai (read in the LINE chat, whatever language the site was in). Messages are
queued in the caller's transaction through the outbox, so a refused change notifies nobody.
What is sent where is deliberate:
- the citizen hears about every public change (state, forwarding, reopening) — never about
  internal notes or assignments;
- officers get a link to the case in the admin, and nothing personal about the complainant;
- agency members get the case number, type and area and a link to the admin, never the
  complainant's identity (they see it, when not concealed, only through the admin page,
  which applies ``selectors.complainant_display``);
- followers (citizens who joined a case, or whose report was merged into it) get its state
  changes: number, type, place, the new state, never the officer's note to the complainant,
  who may be named in it;
- a merge sends one message to each person following the duplicate and one to the surviving
  case's complainant, nothing else.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from complaints.line_messages import complaint_detail_path
from complaints.models import ClosedReason, Complaint, State, StateChange
from core import centre
from core.thai_dates import format_thai_date, format_thai_datetime
from line_integration import messages as msg
from line_integration.outbox import enqueue_to_user

STATE_PURPOSE = "complaints.state_changed"
ASSIGNED_PURPOSE = "complaints.assigned"
FORWARDED_PURPOSE = "complaints.forwarded"
REOPENED_PURPOSE = "complaints.reopened"
FOLLOWER_PURPOSE = "complaints.follower_update"
MERGED_PURPOSE = "complaints.merged"


# Links ---------------------------------------------------------------------------------------


def citizen_case_url(complaint: Complaint) -> str:
    return msg.signed_in_url(complaint_detail_path(complaint.tracking_number))


def following_url(complaint: Complaint) -> str:
    """The page a follower reads (what a follower may see of someone else's case)."""
    return msg.site_url(f"/complaints/following/{complaint.tracking_number}/")


def rate_path(tracking_number: str) -> str:
    return f"/complaints/{tracking_number}/rate/"


def citizen_rate_url(complaint: Complaint) -> str:
    return msg.signed_in_url(rate_path(complaint.tracking_number))


def admin_case_path(complaint: Complaint) -> str:
    """The case's page in the Wagtail admin."""
    return reverse("complaints_complaint_modeladmin_inspect", args=[complaint.pk])


def admin_case_url(complaint: Complaint) -> str:
    """The case's page in the Wagtail admin, for buttons in officers' LINE messages."""
    return msg.site_url(admin_case_path(complaint))


# Messages ------------------------------------------------------------------------------------


def citizen_update_message(change: StateChange) -> dict:
    """What the citizen gets for a public change: the new state, the officer's note, a link;
    plus an invitation to rate when the case is completed."""
    complaint = change.complaint
    with translation.override("th"):
        state = str(State(change.to_state).label)
        lines = [_("สถานะ: %(state)s") % {"state": state}]
        if change.kind == StateChange.Kind.FORWARD and change.agency_id:
            lines.append(_("ส่งต่อให้: %(agency)s") % {"agency": change.agency.name})
        if change.to_state == State.CLOSED and complaint.closed_reason:
            reason = str(ClosedReason(complaint.closed_reason).label)
            lines.append(_("เหตุผลที่ยุติเรื่อง: %(reason)s") % {"reason": reason})
        if change.public_note:
            lines.append(_("ข้อความจากเจ้าหน้าที่: %(note)s") % {"note": change.public_note})
        lines.append(_("เมื่อ: %(at)s") % {"at": format_thai_datetime(change.at)})
        buttons = [msg.uri_action(_("ดูรายละเอียดเรื่อง"), citizen_case_url(complaint))]
        if change.to_state == State.COMPLETED:
            buttons.insert(0, msg.uri_action(_("ประเมินความพึงพอใจ"), citizen_rate_url(complaint)))
        title = _("เรื่องเลขที่ %(number)s") % {"number": complaint.tracking_number}
        alt_text = _("เรื่องเลขที่ %(number)s: %(state)s") % {
            "number": complaint.tracking_number,
            "state": state,
        }
        if change.public_note:
            alt_text = f"{alt_text} — {change.public_note}"
        return msg.bubble(title=title, lines=lines, buttons=buttons, alt_text=alt_text)


def _case_lines(complaint: Complaint) -> list[str]:
    """Number, type, area and due day: enough to find the case, nothing about the person."""
    return [
        _("เลขที่เรื่อง: %(number)s") % {"number": complaint.tracking_number},
        _("ประเภท: %(category)s") % {"category": complaint.category.name},
        _("อำเภอ: %(district)s") % {"district": complaint.target_district.name_th},
        _("กำหนดแจ้งผล: %(date)s") % {"date": format_thai_date(complaint.report_due_at)},
    ]


def assignment_message(change: StateChange) -> dict:
    """For the officer a case was assigned to."""
    complaint = change.complaint
    with translation.override("th"):
        title = _("มอบหมายเรื่องร้องเรียนให้ท่าน")
        lines = _case_lines(complaint)
        if change.by_id and change.by:
            lines.append(_("มอบหมายโดย: %(name)s") % {"name": change.by.display_name})
        button = msg.uri_action(_("เปิดเรื่องในระบบ"), admin_case_url(complaint))
        alt_text = _("มอบหมายเรื่องเลขที่ %(number)s ให้ท่าน") % {"number": complaint.tracking_number}
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


def agency_forward_message(change: StateChange) -> dict:
    """For members of the agency a case was forwarded to: never names the complainant."""
    complaint = change.complaint
    with translation.override("th"):
        title = _("%(name)sส่งเรื่องให้หน่วยงานของท่าน") % centre.texts()
        button = msg.uri_action(_("เปิดเรื่องในระบบ"), admin_case_url(complaint))
        alt_text = _("ศูนย์ดำรงธรรมฯ ส่งเรื่องเลขที่ %(number)s ให้หน่วยงานของท่าน") % {
            "number": complaint.tracking_number
        }
        return msg.bubble(
            title=title, lines=_case_lines(complaint), buttons=[button], alt_text=alt_text
        )


def reopened_message(change: StateChange) -> dict:
    """For the assigned officer when the citizen reopens their case."""
    complaint = change.complaint
    with translation.override("th"):
        title = _("ผู้ร้องขอเปิดเรื่องใหม่")
        lines = [*_case_lines(complaint), _("เหตุผล: %(reason)s") % {"reason": change.public_note}]
        button = msg.uri_action(_("เปิดเรื่องในระบบ"), admin_case_url(complaint))
        alt_text = _("ผู้ร้องขอเปิดเรื่องเลขที่ %(number)s ใหม่") % {"number": complaint.tracking_number}
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


def _followed_lines(complaint: Complaint) -> list[str]:
    lines = [
        _("เลขที่เรื่อง: %(number)s") % {"number": complaint.tracking_number},
        _("ประเภท: %(category)s") % {"category": complaint.category.name},
    ]
    if complaint.target_place and not complaint.conceal_identity:
        lines.append(_("สถานที่: %(place)s") % {"place": complaint.target_place})
    return lines


def follower_update_message(change: StateChange) -> dict:
    """For a follower: the new state of a case they follow; no note, nobody named."""
    complaint = change.complaint
    with translation.override("th"):
        state = str(State(change.to_state).label)
        title = _("ความคืบหน้าเรื่องที่ท่านติดตาม")
        lines = [
            *_followed_lines(complaint),
            _("สถานะ: %(state)s") % {"state": state},
            _("เมื่อ: %(at)s") % {"at": format_thai_datetime(change.at)},
        ]
        button = msg.uri_action(_("ดูเรื่องที่ติดตาม"), following_url(complaint))
        alt_text = _("เรื่องที่ท่านติดตาม เลขที่ %(number)s: %(state)s") % {
            "number": complaint.tracking_number,
            "state": state,
        }
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


def merged_message(closing: StateChange, *, survivor: Complaint, note: str) -> dict:
    """For each person following a case merged into ``survivor``: one message, all of it."""
    duplicate = closing.complaint
    with translation.override("th"):
        title = _("เรื่องของท่านรวมกับเรื่องเดียวกันที่มีผู้แจ้งไว้แล้ว")
        lines = [
            _("เรื่องเลขที่ %(number)s: ยุติเรื่อง (เป็นเรื่องซ้ำ)") % {"number": duplicate.tracking_number},
            _("ศูนย์ฯ ดำเนินการต่อในเรื่องเลขที่ %(number)s ท่านจะได้รับแจ้งความคืบหน้าของเรื่องนั้นทาง LINE")
            % {"number": survivor.tracking_number},
            _("สถานะเรื่องเลขที่ %(number)s: %(state)s")
            % {"number": survivor.tracking_number, "state": survivor.get_state_display()},
        ]
        if note:
            lines.append(_("ข้อความจากเจ้าหน้าที่: %(note)s") % {"note": note})
        button = msg.uri_action(_("ดูเรื่องที่ติดตาม"), following_url(survivor))
        alt_text = _("เรื่องเลขที่ %(number)s รวมกับเรื่องเลขที่ %(survivor)s แล้ว") % {
            "number": duplicate.tracking_number,
            "survivor": survivor.tracking_number,
        }
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


def merged_into_yours_message(closing: StateChange, *, survivor: Complaint, people: int) -> dict:
    """For the surviving case's complainant: another report of the same problem joined it."""
    with translation.override("th"):
        title = _("มีผู้แจ้งเรื่องเดียวกับเรื่องของท่านเพิ่มเติม")
        lines = [
            _("เลขที่เรื่อง: %(number)s") % {"number": survivor.tracking_number},
            _("ศูนย์ฯ รวมเรื่องที่มีผู้แจ้งซ้ำเข้ากับเรื่องของท่าน ขณะนี้มีผู้แจ้งเรื่องนี้รวม %(people)d คน")
            % {"people": people},
            _("สถานะ: %(state)s") % {"state": survivor.get_state_display()},
        ]
        button = msg.uri_action(_("ดูรายละเอียดเรื่อง"), citizen_case_url(survivor))
        alt_text = _("มีผู้แจ้งเรื่องเดียวกับเรื่องเลขที่ %(number)s เพิ่มเติม") % {
            "number": survivor.tracking_number
        }
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)


# Sending -------------------------------------------------------------------------------------


def notify_citizen(change: StateChange):
    """Queue the citizen's update for this change (once per change, whatever happens), and
    the followers' when the state moved."""
    row = enqueue_to_user(
        user=change.complaint.citizen,
        messages=[citizen_update_message(change)],
        purpose=STATE_PURPOSE,
        dedupe_key=f"complaint-state:{change.pk}",
    )
    if change.from_state != change.to_state:
        notify_followers(change)
    return row


def notify_followers(change: StateChange) -> list:
    followers = change.complaint.followers.select_related("citizen")
    if not followers:
        return []
    message = follower_update_message(change)
    sent = []
    for follower in followers:
        row = enqueue_to_user(
            user=follower.citizen,
            messages=[message],
            purpose=FOLLOWER_PURPOSE,
            dedupe_key=f"complaint-follow:{change.pk}:{follower.citizen_id}",
        )
        if row is not None:
            sent.append(row)
    return sent


def notify_merged(closing: StateChange, *, survivor: Complaint, moved: list) -> list:
    """One message to each person now following ``survivor`` instead of the closed duplicate
    (its complainant with the officer's note), one to the survivor's complainant."""
    duplicate = closing.complaint
    sent = []
    for person in moved:
        note = closing.public_note if person.pk == duplicate.citizen_id else ""
        sent.append(
            enqueue_to_user(
                user=person,
                messages=[merged_message(closing, survivor=survivor, note=note)],
                purpose=MERGED_PURPOSE,
                dedupe_key=f"complaint-merged:{closing.pk}:{person.pk}",
            )
        )
    people = 1 + survivor.followers.count()
    sent.append(
        enqueue_to_user(
            user=survivor.citizen,
            messages=[merged_into_yours_message(closing, survivor=survivor, people=people)],
            purpose=MERGED_PURPOSE,
            dedupe_key=f"complaint-merged:{closing.pk}:survivor",
        )
    )
    return [row for row in sent if row is not None]


def notify_assigned_officer(change: StateChange):
    return enqueue_to_user(
        user=change.assigned_to,
        messages=[assignment_message(change)],
        purpose=ASSIGNED_PURPOSE,
        dedupe_key=f"complaint-assign:{change.pk}",
    )


def notify_agency_members(change: StateChange) -> list:
    """One message to each member of the agency with a linked LINE account."""
    message = agency_forward_message(change)
    sent = []
    for member in change.agency.members.select_related("user"):
        row = enqueue_to_user(
            user=member.user,
            messages=[message],
            purpose=FORWARDED_PURPOSE,
            dedupe_key=f"complaint-forward:{change.pk}:{member.user_id}",
        )
        if row is not None:
            sent.append(row)
    return sent


def notify_reopened(change: StateChange):
    """Tell the assigned officer (if any) that the citizen reopened the case."""
    officer = change.complaint.assigned_officer
    if officer is None:
        return None
    return enqueue_to_user(
        user=officer,
        messages=[reopened_message(change)],
        purpose=REOPENED_PURPOSE,
        dedupe_key=f"complaint-reopened:{change.pk}",
    )
