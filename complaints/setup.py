"""What every installation needs for filing complaints: categories and the consent text (after
each migrate), and the agencies of the centre's province (once, by migration 0004)."""

from core import centre, province
from core.editorial import ensure_published_text

# The usual Damrongdhamma categories; officers manage the list in the admin afterwards.
DEFAULT_CATEGORIES = (
    "ขอความช่วยเหลือ/ความเดือดร้อน",
    "ร้องเรียนเจ้าหน้าที่รัฐ",
    "ทุจริตประพฤติมิชอบ",
    "ที่ดิน",
    "หนี้สิน/หนี้นอกระบบ",
    "สาธารณูปโภค/ถนน/ไฟฟ้า/น้ำประปา",
    "สิ่งแวดล้อม/เหตุเดือดร้อนรำคาญ",
    "ยาเสพติด",
    "การพนัน",
    "แรงงาน",
    "คุ้มครองผู้บริโภค",
    "อื่นๆ",
)


def ensure_categories(Category) -> None:
    """Seed the list once; an emptied table (a test flush) gets it back."""
    if Category.objects.exists():
        return
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


# Offices every province has (Bangkok has others, below), "{p}" standing for "จังหวัดเชียงใหม่".
# (name, kind, phone)
PROVINCIAL_AGENCIES = (
    ("สำนักงาน{p}", "provincial_office", ""),
    ("ที่ทำการปกครอง{p}", "provincial_office", ""),
    ("สำนักงานที่ดิน{p}", "provincial_office", ""),
    ("สำนักงานสาธารณสุข{p}", "provincial_office", ""),
    ("สำนักงานแรงงาน{p}", "provincial_office", ""),
    ("สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์{p}", "provincial_office", ""),
    ("สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อม{p}", "provincial_office", ""),
    ("สำนักงานส่งเสริมการปกครองท้องถิ่น{p}", "provincial_office", ""),
    ("สำนักงานพาณิชย์{p}", "provincial_office", ""),
    ("สำนักงานคลัง{p}", "provincial_office", ""),
    ("ตำรวจภูธร{p}", "police", "191"),
    ("องค์การบริหารส่วน{p}", "local_government", ""),
    ("การไฟฟ้าส่วนภูมิภาค{p}", "state_enterprise", "1129"),
    ("การประปาส่วนภูมิภาคสาขา{name}", "state_enterprise", "1662"),
)
BANGKOK_AGENCIES = (
    ("ศาลาว่าการกรุงเทพมหานคร", "local_government", "1555"),
    ("กองบัญชาการตำรวจนครบาล", "police", "191"),
    ("การไฟฟ้านครหลวง", "state_enterprise", "1130"),
    ("การประปานครหลวง", "state_enterprise", "1125"),
)


def ensure_agencies(Agency, District) -> None:
    """The agencies officers forward to, for the configured province: its district offices
    (ที่ว่าการอำเภอ, or Bangkok's สำนักงานเขต), one per district, and the usual provincial
    offices. Officers add the rest in the admin; running it again adds only what is missing."""
    where = province.current()
    districts = District.objects.filter(province_id=where.code).order_by("code")
    for district in districts:
        office = "สำนักงาน" if where.is_bangkok else "ที่ว่าการอำเภอ"
        Agency.objects.get_or_create(
            name=f"{office}{district.name_th}",
            defaults={"kind": "district_office", "district_id": district.code},
        )
    rows = (
        BANGKOK_AGENCIES
        if where.is_bangkok
        else [
            (name.format(p=where.with_title_th, name=where.name_th), kind, phone)
            for name, kind, phone in PROVINCIAL_AGENCIES
        ]
    )
    for name, kind, phone in rows:
        Agency.objects.get_or_create(name=name, defaults={"kind": kind, "phone": phone})


DEFAULT_CONSENT_TITLE = (
    "ข้อตกลงการให้ความยินยอมในการเปิดเผยข้อมูลส่วนบุคคลเพื่อใช้ประกอบการร้องเรียน/ร้องทุกข์หรือติดต่อ{centre}"
)
DEFAULT_CONSENT_BODY = """
<p>ข้าพเจ้ายินยอมให้{centre} เก็บรวบรวม ใช้ และเปิดเผยข้อมูลส่วนบุคคลของข้าพเจ้า
ได้แก่ ชื่อ-นามสกุล เลขประจำตัวประชาชน ที่อยู่ หมายเลขโทรศัพท์ อีเมล ตำแหน่งที่ตั้ง และเอกสารหลักฐาน
เพื่อใช้ประกอบการพิจารณาและดำเนินการเรื่องร้องเรียน/ร้องทุกข์ของข้าพเจ้า</p>
<p>ศูนย์ฯ อาจส่งต่อข้อมูลที่จำเป็นให้หน่วยงานที่เกี่ยวข้องเพื่อแก้ไขปัญหา หากข้าพเจ้าเลือก "ปกปิดข้อมูล"
ศูนย์ฯ จะไม่เปิดเผยชื่อ เลขประจำตัวประชาชน และที่อยู่ของข้าพเจ้าต่อหน่วยงานดังกล่าว</p>
<p>ข้าพเจ้ารับรองว่าข้อความที่แจ้งเป็นความจริง หากแจ้งความอันเป็นเท็จอาจมีความผิดตามประมวลกฎหมายอาญา
มาตรา ๑๓๗</p>
<p>ข้าพเจ้าสามารถถอนความยินยอม ขอเข้าถึง หรือขอแก้ไขข้อมูลได้ โดยติดต่อ{centre}
สายด่วน {hotline}</p>
"""


def ensure_complaint_consent() -> None:
    from complaints.models import ComplaintConsent

    ensure_published_text(
        ComplaintConsent,
        title=DEFAULT_CONSENT_TITLE.format(**centre.seed_texts()),
        body=DEFAULT_CONSENT_BODY.format(**centre.seed_texts()),
    )
