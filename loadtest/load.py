"""Many citizens at once: register, link LINE, log out and in, consent, file with a photo, track.

LOADTEST_USERS simulated citizens (200) start over LOADTEST_RAMP_S seconds and each goes through
the whole journey again and again, as a new citizen each time, for LOADTEST_DURATION seconds
(300); journeys under way then finish. The site runs under gunicorn (sync workers, twice the
cores plus one as deploy/gunicorn.conf.py; DEBUG=0, argon2, database sessions, persistent
database connections as in production) on a PostgreSQL cluster of its own, with
LOADTEST_TASK_WORKERS `db_worker`s (1) sending every complaint's LINE receipt to the stand-in,
cron's `line_outbox_flush`, all on this machine. Goal: no error, and every step's p95 (client
side, loopback) under 500 ms.

Afterwards: every tracking number a receipt page showed is in the database with its photo on
disk, and every LINE receipt reached its citizen exactly once.

    .venv/bin/python -m loadtest.load          (make loadtest)

Knobs (environment): LOADTEST_USERS (200), LOADTEST_DURATION (300 s), LOADTEST_THINK_S (5 s
between the pages a citizen fills in, uniform 0.5-1.5 times that), LOADTEST_RAMP_S (a fifth of
the duration, at most 60), LOADTEST_GUNICORN_WORKERS (2 x cores + 1), LOADTEST_TASK_WORKERS
(1), LOADTEST_PHOTO_SIZE (2592x1944), LOADTEST_PHOTO_BYTES (1000000), LOADTEST_CRON_S (60),
LOADTEST_PORTS (e.g. 21000-21999; default: any free port), LOADTEST_LOGS (a folder to keep the
logs in), DB_CONN_MAX_AGE (60).
"""

import os
import random
import resource
import sys
import threading
import time

from bench.common import out, percentile, speed_index
from bench.phone import FilingError, phone_photo
from loadtest import checks
from loadtest.citizen import Citizen, Identity, Stats, journey
from loadtest.site import Site

