"""One task worker answers many citizens at once, each citizen's events in the order they came.

Real parts throughout: webhooks posted to the view, the database task queue, django-tasks-db's
own worker loop (what `manage.py db_worker` runs) in this process, the LINE stand-in over HTTP
with every answer delayed as a busy LINE would.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from line_integration import event_worker, handlers, webhook
from line_integration import messages as msg
from line_integration.models import OutboundMessage, WebhookEvent
from tests.line_integration.support import in_fresh_process, post_events

pytestmark = pytest.mark.django_db(transaction=True)

LATENCY_MS = 400


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


@pytest.fixture
def numbered_answers():
    """The bot answers "ลำดับ N" with "ตอบ N", so each reply shows which event it answers."""
    with handlers.temporary_handlers():

        @handlers.register_text(r"ลำดับ (\d+)", purpose="test.numbered")
        def numbered(ctx):
            return [msg.text(f"ตอบ {ctx.match[1]}")]

        yield


def run_worker() -> None:
    """What `manage.py db_worker --queue-name '*'` does, until the queue is empty."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def reply_spans(state, user_id: str) -> list[tuple[float, float, str]]:
    """(start, end, text) in ms of each reply request LINE got for the user's events."""
    tokens = {
        entry["event"]["replyToken"]
        for entry in state.chat(user_id)
        if entry["direction"] == "user" and entry.get("event")
    }
    spans = []
    for request in state.requests("/v2/bot/message/reply"):
        if request["body"]["replyToken"] in tokens:
            text = request["body"]["messages"][0]["text"]
            spans.append((request["time"], request["time"] + request["ms"], text))
    return sorted(spans)


def most_at_once(spans: list[tuple[float, float, str]]) -> int:
    edges = sorted([(s, 1) for s, _e, _t in spans] + [(e, -1) for _s, e, _t in spans])
    now = peak = 0
    for _at, step in edges:
        now += step
        peak = max(peak, now)
    return peak


def test_each_citizens_events_are_answered_in_order_while_citizens_run_alongside(
    client, line_standin, database_queue, numbered_answers
):
    state = line_standin.state
    users = [state.add_user(display_name=f"ประชาชน {n}")["userId"] for n in range(6)]
    for number in range(1, 4):  # every citizen taps three times; webhooks interleave
        for user_id in users:
            event = state.new_event("message", user_id, text=f"ลำดับ {number}")
            assert post_events(client, [event]).status_code == 200
    state.latency_ms = LATENCY_MS

    run_worker()

    every_span = []
    for user_id in users:
        spans = reply_spans(state, user_id)
        assert [text for _s, _e, text in spans] == ["ตอบ 1", "ตอบ 2", "ตอบ 3"], (
            state.chat(user_id),
            list(WebhookEvent.objects.values("pk", "source_id", "error", "payload__message")),
            list(OutboundMessage.objects.values()),
        )
        for (_s, earlier_end, _t), (later_start, _e, _t2) in zip(spans, spans[1:], strict=False):
            assert later_start >= earlier_end - 5  # the next waited for LINE's answer (ms)
        answers = [m["message"]["text"] for m in state.deliveries(user_id)]
        assert answers == ["ตอบ 1", "ตอบ 2", "ตอบ 3"]
        assert {m["via"] for m in state.deliveries(user_id)} == {"reply"}
        every_span += spans
    assert most_at_once(every_span) >= 4  # different citizens' replies were in flight together
    first_start, last_end = min(s for s, _e, _t in every_span), max(e for _s, e, _t in every_span)
    assert last_end - first_start < 18 * LATENCY_MS  # less than one after the other would take
    assert WebhookEvent.objects.filter(finished_at__isnull=True).count() == 0
    assert not OutboundMessage.objects.filter(kind=OutboundMessage.Kind.PUSH).exists()


def test_a_reply_line_throttles_is_sent_again_after_retry_after_not_pushed(
    client, line_standin, database_queue, numbered_answers
):
    state = line_standin.state
    user_id = state.add_user()["userId"]
    event = state.new_event("message", user_id, text="ลำดับ 1")
    assert post_events(client, [event]).status_code == 200
    state.inject("/v2/bot/message/reply", status=429, times=2, retry_after=1)

    run_worker()

    [answer] = state.deliveries(user_id)
    assert answer["via"] == "reply"
    calls = state.requests("/v2/bot/message/reply")
    assert [r["status"] for r in calls] == [429, 429, 200]
    for earlier, later in zip(calls, calls[1:], strict=False):
        assert later["time"] - earlier["time"] >= 1000  # LINE's Retry-After was honoured
    row = OutboundMessage.objects.get()
    assert (row.kind, row.status, row.attempts) == ("reply", "sent", 3)
    assert row.line_request_id == calls[-1]["requestId"]  # staff can quote it to LINE
    assert row.sent_at is not None


