"""Live chat: how long a citizen's LINE message takes to reach an officer's open conversation,
and how many open officer screens one server carries.

The site runs under gunicorn (sync workers, `DEBUG=0`) with two `manage.py db_worker`
processes as production runs them, one per queue (`line_events`: webhook events;
`default`: LINE pushes), both with `--interval BENCH_WORKER_INTERVAL` (0.5 s, as `make run`),
and the LINE stand-in. Officer screens are plain HTTP clients doing what
static/chat/officer-*.js does: ask the JSON endpoint, wait CHAT_POLL_INTERVAL_MS after the
answer, ask again.

1. Latency: one officer screen polls its conversation's messages.json?after=<last id>; 100
   citizen text messages are posted to /line/webhook/ as LINE signs them, at random moments
   (a gap of 0.1-1.0 s). Latency = from posting the webhook to the first poll answer that
   carries the message. Goal: p95 under 2 s.
2. Capacity: N screens, each with its conversation (messages.json) and the inbox
   (inbox.json) open, each tab polling every interval; N raised step by step until the polls
   fall behind: p95 answer over 1 s, or fewer than 90 % of the requests the tabs should make.
   40 open conversations with 60 messages each are on the inbox; a citizen message arrives
   every 0.5 s meanwhile.

    .venv/bin/python -m bench.chat_latency     (part of `make bench`)

Knobs (environment): BENCH_CHAT_MESSAGES (100), BENCH_GUNICORN_WORKERS (2),
BENCH_WORKER_INTERVAL (0.5), CHAT_POLL_INTERVAL_MS (1000), BENCH_CHAT_STEPS
("5,10,20,30,40,60,80,120,160,240,320": screens per step), BENCH_CHAT_STEP_S (12 s per step),
DB_CONN_MAX_AGE (the site's own, 0).
"""

import http.client
import json
import os
import random
import re
import threading
import time

from bench.common import (
    ACCESS_TOKEN,
    CHANNEL_SECRET,
    PYTHON,
    Bench,
    free_port,
    out,
    percentile,
)
from bench.common import wait_for as wait_until
from line_integration.standin import events, start_standin

MESSAGES = int(os.environ.get("BENCH_CHAT_MESSAGES", "100"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
INTERVAL = float(os.environ.get("BENCH_WORKER_INTERVAL", "0.5"))
DEFAULT_STEPS = "5,10,20,30,40,60,80,120,160,240,320"
POLL_MS = int(os.environ.get("CHAT_POLL_INTERVAL_MS", "1000"))
STEPS = [int(n) for n in os.environ.get("BENCH_CHAT_STEPS", DEFAULT_STEPS).split(",")]
STEP_S = float(os.environ.get("BENCH_CHAT_STEP_S", "12"))
SEED_CONVERSATIONS = 40
SEED_HISTORY = 60
MAX_ANSWER_S = 1.0  # a poll slower than this: the screen is behind
MIN_RATE = 0.9
XHR = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}


class Site:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, body=None, headers=None, timeout=30):
        """(status, bytes, seconds); status 0 when the connection failed."""
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            status = response.status
        except OSError:
            status, data = 0, b""
        finally:
            conn.close()
        return status, data, time.perf_counter() - started

    def webhook(self, state, event: dict) -> int:
        body = events.webhook_body([event], destination=state.destination)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "LineBotWebhook/2.0",
            "X-Line-Signature": events.sign(body, CHANNEL_SECRET),
        }
        return self.request("POST", "/line/webhook/", body=body, headers=headers)[0]

    def poll(self, path: str, session_key: str):
        headers = {**XHR, "Cookie": f"sessionid={session_key}"}
        return self.request("GET", path, headers=headers)


def start_site(bench: Bench, port: int) -> None:
    bench.start_gunicorn(
        port,
        workers=GUNICORN_WORKERS,
        args=("--backlog", "2048"),
        access_format='"%(r)s" %(s)s %(D)s',
        warm_path="/healthz/",
    )


