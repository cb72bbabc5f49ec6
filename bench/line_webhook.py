"""How fast the webhook answers LINE, and how fast a burst of events is answered by reply.

LINE redelivers (and eventually gives up on) webhooks that are not answered quickly, so the
answer must never wait for LINE's API: the view only stores the events and queues them. A
reply token lives about a minute, so the task worker must answer a burst within it, many
events at once (line_integration/event_worker.py). Here every answer of the LINE stand-in is
delayed (500 ms, then 2 s: a slow LINE), the site runs under gunicorn with one
`manage.py db_worker --queue-name '*'` (as `make run`), and 200 signed webhook bodies (210
events: every 20th body is a new friend's follow and then their message) arrive 20 at a time,
once per LINE latency, with new users each time. SQLite, then PostgreSQL, each in a child
process (PostgreSQL: DATABASE_URL when it names PostgreSQL, else BENCH_POSTGRES_URL; skipped
with a note when it does not answer).

    .venv/bin/python -m bench.line_webhook     (part of `make bench`)

Knobs (environment): BENCH_DATABASES (sqlite,postgresql), BENCH_WEBHOOK_REQUESTS (200),
BENCH_WEBHOOK_CONCURRENCY (20), BENCH_WEBHOOK_WORKERS (1 db_worker), BENCH_WEBHOOK_APP
(cms.wsgi_line:application, the webhook's own gunicorn as deploy/gunicorn-line.conf.py runs it;
cms.wsgi:application for the site's), BENCH_GUNICORN_WORKERS (2), BENCH_GUNICORN_WORKER_CLASS
(sync), BENCH_GUNICORN_THREADS (1), BENCH_LINE_LATENCIES_MS
(500,2000), BENCH_DRAIN_TIMEOUT (seconds to wait for the worker, 200), BENCH_WORKER_INTERVAL
(0.5), DB_CONN_MAX_AGE (60, as production), BENCH_WORKER_NICE (the task worker's CPU priority:
5 with PostgreSQL, as deploy/systemd/ddc-worker@.service runs it in production; 0 with SQLite,
as `make run` runs it).
"""

import base64
import http.client
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.common import (
    ACCESS_TOKEN,
    CHANNEL_SECRET,
    PYTHON,
    ROOT,
    Bench,
    cpu_seconds_by_group,
    free_port,
    out,
    percentile,
    postgres_cpu_seconds,
    run_each_database,
    speed_index,
)
from bench.common import wait_for as wait_until
from line_integration.standin import events, start_standin

DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
REQUESTS = int(os.environ.get("BENCH_WEBHOOK_REQUESTS", "200"))
CONCURRENCY = int(os.environ.get("BENCH_WEBHOOK_CONCURRENCY", "20"))
WORKERS = int(os.environ.get("BENCH_WEBHOOK_WORKERS", "1"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
WORKER_CLASS = os.environ.get("BENCH_GUNICORN_WORKER_CLASS", "sync")
# The webhook's own gunicorn as production runs it (deploy/gunicorn-line.conf.py);
# cms.wsgi:application is the site's, with every page's middleware.
APP = os.environ.get("BENCH_WEBHOOK_APP", "cms.wsgi_line:application")
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "1"))
LATENCIES_MS = [int(n) for n in os.environ.get("BENCH_LINE_LATENCIES_MS", "500,2000").split(",")]
DRAIN_TIMEOUT = float(os.environ.get("BENCH_DRAIN_TIMEOUT", "200"))
INTERVAL = float(os.environ.get("BENCH_WORKER_INTERVAL", "0.5"))
FOLLOW_EVERY = 20  # every 20th body is a new friend: a follow event, then their message
WEBHOOK_PATH = "/line/webhook/"
ACCESS_LINE = re.compile(r'"POST /line/webhook/ HTTP/[\d.]+" (\d+) (\d+)$')
GOAL_ANSWER_P99_MS = 50
GOAL_BURST_S = 10
FELL_BACK = "ตอบกลับไม่สำเร็จ"  # how the outbox marks a push sent in place of a reply