USERS = int(os.environ.get("LOADTEST_USERS", "200"))
DURATION = float(os.environ.get("LOADTEST_DURATION", "300"))
THINK_S = float(os.environ.get("LOADTEST_THINK_S", "5"))
RAMP_S = float(os.environ.get("LOADTEST_RAMP_S", str(min(60.0, DURATION / 5))))
# As deploy/gunicorn.conf.py: twice the cores plus one.
GUNICORN_WORKERS = int(os.environ.get("LOADTEST_GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
TASK_WORKERS = int(os.environ.get("LOADTEST_TASK_WORKERS", "1"))
PHOTO_SIZE = tuple(int(n) for n in os.environ.get("LOADTEST_PHOTO_SIZE", "2592x1944").split("x"))
PHOTO_BYTES = int(os.environ.get("LOADTEST_PHOTO_BYTES", "1000000"))
CRON_S = float(os.environ.get("LOADTEST_CRON_S", "60"))
GOAL_P95_MS = 500
HARD_STOP_S = 600  # after the duration, the longest a journey under way may still take


def complaint_areas() -> list[dict]:
    """Where complaints happen: every subdistrict of the centre's province (PROVINCE_CODE)."""
    from addresses.models import Subdistrict
    from core import province

    where = province.code()
    rows = Subdistrict.objects.filter(district__province_id=where).values_list("pk", "district_id")
    return [
        {"details-province": where, "details-district": d, "details-subdistrict": s}
        for s, d in rows
    ]


class Crowd:
    """The citizens' threads and what they share: numbering, the clock, the figures."""

    def __init__(self, site: Site, *, users, duration, think_s, ramp_s, photos, patient=False):
        self.site, self.users, self.think_s, self.ramp_s = site, users, think_s, ramp_s
        self.photos, self.patient = photos, patient
        self.areas = complaint_areas()
        self.stats = Stats()
        self.started = time.monotonic()
        self.deadline = self.started + duration
        self._numbers = iter(range(1, 10**9))
        self._lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._citizen, args=(i,), daemon=True) for i in range(users)
        ]
        self.ended = None

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def _next(self) -> Identity:
        with self._lock:
            return Identity(next(self._numbers))

    def _citizen(self, index: int) -> None:
        time.sleep(self.ramp_s * index / max(1, self.users))
        while time.monotonic() < self.deadline:
            who = self._next()
            phone = Citizen(
                self.site.port,
                who.username,
                stats=self.stats,
                think_s=self.think_s,
                patient=self.patient,
            )
            began = time.monotonic()
            try:
                journey(
                    phone,
                    who,
                    area=random.choice(self.areas),
                    photo=random.choice(self.photos),
                    link_line=self.site.link_line,
                )
            except (FilingError, OSError, KeyError, ValueError) as error:
                self.stats.error("journey", f"{who.username}: {error.__class__.__name__}: {error}")
                time.sleep(1)
                continue
            with self.stats.lock:
                self.stats.journeys.append(time.monotonic() - began)

    def running(self, seconds: float) -> bool:
        """Waits up to ``seconds``; whether any citizen is still under way."""
        deadline = time.monotonic() + seconds
        for thread in self.threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        return any(thread.is_alive() for thread in self.threads)

    def wait(self) -> float:
        """Seconds from the first citizen to the last journey's end."""
        limit = self.deadline + HARD_STOP_S
        for thread in self.threads:
            thread.join(timeout=max(0.0, limit - time.monotonic()))
        self.ended = time.monotonic()
        return self.ended - self.started

    def progress(self, label: str) -> None:
        """A line every 30 s; its window_* figures are the answers since the last line (all
        steps together), to tell a moment when everything waited from a steady load."""
        stats = self.stats
        window = stats.take_window()
        spread = (
            f"window_p95_ms={percentile(window, 95):.0f} window_max_ms={max(window):.0f}"
            if window
            else "window_p95_ms=- window_max_ms=-"
        )
        out(
            f"{label}_progress t={time.monotonic() - self.started:.0f}s "
            f"journeys={len(stats.journeys)} requests={stats.requests()} "
            f"errors={sum(stats.errors.values())} "
            f"try_again_pages={sum(stats.unavailable.values())} "
            f"window_requests={len(window)} {spread} "
            f"load1={os.getloadavg()[0]:.1f}"
        )


def make_photos() -> list[bytes]:
    return [phone_photo(PHOTO_SIZE, seed, PHOTO_BYTES) for seed in (1, 2, 3)]


def report_steps(label: str, stats: Stats, site: Site) -> list[str]:
    """One line per step; returns the steps whose p95 missed the goal."""
    inside = checks.server_ms(site.access_log)
    missed = []
    for step, n, p50, p95, p99, most in stats.step_lines():
        verdict = "met" if p95 < GOAL_P95_MS else "MISSED"
        if verdict == "MISSED":
            missed.append(step)
        out(
            f"{label}_step step={step} n={n} p50={p50:.0f} p95={p95:.0f} p99={p99:.0f} "
            f"max={most:.0f} server_p95={checks.p95(inside.get(step, []))} "
            f"errors={stats.errors.get(step, 0)} goal_p95<{GOAL_P95_MS} {verdict}"
        )
    return missed


def report_cpu_steps(label: str, site: Site, journeys: int, site_ms: float) -> None:
    """Where the site's CPU goes: per step, the CPU its requests cost the gunicorn worker, most
    costly first, and what that is per journey."""
    used = checks.cpu_ms(site.cpu_log)
    per_journey = {step: sum(values) / max(1, journeys) for step, values in used.items()}
    for step in sorted(used, key=per_journey.get, reverse=True):
        values = used[step]
        out(
            f"{label}_cpu_step step={step} n={len(values)} mean_ms={sum(values) / len(values):.1f} "
            f"p95_ms={checks.p95(values)} per_journey_ms={per_journey[step]:.1f}"
        )
    out(
        f"{label}_cpu_steps per_journey_ms={sum(per_journey.values()):.0f} of site_ms="
        f"{site_ms:.0f} (the rest: gunicorn between requests, workers' start-up, the master)"
    )


