"""Background work for LINE: run by `manage.py db_worker` (immediately in tests)."""

from django_tasks import task


@task()
def deliver_outbound(outbound_id: int) -> str:
    from line_integration.outbox import deliver

    return deliver(outbound_id)


# Its own queue, so a big fan-out on "default" never delays answers to citizens (reply tokens
# expire after a minute): production runs dedicated `db_worker --queue-name line_events`.
@task(queue_name="line_events")
def process_webhook_event(event_id: int | None = None) -> dict[str, int]:
    """Handle the events that are waiting (not only those of the webhook that queued this:
    one run takes a whole burst, many at once). ``event_id`` is what older tasks carried.

    Inside a transaction (the immediate backend runs tasks in the webhook's own) other
    threads cannot see the new rows, so they are handled here, one after the other.
    """
    from django.db import connection

    from line_integration import event_worker, webhook

    if connection.in_atomic_block:
        return webhook.process_waiting()
    return event_worker.run()


@task()
def link_rich_menu(line_user_id: str) -> str:
    from line_integration.linking import apply_rich_menu

    return apply_rich_menu(line_user_id)


@task()
def unlink_rich_menu(line_user_id: str) -> str:
    from line_integration.linking import remove_rich_menu

    return remove_rich_menu(line_user_id)
