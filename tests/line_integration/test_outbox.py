"""The outbox under LINE's failures: every message reaches the citizen exactly once."""

import io
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from line_integration import messages as msg
from line_integration.models import LineAccount, OutboundMessage
from line_integration.outbox import (
    MAX_ATTEMPTS,
    deliver,
    deliver_due,
    enqueue_multicast,
    enqueue_push,
    enqueue_to_user,
)
from line_integration.standin.events import new_user_id
from tests.accounts.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status
PUSH = "/v2/bot/message/push"


@pytest.fixture
def citizen_line(line_standin):
    return line_standin.state.add_user(display_name="ผู้ร้องเรียน")["userId"]


@pytest.fixture
def push(django_capture_on_commit_callbacks):
    """enqueue_push as a caller's committed transaction: the first attempt runs at once."""

    def push(to, text="เรื่องของท่านได้รับการบันทึกแล้ว", **kwargs):
        kwargs.setdefault("purpose", "complaint.confirmation")
        with django_capture_on_commit_callbacks(execute=True):
            row = enqueue_push(to=to, messages=[msg.text(text)], **kwargs)
        row.refresh_from_db()
        return row

    return push


def later(row: OutboundMessage, extra_seconds: float = 1):
    """The clock just after the row's next attempt is due (instead of sleeping)."""
    row.refresh_from_db()
    return row.next_attempt_at + timedelta(seconds=extra_seconds)


def test_push_is_delivered_with_a_retry_key_and_line_request_id(line_standin, citizen_line, push):
    row = push(citizen_line)

    assert row.status == Status.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    [request] = line_standin.state.requests(PUSH)
    assert request["retryKey"] == str(row.retry_key)
    assert row.line_request_id == request["requestId"]
    [delivery] = line_standin.state.deliveries(citizen_line)
    assert delivery["message"]["text"] == "เรื่องของท่านได้รับการบันทึกแล้ว"


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(
    line_standin, citizen_line, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue_push(to=citizen_line, messages=[msg.text("x")], purpose="t")
            raise RuntimeError("the complaint could not be saved")

    assert OutboundMessage.objects.count() == 0
    assert line_standin.state.requests() == []


def test_server_errors_are_retried_with_the_same_key_until_delivered_once(
    line_standin, citizen_line, push
):
    line_standin.state.inject(PUSH, status=500, times=3)

    row = push(citizen_line)
    assert row.status == Status.PENDING
    assert "HTTP 500" in row.last_error
    waits = []
    for _ in range(3):
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds()))
        deliver_due(now=later(row))
        row.refresh_from_db()

    assert row.status == Status.SENT
    assert row.attempts == 4
    requests = line_standin.state.requests(PUSH)
    assert [r["status"] for r in requests] == [500, 500, 500, 200]
    assert {r["retryKey"] for r in requests} == {str(row.retry_key)}
    assert len(line_standin.state.deliveries(citizen_line)) == 1
    assert waits[0] == 2  # then 4, 8... from the row's own clock


def test_rows_are_not_retried_before_their_time(line_standin, citizen_line, push):
    line_standin.state.inject(PUSH, status=503)
    row = push(citizen_line)

    assert deliver_due(now=row.next_attempt_at - timedelta(seconds=1)) == {}
    assert len(line_standin.state.requests(PUSH)) == 1


def test_timeout_after_line_accepted_is_sent_once_thanks_to_the_retry_key(
    line_standin, citizen_line, push
):
    line_standin.state.inject(PUSH, accept_then_timeout=True)

    row = push(citizen_line)
    assert row.status == Status.PENDING
    assert "หมดเวลา" in row.last_error
    deliver_due(now=later(row))
    row.refresh_from_db()

    assert row.status == Status.SENT
    first, second = line_standin.state.requests(PUSH)
    assert first["fault"] == "accept_then_timeout"
    assert second["status"] == 409
    assert first["retryKey"] == second["retryKey"] == str(row.retry_key)
    assert row.line_request_id == first["requestId"]  # LINE's x-line-accepted-request-id
    assert len(line_standin.state.deliveries(citizen_line)) == 1


