"""Sessions as production keeps them with Redis (core/sessions.py): Django's cached_db, with the
database write done in one statement. What it writes, Django's own database backend reads; a
session deleted meanwhile or a taken key behaves as with Django's backend."""

import pytest
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def statements(queries) -> list[str]:
    return [q["sql"].split()[0] for q in queries if "SAVEPOINT" not in q["sql"]]


def test_a_session_is_written_in_one_statement_and_read_by_djangos_backends(settings):
    store = SessionStore()
    store["wizard"] = {"step": "details", "ชื่อ": "สมชาย"}
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert statements(queries) == ["INSERT"]  # no look for the key beforehand

    assert DatabaseStore(store.session_key).load() == {"wizard": {"step": "details", "ชื่อ": "สมชาย"}}
    row = Session.objects.get(session_key=store.session_key)
    assert abs((row.expire_date - store.get_expiry_date()).total_seconds()) < 5

    again = SessionStore(store.session_key)
    again["wizard"] = {"step": "evidence"}
    again.set_expiry(3600)
    with CaptureQueriesContext(connection) as queries:
        again.save()
    assert statements(queries) == ["UPDATE"]
    assert DatabaseStore(store.session_key).load()["wizard"] == {"step": "evidence"}
    expires = Session.objects.get(pk=store.session_key).expire_date
    assert abs((expires - again.get_expiry_date()).total_seconds()) < 5

    caches[settings.SESSION_CACHE_ALIAS].clear()  # Redis restarted: the database still has it
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key).load()["wizard"] == {"step": "evidence"}
    assert statements(queries) == ["SELECT"]
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key).load()["wizard"] == {"step": "evidence"}
    assert queries.captured_queries == []  # from the cache again


def test_a_session_deleted_meanwhile_is_not_written_again():
    store = SessionStore()
    store["a"] = 1
    store.save()
    Session.objects.filter(pk=store.session_key).delete()  # logged out in another tab
    store["a"] = 2
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.filter(pk=store.session_key).exists()


def test_a_taken_key_is_refused_and_create_draws_another_inside_a_transaction():
    first = SessionStore()
    first.create()
    taken = SessionStore(first.session_key)
    taken._session_cache = {"x": 1}
    with transaction.atomic():
        with pytest.raises(CreateError):
            taken.save(must_create=True)
        second = SessionStore()
        second["x"] = 2
        second.create()  # the transaction is still usable
        second.save()
    assert second.session_key != first.session_key
    assert DatabaseStore(second.session_key).load() == {"x": 2}


def test_logging_in_and_out_through_the_site(client, settings, django_user_model):
    settings.SESSION_ENGINE = "core.sessions"
    django_user_model.objects.create_user("somchai01", password="Pass-word-2569")
    response = client.post(
        reverse("accounts:login"), {"username": "somchai01", "password": "Pass-word-2569"}
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert DatabaseStore(key).load()["_auth_user_id"]
    assert client.get(reverse("accounts:profile")).status_code in (200, 302)
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(pk=key).exists()


def test_a_dropped_session_is_deleted_in_one_statement_and_forgotten_by_the_cache(settings):
    store = SessionStore()
    store["a"] = 1
    store.save()
    key = store.session_key
    with CaptureQueriesContext(connection) as queries:
        store.delete()
    assert statements(queries) == ["DELETE"]
    assert not Session.objects.filter(pk=key).exists()
    assert SessionStore(key).load() == {}  # neither the cache nor the database has it
    SessionStore().delete("no-such-key")  # nothing to drop: no error