def setup_line(label: str, site: Site, migrate_s: float, photos: list[bytes], extra: str) -> None:
    out(
        f"{label}_setup nproc={os.cpu_count()} load1={os.getloadavg()[0]:.1f} {site.db_note} "
        f"{site.cache_note} "
        f"migrate_s={migrate_s:.1f} gunicorn_workers={site.gunicorn_workers} "
        f"task_workers={site.task_workers} db_conn_max_age={site.env['DB_CONN_MAX_AGE']} "
        f"photo={PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} "
        f"photo_bytes={','.join(str(len(p)) for p in photos)} "
        f"{extra} {speed_index()}"
    )


def run() -> int:
    with Site(
        "load", gunicorn_workers=GUNICORN_WORKERS, task_workers=TASK_WORKERS, cron_s=CRON_S
    ) as site:
        migrate_s = site.migrate()
        photos = make_photos()
        site.start()
        setup_line(
            "load",
            site,
            migrate_s,
            photos,
            f"users={USERS} duration_s={DURATION:.0f} think_s={THINK_S} ramp_s={RAMP_S:.0f}",
        )
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        site_before = site.cpu_s()
        crowd = Crowd(
            site,
            users=USERS,
            duration=DURATION,
            think_s=THINK_S,
            ramp_s=RAMP_S,
            photos=photos,
        ).start()
        while crowd.running(30):
            crowd.progress("load")
        elapsed = crowd.wait()
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        site_after = site.cpu_s()
        stats = crowd.stats
        drained = checks.outbox_drained(timeout=180)
        missed = report_steps("load", stats, site)
        journeys = stats.journeys
        errors = sum(stats.errors.values())
        out(
            f"load_result users={USERS} elapsed_s={elapsed:.0f} journeys={len(journeys)} "
            f"journeys_per_min={len(journeys) / elapsed * 60:.1f} requests={stats.requests()} "
            f"req_per_s={stats.requests() / elapsed:.1f} errors={errors} "
            f"statuses={dict(sorted(stats.statuses.items()))} "
            f"steps_missing_goal={','.join(missed) or 'none'} "
            f"verdict={'met' if not errors and not missed else 'MISSED'}"
        )
        if journeys:
            journeys_sorted = sorted(journeys)
            out(
                f"load_journey_s p50={journeys_sorted[len(journeys) // 2]:.0f} "
                f"max={journeys_sorted[-1]:.0f} (wall time of one citizen's whole journey, "
                f"think time included)"
            )
        for sample in stats.error_samples[:10]:
            out(f"load_error {sample}")
        line, problems = checks.complaints(stats.confirmed, photos_each=1)
        out(f"load_check_complaints {line} problems={len(problems)}")
        line_line, line_problems = checks.line_delivery(site.standin.state)
        drained_s = f"{drained:.1f}" if drained is not None else "timeout>180"
        out(
            f"load_check_line drained_s={drained_s} {line_line} unlinked={stats.unlinked} "
            f"link_retries={site.link_errors} problems={len(line_problems)}"
        )
        for problem in (problems + line_problems)[:10]:
            out(f"load_problem {problem}")
        cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("ru_utime", "ru_stime"))
        used = {name: site_after[name] - site_before.get(name, 0.0) for name in site_after}
        per_journey = " ".join(
            f"{name}_ms={1000 * seconds / max(1, len(journeys)):.0f}"
            for name, seconds in used.items()
        )
        out(
            f"load_cpu elapsed_s={elapsed:.0f} "
            + " ".join(f"{name}_s={seconds:.0f}" for name, seconds in used.items())
            + f" harness_s={cpu:.0f} per_journey: {per_journey} "
            f"(CPU seconds; a 2-core machine has {2 * elapsed:.0f} in that time, shared with "
            f"anything else running; harness = the citizens and the LINE stand-in)"
        )
        report_cpu_steps("load", site, len(journeys), 1000 * used["site"] / max(1, len(journeys)))
        out(
            f"load_machine load1={os.getloadavg()[0]:.1f} {speed_index()} "
            f"worker_restarts={site.worker_restarts} cron_runs={len(site.cron_runs)}"
        )
        site.procs.check_alive()
        return 1 if errors or problems or line_problems or drained is None else 0


if __name__ == "__main__":
    sys.exit(run())
