"""Texts every installation needs for filing complaints, created after each migrate."""

from django.db import transaction

DEFAULT_CONSENT_TITLE = (
    "ข้อตกลงการให้ความยินยอมในการเปิดเผยข้อมูลส่วนบุคคลเพื่อใช้ประกอบการร้องเรียน/ร้องทุกข์"
    "หรือติดต่อศูนย์ดำรงธรรมจังหวัดนครสวรรค์"
)
DEFAULT_CONSENT_BODY = """
<p>ข้าพเจ้ายินยอมให้ศูนย์ดำรงธรรมจังหวัดนครสวรรค์ เก็บรวบรวม ใช้ และเปิดเผยข้อมูลส่วนบุคคลของข้าพเจ้า
ได้แก่ ชื่อ-นามสกุล เลขประจำตัวประชาชน ที่อยู่ หมายเลขโทรศัพท์ อีเมล ตำแหน่งที่ตั้ง และเอกสารหลักฐาน
เพื่อใช้ประกอบการพิจารณาและดำเนินการเรื่องร้องเรียน/ร้องทุกข์ของข้าพเจ้า</p>
<p>ศูนย์ฯ อาจส่งต่อข้อมูลที่จำเป็นให้หน่วยงานที่เกี่ยวข้องเพื่อแก้ไขปัญหา หากข้าพเจ้าเลือก "ปกปิดข้อมูล"
ศูนย์ฯ จะไม่เปิดเผยชื่อ เลขประจำตัวประชาชน และที่อยู่ของข้าพเจ้าต่อหน่วยงานดังกล่าว</p>
<p>ข้าพเจ้ารับรองว่าข้อความที่แจ้งเป็นความจริง หากแจ้งความอันเป็นเท็จอาจมีความผิดตามประมวลกฎหมายอาญา
มาตรา ๑๓๗</p>
<p>ข้าพเจ้าสามารถถอนความยินยอม ขอเข้าถึง หรือขอแก้ไขข้อมูลได้ โดยติดต่อศูนย์ดำรงธรรมจังหวัดนครสวรรค์
สายด่วน 1567</p>
"""


@transaction.atomic
def ensure_complaint_consent() -> None:
    from complaints.models import ComplaintConsent

    if ComplaintConsent.objects.exists():
        return
    consent = ComplaintConsent(
        title=DEFAULT_CONSENT_TITLE, body=DEFAULT_CONSENT_BODY.strip(), live=False
    )
    consent.save()
    consent.save_revision().publish()
