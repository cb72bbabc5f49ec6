"""A write that must not queue behind others for SQLite's one write lock.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps
1, 2, 5, 10, 15, 20, 25 ... ms between tries. While the task worker answers a burst of LINE
events its threads write all the time, and the webhook, which LINE times, lost the lock to
them again and again: 50-150 ms to store a few rows that take a tenth of a millisecond.
``write_promptly`` tries again every millisecond instead (each try is one failed lock attempt),
up to the connection's own timeout, so the webhook writes as soon as the lock is free.

Only outside a transaction, where a refused write changed nothing and can simply be tried
again; PostgreSQL (row locks, no waiting here) and anything inside a transaction run as usual.
"""

import time

from django.db import OperationalError, connections

POLL_SECONDS = 0.001


def write_promptly(alias: str, func, *args, **kwargs):
    """``func(*args, **kwargs)``, which writes in autocommit mode on database ``alias``."""
    connection = connections[alias]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return func(*args, **kwargs)
    timeout = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5))
    deadline = time.monotonic() + timeout
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
            time.sleep(POLL_SECONDS)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
