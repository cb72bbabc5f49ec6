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


def _stored(*events) -> list[int]:
    services.record_webhook_events(events=list(events))
    ids = [event["webhookEventId"] for event in events]
    by_id = dict(WebhookEvent.objects.values_list("webhook_event_id", "pk"))
    return [by_id[event_id] for event_id in ids]


def test_a_burst_is_claimed_in_one_statement_and_only_what_no_one_took(database_queue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    users = [new_user_id() for _ in range(4)]
    pks = _stored(*(build_event("message", user_id=user, text="สวัสดี") for user in users))
    earlier = timezone.now() - timedelta(seconds=5)
    WebhookEvent.objects.filter(pk=pks[1]).update(processed_at=earlier)  # another worker's

    now = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        assert webhook_sql.claim(pks, now) == {pks[0], pks[2], pks[3]}

    assert sum(query["sql"].startswith("UPDATE") for query in captured.captured_queries) == 1
    taken = dict(WebhookEvent.objects.values_list("pk", "processed_at"))
    assert taken == {pks[0]: now, pks[1]: earlier, pks[2]: now, pks[3]: now}


def test_a_chat_another_worker_overtook_is_left_out_and_the_others_are_claimed(database_queue):
    """Between the scan and the claim another worker took chat A's first event: the claim of
    A's second is refused (one event per chat at a time), and the other chats' go ahead."""
    from line_integration import webhook

    chat_a, chat_b = new_user_id(), new_user_id()
    a1, a2, b1 = _stored(
        build_event("message", user_id=chat_a, text="1"),
        build_event("message", user_id=chat_a, text="2"),
        build_event("message", user_id=chat_b, text="1"),
    )
    WebhookEvent.objects.filter(pk=a1).update(processed_at=timezone.now())  # being handled

    assert webhook_sql.claim([a2, b1], timezone.now()) is None  # refused whole
    assert not WebhookEvent.objects.filter(pk__in=[a2, b1], processed_at__isnull=False).exists()

    # What claim_waiting then does: each event alone, A's second left waiting.
    assert webhook._claim_one_by_one([a2, b1], timezone.now()) == [b1]
    assert webhook.claim_waiting(limit=10) == []  # A's turn comes once its first is done
    WebhookEvent.objects.filter(pk=a1).update(finished_at=timezone.now())
    [event] = webhook.claim_waiting(limit=10)
    assert (event.pk, event.payload["message"]["text"]) == (a2, "2")
