"""A write that goes ahead as soon as SQLite's write lock is free (core/sqlite_writes.py): the
webhook's, while the task worker's threads write all the time."""

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from core.models import UsedChallenge
from core.sqlite_writes import write_promptly

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite has one write lock for the whole database; with PostgreSQL "
        "write_promptly runs the write as it is (CI runs this file on SQLite)",
    ),
]


def hold_write_lock(seconds: float) -> threading.Thread:
    """Another connection (the worker's) takes the write lock and keeps it ``seconds``."""
    taken = threading.Event()

    def hold():
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    return thread


def save(key: str) -> UsedChallenge:
    return UsedChallenge.objects.create(key=key, expires_at=timezone.now())


def busy_timeout_ms() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        return cursor.fetchone()[0]


def test_the_write_goes_through_once_the_lock_is_free():
    before = busy_timeout_ms()
    holder = hold_write_lock(0.3)
    started = time.monotonic()
    write_promptly("default", save, "a")
    waited = time.monotonic() - started
    holder.join()
    assert UsedChallenge.objects.filter(key="a").count() == 1  # once, not once per try
    assert waited >= 0.25  # it did wait for the lock, and was not refused
    assert busy_timeout_ms() == before  # the connection's own patience is back


def test_a_lock_held_past_the_timeout_is_still_an_error(settings, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    holder = hold_write_lock(1.0)
    with pytest.raises(OperationalError, match="locked"):
        write_promptly("default", save, "b")
    holder.join()
    assert not UsedChallenge.objects.filter(key="b").exists()


def test_inside_a_transaction_it_is_an_ordinary_write():
    with transaction.atomic():
        write_promptly("default", save, "c")
        assert busy_timeout_ms() > 0  # not touched: a retry inside could repeat earlier work
    assert UsedChallenge.objects.filter(key="c").exists()
