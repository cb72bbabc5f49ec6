"""Demo data for live chat: officers' quick replies, fixed-date public holidays, and one
conversation of somchai01 waiting for an answer in officer01's inbox."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from chat import services
from chat.models import Conversation, QuickReplyTemplate, ServiceHoliday
from demo.places import localised

QUICK_REPLIES = [
    (
        "ทักทาย",
        "สวัสดีค่ะ เจ้าหน้าที่ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ยินดีให้บริการ ขอทราบรายละเอียดเพิ่มเติมได้ไหมคะ",
    ),
    (
        "แนะนำให้ยื่นเรื่องร้องเรียน",
        "กรณีนี้ท่านยื่นเรื่องร้องเรียนได้ที่เมนู “ร้องเรียนร้องทุกข์” พร้อมแนบรูปภาพหลักฐาน ระบบจะออกเลขที่เรื่องให้ติดตามได้",
    ),
    (
        "ขอเอกสารเพิ่มเติม",
        "รบกวนส่งรูปภาพหรือเอกสารที่เกี่ยวข้องมาทางแชทนี้ได้เลยค่ะ",
    ),
    (
        "สายด่วน 1567",
        "หากเป็นเรื่องเร่งด่วน ติดต่อสายด่วนศูนย์ดำรงธรรม 1567 ได้ตลอด 24 ชั่วโมง",
    ),
]

# Fixed-date public holidays; the lunar ones (มาฆบูชา วิสาขบูชา อาสาฬหบูชา) and substitution days
# are added by staff each year as the cabinet announces them.
FIXED_HOLIDAYS = [
    (1, 1, "วันขึ้นปีใหม่"),
    (4, 6, "วันจักรี"),
    (4, 13, "วันสงกรานต์"),
    (4, 14, "วันสงกรานต์"),
    (4, 15, "วันสงกรานต์"),
    (5, 4, "วันฉัตรมงคล"),
    (6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระราชินี"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (8, 12, "วันแม่แห่งชาติ"),
    (10, 13, "วันคล้ายวันสวรรคต รัชกาลที่ ๙"),
    (10, 23, "วันปิยมหาราช"),
    (12, 5, "วันพ่อแห่งชาติ"),
    (12, 10, "วันรัฐธรรมนูญ"),
    (12, 31, "วันสิ้นปี"),
]


@transaction.atomic
def load_demo_chat() -> int:
    """Create what is missing; returns how many things were created."""
    created = 0
    for order, (title, body) in enumerate(QUICK_REPLIES):
        _row, made = QuickReplyTemplate.objects.get_or_create(
            title=title, defaults={"body": localised(body), "sort_order": order}
        )
        created += made
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        for month, day, name in FIXED_HOLIDAYS:
            _row, made = ServiceHoliday.objects.get_or_create(
                date=datetime.date(year, month, day), defaults={"name": name}
            )
            created += made
    citizen = get_user_model().objects.filter(username="somchai01").first()
    if citizen is not None and not Conversation.objects.filter(citizen=citizen).exists():
        conversation, _new = services.conversation_start(channel="web", citizen=citizen)
        services.citizen_message_receive(
            conversation=conversation,
            text="สอบถามครับ ถ้าเพื่อนบ้านเผาขยะทุกเย็น ควัน เข้าบ้าน ต้องแจ้งหน่วยงานไหนครับ",
        )
        created += 1
    return created
