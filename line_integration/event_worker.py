"""Many LINE events at once in one task worker process.

A burst of taps (after a news push, at the start of office hours) must be answered by reply
within the minute a reply token lives. One event after the other, each waiting about half a
second for LINE's answer, gets through fewer than two a second, so most tokens would expire and
the answers would become late, paid pushes. Here one worker keeps up to LINE_EVENT_CONCURRENCY
events in flight:

- an asyncio loop claims waiting events (line_integration.webhook.claim_waiting: oldest first,
  one per chat at a time, so one citizen's events are answered in the order they came while
  other citizens' run alongside), and polls for more as long as any are in flight;
- while a burst of webhooks is still coming in, it waits to claim (webhook.still_arriving: until
  no new event for 60 ms, at most 600 ms after the burst's first). On a machine that also runs
  the webhook, the handlers' CPU would otherwise go to the replies while LINE still waits for
  the webhook's answers (bench/README.md: the answer's p99 went over 50 ms in 2 of 8 runs
  that way, and in none of 11 with the wait); a reply goes at most 0.6 s later for it;
- each event's handler (Django, the database, now and then a blocking call to LINE such as a
  new friend's profile) runs in a small pool of LINE_EVENT_THREADS threads, each with its own
  database connection;
- the replies go to LINE over aiohttp from the loop (line_integration.replies), behind one
  rate gate per process that also makes everyone wait after a 429.

It runs inside an ordinary `db_worker` task (line_integration.tasks.process_webhook_event), so
`make run`'s single `db_worker --queue-name '*'` and production's dedicated `line_events`
workers both do it; several workers share the events through the claim. A run stops taking
new events after LINE_EVENT_RUN_SECONDS, so the worker's other queues get their turn, and
leaves a task behind for what is still waiting.

The event loop, the threads and the LINE client (its TLS settings, its open connections to
LINE) are kept from one run to the next in the worker process: building them cost each run
tens of milliseconds of CPU (the system's certificates alone about 20 ms), paid again in every
burst. The threads' database connections follow Django's rules as a request's do: at the end
of a run each thread closes its connection unless DB_CONN_MAX_AGE keeps it (production keeps
it 60 s), and a kept one is checked before the next run uses it.
"""

import asyncio
import atexit
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections

from line_integration import replies, webhook
from line_integration.client import RateGate, new_async_messaging_api

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # how often to look for new events while others are in flight
LINGER_SECONDS = 0.5  # after handling some, how long to wait for the burst's next ones
SETTLE_AT_MOST_S = webhook.SETTLE_AT_MOST.total_seconds()


class DatabaseThreads(ThreadPoolExecutor):
    """Threads for Django code, each with its own database connections."""

    def __init__(self, size: int):
        super().__init__(max_workers=size, thread_name_prefix="line-events")
        self.size = size
        self.run_number = 0
        # Every thread starts now: the pool never adds one later, so a job sent to each
        # thread reaches them all. (A pool that grew on demand could start a thread for
        # end_run's job while one still finishing its last job got none, its connection
        # left open.)
        self._in_each_thread(lambda: None)

    def call(self, func, *args, **kwargs):
        """``func`` in a thread; the first call of a run in each thread first does what Django
        does before a request (a connection past its age is closed, a kept one checked)."""
        return self.submit(self._call, self.run_number, func, args, kwargs)

    @staticmethod
    def _call(run_number, func, args, kwargs):
        if getattr(_in_thread, "run_number", None) != run_number:
            _in_thread.run_number = run_number
            close_old_connections()
        return func(*args, **kwargs)

    def end_run(self) -> None:
        """After a run, as after a request: each thread closes its connection unless its age
        keeps it."""
        self.run_number += 1
        self._in_each_thread(close_old_connections)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._in_each_thread(connections.close_all)
        super().shutdown(wait=True, cancel_futures=cancel_futures)

    def _in_each_thread(self, func) -> None:
        # One job per thread: a thread waiting at the barrier takes no other. At the first
        # call no thread is idle until all have been asked, so each job starts its own.
        barrier = threading.Barrier(self.size)
        done = [self.submit(_then_wait, func, barrier) for _ in range(self.size)]
        for future in done:
            future.result()


_in_thread = threading.local()


def _then_wait(func, barrier: threading.Barrier) -> None:
    try:
        func()
    finally:
        try:
            barrier.wait(timeout=10)
        except threading.BrokenBarrierError:
            pass


class _Kept(threading.local):
    """What one worker thread keeps between runs (a worker runs its tasks in one thread)."""

    loop: asyncio.AbstractEventLoop | None = None
    threads: DatabaseThreads | None = None
    api = None
    api_key: tuple | None = None


_kept = _Kept()


