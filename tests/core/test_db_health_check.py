"""A persistent PostgreSQL connection is checked before a request uses it without a round trip
when nothing has happened to it, and still dropped when the server ended it
(core/db_backends/postgresql/base.py)."""

import time

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the check without SELECT 1 is in the PostgreSQL backend; SQLite's backend never "
        "made a round trip to check (CI runs these with DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

MARK = "SELECT 'marker of the last statement'"


@pytest.fixture
def spare():
    """A connection of its own, kept between requests as production keeps them."""
    default = connections["default"]
    wrapper = type(default)({**default.settings_dict, "CONN_MAX_AGE": 60}, "default")
    wrapper.ensure_connection()
    with wrapper.cursor() as cursor:
        cursor.execute(MARK)
    yield wrapper
    wrapper.close()


def backend_pid(wrapper) -> int:
    return wrapper.connection.info.backend_pid


def last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def next_request(wrapper) -> None:
    """What Django does between two requests and when the second first uses the database."""
    wrapper.close_if_unusable_or_obsolete()
    wrapper.close_if_health_check_failed()


def until_readable(wrapper, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while wrapper.quietly_idle() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_the_site_uses_this_backend():
    assert connection.settings_dict["ENGINE"] == "core.db_backends.postgresql"
    assert connection.health_check_enabled


def test_a_connection_nothing_happened_to_is_reused_without_asking_the_server(spare):
    pid = backend_pid(spare)
    raw = spare.connection

    next_request(spare)

    assert spare.connection is raw
    assert last_statement(pid) == MARK  # no SELECT 1 went to the server
    with spare.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(spare):
    pid = backend_pid(spare)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    until_readable(spare)

    next_request(spare)

    assert spare.connection is None
    with spare.cursor() as cursor:  # a new connection, not an error page
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_something_to_read_on_a_live_connection_is_settled_by_asking(spare):
    with spare.cursor() as cursor:
        cursor.execute("LISTEN ddc_health_check")
    with connection.cursor() as cursor:
        cursor.execute("NOTIFY ddc_health_check")
    until_readable(spare)
    raw = spare.connection
    assert not spare.quietly_idle()

    next_request(spare)

    assert spare.connection is raw
    assert last_statement(backend_pid(spare)) == "SELECT 1"
