"""The webhook's two statements, and the task worker's claim of waiting events, written out
once per process instead of on every request.

LINE waits for the webhook's answer. Building ``bulk_create(ignore_conflicts=True)`` and
``DBTaskResult.objects.ready().filter(...).exists()`` through the ORM cost about twice as much
CPU as running them (bench/line_webhook.py; the answer's p99 is mostly requests queueing for
that CPU). The statements below are the same ones: column names come from the models, values
are prepared by the model fields (JSON, times) and the dialect's conflict clause comes from the
database backend, so a field added to WebhookEvent is stored here too. Tests compare both with
the ORM's results (tests/line_integration/test_webhook_sql.py).

The claim marks a whole burst's events as taken in one statement that reports which rows it
took; through the ORM that was a savepoint, an UPDATE and its release for each event. With the
claimed events read in one query (webhook.claim_waiting), the worker's database threads went
from 8.5-10.2 to 6.0-6.6 ms of CPU an event on PostgreSQL (210-event burst, in-process).
"""

from functools import cache

from django.db import IntegrityError, connections, router, transaction
from django.db.models.constants import OnConflict

from line_integration.models import WebhookEvent


def _fields():
    return [f for f in WebhookEvent._meta.concrete_fields if not f.primary_key]


@cache
def _insert_sql(alias: str, rows: int) -> str:
    connection = connections[alias]
    ops, quote = connection.ops, connection.ops.quote_name
    fields = _fields()
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    return (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} "
        f"{quote(WebhookEvent._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([one] * rows)} {suffix}"
    ).strip()


def store(events: list[WebhookEvent]) -> None:
    """Insert the events; one whose webhook_event_id is already stored is skipped."""
    alias = router.db_for_write(WebhookEvent)
    connection = connections[alias]
    fields = _fields()
    params = [
        field.get_db_prep_save(getattr(event, field.attname), connection)
        for event in events
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(alias, len(events)), params)


@cache
def _waiting_sql(alias: str) -> str:
    from django_tasks_db.models import DBTaskResult

    quote = connections[alias].ops.quote_name
    meta = DBTaskResult._meta

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    # DBTaskResultQuerySet.ready(): READY, and no run_after (the far date) or one now past.
    return (
        f"SELECT 1 FROM {quote(meta.db_table)} WHERE {column('status')} = %s "
        f"AND {column('task_path')} = %s "
        f"AND ({column('run_after')} = %s OR {column('run_after')} <= %s) LIMIT 1"
    )


def prepare() -> None:
    """Write out the statements for a webhook of one and of two events (a new friend's follow
    and message) before LINE's first request (cms/wsgi_line.py); no connection is opened."""
    from django_tasks_db.models import DBTaskResult

    for rows in (1, 2):
        _insert_sql(router.db_for_write(WebhookEvent), rows)
    _waiting_sql(router.db_for_read(DBTaskResult))


def task_waiting_to_start(task) -> bool:
    """Whether ``task`` is queued and no worker has started it yet."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max

    alias = router.db_for_read(DBTaskResult)
    connection = connections[alias]
    run_after = DBTaskResult._meta.get_field("run_after")
    params = [
        TaskResultStatus.READY.value,
        task.module_path,
        run_after.get_db_prep_value(get_date_max(), connection),
        run_after.get_db_prep_value(timezone.now(), connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_waiting_sql(alias), params)
        return cursor.fetchone() is not None


@cache
def _claim_sql(alias: str, rows: int) -> str:
    quote = connections[alias].ops.quote_name
    meta = WebhookEvent._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    taken = quote(meta.get_field("processed_at").column)
    marks = ", ".join(["%s"] * rows)
    return (
        f"UPDATE {table} SET {taken} = %s WHERE {pk} IN ({marks}) AND {taken} IS NULL "
        f"RETURNING {pk}"
    )


def claim(pks: list[int], now) -> set[int] | None:
    """Mark the waiting events among ``pks`` as taken at ``now``; the ids it took (not those
    another worker took first). None, with nothing taken, when the database refuses the
    statement: another worker took an earlier event of one of these chats meanwhile
    (line_event_one_running_per_source), and only the event-by-event claim can leave that
    one out. None too where the database cannot report the rows (SQLite before 3.35)."""
    alias = router.db_for_write(WebhookEvent)
    connection = connections[alias]
    if not connection.features.can_return_columns_from_insert:
        return None
    stamp = WebhookEvent._meta.get_field("processed_at").get_db_prep_save(now, connection)
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(_claim_sql(alias, len(pks)), [stamp, *pks])
            return {row[0] for row in cursor.fetchall()}
    except IntegrityError:
        return None
