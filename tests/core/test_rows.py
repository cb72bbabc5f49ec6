"""Reads by one key with the statement built once (core/rows.py) give the ORM's objects."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import CitizenProfile, User
from core.rows import KeyLookup
from tests.accounts.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def same_row(found, expected) -> None:
    assert type(found) is type(expected)
    for field in expected._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert (found._state.db, found._state.adding) == (expected._state.db, False)


def test_a_user_by_primary_key_is_the_orms_user(django_assert_num_queries):
    profile = CitizenFactory()
    User.objects.filter(pk=profile.user_id).update(
        last_login=timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 15, 30, 123456))
    )
    by_pk = KeyLookup(User, "pk")

    with django_assert_num_queries(1):
        user = by_pk.get(profile.user_id)

    expected = User.objects.get(pk=profile.user_id)
    same_row(user, expected)
    assert user.last_login == expected.last_login and user.last_login.tzinfo is not None
    assert user.check_password("Sawan2569pass")
    assert by_pk.get(str(profile.user_id)).pk == profile.user_id  # as a session holds it


def test_a_profile_by_its_user_is_the_orms_profile(django_assert_num_queries):
    CitizenFactory()
    profile = CitizenFactory()
    by_user = KeyLookup(CitizenProfile, "user")

    with django_assert_num_queries(1):
        found = by_user.get(profile.user_id)

    same_row(found, CitizenProfile.objects.get(user_id=profile.user_id))
    assert found.birth_date == datetime.date(1985, 3, 15)
    assert found.national_id == profile.national_id


def test_nothing_found_is_none():
    profile = CitizenFactory()
    assert KeyLookup(User, "pk").get(profile.user_id + 1000) is None
    assert KeyLookup(CitizenProfile, "user").get(profile.user_id + 1000) is None
