"""Complaints for evidence tests, made with the ORM as the submit service will, and a reset
of the private storages so each test's files land in that test's own folder."""

import itertools

from django.utils import timezone

from accounts import crypto
from addresses.models import District, Province, Subdistrict
from complaints.models import Complaint, ComplaintCategory

_numbers = itertools.count(1)


def make_complaint(profile) -> Complaint:
    """A complaint filed by the citizen of ``profile`` (a CitizenProfile), in เมืองนครสวรรค์."""
    now = timezone.now()
    return Complaint.objects.create(
        tracking_number=f"DDC-2569-{next(_numbers):05d}",
        citizen=profile.user,
        complainant_title=profile.title,
        complainant_first_name=profile.first_name,
        complainant_last_name=profile.last_name,
        complainant_national_id_encrypted=crypto.encrypt(profile.national_id),
        complainant_phone=profile.phone,
        category=ComplaintCategory.objects.order_by("sort_order").first(),
        details="ถนนหน้าบ้านเป็นหลุมลึก น้ำขังทุกครั้งที่ฝนตก",
        target_province=Province.objects.get(pk="60"),
        target_district=District.objects.get(pk="6001"),
        target_subdistrict=Subdistrict.objects.get(pk="600101"),
        report_due_at=Complaint.due_from(now),
    )
