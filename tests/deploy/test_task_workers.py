"""Task workers on several machines at once send nothing twice: two `manage.py db_worker`
processes (as deploy/systemd/ddc-worker@.service runs them, production settings) share one
PostgreSQL database and deliver a batch of LINE outbox rows to the LINE stand-in. Every row's
delivery task is queued twice (the commit hook and the `line_outbox_flush` safety net can both
do that), so the two workers compete for the same rows; the row claim in
line_integration/outbox.py must let exactly one of them send each. The stand-in's request log
is what LINE would see: each retry key exactly once, and each citizen reached once.

(tests/line_integration/test_outbox.py covers the same claim with two threads of one process;
this is the deployment's version, with separate processes and connections.)
"""

from collections import Counter

import pytest
from django_tasks_db.models import DBTaskResult

from bench.common import Processes, wait_for
from line_integration import messages as msg
from line_integration.models import OutboundMessage
from line_integration.outbox import enqueue_multicast, enqueue_push, schedule_delivery
from line_integration.standin import start_standin
from tests.deploy.support import free_port, postgres_only, production_env, start_db_worker
from tests.deploy.support import wait_until_started as wait_until_workers_started

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ACCESS_TOKEN = "deploy-test-access-token"
CHANNEL_SECRET = "deploy-test-channel-secret"
PUSH = "/v2/bot/message/push"
MULTICAST = "/v2/bot/message/multicast"
PUSHES = 40
MULTICAST_RECIPIENTS = 1200  # three rows: 500 + 500 + 200


@pytest.fixture
def standin():
    server = start_standin(
        port=free_port(), access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET
    )
    server.state.latency_ms = 20  # both workers are busy at the same time
    yield server
    server.stop()


@pytest.fixture
def workers(standin, tmp_path, settings):
    """Two workers for both queues, started and waiting before anything is queued."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    env = production_env(
        tmp_path,
        LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
        LINE_CHANNEL_SECRET=CHANNEL_SECRET,
        LINE_LOGIN_CHANNEL_ID="1000000001",
        LINE_LOGIN_CHANNEL_SECRET="login-channel-secret-of-the-test",
        LINE_API_HOST=standin.url,
        LINE_API_DATA_HOST=standin.url,
    )
    procs = Processes(tmp_path)
    names = ["worker-machine-1", "worker-machine-2"]
    try:
        for name in names:
            start_db_worker(procs, name, env, queues="default,line_events")
        wait_until_workers_started(procs, *names)
        yield procs, names
    except BaseException:
        for name in list(procs.running):
            print(f"--- {name} ---\n{procs.tail(name)}")  # noqa: T201
        raise
    finally:
        procs.stop_all()


def test_two_workers_on_one_database_deliver_each_message_once(standin, workers):
    procs, names = workers
    users = [standin.state.add_user(display_name=f"ผู้ร้อง {i}")["userId"] for i in range(PUSHES)]
    crowd = [
        standin.state.add_user(display_name=f"ผู้ติดตาม {i}")["userId"]
        for i in range(MULTICAST_RECIPIENTS)
    ]
    text = [msg.text("เรื่องของท่านได้รับการบันทึกแล้ว")]
    rows = [enqueue_push(to=user, messages=text, purpose="deploy.test") for user in users]
    rows += enqueue_multicast(to=crowd, messages=[msg.text("ประกาศศูนย์ฯ")], purpose="deploy.test")
    for row in rows:
        schedule_delivery(row.pk)  # a second task for every row: the workers race for it

    def all_done():
        procs.check_alive()
        open_tasks = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"])
        return not open_tasks.exists()

    assert wait_for(all_done, timeout=90, interval=0.25), "the workers did not finish in 90 s"

    statuses = Counter(OutboundMessage.objects.values_list("status", flat=True))
    assert statuses == {OutboundMessage.Status.SENT: len(rows)}
    sent = standin.state.requests(PUSH, "POST") + standin.state.requests(MULTICAST, "POST")
    per_key = Counter(request["retryKey"] for request in sent)
    assert sorted(per_key) == sorted(str(row.retry_key) for row in rows)
    assert set(per_key.values()) == {1}, "a retry key reached LINE more than once"
    assert {request["status"] for request in sent} == {200}
    reached = Counter(len(standin.state.deliveries(user)) for user in users + crowd)
    assert reached == {1: len(users + crowd)}  # everyone once, nobody twice

    tasks = DBTaskResult.objects.filter(task_path="line_integration.tasks.deliver_outbound")
    outcomes = Counter(task.return_value for task in tasks)
    assert outcomes == {"sent": len(rows), "skipped": len(rows)}
    # Both machines worked: the test shows a race between two, not one worker's queue.
    assert {worker for task in tasks for worker in task.worker_ids} == set(names)