def test_a_token_line_no_longer_takes_gets_a_push(
    client, line_standin, database_queue, numbered_answers
):
    state = line_standin.state
    user_id = state.add_user()["userId"]
    event = state.new_event("message", user_id, text="ลำดับ 1")
    state.reply_token_ttl = 0.0  # the worker came too late
    assert post_events(client, [event]).status_code == 200

    run_worker()

    [answer] = state.deliveries(user_id)
    assert (answer["via"], answer["message"]["text"]) == ("push", "ตอบ 1")
    row = OutboundMessage.objects.get()
    assert (row.kind, row.status) == ("push", "sent")


def test_a_burst_of_webhooks_queues_one_task_which_answers_every_event(
    client, line_standin, database_queue, numbered_answers
):
    """LINE waits for each webhook's answer: while a task waits to start, a webhook stores
    its events and queues nothing more; the waiting task answers them all. Once a worker has
    started the task (and may have looked already), the next webhook queues another."""
    from django_tasks_db.models import DBTaskResult

    state = line_standin.state
    users = [state.add_user(display_name=f"ประชาชน {n}")["userId"] for n in range(3)]
    for user_id in users:
        event = state.new_event("message", user_id, text="ลำดับ 1")
        assert post_events(client, [event]).status_code == 200
    tasks = DBTaskResult.objects.filter(task_path="line_integration.tasks.process_webhook_event")
    assert tasks.count() == 1

    tasks.update(status="RUNNING")  # a worker took it, and may have looked for events already
    late = state.new_event("message", users[0], text="ลำดับ 2")
    assert post_events(client, [late]).status_code == 200
    assert tasks.filter(status="READY").count() == 1

    run_worker()

    assert [m["message"]["text"] for m in state.deliveries(users[0])] == ["ตอบ 1", "ตอบ 2"]
    for user_id in users[1:]:
        assert [m["message"]["text"] for m in state.deliveries(user_id)] == ["ตอบ 1"]
    assert {m["via"] for user_id in users for m in state.deliveries(user_id)} == {"reply"}
    assert not WebhookEvent.objects.filter(finished_at__isnull=True).exists()


@pytest.fixture
def connection_per_answer():
    """The bot answers "ต่อ N"; each answer notes the database connection it was made with."""
    seen = []
    with handlers.temporary_handlers():

        @handlers.register_text(r"ต่อ (\d+)", purpose="test.connections")
        def noted(ctx):
            wrapper = connections["default"]
            seen.append((wrapper, wrapper.connection))
            return [msg.text(f"ตอบ {ctx.match[1]}")]

        yield seen


def burst(client, state, users, number: int) -> None:
    for user_id in users:
        event = state.new_event("message", user_id, text=f"ต่อ {number}")
        assert post_events(client, [event]).status_code == 200


def test_between_bursts_the_worker_closes_its_database_connections_as_django_would(
    client, line_standin, database_queue, connection_per_answer
):
    """DB_CONN_MAX_AGE=0 (the default): no connection stays open once the burst is answered."""
    state = line_standin.state
    users = [state.add_user()["userId"] for _ in range(4)]
    for number in (1, 2):
        burst(client, state, users, number)
        run_worker()
        for user_id in users:
            assert state.deliveries(user_id)[-1]["message"]["text"] == f"ตอบ {number}"
            assert state.deliveries(user_id)[-1]["via"] == "reply"
        assert all(wrapper.connection is None for wrapper, _raw in connection_per_answer)


def test_with_a_connection_age_the_next_burst_uses_the_open_connections(
    client, line_standin, database_queue, connection_per_answer, monkeypatch, settings
):
    """DB_CONN_MAX_AGE=60 (production): the second burst does not connect again."""
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 60)
    settings.LINE_EVENT_THREADS = 1  # one connection, if it is kept
    state = line_standin.state
    users = [state.add_user()["userId"] for _ in range(4)]
    burst(client, state, users, 1)
    run_worker()
    [(wrapper, raw)] = set(connection_per_answer)
    assert wrapper.connection is raw  # still open

    burst(client, state, users, 2)
    run_worker()

    assert set(connection_per_answer) == {(wrapper, raw)}
    for user_id in users:
        assert [m["message"]["text"] for m in state.deliveries(user_id)] == ["ตอบ 1", "ตอบ 2"]
    event_worker.release()  # the test database must not be left with open connections
    assert all(wrapper.connection is None for wrapper, _raw in connection_per_answer)