def _threads() -> DatabaseThreads:
    size = max(1, settings.LINE_EVENT_THREADS)
    if _kept.threads is not None and _kept.threads.size != size:
        _kept.threads.shutdown()
        _kept.threads = None
    if _kept.threads is None:
        _kept.threads = DatabaseThreads(size)
    return _kept.threads


async def _api(connections_at_once: int):
    """The kept LINE client, made again when the settings it was made with changed."""
    key = (settings.LINE_API_HOST, settings.LINE_CHANNEL_ACCESS_TOKEN, connections_at_once)
    if _kept.api is not None and _kept.api_key != key:
        await _kept.api.api_client.close()
        _kept.api = None
    if _kept.api is None:
        _kept.api = new_async_messaging_api(connections=connections_at_once)
        _kept.api_key = key
    return _kept.api


def release() -> None:
    """Close what the runs kept in this thread (at the worker's exit, or after a failed run)."""
    loop, threads, api = _kept.loop, _kept.threads, _kept.api
    _kept.loop = _kept.threads = _kept.api = _kept.api_key = None
    if loop is not None and not loop.is_closed():
        asyncio.set_event_loop(loop)
        try:
            left = asyncio.all_tasks(loop)  # a failed run's handlers: stopped, as asyncio.run
            for task in left:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            if api is not None:
                loop.run_until_complete(api.api_client.close())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            loop.close()
    if threads is not None:
        threads.shutdown()


# At the process's end, before concurrent.futures stops taking jobs: its own exit hook runs
# with the threads' (threading._register_atexit, newest first), ahead of every atexit hook,
# and after it the pool could no longer close each thread's connection.
getattr(threading, "_register_atexit", atexit.register)(release)


def run() -> dict[str, int]:
    """Handle waiting events until none are left (or the run's time is up); the outcomes."""
    if not webhook.waiting_exists():
        return {}  # an earlier run took this task's events: one query, no event loop
    if _kept.loop is None:
        _kept.loop = asyncio.new_event_loop()
    asyncio.set_event_loop(_kept.loop)
    try:
        outcomes = _kept.loop.run_until_complete(_run())
    except BaseException:
        release()  # nothing half-done is kept for the next run
        raise
    finally:
        asyncio.set_event_loop(None)
    if outcomes.pop("time_up", 0) and webhook.waiting_exists():
        from line_integration.tasks import process_webhook_event

        process_webhook_event.enqueue()  # the rest after the worker's other queues' tasks
    return outcomes


async def _run() -> dict[str, int]:
    loop = asyncio.get_running_loop()
    limit = max(1, settings.LINE_EVENT_CONCURRENCY)
    threads = _threads()
    gate = RateGate(settings.LINE_API_RATE)
    outcomes: dict[str, int] = {}
    stop_claiming = time.monotonic() + settings.LINE_EVENT_RUN_SECONDS

    def db(func, *args, **kwargs):
        return asyncio.wrap_future(threads.call(func, *args, **kwargs))

    async def handle(api, event) -> None:
        event_id = event.pk
        try:
            prepared = await db(webhook.begin, event)
            result = None
            if prepared.reply is not None:
                result = await replies.send(api, prepared.reply, gate=gate)
            outcome = await db(webhook.finish, prepared, result)
        except Exception as exc:  # one event's failure must not stop the others
            logger.exception("LINE event %s could not be handled", event_id)
            await db(webhook.abandon, event_id, f"{exc.__class__.__name__}: {exc}")
            outcome = "error"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    try:
        api = await _api(limit)
        in_flight: set[asyncio.Task] = set()
        idle_since = settle_by = None
        while True:
            time_up = time.monotonic() >= stop_claiming
            room = limit - len(in_flight)
            claimed = []
            settling = False
            if room and not time_up:
                # Bounded by this worker's own clock too: a web node whose clock runs ahead
                # stamps its events in the future, which would otherwise look new for longer.
                may_wait = settle_by is None or time.monotonic() < settle_by
                settling = may_wait and await db(webhook.still_arriving)
                if settling:
                    settle_by = settle_by or time.monotonic() + SETTLE_AT_MOST_S
                else:
                    settle_by = None
                    claimed = await db(webhook.claim_waiting, limit=room)
            in_flight |= {asyncio.create_task(handle(api, event)) for event in claimed}
            if in_flight:
                idle_since = None
                _done, in_flight = await asyncio.wait(
                    in_flight, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED
                )
                continue
            if time_up:
                outcomes["time_up"] = 1
                break
            if settling:  # events are waiting: claimed once the burst has come in
                idle_since = None
                await asyncio.sleep(POLL_SECONDS)
                continue
            if not outcomes:
                break  # an earlier run took this task's events: nothing to wait for
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= LINGER_SECONDS:
                break
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await loop.run_in_executor(None, threads.end_run)
    if gate.throttled:
        outcomes["throttled_by_line"] = gate.throttled
    return outcomes
