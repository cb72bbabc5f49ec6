from django import forms
from django.utils.translation import gettext_lazy as _


class AlertPreferenceForm(forms.Form):
    """The alerts a staff member receives in LINE; only those of their roles are shown."""

    deadline_alerts = forms.BooleanField(
        label=_("แจ้งเตือนเรื่องที่ใกล้ครบกำหนดและเกินกำหนดแจ้งผล"),
        help_text=_("เรื่องที่ท่านรับผิดชอบ 3 วันทำการก่อนครบกำหนด และทุกวันทำการเมื่อเกินกำหนด"),
        required=False,
    )
    morning_digest = forms.BooleanField(
        label=_("สรุปเรื่องร้องเรียนประจำเช้า"),
        help_text=_("ทุกเช้าวันทำการ: เรื่องใหม่ ยังไม่มอบหมาย ใกล้ครบกำหนด และเกินกำหนด"),
        required=False,
    )
    weekly_summary = forms.BooleanField(
        label=_("สรุปตัวเลขประจำสัปดาห์"),
        help_text=_("ทุกวันจันทร์: ตัวเลขเจ็ดรายการของแดชบอร์ดในปีงบประมาณนี้"),
        required=False,
    )

    def __init__(self, *args, offered: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in offered:
                del self.fields[name]
