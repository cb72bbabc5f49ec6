"""Reads that may lag a moment behind the primary can be sent to a read replica.

With DATABASE_REPLICA_URL set, base settings add a ``replica`` database alias
(``READ_REPLICA_DATABASE``). Inside ``reading_from_replica()`` (or a view wrapped with
``replica_reads``) ``ReplicaRouter`` sends reads there; everything else, and every write, uses
the primary. Who the user is and what they may do is always read from the primary (sessions,
users, groups, permissions, log-in lockouts), so a role taken away counts at once even when
the replica lags. Without a replica, or outside the context, routing is Django's default.
See https://docs.djangoproject.com/en/5.2/topics/db/multi-db/#automatic-database-routing
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "axes", "contenttypes", "sessions"})
# Named, not imported (the kernel imports no app): agency membership decides dashboard access.
PRIMARY_ONLY_MODELS = frozenset({"complaints.agencymembership"})

_reading_from: ContextVar[str | None] = ContextVar("reading_from", default=None)


@contextmanager
def reading_from_replica() -> Iterator[str | None]:
    """Reads inside go to the replica when one is configured; yields its alias (or None)."""
    token = _reading_from.set(getattr(settings, "READ_REPLICA_DATABASE", None))
    try:
        yield _reading_from.get()
    finally:
        _reading_from.reset(token)


def replica_reads(view):
    """A view whose reads may come from the replica (figures, reports): for urls.py."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with reading_from_replica():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = _reading_from.get()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        if model._meta.label_lower in PRIMARY_ONLY_MODELS:
            return None
        return alias

    def db_for_write(self, model, **hints):
        """Always the primary, also for an object that was read from the replica."""
        instance = hints.get("instance")
        if instance is not None and instance._state.db == _replica_alias():
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints):
        same_data = {DEFAULT_DB_ALIAS, _replica_alias()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == _replica_alias():
            return False  # the replica follows the primary's schema by replication
        return None


def _replica_alias() -> str:
    return getattr(settings, "READ_REPLICA_DATABASE", None) or "replica"