def test_no_answer_at_all_is_retried(line_standin, citizen_line, push):
    line_standin.state.inject(PUSH, timeout=True)

    row = push(citizen_line)
    deliver_due(now=later(row))
    row.refresh_from_db()

    assert row.status == Status.SENT
    assert len(line_standin.state.deliveries(citizen_line)) == 1


def test_rate_limit_is_retried(line_standin, citizen_line, push):
    line_standin.state.inject(PUSH, status=429, times=2)

    row = push(citizen_line)
    deliver_due(now=later(row))
    deliver_due(now=later(row))
    row.refresh_from_db()

    assert row.status == Status.SENT
    assert [r["status"] for r in line_standin.state.requests(PUSH)] == [429, 429, 200]


def test_a_request_line_refuses_fails_for_good_with_lines_explanation(line_standin, push):
    stranger = new_user_id()  # not a friend of the account: LINE answers 400

    row = push(stranger)

    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert "HTTP 400" in row.last_error
    assert "Failed to send messages" in row.last_error
    assert deliver_due(now=timezone.now() + timedelta(days=1)) == {}
    assert len(line_standin.state.requests(PUSH)) == 1


def test_invalid_message_fails_with_lines_error_details(
    line_standin, citizen_line, django_capture_on_commit_callbacks
):
    bad_button = {"type": "uri", "label": "ก" * 41, "uri": "https://example.com/"}
    message = {
        "type": "flex",
        "altText": "ทดสอบ",
        "contents": {
            "type": "bubble",
            "body": {
                "type": "box",
                "layout": "vertical",
                "contents": [{"type": "button", "action": bad_button}],
            },
        },
    }

    with django_capture_on_commit_callbacks(execute=True):
        row = enqueue_push(to=citizen_line, messages=[message], purpose="t")
    row.refresh_from_db()

    assert row.status == Status.FAILED
    assert "Length must be between 0 and 40" in row.last_error


def test_gives_up_after_the_last_attempt(line_standin, citizen_line, push):
    line_standin.state.inject(PUSH, status=500, times=MAX_ATTEMPTS + 5)

    row = push(citizen_line)
    for _ in range(MAX_ATTEMPTS + 2):
        deliver_due(now=later(row))
    row.refresh_from_db()

    assert row.status == Status.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert len(line_standin.state.requests(PUSH)) == MAX_ATTEMPTS


def test_multicast_to_1234_citizens_is_three_requests_of_500_500_234(
    line_standin, django_capture_on_commit_callbacks
):
    recipients = [new_user_id() for _ in range(1234)]
    for user_id in recipients[:3]:
        line_standin.state.add_user(user_id=user_id)

    with django_capture_on_commit_callbacks(execute=True):
        rows = enqueue_multicast(
            to=recipients, messages=[msg.text("ประกาศ")], purpose="news.broadcast"
        )

    requests = line_standin.state.requests("/v2/bot/message/multicast")
    assert [len(r["body"]["to"]) for r in requests] == [500, 500, 234]
    assert [to for r in requests for to in r["body"]["to"]] == recipients
    assert len({r["retryKey"] for r in requests}) == 3
    assert {str(row.retry_key) for row in rows} == {r["retryKey"] for r in requests}
    assert all(row.status == Status.SENT for row in OutboundMessage.objects.all())
    assert len(line_standin.state.deliveries()) == 3


def test_one_failed_multicast_chunk_is_retried_alone(
    line_standin, django_capture_on_commit_callbacks
):
    recipients = [new_user_id() for _ in range(600)]
    line_standin.state.inject("/v2/bot/message/multicast", status=502)

    with django_capture_on_commit_callbacks(execute=True):
        first, second = enqueue_multicast(
            to=recipients, messages=[msg.text("ประกาศ")], purpose="news.broadcast"
        )
    deliver_due(now=later(first))

    keys = [r["retryKey"] for r in line_standin.state.requests("/v2/bot/message/multicast")]
    assert keys == [str(first.retry_key), str(second.retry_key), str(first.retry_key)]


def test_dedupe_key_makes_enqueue_idempotent(line_standin, citizen_line, push):
    first = push(citizen_line, dedupe_key="complaint:42:received")
    again = push(citizen_line, text="ข้อความซ้ำ", dedupe_key="complaint:42:received")

    assert again.pk == first.pk
    assert OutboundMessage.objects.count() == 1
    assert len(line_standin.state.deliveries(citizen_line)) == 1


