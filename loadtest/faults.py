"""Faults under load: LINE down, the task worker killed mid-batch, PostgreSQL restarted.

Citizens (LOADTEST_FAULT_USERS, 50) go through the whole journey again and again (as in
loadtest.load, but patient: after a "try again" page they wait a few seconds and send the same
request again, as a person reloads or sends a form again) while, one after the other:

1. LINE is down for LOADTEST_LINE_DOWN_S (300): the stand-in answers 500 to most pushes and lets
   every fifth one time out (LOADTEST_LINE_TIMEOUTS=0: 500 to all, at once). Then LINE is
   back; every queued receipt must be delivered, none twice (the stand-in's record per retry
   key, and what each citizen's chat received).
2. The task worker is killed (SIGKILL) in the middle of a burst of LOADTEST_BURST (300) pushes
   while one is being sent; the supervisor starts it again (as systemd's Restart=always would)
   and cron's `line_outbox_flush` picks up the row it had claimed once its lease expires: no
   message lost, none doubled.
3. PostgreSQL is restarted (`pg_ctlcluster <version> <its own cluster> restart`, as the
   postgres user). Citizens meanwhile get the Thai 503 "try again" page, never a 500 or a stack
   trace; /healthz/ answers 200 again by itself once the database is back; every complaint whose
   receipt page was shown is still there with its photo.

    .venv/bin/python -m loadtest.faults        (make faulttest)

Knobs (environment): LOADTEST_FAULT_USERS (50), LOADTEST_THINK_S (3 here), LOADTEST_WARM_S (20),
LOADTEST_LINE_DOWN_S (300), LOADTEST_LINE_TIMEOUTS (1), LOADTEST_BURST (300),
LOADTEST_AFTER_RESTART_S (30), LOADTEST_CRON_S (60), LOADTEST_GUNICORN_WORKERS (2 x cores + 1),
LOADTEST_PORTS, LOADTEST_LOGS, and the photo knobs of loadtest.load.
The task worker's LINE timeout is the site's LINE_HTTP_TIMEOUT (10 s).
"""

import os
import secrets
import sys
import threading
import time
import urllib.request

from bench.common import out, wait_for
from loadtest import checks
from loadtest.load import Crowd, make_photos, report_steps, setup_line
from loadtest.site import Cluster, Site

