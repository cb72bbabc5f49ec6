"""A PostgreSQL database of generated complaints, shared by the officers' benchmarks
(bench.complaint_search, bench.nearby) and kept between runs: generating a million takes a
while, so a database that already holds exactly the number asked for is used as it is.

PostgreSQL at DATABASE_URL when it names PostgreSQL, else BENCH_POSTGRES_URL
(postgresql://ddc:ddc@127.0.0.1:5432/ddc). The database is BENCH_COMPLAINTS_DATABASE
(default ``ddc_bench_complaints_<rows>``), created beside it when missing, migrated, and filled
by ``manage.py dashboard_generate --count <rows>`` when it does not hold exactly that many
generated complaints (a database with another number is dropped and made again). The trigram
indexes are dropped for the load and built afterwards, as one would for a bulk import, and
each step's time is printed. Drop it when done: ``dropdb ddc_bench_complaints_1000000``.

Knobs: BENCH_COMPLAINTS_ROWS (1,000,000), BENCH_COMPLAINTS_DATABASE, BENCH_POSTGRES_URL.
"""

import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.common import ROOT, out

ROWS = int(os.environ.get("BENCH_COMPLAINTS_ROWS", "1000000"))
NAME = os.environ.get("BENCH_COMPLAINTS_DATABASE", f"ddc_bench_complaints_{ROWS}")


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme.startswith("postgres"):
        return url
    return os.environ.get("BENCH_POSTGRES_URL", "postgresql://ddc:ddc@127.0.0.1:5432/ddc")


def with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _connect(url: str, name: str):
    import psycopg

    return psycopg.connect(with_name(url, name), autocommit=True)


def _generated(url: str) -> int | None:
    """How many generated complaints the database holds, with their search copies filled;
    None when it does not exist or is not migrated that far."""
    import psycopg

    try:
        with _connect(url, NAME) as conn:
            row = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE search_text = '') "
                "FROM complaints_complaint WHERE tracking_number LIKE 'BENCH-%%'"
            ).fetchone()
    except psycopg.Error:
        return None
    return row[0] if row[1] == 0 else -1


def reachable() -> str:
    """ "" when PostgreSQL answers, else why not."""
    base = postgres_url()
    try:
        _connect(base, "postgres").close()
    except Exception as problem:  # noqa: BLE001 - any failure to connect means "skip"
        where = f"{urlsplit(base).hostname}:{urlsplit(base).port or 5432}"
        return f"PostgreSQL at {where} not reachable ({problem})"
    return ""


def prepare(prefix: str) -> None:
    """Make the database ready and Django set up on it; prints ``<prefix>_setup`` lines."""
    base = postgres_url()
    have = _generated(base)
    if have is not None and have != ROWS:
        with _connect(base, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        have = None
    if have is None:
        with _connect(base, "postgres") as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [NAME]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{NAME}"')
    os.environ["DATABASE_URL"] = with_name(base, NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("createcachetable", verbosity=0)  # before migrate's signals use it
    call_command("migrate", verbosity=0)
    out(f"{prefix}_setup database={NAME} migrate_s={time.perf_counter() - started:.1f}")
    if have == ROWS:
        out(f"{prefix}_setup generated={ROWS} reused=1")
        return
    _fill(prefix)


def _fill(prefix: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from complaints.search import create_trigram_indexes, drop_trigram_indexes

    drop_trigram_indexes(connection)
    started = time.perf_counter()
    call_command("dashboard_generate", count=ROWS, stdout=open(os.devnull, "w"))
    out(
        f"{prefix}_setup generated={ROWS} generate_s={time.perf_counter() - started:.1f} "
        f"load1={os.getloadavg()[0]:.2f}"
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
    create_trigram_indexes(connection)
    out(f"{prefix}_setup trigram_indexes_s={time.perf_counter() - started:.1f}")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon after a bulk load
    out(f"{prefix}_setup vacuum_analyze_s={time.perf_counter() - started:.1f}")


def server_line(prefix: str) -> None:
    from django.db import connection

    from complaints.models import Complaint

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
    out(
        f"{prefix}_setup complaints={Complaint.objects.count()} load1={os.getloadavg()[0]:.2f} "
        f"cpus={os.cpu_count()} server={version!r} ctype={ctype}"
    )


if __name__ == "__main__":
    problem = reachable()
    if problem:
        out(f"complaints_db skipped: {problem}")
    else:
        prepare("complaints_db")
        server_line("complaints_db")