def test_multicast_dedupe_key_covers_every_chunk(line_standin, django_capture_on_commit_callbacks):
    recipients = [new_user_id() for _ in range(700)]
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_multicast(
            to=recipients, messages=[msg.text("ก")], purpose="n", dedupe_key="news:7"
        )
        again = enqueue_multicast(
            to=recipients, messages=[msg.text("ก")], purpose="n", dedupe_key="news:7"
        )

    assert [r.pk for r in again] == [r.pk for r in first]
    assert len(line_standin.state.requests("/v2/bot/message/multicast")) == 2


def test_enqueue_to_user_needs_a_linked_friend(
    line_standin, citizen_line, django_capture_on_commit_callbacks
):
    user = UserFactory()
    assert enqueue_to_user(user=user, messages=[msg.text("x")], purpose="t") is None

    LineAccount.objects.create(line_user_id=citizen_line, user=user, is_active=True, followed=True)
    with django_capture_on_commit_callbacks(execute=True):
        row = enqueue_to_user(user=user, messages=[msg.text("ความคืบหน้า")], purpose="t")

    assert row.recipients == [citizen_line]
    assert line_standin.state.deliveries(citizen_line)[0]["message"]["text"] == "ความคืบหน้า"


def test_more_than_five_messages_are_refused_before_reaching_line(citizen_line):
    with pytest.raises(ValueError):
        enqueue_push(to=citizen_line, messages=[msg.text(str(i)) for i in range(6)], purpose="t")
    assert OutboundMessage.objects.count() == 0


def test_flush_command_delivers_what_is_due(line_standin, citizen_line):
    row = OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.PUSH,
        recipients=[citizen_line],
        messages=[msg.text("ค้างส่ง")],
        purpose="t",
    )

    out = io.StringIO()
    call_command("line_outbox_flush", stdout=out)

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert out.getvalue().strip() == "sent=1"


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_with_its_key(line_standin, citizen_line):
    row = OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.PUSH,
        recipients=[citizen_line],
        messages=[msg.text("ก")],
        purpose="t",
        status=Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=1),
    )
    assert deliver_due() == {}

    deliver_due(now=timezone.now() + timedelta(minutes=2))

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert line_standin.state.requests(PUSH)[0]["retryKey"] == str(row.retry_key)


def _wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OperationalError:
            pass  # the other thread holds SQLite's write lock for a moment
        time.sleep(0.01)
    raise AssertionError("condition not reached")


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_row_send_it_once(line_standin, citizen_line):
    row = OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.PUSH,
        recipients=[citizen_line],
        messages=[msg.text("ส่งครั้งเดียว")],
        purpose="t",
    )
    line_standin.state.latency_ms = 400  # worker A is still waiting for LINE when B starts
    outcomes = []

    def worker_a():
        try:
            outcomes.append(deliver(row.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=worker_a)
    thread.start()
    _wait_for(lambda: OutboundMessage.objects.get(pk=row.pk).status == Status.SENDING)
    outcomes.append(deliver(row.pk))  # worker B
    thread.join(timeout=10)

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(line_standin.state.requests(PUSH)) == 1
    assert len(line_standin.state.deliveries(citizen_line)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_started_together_send_once(line_standin, citizen_line):
    row = OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.PUSH,
        recipients=[citizen_line],
        messages=[msg.text("พร้อมกัน")],
        purpose="t",
    )
    line_standin.state.latency_ms = 200  # both are running while LINE answers
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            start.wait()
            for _ in range(50):
                try:
                    outcomes.append(deliver(row.pk))
                    return
                except OperationalError:
                    time.sleep(0.02)  # SQLite's shared test database is busy; a worker retries
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(line_standin.state.deliveries(citizen_line)) == 1


# Wagtail admin -----------------------------------------------------------------------------


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="line_integration", codename__in=codenames
        )
    )


def failed_row(citizen_line):
    return OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.PUSH,
        recipients=[citizen_line],
        messages=[msg.text("แจ้งผลการพิจารณา")],
        purpose="complaint.result",
        status=Status.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="HTTP 500: ล่ม",
    )


