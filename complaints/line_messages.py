"""What LINE shows a citizen about their complaint, built with line_integration.messages.

Always in Thai: the message is read in the LINE chat, outside the language chosen on the site.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from complaints.models import REPORT_BACK_DAYS, Complaint
from core.thai_dates import format_thai_date
from line_integration import messages as msg


def complaint_detail_path(tracking_number: str) -> str:
    return f"/complaints/{tracking_number}/"


def confirmation_message(complaint: Complaint) -> dict:
    """The receipt pushed when a complaint is filed: number, category, date, state, what next."""
    with translation.override("th"):
        title = _("ได้รับเรื่องร้องเรียนของท่านแล้ว")
        lines = [
            _("เลขที่เรื่อง: %(number)s") % {"number": complaint.tracking_number},
            _("ประเภท: %(category)s") % {"category": complaint.category.name},
            _("วันที่ยื่น: %(date)s") % {"date": format_thai_date(complaint.submitted_at)},
            _("สถานะ: %(state)s") % {"state": complaint.get_state_display()},
            _("ศูนย์ฯ จะแจ้งผลภายใน %(days)s วัน (ภายใน %(date)s)")
            % {"days": REPORT_BACK_DAYS, "date": format_thai_date(complaint.report_due_at)},
        ]
        button = msg.uri_action(
            _("ดูรายละเอียดเรื่อง"),
            msg.signed_in_url(complaint_detail_path(complaint.tracking_number)),
        )
        alt_text = _("ได้รับเรื่องร้องเรียนเลขที่ %(number)s แล้ว ศูนย์ฯ จะแจ้งผลภายใน %(days)s วัน") % {
            "number": complaint.tracking_number,
            "days": REPORT_BACK_DAYS,
        }
        return msg.bubble(title=title, lines=lines, buttons=[button], alt_text=alt_text)
