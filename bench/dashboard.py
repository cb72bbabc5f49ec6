"""How fast the executive dashboard answers over many complaints, on PostgreSQL.

Creates a database ``ddc_dashboard_bench_<pid>`` with the bench role (BENCH_POSTGRES_URL,
postgresql://ddc:ddc@127.0.0.1:5432/ddc, needs CREATEDB), migrates it, fills it with
``manage.py dashboard_generate --count BENCH_DASHBOARD_COUNT`` (1,000,000), then times
GET /dashboard/ as an executive in-process (query + rendering, no HTTP), median of
BENCH_DASHBOARD_RUNS (20) after one warm-up, for the default view (current fiscal year) and a
filtered one (one district, one category, a previous fiscal year). Prints the EXPLAIN ANALYZE
of the slowest query of the default view, then drops the database.

    .venv/bin/python -m bench.dashboard
"""

import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, out

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://ddc:ddc@127.0.0.1:5432/ddc")
COUNT = int(os.environ.get("BENCH_DASHBOARD_COUNT", "1000000"))
RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "20"))


def admin_connection():
    import psycopg

    return psycopg.connect(POSTGRES_URL, autocommit=True)


def database_url(name: str) -> str:
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def timed(client, url: str, params: dict) -> list[float]:
    client.get(url, params)  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def run() -> None:
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    out(f"dashboard_setup migrate_s={time.perf_counter() - started:.1f}")
    started = time.perf_counter()
    call_command("dashboard_generate", count=COUNT, stdout=open(os.devnull, "w"))  # noqa: SIM115
    out(f"dashboard_generate count={COUNT} seconds={time.perf_counter() - started:.1f}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from complaints.models import ComplaintCategory
    from dashboard.periods import fiscal_year_of

    executive = User.objects.create(username="bench-executive")
    executive.groups.add(Group.objects.get(name=Role.EXECUTIVE.group_name))
    client = Client(HTTP_HOST="localhost")
    client.force_login(executive)
    views = {
        "default": {},
        "filtered": {
            "fiscal_year": fiscal_year_of() - 1,
            "district": "6001",
            "category": ComplaintCategory.objects.order_by("pk").first().pk,
        },
    }
    for name, params in views.items():
        times = timed(client, "/dashboard/", params)
        out(
            f"dashboard_ms view={name} median={statistics.median(times):.1f} "
            f"min={min(times):.1f} max={max(times):.1f} runs={RUNS}"
        )
    with CaptureQueriesContext(connection) as captured:
        client.get("/dashboard/")
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    out(f"dashboard_queries count={len(captured.captured_queries)} slowest_s={slowest['time']}")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        out(slowest["sql"])
        for (line,) in cursor.fetchall():
            out(line)


def main() -> None:
    name = f"ddc_dashboard_bench_{os.getpid()}"
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = database_url(name)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
        os.environ["DEBUG"] = "0"
        sys.path.insert(0, str(ROOT))
        run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