def build_bodies(state, burst: int) -> list[tuple[bytes, str]]:
    """Signed bodies as LINE sends them, one user each; the stand-in knows their reply tokens."""
    bodies = []
    for index in range(REQUESTS):
        user_id = state.add_user(display_name=f"ผู้ทดสอบ {burst}-{index}")["userId"]
        batch = []
        if index % FOLLOW_EVERY == 0:
            batch.append(state.new_event("follow", user_id))
        text = f"สวัสดีครับ ขอสอบถามเรื่องร้องเรียนหมายเลข {index}"
        batch.append(state.new_event("message", user_id, text=text))
        body = events.webhook_body(batch, destination=state.destination)
        bodies.append((body, events.sign(body, CHANNEL_SECRET)))
    return bodies


def post(port: int, body: bytes, signature: str) -> tuple[int, float]:
    """(status, milliseconds) of one webhook delivery; status 0 when the connection failed."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            WEBHOOK_PATH,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "LineBotWebhook/2.0",
                "X-Line-Signature": signature,
            },
        )
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000


def cpu_snapshot(bench: Bench) -> dict[str, float]:
    """CPU seconds so far of each part: the site's gunicorn, the task workers, PostgreSQL,
    and this process (the LINE stand-in's threads and the benchmark's own polling)."""
    groups = cpu_seconds_by_group()
    parts = {
        "gunicorn": groups.get(bench.procs.running["gunicorn"].pid, 0.0),
        "task_workers": sum(
            groups.get(proc.pid, 0.0)
            for name, proc in bench.procs.running.items()
            if name.startswith("db_worker")
        ),
        "standin_and_bench": time.process_time(),
    }
    if bench.db.kind == "postgresql":
        parts["postgresql"] = postgres_cpu_seconds()
    return parts


def cpu_line(before: dict[str, float], after: dict[str, float], sender_s: float) -> str:
    used = {name: (after[name] - before[name]) * 1000 for name in after}
    if sender_s:
        used["sender"] = sender_s * 1000
    # A PostgreSQL backend that ended in between (a worker thread's connection) takes its
    # CPU with it: a sum that went down is shown as unknown, not as a negative figure.
    return " ".join(
        f"{name}={value:.0f}" if value >= 0 else f"{name}=n/a" for name, value in used.items()
    )


def send_all(port: int, bodies: list[tuple[bytes, str]]) -> list[tuple[int, float]]:
    """Every body, CONCURRENCY at a time: (status, milliseconds) each, in order."""
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        return list(pool.map(lambda b: post(port, *b), bodies))


def send_from_own_process(
    port: int, bodies: list[tuple[bytes, str]]
) -> tuple[list[tuple[int, float]], float, float]:
    """send_all in a child process: its results, the seconds from the first request to the
    last answer, and the CPU seconds the sending took. LINE's sender is not the machine that
    serves LINE's API; in this process the stand-in answers the task worker's replies, and its
    threads would hold the interpreter lock while an answer to a webhook waits to be read,
    which the answer times would count against the site."""
    lines = "".join(
        json.dumps([base64.b64encode(body).decode(), signature]) + "\n"
        for body, signature in bodies
    )
    done = subprocess.run(
        [PYTHON, "-m", "bench.line_webhook", "--send", str(port)],
        input=lines,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    sent = json.loads(done.stdout)
    return [tuple(pair) for pair in sent["results"]], sent["wall_s"], sent["cpu_s"]


def _send_main(port: int) -> None:
    bodies = [
        (base64.b64decode(body), signature)
        for body, signature in (json.loads(line) for line in sys.stdin if line.strip())
    ]
    started, cpu = time.monotonic(), time.process_time()
    results = send_all(port, bodies)
    wall_s, cpu_s = time.monotonic() - started, time.process_time() - cpu
    json.dump({"results": results, "wall_s": wall_s, "cpu_s": cpu_s}, sys.stdout)


def start_site(bench: Bench, port: int) -> None:
    bench.start_gunicorn(
        port,
        app=APP,
        workers=GUNICORN_WORKERS,
        args=("-k", WORKER_CLASS, "--threads", str(THREADS)),
        access_format='"%(r)s" %(s)s %(D)s',
        warm_path="/healthz/",
    )


def server_times_ms(bench: Bench, skip: int) -> list[float]:
    """Time inside gunicorn for each webhook request (%(D)s, microseconds), without queueing;
    the first ``skip`` requests (earlier bursts) left out."""
    path = bench.workdir / "access.log"
    times = []
    for line in path.read_text().splitlines():
        match = ACCESS_LINE.search(line)
        if match:
            times.append(int(match.group(2)) / 1000)
    return times[skip:]


def summary(values: list[float]) -> str:
    return (
        f"median={percentile(values, 50):.1f} p95={percentile(values, 95):.1f} "
        f"p99={percentile(values, 99):.1f} max={max(values):.1f}"
    )


def drain(expected: int, started: float) -> tuple[float | None, float | None, int]:
    """Seconds from ``started`` until every event of the burst was answered (finished_at:
    replied, or handed to the outbox as a push) and until the task queue was empty (pushes
    included); None past the bound. Also how many events were answered."""
    from django_tasks_db.models import DBTaskResult

    from line_integration.models import WebhookEvent

    deadline = started + DRAIN_TIMEOUT
    answered = WebhookEvent.objects.filter(finished_at__isnull=False)
    done = wait_until(
        lambda: answered.count() >= expected, timeout=deadline - time.monotonic(), interval=0.1
    )
    answered_s = time.monotonic() - started if done else None
    unfinished = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    empty = done and wait_until(
        lambda: not unfinished.exists(), timeout=deadline - time.monotonic(), interval=0.1
    )
    empty_s = time.monotonic() - started if empty else None
    return answered_s, empty_s, answered.count()


def line_calls(state, since: int) -> dict[str, int]:
    """What LINE got during one burst (request log entries after ``since``)."""
    found = [r for r in state.requests() if r["seq"] > since]

    def count(path: str, ok: bool = True) -> int:
        return sum(1 for r in found if r["path"].startswith(path) and (r["status"] == 200) == ok)

    expired = sum(
        1
        for r in found
        if r["path"] == "/v2/bot/message/reply"
        and (r.get("response") or {}).get("message") == "Invalid reply token"
    )
    return {
        "replies": count("/v2/bot/message/reply"),
        "reply_refused": count("/v2/bot/message/reply", ok=False),
        "reply_tokens_expired": expired,
        "pushes": count("/v2/bot/message/push"),
        "profiles": count("/v2/bot/profile/"),
    }


def pushes_instead_of_replies() -> int:
    from line_integration.models import OutboundMessage

    return OutboundMessage.objects.filter(kind="push", last_error__startswith=FELL_BACK).count()


def _handler_errors() -> int:
    from line_integration.models import WebhookEvent

    return WebhookEvent.objects.exclude(error="").count()


def _secs(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else f"timeout>{DRAIN_TIMEOUT:.0f}"


def burst(bench: Bench, state, port: int, number: int, latency_ms: int) -> None:
    """One burst of webhooks with LINE answering in ``latency_ms``: answer times, then how
    the worker got through the events."""
    from line_integration.models import WebhookEvent

    state.latency_ms = latency_ms
    bodies = build_bodies(state, number)
    before = WebhookEvent.objects.count()
    expected = before + sum(body.count(b'"webhookEventId"') for body, _ in bodies)
    fell_back_before = pushes_instead_of_replies()
    since = state.requests()[-1]["seq"] if state.requests() else 0
    served_before = len(server_times_ms(bench, 0))
    load1 = os.getloadavg()[0]

    cpu_before = cpu_snapshot(bench)
    started = time.monotonic()
    results, sent_s, sender_cpu_s = send_from_own_process(port, bodies)
    cpu_sent = cpu_snapshot(bench)
    times = [ms for _, ms in results]
    errors = sum(1 for status, _ in results if status != 200)
    p99 = percentile(times, 99)
    out(
        f"webhook_answer_ms db={bench.db.kind} burst={number} {summary(times)} n={len(results)} "
        f"errors={errors} concurrency={CONCURRENCY} wall_s={sent_s:.2f} "
        f"req_per_s={len(results) / sent_s:.0f} load1={load1:.1f} "
        f"goal_p99<{GOAL_ANSWER_P99_MS} {'met' if p99 < GOAL_ANSWER_P99_MS else 'MISSED'}"
    )
    served = server_times_ms(bench, served_before)
    if served:
        out(
            f"webhook_server_ms db={bench.db.kind} burst={number} {summary(served)} "
            f"n={len(served)} (inside gunicorn)"
        )
    answered_s, empty_s, answered = drain(expected, started)
    cpu_drained = cpu_snapshot(bench)
    out(
        f"webhook_cpu_ms db={bench.db.kind} burst={number} while_sending: "
        + cpu_line(cpu_before, cpu_sent, sender_cpu_s)
        + " | until_all_answered: "
        + cpu_line(cpu_sent, cpu_drained, 0.0)
        + f" (CPU milliseconds each part used; 2 cores give {2000 * sent_s:.0f} while sending)"
    )
    bench.procs.check_alive()
    calls = line_calls(state, since)
    instead = pushes_instead_of_replies() - fell_back_before
    on_time = answered_s is not None and answered_s <= GOAL_BURST_S
    no_push = not calls["reply_tokens_expired"] and not instead
    verdict = "met" if no_push and (on_time or latency_ms > 500) else "MISSED"
    out(
        f"webhook_processing db={bench.db.kind} burst={number} line_latency_ms={latency_ms} "
        f"events={expected - before} answered={answered - before} "
        f"all_answered_s={_secs(answered_s)} "
        f"after_last_webhook_s={_secs(answered_s and answered_s - sent_s)} "
        f"queue_empty_s={_secs(empty_s)} "
        + " ".join(f"{key}={value}" for key, value in calls.items())
        + f" pushes_instead_of_replies={instead} handler_errors={_handler_errors()} "
        f"load1={os.getloadavg()[0]:.1f} (seconds from the first webhook; goal: all answered "
        f"by reply within {GOAL_BURST_S} s at 500 ms, no token expired at any latency) "
        f"verdict={verdict}"
    )


def run_database() -> None:
    """In a child process: one database, the site, one task worker, a burst per latency."""
    standin = start_standin(port=0, access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET)
    try:
        with Bench("webhook", standin_port=standin.port) as bench:
            bench.env.setdefault("DB_CONN_MAX_AGE", "60")  # as production
            migrate_s = bench.migrate()
            port = free_port()
            start_site(bench, port)
            nice = int(
                os.environ.get("BENCH_WORKER_NICE", "5" if bench.db.kind == "postgresql" else "0")
            )
            bench.start_workers(WORKERS, interval=INTERVAL, nice=nice)
            out(
                f"webhook_setup db={bench.db.kind} nproc={os.cpu_count()} "
                f"load1={os.getloadavg()[0]:.1f} migrate_s={migrate_s:.1f} "
                f"gunicorn={APP} {GUNICORN_WORKERS}x{WORKER_CLASS}x{THREADS}threads "
                f"db_workers={WORKERS} worker_nice={nice} worker_interval_s={INTERVAL} "
                f"db_conn_max_age={bench.env['DB_CONN_MAX_AGE']} "
                f"line_latencies_ms={','.join(map(str, LATENCIES_MS))} requests={REQUESTS} "
                f"{speed_index()}"
            )
            for number, latency_ms in enumerate(LATENCIES_MS, start=1):
                burst(bench, standin.state, port, number, latency_ms)
    finally:
        standin.stop()


def run() -> None:
    run_each_database("bench.line_webhook", DATABASES, label="webhook_setup")


if __name__ == "__main__":
    if sys.argv[1:] == ["--one-database"]:
        run_database()
    elif sys.argv[1:2] == ["--send"]:
        _send_main(int(sys.argv[2]))
    else:
        run()
