"""How fast the webhook answers LINE while LINE itself is slow, and how fast events are handled.

LINE redelivers (and eventually gives up on) webhooks that are not answered quickly, so the
answer must never wait for LINE's API: the view only stores the events and queues them. Here
every answer of the LINE stand-in is delayed by 500 ms, the site runs under gunicorn with a
`manage.py db_worker`, and 200 signed webhook bodies arrive 20 at a time.

    .venv/bin/python -m bench.line_webhook     (part of `make bench`)

Knobs (environment): BENCH_WEBHOOK_REQUESTS (200), BENCH_WEBHOOK_CONCURRENCY (20),
BENCH_WEBHOOK_WORKERS (1 db_worker), BENCH_GUNICORN_WORKERS (2), BENCH_LINE_LATENCY_MS (500),
BENCH_DRAIN_TIMEOUT (seconds to wait for the worker, 200), BENCH_WORKER_INTERVAL (0.5).
"""

import http.client
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

from bench.common import (
    ACCESS_TOKEN,
    CHANNEL_SECRET,
    PYTHON,
    Bench,
    free_port,
    http_ok,
    out,
    percentile,
)
from bench.common import wait_for as wait_until
from line_integration.standin import events, start_standin

REQUESTS = int(os.environ.get("BENCH_WEBHOOK_REQUESTS", "200"))
CONCURRENCY = int(os.environ.get("BENCH_WEBHOOK_CONCURRENCY", "20"))
WORKERS = int(os.environ.get("BENCH_WEBHOOK_WORKERS", "1"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
LATENCY_MS = int(os.environ.get("BENCH_LINE_LATENCY_MS", "500"))
DRAIN_TIMEOUT = float(os.environ.get("BENCH_DRAIN_TIMEOUT", "200"))
INTERVAL = float(os.environ.get("BENCH_WORKER_INTERVAL", "0.5"))
FOLLOW_EVERY = 20  # every 20th body is a new friend: a follow event, then their message
WEBHOOK_PATH = "/line/webhook/"
ACCESS_LINE = re.compile(r'"POST /line/webhook/ HTTP/[\d.]+" (\d+) (\d+)$')


def build_bodies(state) -> list[tuple[bytes, str]]:
    """Signed bodies as LINE sends them, one user each; the stand-in knows their reply tokens."""
    bodies = []
    for index in range(REQUESTS):
        user_id = state.add_user(display_name=f"ผู้ทดสอบ {index}")["userId"]
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


def start_site(bench: Bench, port: int) -> None:
    access_log = bench.workdir / "access.log"
    argv = [PYTHON, "-m", "gunicorn", "cms.wsgi", "-w", str(GUNICORN_WORKERS)]
    argv += ["-b", f"127.0.0.1:{port}", "--access-logfile", str(access_log)]
    argv += ["--access-logformat", '"%(r)s" %(s)s %(D)s']
    bench.procs.start("gunicorn", argv, bench.env)
    if not wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/healthz/"), timeout=60):
        bench.procs.check_alive()
        raise RuntimeError("gunicorn did not answer /healthz/:\n" + bench.procs.tail("gunicorn"))
    for _ in range(4 * GUNICORN_WORKERS):  # every worker has loaded the URLconf and middleware
        http_ok(f"http://127.0.0.1:{port}/healthz/")


def server_times_ms(bench: Bench) -> list[float]:
    """Time inside gunicorn for each webhook request (%(D)s, microseconds), without queueing."""
    path = bench.workdir / "access.log"
    times = []
    for line in path.read_text().splitlines():
        match = ACCESS_LINE.search(line)
        if match:
            times.append(int(match.group(2)) / 1000)
    return times


def summary(values: list[float]) -> str:
    return (
        f"median={percentile(values, 50):.1f} p95={percentile(values, 95):.1f} "
        f"p99={percentile(values, 99):.1f} max={max(values):.1f}"
    )


def drain(expected: int, started: float) -> tuple[float | None, float | None, int]:
    """Seconds from ``started`` until every event was claimed by the worker (processed_at
    set) and until the task queue was empty (replies and their push fallbacks all done);
    None past the bound. Also how many events were processed."""
    from django_tasks_db.models import DBTaskResult

    from line_integration.models import WebhookEvent

    deadline = started + DRAIN_TIMEOUT
    processed = WebhookEvent.objects.filter(processed_at__isnull=False)
    claimed = wait_until(
        lambda: processed.count() >= expected, timeout=deadline - time.monotonic(), interval=0.2
    )
    claimed_s = time.monotonic() - started if claimed else None
    unfinished = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    empty = claimed and wait_until(
        lambda: not unfinished.exists(), timeout=deadline - time.monotonic(), interval=0.2
    )
    empty_s = time.monotonic() - started if empty else None
    return claimed_s, empty_s, processed.count()


def line_calls(state) -> str:
    def count(path: str, ok: bool = True) -> int:
        return sum(1 for r in state.requests(path) if (r["status"] == 200) == ok)

    return (
        f"replies={count('/v2/bot/message/reply')} "
        f"reply_refused={count('/v2/bot/message/reply', ok=False)} "
        f"pushes={count('/v2/bot/message/push')} "
        f"profiles={count('/v2/bot/profile/')}"
    )


def _handler_errors() -> int:
    from line_integration.models import WebhookEvent

    return WebhookEvent.objects.exclude(error="").count()


def _secs(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else f"timeout>{DRAIN_TIMEOUT:.0f}"


def run() -> None:
    standin = start_standin(port=0, access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET)
    try:
        with Bench("webhook", standin_port=standin.port) as bench:
            migrate_s = bench.migrate()
            state = standin.state
            state.latency_ms = LATENCY_MS
            port = free_port()
            start_site(bench, port)
            bench.start_workers(WORKERS, interval=INTERVAL)
            bodies = build_bodies(state)
            expected_events = sum(body.count(b'"webhookEventId"') for body, _ in bodies)

            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
                results = list(pool.map(lambda b: post(port, *b), bodies))
            sent_s = time.monotonic() - started
            times = [ms for _, ms in results]
            errors = sum(1 for status, _ in results if status != 200)
            out(
                f"webhook_setup db={bench.db.kind} nproc={os.cpu_count()} "
                f"migrate_s={migrate_s:.1f} gunicorn_workers={GUNICORN_WORKERS} "
                f"db_workers={WORKERS} "
                f"worker_interval_s={INTERVAL} line_latency_ms={LATENCY_MS}"
            )
            out(
                f"webhook_answer_ms {summary(times)} n={len(results)} errors={errors} "
                f"concurrency={CONCURRENCY} wall_s={sent_s:.2f} "
                f"req_per_s={len(results) / sent_s:.0f}"
            )
            served = server_times_ms(bench)
            if served:
                out(f"webhook_server_ms {summary(served)} n={len(served)} (inside gunicorn)")
            claimed_s, empty_s, processed = drain(expected_events, started)
            bench.procs.check_alive()
            out(
                f"webhook_processing events={expected_events} processed={processed} "
                f"all_processed_s={_secs(claimed_s)} queue_empty_s={_secs(empty_s)} "
                f"handler_errors={_handler_errors()} (from the first webhook) {line_calls(state)}"
            )
    finally:
        standin.stop()


if __name__ == "__main__":
    run()
