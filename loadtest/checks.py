"""What must hold after a run, read from the database, the disk and the LINE stand-in."""

import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.common import percentile, wait_for

ACCESS_LINE = re.compile(r"^[\w.]+:(\w+) (\d{3}) (\d+)$")
PUSH_PATHS = ("/v2/bot/message/push", "/v2/bot/message/multicast")


def server_ms(access_log: Path) -> dict[str, list[float]]:
    """Milliseconds inside gunicorn per step (access log %(D)s, X-Bench-Step "<tag>:<step>")."""
    found: dict[str, list[float]] = defaultdict(list)
    try:
        lines = access_log.read_text().splitlines()
    except FileNotFoundError:
        return found
    for line in lines:
        match = ACCESS_LINE.match(line.strip())
        if match and match[2] != "503":
            found[match[1]].append(int(match[3]) / 1000)
    return found


def cpu_ms(cpu_log: Path) -> dict[str, list[float]]:
    """CPU milliseconds each request cost its gunicorn worker, per step
    (loadtest/gunicorn_hooks.py); requests without a step are left out."""
    found: dict[str, list[float]] = defaultdict(list)
    try:
        lines = cpu_log.read_text().splitlines()
    except FileNotFoundError:
        return found
    for line in lines:
        step, _, used_us = line.partition(" ")
        if step != "-" and used_us.isdigit():
            found[step].append(int(used_us) / 1000)
    return found


def p95(values: list[float]) -> str:
    return f"{percentile(values, 95):.0f}" if values else "-"


def complaints(confirmed: dict[str, str], photos_each: int) -> tuple[str, list[str]]:
    """Every tracking number a receipt page showed is in the database, for that citizen, with
    its evidence rows and their files on disk; no staged upload is left behind."""
    from complaints.models import Complaint, EvidenceFile
    from core.storage import private_storage, wizard_upload_storage

    found = {
        c.tracking_number: c
        for c in Complaint.objects.filter(tracking_number__in=list(confirmed)).select_related(
            "citizen"
        )
    }
    files = defaultdict(list)
    for item in EvidenceFile.objects.filter(complaint__in=found.values()):
        files[item.complaint_id].append(item)
    problems = []
    complete = on_disk = 0
    for number, username in sorted(confirmed.items()):
        complaint = found.get(number)
        if complaint is None:
            problems.append(f"{number} missing")
            continue
        if complaint.citizen.username != username:
            problems.append(f"{number} belongs to {complaint.citizen.username}, not {username}")
        stored = files[complaint.pk]
        present = sum(1 for item in stored if private_storage.exists(item.file.name))
        on_disk += present
        if len(stored) == photos_each and present == photos_each:
            complete += 1
        else:
            problems.append(f"{number} has {len(stored)} files, {present} on disk")
    try:
        staged_left = len(wizard_upload_storage.listdir("")[1])
    except FileNotFoundError:
        staged_left = 0
    line = (
        f"confirmed={len(confirmed)} in_db={len(found)} complete={complete} "
        f"files_on_disk={on_disk} staged_left={staged_left} "
        f"all_complaints_in_db={Complaint.objects.count()}"
    )
    return line, problems


def outbox_drained(timeout: float) -> float | None:
    """Seconds until no LINE message is pending or being sent (None past the bound)."""
    from line_integration.models import OutboundMessage

    started = time.monotonic()
    open_rows = OutboundMessage.objects.filter(status__in=["pending", "sending"])
    done = wait_for(lambda: not open_rows.exists(), timeout=timeout, interval=0.5)
    return time.monotonic() - started if done else None


def line_delivery(state) -> tuple[str, list[str]]:
    """Every outbox row was sent, LINE accepted each retry key exactly once, and each citizen
    received each message once (the stand-in's chats), however often a send was retried."""
    from line_integration.models import OutboundMessage
    from line_integration.outbox import MAX_ATTEMPTS

    rows = list(OutboundMessage.objects.filter(kind__in=["push", "multicast"]))
    statuses = Counter(row.status for row in rows)
    requests = [r for p in PUSH_PATHS for r in state.requests(p)]
    accepted = Counter(r["retryKey"] for r in requests if r["status"] == 200)
    by_status = Counter(str(r["status"] if r["answered"] else r["fault"]) for r in requests)
    problems = []
    expected: Counter = Counter()
    for row in rows:
        key = str(row.retry_key)
        if row.status != "sent":
            problems.append(f"outbox {row.pk} {row.status}: {row.last_error[:120]}")
        if accepted[key] != 1:
            problems.append(f"outbox {row.pk} accepted {accepted[key]} times by LINE")
        if key not in state.retry_keys:
            problems.append(f"outbox {row.pk} retry key unknown to LINE")
        for recipient in row.recipients:
            expected[recipient] += len(row.messages)
    delivered = Counter()
    for user_id in list(state.chats):
        delivered[user_id] = len(state.deliveries(user_id))
    twice = sorted(u for u in expected if delivered[u] > expected[u])
    missed = sorted(u for u in expected if delivered[u] < expected[u])
    problems += [f"LINE user {u} got {delivered[u]}, expected {expected[u]}" for u in twice]
    problems += [f"LINE user {u} got {delivered[u]}, expected {expected[u]}" for u in missed]
    retried = sum(1 for row in rows if row.attempts > 1)
    most = max((row.attempts for row in rows), default=0)
    line = (
        f"rows={len(rows)} statuses={dict(sorted(statuses.items()))} retried_rows={retried} "
        f"max_attempts={most}/{MAX_ATTEMPTS} "
        f"line_requests={len(requests)} answers={dict(sorted(by_status.items()))} "
        f"keys_accepted_once={sum(1 for n in accepted.values() if n == 1)} "
        f"keys_accepted_twice={sum(1 for n in accepted.values() if n > 1)} "
        f"citizens_reached_twice={len(twice)} citizens_missed={len(missed)}"
    )
    return line, problems