class ServerTimes:
    """Time inside gunicorn per poll (access log %(D)s, microseconds): the cost of an answer
    without the wait in gunicorn's queue."""

    LINE = re.compile(r'"GET /admin/chat/(?:\d+/messages|inbox)\.json\S* HTTP/[\d.]+" 200 (\d+)$')

    def __init__(self, bench: Bench):
        self.path = bench.workdir / "access.log"
        self.offset = 0

    def since_last(self) -> list[float]:
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            data = log.read()
        self.offset += len(data)
        found = (self.LINE.search(line) for line in data.decode(errors="replace").splitlines())
        return [int(match.group(1)) / 1_000_000 for match in found if match]


def start_workers(bench: Bench) -> None:
    """One worker per queue, as the README's production table runs them."""
    for queue in ("line_events", "default"):
        name = f"db_worker_{queue}"
        argv = [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        argv += ["--queue-name", queue, "--interval", str(INTERVAL), "--worker-id", name]
        bench.procs.start(name, argv, bench.env)
        if not wait_until(lambda n=name: "Starting worker" in bench.procs.tail(n, 200), timeout=60):
            bench.procs.check_alive()
            raise RuntimeError(f"{name} did not start:\n{bench.procs.tail(name)}")


def officer_sessions(count: int) -> list[str]:
    """Logged-in case officers' session keys (as after the admin's log-in form)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group

    from accounts.backends import ACCOUNT_BACKEND
    from accounts.models import User
    from accounts.roles import Role

    group = Group.objects.get(name=Role.CASE_OFFICER.group_name)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for index in range(count):
        user = User.objects.create(
            username=f"officer{index:04d}", first_name="เจ้าหน้าที่", last_name=f"ที่ {index}"
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(group)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = ACCOUNT_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def open_line_chat(site: Site, state, name: str) -> tuple[str, int]:
    """A LINE user follows and taps the rich menu's chat item (through the webhook and the
    worker, as in production): their user id and the conversation's id."""
    from chat.models import Conversation

    user_id = state.add_user(display_name=name)["userId"]
    assert site.webhook(state, state.new_event("follow", user_id)) == 200
    assert site.webhook(state, state.new_event("postback", user_id, data="menu=chat")) == 200
    found = wait_until(
        lambda: Conversation.objects.filter(line_account__line_user_id=user_id).first(),
        timeout=30,
    )
    if not found:
        raise RuntimeError("the conversation did not open")
    return user_id, found.pk


def seed_inbox() -> list[int]:
    """Open conversations with some history, straight through the services."""
    from chat import services
    from line_integration.models import LineAccount

    ids = []
    for index in range(SEED_CONVERSATIONS):
        account = LineAccount.objects.create(
            line_user_id=f"U{index:032x}", display_name=f"ผู้ติดต่อ {index}", followed=True
        )
        conversation, _ = services.conversation_start(channel="line", line_account=account)
        for number in range(SEED_HISTORY):
            services.citizen_message_receive(
                conversation=conversation, text=f"ข้อความที่ {number} ของผู้ติดต่อ {index}"
            )
        ids.append(conversation.pk)
    return ids


def last_message_id(conversation_id: int) -> int:
    from chat.models import ChatMessage

    last = ChatMessage.objects.filter(conversation_id=conversation_id).order_by("-id").first()
    return last.pk if last else 0


# 1. Latency ------------------------------------------------------------------------------------


