"""Many LINE events at once in one task worker process.

A burst of taps (after a news push, at the start of office hours) must be answered by reply
within the minute a reply token lives. One event after the other, each waiting about half a
second for LINE's answer, gets through fewer than two a second, so most tokens would expire and
the answers would become late, paid pushes. Here one worker keeps up to LINE_EVENT_CONCURRENCY
events in flight:

- an asyncio loop claims waiting events (line_integration.webhook.claim_waiting: oldest first,
  one per chat at a time, so one citizen's events are answered in the order they came while
  other citizens' run alongside), and polls for more as long as any are in flight;
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
"""

import asyncio
import functools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections

from line_integration import replies, webhook
from line_integration.client import RateGate, async_messaging_api

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # how often to look for new events while others are in flight
LINGER_SECONDS = 0.5  # after handling some, how long to wait for the burst's next ones


class DatabaseThreads(ThreadPoolExecutor):
    """Threads for Django code; each closes its database connections when the pool ends."""

    def __init__(self, size: int):
        super().__init__(max_workers=size, thread_name_prefix="line-events")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        count = len(self._threads)
        if count:
            # One closing job per thread: a thread waiting at the barrier takes no other.
            barrier = threading.Barrier(count)
            for _ in range(count):
                self.submit(_close_connections, barrier)
        super().shutdown(wait=True, cancel_futures=cancel_futures)


def _close_connections(barrier: threading.Barrier) -> None:
    connections.close_all()
    try:
        barrier.wait(timeout=10)
    except threading.BrokenBarrierError:
        pass


def run() -> dict[str, int]:
    """Handle waiting events until none are left (or the run's time is up); the outcomes."""
    if not webhook.waiting_exists():
        return {}  # an earlier run took this task's events: one query, no event loop
    outcomes = asyncio.run(_run())
    if outcomes.pop("time_up", 0) and webhook.waiting_exists():
        from line_integration.tasks import process_webhook_event

        process_webhook_event.enqueue()  # the rest after the worker's other queues' tasks
    return outcomes


async def _run() -> dict[str, int]:
    loop = asyncio.get_running_loop()
    limit = max(1, settings.LINE_EVENT_CONCURRENCY)
    threads = DatabaseThreads(max(1, settings.LINE_EVENT_THREADS))
    gate = RateGate(settings.LINE_API_RATE)
    outcomes: dict[str, int] = {}
    stop_claiming = time.monotonic() + settings.LINE_EVENT_RUN_SECONDS

    def db(func, *args, **kwargs):
        return loop.run_in_executor(threads, functools.partial(func, *args, **kwargs))

    async def handle(api, event_id: int) -> None:
        try:
            prepared = await db(webhook.begin, event_id)
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
        async with async_messaging_api(connections=limit) as api:
            in_flight: set[asyncio.Task] = set()
            idle_since = None
            while True:
                time_up = time.monotonic() >= stop_claiming
                room = limit - len(in_flight)
                claimed = []
                if room and not time_up:
                    claimed = await db(webhook.claim_waiting, limit=room)
                in_flight |= {asyncio.create_task(handle(api, pk)) for pk in claimed}
                if in_flight:
                    idle_since = None
                    _done, in_flight = await asyncio.wait(
                        in_flight, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED
                    )
                    continue
                if time_up:
                    outcomes["time_up"] = 1
                    break
                if not outcomes:
                    break  # an earlier run took this task's events: nothing to wait for
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= LINGER_SECONDS:
                    break
                await asyncio.sleep(POLL_SECONDS)
    finally:
        await loop.run_in_executor(None, threads.shutdown)
    if gate.throttled:
        outcomes["throttled_by_line"] = gate.throttled
    return outcomes
