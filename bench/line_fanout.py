"""How long one LINE message to every linked citizen takes: 100,000 recipients, 200 requests.

The outbox splits the recipients into multicast rows of 500 and the task workers send them
to the LINE stand-in (no latency here: this measures our side). LINE accepts 200 multicast
requests a second, so 1 s is the floor; the goal is under 10 s from enqueue to the last row.

    .venv/bin/python -m bench.line_fanout     (part of `make bench`)

Knobs (environment): BENCH_FANOUT_USERS (100000), BENCH_FANOUT_WORKERS ("1,2": one run per
count of `manage.py db_worker` processes), BENCH_FANOUT_TIMEOUT (seconds per run, 120),
BENCH_WORKER_INTERVAL (0.5, as `make run`).
"""

import os
import secrets
import time
from collections import Counter

from bench.common import ACCESS_TOKEN, CHANNEL_SECRET, Bench, out
from bench.common import wait_for as wait_until
from line_integration.standin import start_standin

USERS = int(os.environ.get("BENCH_FANOUT_USERS", "100000"))
WORKER_COUNTS = [int(n) for n in os.environ.get("BENCH_FANOUT_WORKERS", "1,2").split(",") if n]
TIMEOUT = float(os.environ.get("BENCH_FANOUT_TIMEOUT", "120"))
INTERVAL = float(os.environ.get("BENCH_WORKER_INTERVAL", "0.5"))
MULTICAST = "/v2/bot/message/multicast"
MESSAGE = (
    "ศูนย์ดำรงธรรมขอแจ้งให้ทราบ: วันที่ 13 เมษายน ศูนย์ฯ ปิดทำการ "
    "ท่านยังแจ้งเรื่องร้องเรียนทางเว็บไซต์และ LINE ได้ตามปกติ"
)


def seed_citizens(count: int) -> list[str]:
    """Linked, following citizens (no profile: the fan-out reads only LINE accounts)."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from line_integration.models import LineAccount

    now = timezone.now()
    line_ids = ["U" + secrets.token_hex(16) for _ in range(count)]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench{i:06d}", password="!bench-unusable") for i in range(count)],
            batch_size=2000,
        )
        LineAccount.objects.bulk_create(
            [
                LineAccount(
                    line_user_id=line_id,
                    user=user,
                    followed=True,
                    is_active=True,
                    linked_at=now,
                )
                for line_id, user in zip(line_ids, users, strict=True)
            ],
            batch_size=2000,
        )
    return line_ids


def enqueue_all() -> tuple[float, float, list]:
    """(select seconds, enqueue seconds, rows) for one message to every linked follower,
    written in one transaction as a service function would; tasks are queued at commit."""
    from django.db import transaction

    from line_integration import messages as msg
    from line_integration.models import LineAccount
    from line_integration.outbox import enqueue_multicast

    started = time.monotonic()
    to = list(
        LineAccount.objects.filter(is_active=True, followed=True, user__is_active=True)
        .order_by("pk")
        .values_list("line_user_id", flat=True)
    )
    selected = time.monotonic()
    with transaction.atomic():
        rows = enqueue_multicast(
            to=to,
            messages=[msg.text(MESSAGE)],
            purpose="bench.fanout",
            dedupe_key=f"bench-fanout-{secrets.token_hex(4)}",
        )
    return selected - started, time.monotonic() - selected, rows


def wait_delivered(rows: list) -> tuple[float | None, Counter]:
    """Seconds until no row is pending or sending (None past the bound), and row statuses."""
    from line_integration.models import OutboundMessage

    pks = [row.pk for row in rows]
    open_rows = OutboundMessage.objects.filter(pk__in=pks, status__in=["pending", "sending"])
    started = time.monotonic()
    done = wait_until(lambda: not open_rows.exists(), timeout=TIMEOUT, interval=0.05)
    elapsed = time.monotonic() - started if done else None
    statuses = Counter(OutboundMessage.objects.filter(pk__in=pks).values_list("status", flat=True))
    return elapsed, statuses


def check_requests(state, expected: set[str]) -> tuple[str, int]:
    """What the stand-in saw: requests, recipients covered, anyone reached twice or missed."""
    requests = state.requests(MULTICAST)
    accepted = [r for r in requests if r["status"] == 200]
    reached = Counter(uid for r in accepted for uid in (r["body"] or {}).get("to", []))
    twice = sum(1 for n in reached.values() if n > 1)
    missing = len(expected - reached.keys())
    return (
        f"requests={len(requests)} accepted={len(accepted)} recipients={len(reached)} "
        f"twice={twice} missing={missing}"
    ), len(accepted)


def reset(state) -> None:
    from django_tasks_db.models import DBTaskResult

    from line_integration.models import OutboundMessage

    OutboundMessage.objects.all().delete()
    DBTaskResult.objects.all().delete()
    state.reset(keep_users=True)


def one_run(bench: Bench, state, workers: int, expected: set[str]) -> None:
    reset(state)
    names = bench.start_workers(workers, interval=INTERVAL)
    try:
        select_s, enqueue_s, rows = enqueue_all()
        deliver_s, statuses = wait_delivered(rows)
        bench.procs.check_alive()
    finally:
        for name in names:
            bench.procs.stop(name)
    seen, accepted = check_requests(state, expected)
    deliver = f"{deliver_s:.2f}" if deliver_s is not None else f"timeout>{TIMEOUT:.0f}"
    total = f"{select_s + enqueue_s + deliver_s:.2f}" if deliver_s is not None else "-"
    rate = f"{accepted / deliver_s:.0f}" if deliver_s else "-"
    out(
        f"fanout_enqueue workers={workers} rows={len(rows)} select_s={select_s:.2f} "
        f"enqueue_s={enqueue_s:.2f}"
    )
    out(
        f"fanout_deliver workers={workers} deliver_s={deliver} total_s={total} "
        f"req_per_s={rate} rows={dict(sorted(statuses.items()))} {seen}"
    )


def run() -> None:
    standin = start_standin(port=0, access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET)
    try:
        with Bench("fanout", standin_port=standin.port) as bench:
            migrate_s = bench.migrate()
            started = time.monotonic()
            line_ids = seed_citizens(USERS)
            seeded = time.monotonic()
            for line_id in line_ids:
                standin.state.add_user(user_id=line_id, display_name="ผู้ทดสอบ")
            out(
                f"fanout_setup db={bench.db.kind} nproc={os.cpu_count()} "
                f"migrate_s={migrate_s:.1f} citizens={USERS} seed_db_s={seeded - started:.1f} "
                f"standin_users_s={time.monotonic() - seeded:.1f} line_latency_ms=0 "
                f"worker_interval_s={INTERVAL}"
            )
            for workers in WORKER_COUNTS:
                one_run(bench, standin.state, workers, set(line_ids))
    finally:
        standin.stop()


if __name__ == "__main__":
    run()
