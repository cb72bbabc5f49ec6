"""How fast the executive dashboard answers over many complaints, on PostgreSQL.

The goal: with 1,000,000 complaints, the server time of the default view and of a
filtered view under 200 ms each, median of 20. That run is a manual knob
(``BENCH_DASHBOARD_ROWS=1000000``, about five minutes to generate here); ``make bench`` uses the
CI-sized default.

PostgreSQL at DATABASE_URL when it names PostgreSQL, else BENCH_POSTGRES_URL
(postgresql://ddc:ddc@127.0.0.1:5432/ddc); skipped with a note when it does not answer. A
database ``<name>_dashboard_bench_<pid>`` is created beside it, migrated, filled with
``manage.py dashboard_generate --count BENCH_DASHBOARD_ROWS`` and dropped at the end. With
BENCH_DASHBOARD_DATABASE=<name> that database is used instead and kept: filled only when it
does not hold exactly BENCH_DASHBOARD_ROWS generated complaints, so repeated 1M runs skip the
generation (drop it yourself when done).

Timed: GET /dashboard/ as an executive, in-process (middleware, queries and rendering; no
HTTP), BENCH_DASHBOARD_RUNS (20) times after one warm-up, for
- ``default``: the current fiscal year, nothing else chosen;
- ``filtered``: the previous fiscal year, one district (the capital's, เมือง…), one category;
- ``full_year``: the previous fiscal year unfiltered, the largest period on the form's
  default choices (a whole year of complaints; not part of the goal, shown for scale).
Each view is timed again for ``dashboard_cpu_ms``: CPU per request of the benchmark's process
and of its PostgreSQL backend (from /proc; parallel query off for that pass, so the backend
does all of the work), which is what the server time comes to on an idle machine; on a loaded
one (see ``load1``) the wall-clock median is larger. Then the EXPLAIN (ANALYZE, BUFFERS) of the
slowest query of the slowest goal view.

Knobs: BENCH_DASHBOARD_ROWS (20000), BENCH_DASHBOARD_RUNS (20), BENCH_DASHBOARD_DATABASE,
BENCH_POSTGRES_URL.

    BENCH_DASHBOARD_ROWS=1000000 .venv/bin/python -m bench.dashboard
"""

import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, out

ROWS = int(os.environ.get("BENCH_DASHBOARD_ROWS", "20000"))
RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "20"))
KEPT = os.environ.get("BENCH_DASHBOARD_DATABASE", "")
GOAL_MS = 200


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme.startswith("postgres"):
        return url
    return os.environ.get("BENCH_POSTGRES_URL", "postgresql://ddc:ddc@127.0.0.1:5432/ddc")


def admin_connection(url: str):
    """To the server's maintenance database: the one named in ``url`` may not exist yet."""
    import psycopg

    return psycopg.connect(with_name(url, "postgres"), autocommit=True)


def with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def timed(client, url: str, params: dict) -> list[float]:
    client.get(url, params)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def backend_cpu_s(pid: int) -> float | None:
    """CPU seconds the database backend ``pid`` has used (a local server only)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_ms(client, url: str, params: dict) -> str:
    """CPU per request of this process and its database backend, parallel query off so the
    backend does all the work: roughly the server time on an otherwise idle machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    client.get(url, params)
    python, backend = time.process_time(), backend_cpu_s(pid)
    for _ in range(RUNS):
        client.get(url, params)
    python = (time.process_time() - python) * 1000 / RUNS
    with connection.cursor() as cursor:
        cursor.execute("RESET max_parallel_workers_per_gather")
    if backend is None:
        return f"python={python:.1f}"
    backend = (backend_cpu_s(pid) - backend) * 1000 / RUNS
    return f"python={python:.1f} database={backend:.1f} total={python + backend:.1f}"


def fill() -> None:
    from django.core.management import call_command
    from django.db import connection

    from complaints.models import Complaint

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    out(f"dashboard_setup migrate_s={time.perf_counter() - started:.1f}")
    have = Complaint.objects.filter(tracking_number__startswith="BENCH-").count()
    if have == ROWS:
        out(f"dashboard_generate count={ROWS} reused=1")
        return
    if have:
        Complaint.objects.filter(tracking_number__startswith="BENCH-").delete()
    started = time.perf_counter()
    call_command("dashboard_generate", count=ROWS, stdout=open(os.devnull, "w"))
    out(f"dashboard_generate count={ROWS} seconds={time.perf_counter() - started:.1f}")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon after a bulk load
    out(f"dashboard_setup vacuum_analyze_s={time.perf_counter() - started:.1f}")


def views() -> dict[str, dict]:
    from complaints.models import ComplaintCategory
    from core import province
    from dashboard.periods import fiscal_year_of

    previous = fiscal_year_of() - 1
    return {
        "default": {},
        "filtered": {
            "fiscal_year": previous,
            "district": f"{province.code()}01",
            "category": ComplaintCategory.objects.order_by("pk").first().pk,
        },
        "full_year": {"fiscal_year": previous},
    }


def run() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import Role
    from complaints.models import Complaint

    fill()
    executive, _ = User.objects.get_or_create(username="bench-executive")
    executive.groups.add(Group.objects.get(name=Role.EXECUTIVE.group_name))
    client = Client(HTTP_HOST="localhost")
    client.force_login(executive)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    out(
        f"dashboard_setup complaints={Complaint.objects.count()} "
        f"load1={os.getloadavg()[0]:.2f} cpus={os.cpu_count()} server={version!r}"
    )
    medians = {}
    for name, params in views().items():
        times = timed(client, "/dashboard/", params)
        medians[name] = statistics.median(times)
        verdict = ""
        if name != "full_year" and ROWS >= 1_000_000:  # the goal is set for a million
            verdict = f" goal_ms={GOAL_MS} met={'yes' if medians[name] < GOAL_MS else 'NO'}"
        with CaptureQueriesContext(connection) as captured:
            client.get("/dashboard/", params)
        out(
            f"dashboard_ms view={name} median={medians[name]:.1f} min={min(times):.1f} "
            f"max={max(times):.1f} runs={RUNS} queries={len(captured.captured_queries)}{verdict}"
        )
        out(f"dashboard_cpu_ms view={name} {cpu_ms(client, '/dashboard/', params)}")
    slowest_view = max(("default", "filtered"), key=medians.get)
    with CaptureQueriesContext(connection) as captured:
        client.get("/dashboard/", views()[slowest_view])
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    out(f"dashboard_slowest_query view={slowest_view} seconds={slowest['time']}")
    out(slowest["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (line,) in cursor.fetchall():
            out(line)


def main() -> None:
    base = postgres_url()
    try:
        admin_connection(base).close()
    except Exception as problem:  # noqa: BLE001 - any failure to connect means "skip"
        where = f"{urlsplit(base).hostname}:{urlsplit(base).port or 5432}"
        out(f"dashboard_ms skipped: PostgreSQL at {where} not reachable ({problem})")
        return
    stem = urlsplit(base).path.lstrip("/") or "postgres"
    name = KEPT or f"{stem}_dashboard_bench_{os.getpid()}"[:63]
    with admin_connection(base) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = with_name(base, name)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
        os.environ["DEBUG"] = "0"
        sys.path.insert(0, str(ROOT))
        run()
    finally:
        from django.db import connections

        connections.close_all()
        if not KEPT:
            with admin_connection(base) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