def test_staff_with_view_permission_see_the_outbox_filtered_by_status(client, citizen_line):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    grant(officer, "view_outboundmessage")
    failed_row(citizen_line)
    OutboundMessage.objects.create(
        kind="push",
        recipients=[citizen_line],
        messages=[msg.text("ก")],
        purpose="complaint.received",
        status=Status.SENT,
    )
    client.force_login(officer)

    page = client.get(reverse("line_outbox:index")).content.decode()
    failed_only = client.get(reverse("line_outbox:index"), {"status": "failed"}).content.decode()

    assert "complaint.result" in page and "complaint.received" in page
    assert "complaint.result" in failed_only and "complaint.received" not in failed_only
    assert "HTTP 500: ล่ม" in page
    assert reverse("line_outbox:add") not in page
    assert "ส่งอีกครั้ง" not in page  # viewing is not retrying
    row = OutboundMessage.objects.get(purpose="complaint.result")
    detail = client.get(reverse("line_outbox:inspect", args=[row.pk]))
    assert detail.status_code == 200
    assert str(row.retry_key) in detail.content.decode()


def test_staff_without_permission_cannot_see_the_outbox(client):
    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))

    response = client.get(reverse("line_outbox:index"))

    assert response.status_code in (302, 403)
    assert b"complaint." not in response.content


def test_nobody_edits_or_deletes_outbox_rows_in_the_admin(client, citizen_line):
    admin = UserFactory(is_superuser=True, is_staff=True)
    row = failed_row(citizen_line)
    client.force_login(admin)

    assert client.get(reverse("line_outbox:edit", args=[row.pk])).status_code in (302, 403)
    assert client.post(reverse("line_outbox:delete", args=[row.pk])).status_code in (302, 403)
    assert OutboundMessage.objects.filter(pk=row.pk).exists()


def test_supervisor_retries_a_failed_message_with_its_original_retry_key(
    client, line_standin, citizen_line, django_capture_on_commit_callbacks
):
    supervisor = StaffFactory(role=Role.SUPERVISOR)
    grant(supervisor, "view_outboundmessage", "retry_outboundmessage")
    row = failed_row(citizen_line)
    client.force_login(supervisor)
    assert "ส่งอีกครั้ง" in client.get(reverse("line_outbox:index")).content.decode()
    retry_url = reverse("line_outbox:retry", args=[row.pk])
    confirm = client.get(retry_url).content.decode()
    assert "complaint.result" in confirm and 'method="post"' in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url)

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.SENT
    [request] = line_standin.state.requests(PUSH)
    assert request["retryKey"] == str(row.retry_key)


def test_retry_needs_its_own_permission(client, citizen_line):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    grant(officer, "view_outboundmessage")
    row = failed_row(citizen_line)
    client.force_login(officer)

    response = client.post(reverse("line_outbox:retry", args=[row.pk]))

    assert response.status_code in (302, 403)
    row.refresh_from_db()
    assert row.status == Status.FAILED


# The real worker closes its database connections between tasks, as it should; on PostgreSQL
# that ends a test's wrapping transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_gets_the_retry_at_its_time(
    line_standin, citizen_line, settings
):
    """Production's queue: a failed attempt re-enqueues itself with run_after, and
    `manage.py db_worker` delivers it once that time has passed."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    line_standin.state.inject(PUSH, status=500)
    row = OutboundMessage.objects.create(
        kind=OutboundMessage.Kind.PUSH,
        recipients=[citizen_line],
        messages=[msg.text("ก")],
        purpose="t",
    )

    assert deliver(row.pk) == "retry"

    row.refresh_from_db()
    [queued] = DBTaskResult.objects.filter(task_path="line_integration.tasks.deliver_outbound")
    assert queued.run_after == row.next_attempt_at
    assert queued.args_kwargs["args"] == [row.pk]
    call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO())
    assert len(line_standin.state.requests(PUSH)) == 1  # not before its time

    past = timezone.now() - timedelta(seconds=1)
    OutboundMessage.objects.filter(pk=row.pk).update(next_attempt_at=past)
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=past)
    call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO())

    row.refresh_from_db()
    assert row.status == Status.SENT
    assert [r["status"] for r in line_standin.state.requests(PUSH)] == [500, 200]