def measure_latency(site: Site, state, session: str) -> dict:
    user_id, conversation_id = open_line_chat(site, state, "ผู้ทดสอบความเร็ว")
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    poll_times: list[float] = []
    stop = threading.Event()
    lock = threading.Lock()

    first_after = last_message_id(conversation_id)

    def screen():
        after = first_after
        path = f"/admin/chat/{conversation_id}/messages.json"
        while not stop.is_set():
            status, data, seconds = site.poll(f"{path}?seen=1&after={after}", session)
            arrived = time.monotonic()
            poll_times.append(seconds)
            if status == 200:
                for message in json.loads(data)["messages"]:
                    after = max(after, message["id"])
                    with lock:
                        seen.setdefault(message["text"], arrived)
            stop.wait(POLL_MS / 1000)

    poller = threading.Thread(target=screen, daemon=True)
    poller.start()
    time.sleep(1.5)
    rng = random.Random(7)
    failures = 0
    for index in range(MESSAGES):
        time.sleep(rng.uniform(0.1, 1.0))
        text = f"ขอสอบถามเรื่องร้องเรียน ข้อความที่ {index}"
        event = state.new_event("message", user_id, text=text)
        sent[text] = time.monotonic()
        if site.webhook(state, event) != 200:
            failures += 1
    wait_until(lambda: len(seen.keys() & sent.keys()) >= len(sent), timeout=30, interval=0.1)
    stop.set()
    poller.join(timeout=10)
    latencies = [seen[text] - at for text, at in sent.items() if text in seen]
    return {
        "latencies": latencies,
        "missing": len(sent) - len(latencies),
        "webhook_errors": failures,
        "poll_answer": poll_times,
    }


# 2. Capacity -----------------------------------------------------------------------------------