def test_after_a_run_every_thread_has_closed_its_connection_even_one_finishing_a_job():
    """A thread still busy when the run ends closes its connection too, once its job is done."""
    threads = event_worker.DatabaseThreads(4)
    try:
        opened = threading.Barrier(2)

        def connect_and_wait():
            wrapper = connections["default"]
            wrapper.ensure_connection()
            opened.wait(timeout=10)
            return wrapper

        wrappers = [threads.call(connect_and_wait) for _ in range(2)]
        wrappers = [future.result(timeout=10) for future in wrappers]
        finishing = threading.Event()

        def still_working():
            finishing.wait(timeout=10)
            return connections["default"]

        busy = threads.call(still_working)
        threading.Timer(0.3, finishing.set).start()
        threads.end_run()

        assert busy.done()
        assert all(wrapper.connection is None for wrapper in wrappers)
        assert busy.result().connection is None
    finally:
        threads.shutdown()


EXIT_SCRIPT = """
import atexit, django
django.setup()
from django.db import connections
from line_integration import event_worker

def connect():
    wrapper = connections["default"]
    wrapper.ensure_connection()
    return wrapper

threads = event_worker._threads()
wrappers = [threads.call(connect).result() for _ in range(threads.size)]
atexit.register(lambda: print("closed", all(w.connection is None for w in wrappers)))
"""


def test_a_worker_process_ends_with_its_threads_connections_closed_and_no_error(settings, tmp_path):
    """What a deploy's restart of a task worker leaves in its log: nothing, and no database
    connection dropped without a goodbye."""
    env = {}
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    done = in_fresh_process(EXIT_SCRIPT, **env)
    errors = [line for line in done.stderr.splitlines() if not line.startswith("AXES: BEGIN")]
    assert (done.returncode, errors, done.stdout) == (0, [], "closed True\n")


def test_a_burst_still_coming_in_is_claimed_once_it_has_settled(
    client, line_standin, database_queue, numbered_answers
):
    """While webhooks keep coming, the worker leaves the CPU to the webhook's answers to LINE
    and claims the burst once no new event came for SETTLE_QUIET; each is still answered by
    reply."""
    state = line_standin.state
    users = [state.add_user(display_name=f"ประชาชน {n}")["userId"] for n in range(3)]
    for user_id in users:
        event = state.new_event("message", user_id, text="ลำดับ 1")
        assert post_events(client, [event]).status_code == 200

    run_worker()  # at once, as a worker already running would look

    newest = max(WebhookEvent.objects.values_list("received_at", flat=True))
    for event in WebhookEvent.objects.all():
        assert event.processed_at - newest >= webhook.SETTLE_QUIET
        assert event.finished_at is not None and not event.error
    for user_id in users:
        assert [(m["via"], m["message"]["text"]) for m in state.deliveries(user_id)] == [
            ("reply", "ตอบ 1")
        ]


def _waiting_since(*ages_ms: int, now) -> None:
    for number, age in enumerate(ages_ms):
        WebhookEvent.objects.create(
            webhook_event_id=f"settle-{number}",
            event_type="message",
            payload={},
            source_id=f"U{number}",
            received_at=now - timedelta(milliseconds=age),
        )


@pytest.mark.parametrize(
    ("ages_ms", "arriving"),
    [
        ((), False),  # nothing waiting
        ((30,), True),  # one just came: perhaps the first of a burst
        ((200, 100, 59), True),  # a burst still coming
        ((200, 100, 61), False),  # quiet for longer than SETTLE_QUIET: claim it
        ((601, 300, 10), False),  # coming for longer than SETTLE_AT_MOST: claim what came
    ],
)
def test_still_arriving_holds_a_burst_at_most_600_ms(ages_ms, arriving):
    now = timezone.now()
    _waiting_since(*ages_ms, now=now)
    assert webhook.still_arriving(now=now) is arriving


def test_claimed_events_no_longer_hold_the_next_ones():
    now = timezone.now()
    _waiting_since(900, 10, now=now)
    WebhookEvent.objects.filter(webhook_event_id="settle-0").update(processed_at=now)
    assert webhook.still_arriving(now=now) is True  # the oldest waiting one is 10 ms old


def test_events_stamped_ahead_by_a_web_nodes_clock_are_not_held_longer(
    client, line_standin, database_queue, numbered_answers
):
    """A web node whose clock runs 30 s ahead stamps its events in the future, so they look
    as if still coming; the worker waits no longer than SETTLE_AT_MOST by its own clock."""
    state = line_standin.state
    user_id = state.add_user(display_name="ประชาชน")["userId"]
    assert (
        post_events(client, [state.new_event("message", user_id, text="ลำดับ 1")]).status_code == 200
    )
    WebhookEvent.objects.update(received_at=timezone.now() + timedelta(seconds=30))
    started = timezone.now()

    run_worker()

    event = WebhookEvent.objects.get()
    assert event.processed_at - started < webhook.SETTLE_AT_MOST + timedelta(seconds=1)
    assert [(m["via"], m["message"]["text"]) for m in state.deliveries(user_id)] == [
        ("reply", "ตอบ 1")
    ]