USERS = int(os.environ.get("LOADTEST_FAULT_USERS", "50"))
THINK_S = float(os.environ.get("LOADTEST_THINK_S", "3"))
WARM_S = float(os.environ.get("LOADTEST_WARM_S", "20"))
LINE_DOWN_S = float(os.environ.get("LOADTEST_LINE_DOWN_S", "300"))
TIMEOUTS = os.environ.get("LOADTEST_LINE_TIMEOUTS", "1") != "0"  # 0: LINE only answers 500
BURST = int(os.environ.get("LOADTEST_BURST", "300"))
AFTER_RESTART_S = float(os.environ.get("LOADTEST_AFTER_RESTART_S", "30"))
CRON_S = float(os.environ.get("LOADTEST_CRON_S", "60"))
# As deploy/gunicorn.conf.py: twice the cores plus one.
GUNICORN_WORKERS = int(os.environ.get("LOADTEST_GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
MESSAGE_PATH = "/v2/bot/message/"
BURST_LATENCY_MS = 50  # each push then takes a while: the kill lands in the middle of one
DRAIN_S = 420  # the outbox's longest backoff (300 s) plus a lease (60 s) and a cron run


class Monitor(threading.Thread):
    """Polls /healthz/ four times a second: (monotonic time, status) pairs."""

    def __init__(self, port: int):
        super().__init__(daemon=True, name="healthz-monitor")
        self.url = f"http://127.0.0.1:{port}/healthz/"
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.25):
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    status = response.status
            except urllib.request.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            self.samples.append((time.monotonic(), status))

    def down_between(self, start: float, end: float) -> tuple[float, float | None]:
        """Seconds /healthz/ was not 200 from ``start`` on, and when it was 200 again (seconds
        after ``end``; None if it never was before the last sample)."""
        window = [(t, s) for t, s in self.samples if t >= start]
        bad = [t for t, s in window if s != 200]
        back = next((t for t, s in window if t >= end and s == 200), None)
        down = (max(bad) - min(bad) + 0.25) if bad else 0.0
        return down, (back - end if back is not None else None)


def outbox_counts() -> dict[str, int]:
    from django.db.models import Count

    from line_integration.models import OutboundMessage

    rows = OutboundMessage.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def line_down(site: Site, seconds: float) -> None:
    """LINE answers 500 (four pushes in five) or never answers (the fifth; with
    LOADTEST_LINE_TIMEOUTS=0 it answers 500 to all) for ``seconds``."""
    from line_integration.standin.state import Fault

    state = site.standin.state
    pattern = []
    for _ in range(20000):
        pattern.append(Fault(MESSAGE_PATH, status=500, times=4))
        if TIMEOUTS:
            pattern.append(Fault(MESSAGE_PATH, timeout=True))
    first_seq = state.next_seq()
    with state.lock:
        state.faults[:] = pattern
    began = time.monotonic()
    send_notices(site, count=20, label="line-down")  # besides the citizens' receipts
    time.sleep(max(0.0, seconds - (time.monotonic() - began)))
    with state.lock:
        state.faults.clear()
    queued = outbox_counts()
    refused = [r for r in state.requests(MESSAGE_PATH) if r["seq"] > first_seq and r["fault"]]
    timeouts = sum(1 for r in refused if r["fault"] == "timeout")
    out(
        f"faults_line_down down_s={time.monotonic() - began:.0f} "
        f"refused_500={len(refused) - timeouts} timed_out={timeouts} "
        f"outbox_when_back={dict(sorted(queued.items()))}"
    )
    drained = checks.outbox_drained(timeout=DRAIN_S)
    out(
        f"faults_line_back drained_s={f'{drained:.0f}' if drained is not None else 'timeout'} "
        f"outbox={dict(sorted(outbox_counts().items()))} (every queued message sent or not)"
    )


def send_notices(site: Site, *, count: int, label: str) -> list[int]:
    """A notice pushed to ``count`` new LINE followers (one outbox row each), as a service
    function would in one transaction; returns the rows' keys."""
    from django.db import transaction

    from line_integration import messages as msg
    from line_integration.outbox import enqueue_push

    line_ids = ["U" + secrets.token_hex(16) for _ in range(count)]
    for line_id in line_ids:
        site.standin.state.add_user(user_id=line_id, display_name="ผู้รับข่าวสาร")
    tag = secrets.token_hex(4)
    with transaction.atomic():
        rows = [
            enqueue_push(
                to=line_id,
                messages=[msg.text("ศูนย์ดำรงธรรมขอแจ้งข่าวสารประจำสัปดาห์")],
                purpose=f"loadtest.{label}",
                dedupe_key=f"loadtest-{label}-{tag}-{index}",
            )
            for index, line_id in enumerate(line_ids)
        ]
    return [row.pk for row in rows]


def kill_worker_mid_batch(site: Site, burst: int) -> list[int]:
    """SIGKILL the task worker while it is sending a burst; returns the rows it had claimed."""
    from line_integration.models import OutboundMessage

    state = site.standin.state
    state.latency_ms = BURST_LATENCY_MS
    burst_rows = OutboundMessage.objects.filter(
        pk__in=send_notices(site, count=burst, label="burst")
    )
    wait_for(lambda: burst_rows.filter(status="sent").count() >= burst // 3, timeout=120)
    claimed = wait_for(
        lambda: list(burst_rows.filter(status="sending").values_list("pk", flat=True)),
        timeout=30,
        interval=0.01,
    )
    sent_before = burst_rows.filter(status="sent").count()
    name = site.worker_names()[0]
    pid = site.kill_worker(name)
    restarts = site.worker_restarts
    wait_for(lambda: site.worker_restarts > restarts, timeout=10)
    out(
        f"faults_worker_kill burst={burst} sent_before_kill={sent_before} "
        f"claimed_at_kill={len(claimed or [])} killed_pid={pid} signal=SIGKILL "
        f"restarted={site.worker_restarts > restarts}"
    )
    return claimed or []


def restart_database(site: Site, crowd: Crowd, monitor: Monitor) -> None:
    from django.db import connection

    if not isinstance(site.db, Cluster):
        out(f"faults_db_restart skipped: {site.db_note}")
        return
    before_503 = sum(crowd.stats.unavailable.values())
    before_errors = sum(crowd.stats.errors.values())
    restarts = site.worker_restarts
    began = time.monotonic()
    took = site.db.restart()
    ended = time.monotonic()
    connection.close()  # this process's own connection was cut too
    time.sleep(AFTER_RESTART_S)
    down, back = monitor.down_between(began, ended)
    out(
        f"faults_db_restart restart_s={took:.1f} healthz_not_ok_s={down:.1f} "
        f"healthz_ok_again_after_s={f'{back:.1f}' if back is not None else 'never'} "
        f"try_again_pages={sum(crowd.stats.unavailable.values()) - before_503} "
        f"other_errors={sum(crowd.stats.errors.values()) - before_errors} "
        f"task_worker_restarts={site.worker_restarts - restarts} "
        f"(pg_ctlcluster {site.db.version} {site.db.cluster} restart)"
    )


def claimed_rows_line(state, claimed: list[int]) -> str:
    from line_integration.models import OutboundMessage

    rows = OutboundMessage.objects.filter(pk__in=claimed)
    parts = []
    for row in rows:
        seen = [r for r in state.requests(MESSAGE_PATH) if r["retryKey"] == str(row.retry_key)]
        answers = ",".join(str(r["status"]) for r in seen)
        parts.append(f"{row.pk}:{row.status}:attempts={row.attempts}:line_answers={answers}")
    return " ".join(parts) or "none"


def run() -> int:
    with Site("faults", gunicorn_workers=GUNICORN_WORKERS, task_workers=1, cron_s=CRON_S) as site:
        migrate_s = site.migrate()
        photos = make_photos()
        site.start()
        setup_line(
            "faults",
            site,
            migrate_s,
            photos,
            f"users={USERS} think_s={THINK_S} warm_s={WARM_S:.0f} line_down_s={LINE_DOWN_S:.0f} "
            f"burst={BURST} cron_s={CRON_S:.0f}",
        )
        monitor = Monitor(site.port)
        monitor.start()
        crowd = Crowd(
            site,
            users=USERS,
            duration=10**6,
            think_s=THINK_S,
            ramp_s=min(WARM_S, 30),
            photos=photos,
            patient=True,
        ).start()
        time.sleep(WARM_S)
        crowd.progress("faults")
        line_down(site, LINE_DOWN_S)
        crowd.progress("faults")
        claimed = kill_worker_mid_batch(site, BURST)
        restart_database(site, crowd, monitor)
        crowd.progress("faults")
        crowd.deadline = time.monotonic()  # no new journeys; those under way finish
        elapsed = crowd.wait()
        drained = checks.outbox_drained(timeout=DRAIN_S)
        site.standin.state.latency_ms = 0
        monitor.stop.set()
        stats = crowd.stats
        report_steps("faults", stats, site)
        errors = sum(stats.errors.values())
        out(
            f"faults_citizens elapsed_s={elapsed:.0f} journeys={len(stats.journeys)} "
            f"requests={stats.requests()} statuses={dict(sorted(stats.statuses.items()))} "
            f"try_again_pages={sum(stats.unavailable.values())} "
            f"try_again_pages_by_step={dict(stats.unavailable)} "
            f"pages_not_thai_or_with_trace={len(stats.bad_unavailable)} errors={errors}"
        )
        for sample in stats.error_samples[:10] + stats.bad_unavailable[:5]:
            out(f"faults_error {sample}")
        line, problems = checks.complaints(stats.confirmed, photos_each=1)
        out(f"faults_check_complaints {line} problems={len(problems)}")
        line_line, line_problems = checks.line_delivery(site.standin.state)
        out(
            f"faults_check_line drained_s={f'{drained:.0f}' if drained is not None else 'timeout'} "
            f"{line_line} problems={len(line_problems)}"
        )
        out(f"faults_killed_rows {claimed_rows_line(site.standin.state, claimed)}")
        for problem in (problems + line_problems)[:10]:
            out(f"faults_problem {problem}")
        failed = bool(
            errors or stats.bad_unavailable or problems or line_problems or drained is None
        )
        out(
            f"faults_result verdict={'ok' if not failed else 'FAILED'} "
            f"task_worker_restarts={site.worker_restarts} cron_runs={len(site.cron_runs)} "
            f"link_retries={site.link_errors} load1={os.getloadavg()[0]:.1f}"
        )
        site.procs.check_alive()
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
