"""How fast officers find cases among a million complaints, on PostgreSQL.

The goal: p95 under 200 ms for a two-word Thai query and for a partial phone number,
over 1,000,000 complaints (``bench.complaints_db``: generated once by ``dashboard_generate``
and kept; the first run takes a while and prints how long).

Timed, for each kind, BENCH_SEARCH_QUERIES (40) different queries, each BENCH_SEARCH_RUNS (3)
times after one untimed pass over all of them:
- ``two_words``: a problem word and a place word drawn from the generator's vocabulary
  (e.g. "ไฟฟ้า หนองบัว"), as an officer types them;
- ``phone``: six digits from the middle of a real complainant's number (e.g. "812345").
Two figures per query: ``search_ms``, the search itself (complaints.search.search over what a
supervisor may see, and loading the first page of 50 cases), and ``page_ms``, the whole list
page GET /admin/complaints/complaint/?q=… as a supervisor, in-process (middleware, every query
of the page, rendering; no HTTP). Both with the load average of the shared machine; then
``cpu_ms`` (this process and its PostgreSQL backend, parallel query off) for the page, which
is what it costs on an idle machine. Finally EXPLAIN (ANALYZE, BUFFERS) of the search's
queries for the slowest query of each kind.

Knobs: BENCH_SEARCH_QUERIES, BENCH_SEARCH_RUNS, and those of bench.complaints_db.

    .venv/bin/python -m bench.complaint_search
"""

import os
import random
import time

from bench import complaints_db
from bench.common import out, percentile

QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "40"))
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "3"))
GOAL_MS = 200
PROBLEM_WORDS = (
    "ไฟฟ้า",
    "ถนน",
    "น้ำประปา",
    "ขยะ",
    "หลุม",
    "ท่อ",
    "เสียงดัง",
    "กลิ่นเหม็น",
    "ที่ดิน",
    "หนี้",
    "สุนัข",
    "น้ำเสีย",
    "ฝุ่น",
    "ดอกเบี้ย",
    "ทรุด",
    "ดับ",
)


def two_word_queries(rng) -> list[str]:
    from dashboard import bench_texts

    places = [v.removeprefix("บ้าน") for v in bench_texts.VILLAGES] + [
        p.removeprefix("ถนน") for p in bench_texts.ROADS
    ]
    return [f"{rng.choice(PROBLEM_WORDS)} {rng.choice(places)}" for _ in range(QUERIES)]


def phone_queries(rng) -> list[str]:
    from complaints.models import Complaint

    top = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first()
    picks = [rng.randint(1, top) for _ in range(QUERIES * 3)]
    phones = list(
        Complaint.objects.filter(pk__in=picks).values_list("complainant_phone", flat=True)[:QUERIES]
    )
    return [phone[3:9] for phone in phones]  # +66812345678 -> "812345", as officers type it


def _time(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(kind: str, queries: list[str], officer, client) -> dict:
    from complaints import search
    from complaints.admin_views import visible_complaints

    def run_search(term):
        found = search.search(visible_complaints(officer), term, viewer=officer)
        list(found[:50])
        return found

    def run_page(term):
        response = client.get("/admin/complaints/complaint/", {"q": term})
        assert response.status_code in (200, 302), response.status_code

    matches = []
    for term in queries:  # untimed pass: caches warm, as on a server in use
        found = run_search(term)
        matches.append(found.count())
        run_page(term)
    search_times, page_times, per_query = [], [], {}
    for _ in range(RUNS):
        for term in queries:
            search_times.append(_time(lambda term=term: run_search(term)))
            page_times.append(_time(lambda term=term: run_page(term)))
            per_query[term] = max(per_query.get(term, 0), search_times[-1])
    load = os.getloadavg()[0]
    capped = sum(1 for m in matches if m >= search.CANDIDATES)
    out(
        f"search_matches kind={kind} queries={len(queries)} "
        f"median={sorted(matches)[len(matches) // 2]} max={max(matches)} at_limit={capped} "
        f"examples={queries[:3]!r}"
    )
    for name, times in (("search_ms", search_times), ("page_ms", page_times)):
        p95 = percentile(times, 95)
        out(
            f"{name} kind={kind} p50={percentile(times, 50):.1f} p95={p95:.1f} "
            f"max={max(times):.1f} n={len(times)} load1={load:.2f} goal_ms={GOAL_MS} "
            f"met={'yes' if p95 < GOAL_MS else 'NO'}"
        )
    slowest = max(per_query, key=per_query.get)
    return {"slowest": slowest, "run_search": run_search}


def page_cpu(queries: list[str], client) -> str:
    from django.db import connection

    from bench.dashboard import backend_cpu_s

    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    python, backend = time.process_time(), backend_cpu_s(pid)
    for term in queries:
        client.get("/admin/complaints/complaint/", {"q": term})
    python = (time.process_time() - python) * 1000 / len(queries)
    with connection.cursor() as cursor:
        cursor.execute("RESET max_parallel_workers_per_gather")
    if backend is None:
        return f"python={python:.1f}"
    backend = (backend_cpu_s(pid) - backend) * 1000 / len(queries)
    return f"python={python:.1f} database={backend:.1f} total={python + backend:.1f}"


def explain(kind: str, term: str, run_search) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_search(term)
    out(f"search_plan kind={kind} query={term!r} statements={len(captured.captured_queries)}")
    for query in captured.captured_queries:
        if "complaints_complaint" not in query["sql"]:
            continue
        out(f"-- {query['time']} s: {query['sql'][:600]}")
        if query["sql"].lstrip().upper().startswith("EXPLAIN"):
            continue  # the search's own row estimate (recent months first when many match)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (line,) in cursor.fetchall():
                out(line)


def run() -> None:
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.models import User
    from accounts.roles import Role

    complaints_db.server_line("search")
    officer, _ = User.objects.get_or_create(username="bench-supervisor")
    officer.groups.add(Group.objects.get(name=Role.SUPERVISOR.group_name))
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    rng = random.Random(18)
    kinds = {"two_words": two_word_queries(rng), "phone": phone_queries(rng)}
    results = {kind: measure(kind, queries, officer, client) for kind, queries in kinds.items()}
    for kind, queries in kinds.items():
        out(f"search_cpu_ms kind={kind} page {page_cpu(queries, client)}")
    for kind, result in results.items():
        explain(kind, result["slowest"], result["run_search"])


def main() -> None:
    problem = complaints_db.reachable()
    if problem:
        out(f"search_ms skipped: {problem}")
        return
    complaints_db.prepare("search")
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
