"""Test data for complaints, shared by every app's tests.

- ``ComplaintFactory()``: a complaint filed by a new citizen (``CitizenFactory``), as
  ``complaint_submit`` would leave it: the complainant snapshot copied from the profile, the
  first active category, the area เมืองนครสวรรค์ (60 / 6001 / its first subdistrict), a real
  tracking number of this year, ``report_due_at`` 15 days on and the first history entry
  (UNDER_REVIEW). Pass ``profile=some_profile`` to file it for an existing citizen; any model
  field can be overridden (``state=State.IN_PROGRESS``, ``conceal_identity=True``...).
- ``EvidenceFileFactory(complaint=...)``: a small real JPEG stored in private storage.
- ``jpeg_bytes()``, ``png_bytes()``, ``pdf_bytes()``: real files made in code, for uploads.

Factories need the ``db`` fixture, as any ORM use does.
"""

import hashlib
import io

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from addresses.models import District, Province, Subdistrict
from complaints.models import (
    Complaint,
    ComplaintCategory,
    EvidenceFile,
    State,
    StateChange,
)
from complaints.services import FIRST_PUBLIC_NOTE
from complaints.tracking import next_tracking_number
from tests.accounts.factories import CitizenFactory


def jpeg_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def png_bytes(size=(40, 40), color=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def first_category() -> ComplaintCategory:
    category = ComplaintCategory.objects.filter(is_active=True).first()
    return category or ComplaintCategory.objects.create(name="เรื่องทั่วไป")


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    class Params:
        profile = factory.SubFactory(CitizenFactory)

    citizen = factory.LazyAttribute(lambda o: o.profile.user)
    tracking_number = factory.LazyFunction(lambda: next_tracking_number(at=timezone.now()))
    complainant_title = factory.LazyAttribute(lambda o: o.profile.title)
    complainant_first_name = factory.LazyAttribute(lambda o: o.profile.first_name)
    complainant_last_name = factory.LazyAttribute(lambda o: o.profile.last_name)
    complainant_national_id_encrypted = factory.LazyAttribute(
        lambda o: o.profile.national_id_encrypted
    )
    complainant_phone = factory.LazyAttribute(lambda o: o.profile.phone)
    complainant_email = factory.LazyAttribute(lambda o: o.profile.user.email)
    complainant_address = factory.LazyAttribute(lambda o: o.profile.address_text)
    category = factory.LazyFunction(first_category)
    details = "ถนนในหมู่บ้านเป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มบ่อย ขอให้ซ่อมแซมโดยเร็ว"
    target_agency = "องค์การบริหารส่วนตำบล"
    target_place = "ถนนหน้าตลาด"
    target_address = ""
    target_province = factory.LazyFunction(lambda: Province.objects.get(pk="60"))
    target_district = factory.LazyFunction(lambda: District.objects.get(pk="6001"))
    target_subdistrict = factory.LazyAttribute(
        lambda o: Subdistrict.objects.filter(district=o.target_district).order_by("code").first()
    )
    report_due_at = factory.LazyFunction(lambda: Complaint.due_from(timezone.now()))
    state = State.UNDER_REVIEW

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            StateChange.objects.create(
                complaint=obj,
                from_state="",
                to_state=State.UNDER_REVIEW,
                by=obj.citizen,
                public_note=FIRST_PUBLIC_NOTE,
            )


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceFile

    class Params:
        content = factory.LazyFunction(jpeg_bytes)

    complaint = factory.SubFactory(ComplaintFactory)
    original_name = "รูปถ่ายหลุม.jpg"
    kind = EvidenceFile.Kind.IMAGE
    content_type = "image/jpeg"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="evidence.jpg"))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
