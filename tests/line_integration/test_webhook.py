"""POST /line/webhook/: only LINE's signed requests are stored, each event is handled once."""

import pytest

from line_integration.models import WebhookEvent
from line_integration.standin.events import build_event, new_user_id, sign, webhook_body
from line_integration.tasks import process_webhook_event
from tests.line_integration.support import DESTINATION, bot_messages, post_events, send_event

pytestmark = pytest.mark.django_db


def text_event(user_id: str, text: str = "สวัสดี", **fields) -> dict:
    return build_event("message", user_id=user_id, text=text, **fields)


def test_signed_events_are_stored_with_their_task_and_answered_before_any_line_call(
    client, line_standin, settings
):
    """Production's queue: the event is stored, then a task to handle it is queued, and the
    request itself never waits for LINE."""
    from django_tasks_db.models import DBTaskResult

    from line_integration.webhook import process_event

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    user = line_standin.state.add_user(display_name="สมชาย")
    event = line_standin.state.new_event("message", user["userId"], text="สวัสดี")

    response = post_events(client, [event])

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert stored.webhook_event_id == event["webhookEventId"]
    assert stored.event_type == "message"
    assert stored.payload == event
    assert stored.processed_at is None
    assert line_standin.state.requests() == []  # the request itself never calls LINE
    [task] = DBTaskResult.objects.filter(task_path="line_integration.tasks.process_webhook_event")
    assert task.queue_name == "line_events"  # it handles whatever is waiting

    process_event(stored.pk)  # what the worker does with that task
    stored.refresh_from_db()
    assert stored.processed_at is not None
    assert [m["via"] for m in bot_messages(line_standin.state, user["userId"])] == ["reply"]


@pytest.mark.parametrize("case", ["missing", "wrong", "other-body"])
def test_unsigned_or_badly_signed_requests_are_refused_and_nothing_is_stored(
    client, case, settings, django_capture_on_commit_callbacks
):
    signature = {
        "missing": "",
        "wrong": "bm90IHRoZSByaWdodCBzaWduYXR1cmU=",
        "other-body": sign(b'{"events":[]}', settings.LINE_CHANNEL_SECRET),
    }[case]
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_events(client, [text_event(new_user_id())], signature=signature)

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0
    assert callbacks == []


def test_signature_made_with_another_channel_secret_is_refused(client):
    response = post_events(client, [text_event(new_user_id())], secret="someone-elses-secret")

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_signed_body_that_is_not_a_webhook_is_refused(client, settings):
    body = b'{"not": "events"}'
    response = client.post(
        "/line/webhook/",
        data=body,
        content_type="application/json",
        headers={"X-Line-Signature": sign(body, settings.LINE_CHANNEL_SECRET)},
    )

    assert response.status_code == 400


def test_verify_request_with_no_events_gets_200(client):
    """LINE's console "Verify" button posts an empty events list."""
    response = post_events(client, [])

    assert response.status_code == 200
    assert WebhookEvent.objects.count() == 0


def test_webhook_only_accepts_post(client):
    assert client.get("/line/webhook/").status_code == 405