def run_screens(site: Site, sessions: list[str], conversations: list[int], count: int) -> dict:
    """``count`` screens for STEP_S seconds. A screen is an officer with two tabs, each polling
    on its own as the pages do: the conversation (messages.json) and the inbox (inbox.json),
    the next request CHAT_POLL_INTERVAL_MS after the previous answer. Counted from the end of
    the first interval (the screens open at random moments within it)."""
    answers: list[tuple[float, float, int]] = []  # (finished at, seconds, status)
    lock = threading.Lock()
    stop = threading.Event()
    interval_s = POLL_MS / 1000
    rng = random.Random(count)
    opened_at = [rng.uniform(0, interval_s) for _ in range(2 * count)]
    last_ids = {c: last_message_id(c) for c in conversations}  # what each page drew

    def tab(index: int):
        session = sessions[(index // 2) % len(sessions)]
        conversation = conversations[(index // 2) % len(conversations)]
        after = last_ids[conversation]
        inbox = index % 2 == 1
        stop.wait(opened_at[index])
        while not stop.is_set():
            if inbox:
                path = "/admin/chat/inbox.json"
            else:
                path = f"/admin/chat/{conversation}/messages.json?seen=1&after={after}"
            status, data, seconds = site.poll(path, session)
            if not inbox and status == 200:
                for message in json.loads(data)["messages"]:
                    after = max(after, message["id"])
            with lock:
                answers.append((time.monotonic(), seconds, status))
            stop.wait(interval_s)

    threads = [threading.Thread(target=tab, args=(i,), daemon=True) for i in range(2 * count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(STEP_S)
    stop.set()
    ended = time.monotonic()
    for thread in threads:
        thread.join(timeout=30)
    window = [a for a in answers if started + interval_s <= a[0] <= ended]
    times = [seconds for _, seconds, _ in window]
    return {
        "screens": count,
        "requests": len(window),
        "errors": sum(1 for *_, status in window if status != 200),
        "target_rps": 2 * count / interval_s,
        "achieved_rps": len(window) / (ended - started - interval_s),
        "p50": percentile(times, 50) if times else float("inf"),
        "p95": percentile(times, 95) if times else float("inf"),
    }


def trickle(site: Site, state, user_ids: list[str], stop: threading.Event) -> None:
    """Citizens keep writing while the screens poll (one message every 0.5 s)."""
    rng = random.Random(11)
    count = 0
    while not stop.wait(0.5):
        user_id = rng.choice(user_ids)
        site.webhook(state, state.new_event("message", user_id, text=f"ข้อความระหว่างทดสอบ {count}"))
        count += 1


def _ms(values: list[float], pct: float) -> float:
    return percentile(values, pct) * 1000 if values else float("nan")


def run() -> None:
    standin = start_standin(port=0, access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET)
    try:
        with Bench("chat", standin_port=standin.port) as bench:
            migrate_s = bench.migrate()
            state = standin.state
            port = free_port()
            bench.env["CHAT_POLL_INTERVAL_MS"] = str(POLL_MS)
            start_site(bench, port)
            start_workers(bench)
            site = Site(port)
            sessions = officer_sessions(max(STEPS))
            out(
                f"chat_setup db={bench.db.kind} nproc={os.cpu_count()} "
                f"load1={os.getloadavg()[0]:.2f} migrate_s={migrate_s:.1f} "
                f"gunicorn_workers={GUNICORN_WORKERS} (sync) "
                f"db_workers=2 (line_events, default) worker_interval_s={INTERVAL} "
                f"poll_interval_ms={POLL_MS} "
                f"db_conn_max_age={os.environ.get('DB_CONN_MAX_AGE', '0')}"
            )

            server = ServerTimes(bench)
            server.since_last()
            result = measure_latency(site, state, sessions[0])
            bench.procs.check_alive()
            latencies = result["latencies"]
            verdict = "ok" if latencies and _ms(latencies, 95) < 2000 else "MISSED"
            out(
                f"chat_latency_ms median={_ms(latencies, 50):.0f} p95={_ms(latencies, 95):.0f} "
                f"max={max(latencies) * 1000:.0f} n={len(latencies)} "
                f"missing={result['missing']} webhook_errors={result['webhook_errors']} "
                f"goal=p95<2000 {verdict} (webhook posted -> officer's poll returns it)"
            )
            polls = result["poll_answer"]
            inside = server.since_last()
            out(
                f"chat_poll_answer_ms median={_ms(polls, 50):.1f} p95={_ms(polls, 95):.1f} "
                f"n={len(polls)} server_median={_ms(inside, 50):.1f} "
                f"server_p95={_ms(inside, 95):.1f} (one screen, messages.json; server: inside "
                f"gunicorn)"
            )

            conversations = seed_inbox()
            chatters = [open_line_chat(site, state, f"ผู้ส่งระหว่างทดสอบ {i}")[0] for i in range(5)]
            stop = threading.Event()
            background = threading.Thread(
                target=trickle, args=(site, state, chatters, stop), daemon=True
            )
            background.start()
            sustained = None
            try:
                for count in STEPS:
                    server.since_last()
                    step = run_screens(site, sessions, conversations, count)
                    inside = server.since_last()
                    bench.procs.check_alive()
                    behind = (
                        step["p95"] > MAX_ANSWER_S
                        or step["achieved_rps"] < MIN_RATE * step["target_rps"]
                        or step["errors"]
                    )
                    out(
                        f"chat_screens n={count} target_rps={step['target_rps']:.0f} "
                        f"achieved_rps={step['achieved_rps']:.0f} "
                        f"answer_ms median={step['p50'] * 1000:.0f} "
                        f"p95={step['p95'] * 1000:.0f} errors={step['errors']} "
                        f"server_ms median={_ms(inside, 50):.1f} p95={_ms(inside, 95):.1f} "
                        f"load1={os.getloadavg()[0]:.2f} {'BEHIND' if behind else 'keeps up'}"
                    )
                    if behind:
                        break
                    sustained = step
            finally:
                stop.set()
                background.join(timeout=10)
            if sustained:
                out(
                    f"chat_capacity screens={sustained['screens']} "
                    f"request_rate={sustained['achieved_rps']:.0f}/s "
                    f"gunicorn_workers={GUNICORN_WORKERS} poll_interval_ms={POLL_MS} "
                    f"(each screen: messages.json and inbox.json, each every interval; "
                    f"inbox of {SEED_CONVERSATIONS + 6} open chats)"
                )
            else:
                out(f"chat_capacity screens<{STEPS[0]} (fell behind at the first step)")
    finally:
        standin.stop()


if __name__ == "__main__":
    run()
