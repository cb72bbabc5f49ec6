"""Django's cached_db sessions (read from Redis, written to Redis and the database), with the
database write done in one plain statement.

Every step of the registration and complaint wizards changes the session, so it is written
about fourteen times in a citizen's journey. Django writes it as a model instance inside a
transaction (BEGIN, UPDATE, COMMIT, through the ORM's save machinery) and, for a new session,
first asks the cache and the database whether the random key is taken. Here an existing
session is one ``UPDATE`` (no row: ``UpdateError``, as Django's), a dropped one one ``DELETE``
(Django reads the row first), a new one one ``INSERT``
(a taken key: ``CreateError``, and ``create()`` draws another, as Django's; the primary key
refuses the duplicate, so the look beforehand is left out). Same table, same encoding:
Django's own backends read what this one writes (tests/core/test_sessions.py).
"""

import logging
from functools import cache

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils.crypto import get_random_string

logger = logging.getLogger("django.contrib.sessions")


@cache
def _statements(model, alias: str) -> tuple[str, str, str]:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    names = ("session_key", "session_data", "expire_date")
    key, data, expires = (quote(meta.get_field(name).column) for name in names)
    insert = f"INSERT INTO {table} ({key}, {data}, {expires}) VALUES (%s, %s, %s)"
    update = f"UPDATE {table} SET {data} = %s, {expires} = %s WHERE {key} = %s"
    delete = f"DELETE FROM {table} WHERE {key} = %s"
    return insert, update, delete


class SessionStore(cached_db.SessionStore):
    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)

    def delete(self, session_key=None):
        """Log-out and log-in (a new key) drop the old session: one DELETE, then the cache."""
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        alias = router.db_for_write(self.model)
        with connections[alias].cursor() as cursor:
            cursor.execute(_statements(self.model, alias)[2], [session_key])
        self._cache.delete(self.cache_key_prefix + session_key)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()
        data = self.encode(self._get_session(no_load=must_create))
        self._write(must_create, data)
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)

    def _write(self, must_create: bool, data: str) -> None:
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        expires = self.model._meta.get_field("expire_date").get_db_prep_save(
            self.get_expiry_date(), connection
        )
        insert, update, _delete = _statements(self.model, alias)
        if must_create:
            try:
                if connection.in_atomic_block:  # a taken key must not spoil the transaction
                    with transaction.atomic(using=alias), connection.cursor() as cursor:
                        cursor.execute(insert, [self.session_key, data, expires])
                else:
                    with connection.cursor() as cursor:
                        cursor.execute(insert, [self.session_key, data, expires])
            except IntegrityError as error:
                raise CreateError from error
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute(update, [data, expires, self.session_key])
                updated = cursor.rowcount
        except DatabaseError as error:
            raise UpdateError from error  # as Django's: the middleware says "session interrupted"
        if updated != 1:
            raise UpdateError  # deleted meanwhile (logged out elsewhere): as Django's
