"""Test data for accounts, shared by every app's tests.

- ``UserFactory()``: a plain active user (username ``user0001``…, password ``DEFAULT_PASSWORD``).
- ``CitizenFactory()``: returns a ``CitizenProfile`` whose ``.user`` is a new User. The national
  ID is a valid, unique Thai ID stored through ``set_national_id`` (pass ``national_id="..."``
  to choose one); the address is in เมืองนครสวรรค์ (province "60", district "6001") with the
  first subdistrict of that district and its postal code.
- ``StaffFactory(role=Role.SUPERVISOR)``: a user in the group of that role (default: case
  officer). The group and its permissions come from the migrations, as in production.

Factories need the ``db`` fixture, as any ORM use does.
"""

import datetime

import factory
from django.contrib.auth.models import Group
from stdnum.th import pin

from accounts.models import CitizenProfile, Title, User
from accounts.roles import Role
from addresses.models import District, Province, Subdistrict

DEFAULT_PASSWORD = "Sawan2569pass"

FIRST_NAMES = ("สมชาย", "สมหญิง", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "บุญมี", "ทองดี")
LAST_NAMES = ("ใจดี", "รักไทย", "มั่นคง", "ศรีสุข", "พูลผล", "แก้วใส", "ทองคำ", "สายบัว")


def valid_national_id(n: int) -> str:
    """A valid 13-digit Thai ID, different for every ``n`` (check digit from python-stdnum)."""
    first12 = f"3{n:011d}"
    return first12 + pin.calc_check_digit(first12)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)
    is_active = True


class CitizenFactory(factory.django.DjangoModelFactory):
    """A citizen: ``CitizenFactory().user`` logs in, the profile holds the personal data."""

    class Meta:
        model = CitizenProfile

    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"citizen{n:04d}"))
    national_id = factory.Sequence(lambda n: valid_national_id(n + 1))
    title = Title.MR
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(lambda n: f"{LAST_NAMES[n % len(LAST_NAMES)]}{n}")
    birth_date = datetime.date(1985, 3, 15)
    phone = factory.Sequence(lambda n: f"+6681{n % 10_000_000:07d}")
    house_number = "99/1"
    moo = "3"
    soi = ""
    road = "สวรรค์วิถี"
    province = factory.LazyFunction(lambda: Province.objects.get(pk="60"))
    district = factory.LazyFunction(lambda: District.objects.get(pk="6001"))
    subdistrict = factory.LazyAttribute(
        lambda o: Subdistrict.objects.filter(district=o.district).order_by("code").first()
    )
    postal_code = factory.LazyAttribute(lambda o: o.subdistrict.postal_code)

    @classmethod
    def _build(cls, model_class, *args, national_id, **kwargs):
        profile = model_class(*args, **kwargs)
        profile.set_national_id(national_id)
        return profile

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        profile = cls._build(model_class, *args, **kwargs)
        profile.save()
        return profile


class StaffFactory(UserFactory):
    """A staff member; ``role`` picks the group (``accounts.roles.Role``)."""

    username = factory.Sequence(lambda n: f"staff{n:04d}")
    first_name = "เจ้าหน้าที่"
    last_name = factory.Sequence(lambda n: f"ทดสอบ{n}")

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        role = extracted or Role.CASE_OFFICER
        if create:
            obj.groups.add(Group.objects.get(name=role.group_name))
