"""Demo people for local development (never created by production settings)."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import CitizenProfile, ConsentRecord, PrivacyNotice, User
from accounts.roles import Role
from demo.places import demo_subdistrict

DEMO_PASSWORD = "demo1234"

STAFF = (
    ("officer01", "สมศักดิ์", "ตั้งใจงาน", Role.CASE_OFFICER),
    ("supervisor01", "สุนีย์", "หัวหน้างาน", Role.SUPERVISOR),
    ("executive01", "ประเสริฐ", "ผู้บริหาร", Role.EXECUTIVE),
    ("editor01", "วิภา", "ข่าวสาร", Role.NEWS_EDITOR),
)

# A valid (checksummed) but made-up national ID.
DEMO_CITIZEN_ID = "1101700230708"


@transaction.atomic
def load_demo_people() -> list[str]:
    """Create the demo accounts if missing; running it again changes nothing."""
    created = []
    citizen, new = User.objects.get_or_create(
        username="somchai01",
        defaults={"first_name": "สมชาย", "last_name": "ใจดี", "email": "somchai01@example.com"},
    )
    if new:
        citizen.set_password(DEMO_PASSWORD)
        citizen.save()
        created.append(citizen.username)
    if not hasattr(citizen, "citizen_profile"):
        subdistrict = demo_subdistrict("600101")
        profile = CitizenProfile(
            user=citizen,
            title="นาย",
            first_name="สมชาย",
            last_name="ใจดี",
            birth_date=datetime.date(1985, 3, 15),
            phone="+66812345678",
            house_number="99/9",
            moo="3",
            road="สวรรค์วิถี",
            subdistrict=subdistrict,
            district=subdistrict.district,
            province=subdistrict.district.province,
            postal_code=subdistrict.postal_code,
        )
        profile.set_national_id(DEMO_CITIZEN_ID)
        profile.save()
        notice = PrivacyNotice.current()
        if notice is not None:
            ConsentRecord.objects.create(
                user=citizen,
                kind=ConsentRecord.Kind.PRIVACY_NOTICE,
                revision=notice.live_revision,
                text_title=notice.title,
                ip_address="127.0.0.1",
            )
    for username, first, last, role in STAFF:
        user, new = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(username)
        user.groups.add(Group.objects.get(name=role.group_name))
    return created
