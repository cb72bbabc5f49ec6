"""The webhook's hand-written statements (line_integration/webhook_sql.py) store and find what
the ORM would: an event exactly as LINE sent it, once, and a task only while it waits to start."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from line_integration import services, webhook_sql
from line_integration.models import WebhookEvent
from line_integration.standin.events import build_event, new_user_id
from line_integration.tasks import link_rich_menu, process_webhook_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def test_events_are_stored_as_line_sent_them_and_a_redelivery_is_stored_once(database_queue):
    user_id = new_user_id()
    event = build_event("message", user_id=user_id, text='ถนนชำรุด 😢 "ซอย 5" \\ ท่อ')
    event["message"]["emojis"] = [{"index": 9, "productId": "x", "emojiId": "001"}]
    follow = build_event("follow", user_id=user_id)
    before = timezone.now()

    services.record_webhook_events(events=[follow, event, event])
    again = {**event, "deliveryContext": {"isRedelivery": True}}
    services.record_webhook_events(events=[again])

    stored = {row.webhook_event_id: row for row in WebhookEvent.objects.all()}
    assert set(stored) == {follow["webhookEventId"], event["webhookEventId"]}
    row = stored[event["webhookEventId"]]
    assert row.payload == event  # the first delivery's, unchanged
    assert (row.event_type, row.source_id, row.is_redelivery) == ("message", user_id, False)
    assert (row.processed_at, row.finished_at, row.error) == (None, None, "")
    assert before <= row.received_at <= timezone.now()
    assert stored[follow["webhookEventId"]].event_type == "follow"


def test_a_task_counts_as_waiting_only_while_ready_to_start_now(database_queue):
    assert not webhook_sql.task_waiting_to_start(process_webhook_event)

    other = link_rich_menu.enqueue("U" + "0" * 32)  # another task's waiting is not ours
    assert not webhook_sql.task_waiting_to_start(process_webhook_event)
    DBTaskResult.objects.filter(pk=other.id).delete()

    process_webhook_event.enqueue()
    assert webhook_sql.task_waiting_to_start(process_webhook_event)
    ours = DBTaskResult.objects.filter(task_path=process_webhook_event.module_path)

    ours.update(run_after=timezone.now() + timedelta(minutes=5))  # not before five minutes
    assert not webhook_sql.task_waiting_to_start(process_webhook_event)
    ours.update(run_after=timezone.now() - timedelta(seconds=1))
    assert webhook_sql.task_waiting_to_start(process_webhook_event)

    ours.update(status="RUNNING")  # a worker took it and may have looked for events already
    assert not webhook_sql.task_waiting_to_start(process_webhook_event)
    for check in ("READY", "RUNNING"):
        ours.update(status=check)
        expected = ours.ready().exists()
        assert webhook_sql.task_waiting_to_start(process_webhook_event) is expected