def test_same_event_posted_twice_is_stored_and_answered_once(
    client, line_standin, django_capture_on_commit_callbacks
):
    user = line_standin.state.add_user()
    event = send_event(
        client,
        django_capture_on_commit_callbacks,
        line_standin.state,
        "message",
        user["userId"],
        text="สวัสดี",
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert post_events(client, [event]).status_code == 200

    assert WebhookEvent.objects.count() == 1
    assert len(bot_messages(line_standin.state, user["userId"])) == 1


def test_redelivered_event_already_seen_is_skipped(
    client, line_standin, django_capture_on_commit_callbacks
):
    user = line_standin.state.add_user()
    event = send_event(
        client,
        django_capture_on_commit_callbacks,
        line_standin.state,
        "message",
        user["userId"],
        text="สวัสดี",
    )
    redelivered = {**event, "deliveryContext": {"isRedelivery": True}}

    with django_capture_on_commit_callbacks(execute=True):
        assert post_events(client, [redelivered]).status_code == 200

    assert WebhookEvent.objects.count() == 1
    assert len(bot_messages(line_standin.state, user["userId"])) == 1


def test_redelivered_event_never_seen_is_stored_and_flagged(
    client, line_standin, django_capture_on_commit_callbacks
):
    user = line_standin.state.add_user()
    event = line_standin.state.new_event("message", user["userId"], text="สวัสดี", is_redelivery=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert post_events(client, [event]).status_code == 200

    assert WebhookEvent.objects.get().is_redelivery is True
    assert len(bot_messages(line_standin.state, user["userId"])) == 1


def test_several_events_in_one_request_are_each_stored(
    client, line_standin, django_capture_on_commit_callbacks
):
    user = line_standin.state.add_user()
    events = [
        line_standin.state.new_event("message", user["userId"], text=t) for t in ("หนึ่ง", "สอง")
    ]

    with django_capture_on_commit_callbacks(execute=True):
        assert post_events(client, events).status_code == 200

    assert WebhookEvent.objects.count() == 2
    assert len(bot_messages(line_standin.state, user["userId"])) == 2


def test_unknown_event_type_is_stored_and_ignored(
    client, line_standin, django_capture_on_commit_callbacks
):
    event = {
        "type": "membership",
        "mode": "active",
        "timestamp": 1700000000000,
        "source": {"type": "user", "userId": new_user_id()},
        "webhookEventId": "01HZZZZZZZZZZZZZZZZZZZZZZZ",
        "deliveryContext": {"isRedelivery": False},
        "membership": {"type": "joined", "membershipId": 3189},
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = post_events(client, [event])

    assert response.status_code == 200
    stored = WebhookEvent.objects.get()
    assert stored.event_type == "membership"
    assert stored.payload["membership"] == {"type": "joined", "membershipId": 3189}
    assert stored.processed_at is not None
    assert stored.error == ""
    assert line_standin.state.requests() == []


def test_processing_an_event_a_second_time_does_nothing(
    client, line_standin, django_capture_on_commit_callbacks
):
    user = line_standin.state.add_user()
    send_event(
        client,
        django_capture_on_commit_callbacks,
        line_standin.state,
        "message",
        user["userId"],
        text="สวัสดี",
    )
    stored = WebhookEvent.objects.get()

    again = process_webhook_event.enqueue(stored.pk)

    assert again.return_value == {}  # nothing was waiting: the event is not handled again
    assert len(bot_messages(line_standin.state, user["userId"])) == 1


def test_a_failing_handler_is_recorded_on_the_event_not_retried(
    client, line_standin, django_capture_on_commit_callbacks
):
    from line_integration import handlers

    def broken(ctx):
        raise RuntimeError("domain handler bug")

    user = line_standin.state.add_user()

    with handlers.temporary_handlers():
        handlers.register_postback("test=broken")(broken)
        send_event(
            client,
            django_capture_on_commit_callbacks,
            line_standin.state,
            "postback",
            user["userId"],
            data="test=broken",
        )

    stored = WebhookEvent.objects.get()
    assert stored.processed_at is not None
    assert "domain handler bug" in stored.error
    assert stored.finished_at is not None  # the chat's next event is not held up
    assert process_webhook_event.enqueue(stored.pk).return_value == {}


def test_body_bytes_are_verified_exactly_as_sent(client, settings):
    """Re-encoding the JSON (spaces, escapes) would break LINE's signature; we use raw bytes."""
    body = webhook_body([text_event(new_user_id(), "ทดสอบ ไทย")], destination=DESTINATION)
    spaced = body.replace(b",", b", ")

    response = client.post(
        "/line/webhook/",
        data=spaced,
        content_type="application/json",
        headers={"X-Line-Signature": sign(body, settings.LINE_CHANNEL_SECRET)},
    )

    assert response.status_code == 400


def test_standby_events_are_stored_but_not_answered(
    client, line_standin, django_capture_on_commit_callbacks
):
    user = line_standin.state.add_user()
    event = line_standin.state.new_event("message", user["userId"], text="สวัสดี")
    event["mode"] = "standby"

    with django_capture_on_commit_callbacks(execute=True):
        assert post_events(client, [event]).status_code == 200

    assert WebhookEvent.objects.get().processed_at is not None
    assert bot_messages(line_standin.state, user["userId"]) == []
