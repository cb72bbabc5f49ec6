"""How fast the nearby lookup answers among a million complaints, on PostgreSQL.

The goal: under 50 ms p95 at 1,000,000 complaints (``bench.complaints_db``), with an
index on the position and no full scan. Timed, BENCH_NEARBY_RUNS (3) times after one untimed
pass, over BENCH_NEARBY_POINTS (200) places where complaints were filed (a real position of
the generated data, so the dense city and its hotspots are in, each with a random category):
- ``hint_ms``: what step ๒ of filing shows (complaints.nearby.filing_hint: open cases of the
  category within 200 m in the last 60 days, with how many people reported each);
- ``hint_subdistrict_ms``: the same without a position, by the point's subdistrict;
- ``duplicates_ms``: the officer's "likely duplicates" of the case at that point (both ways in,
  and the text similarity of the candidates).
With the load average of the shared machine, then EXPLAIN (ANALYZE, BUFFERS) of the position
query at the busiest point.

Knobs: BENCH_NEARBY_POINTS, BENCH_NEARBY_RUNS, and those of bench.complaints_db.

    .venv/bin/python -m bench.nearby
"""

import os
import random
import time

from bench import complaints_db
from bench.common import out, percentile

POINTS = int(os.environ.get("BENCH_NEARBY_POINTS", "200"))
RUNS = int(os.environ.get("BENCH_NEARBY_RUNS", "3"))
GOAL_MS = 50


def points(rng) -> list:
    from complaints.models import Complaint, ComplaintCategory

    top = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first()
    picks = [rng.randint(1, top) for _ in range(POINTS * 4)]
    cases = list(
        Complaint.objects.filter(pk__in=picks, latitude__isnull=False).select_related("category")[
            :POINTS
        ]
    )
    categories = list(ComplaintCategory.objects.filter(name__in=_bench_categories()))
    return [(case, rng.choice(categories)) for case in cases]


def _bench_categories():
    from dashboard.management.commands.dashboard_generate import CATEGORIES

    return CATEGORIES


def timed(fn, items) -> tuple[list[float], list[int]]:
    for item in items:  # untimed pass
        fn(item)
    times, sizes = [], []
    for _ in range(RUNS):
        for item in items:
            started = time.perf_counter()
            found = fn(item)
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(len(found))
    return times, sizes


def report(name: str, times: list[float], sizes: list[int], *, goal: bool = True) -> None:
    p95 = percentile(times, 95)
    verdict = f" goal_ms={GOAL_MS} met={'yes' if p95 < GOAL_MS else 'NO'}" if goal else ""
    out(
        f"{name} p50={percentile(times, 50):.1f} p95={p95:.1f} max={max(times):.1f} "
        f"n={len(times)} found_median={sorted(sizes)[len(sizes) // 2]} found_max={max(sizes)} "
        f"load1={os.getloadavg()[0]:.2f}{verdict}"
    )


def run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from complaints import nearby
    from complaints.models import Complaint

    complaints_db.server_line("nearby")
    citizen = User.objects.get(username="bench-citizen")
    sample = points(random.Random(18))

    def hint(item):
        case, category = item
        return nearby.filing_hint(
            citizen=citizen,
            category=category,
            latitude=float(case.latitude),
            longitude=float(case.longitude),
        )

    def hint_subdistrict(item):
        case, category = item
        return nearby.filing_hint(
            citizen=citizen, category=category, subdistrict=case.target_subdistrict_id
        )

    def duplicates(item):
        case, _category = item
        return nearby.likely_duplicates(case, visible=Complaint.objects.all())

    report("hint_ms", *timed(hint, sample))
    report("hint_subdistrict_ms", *timed(hint_subdistrict, sample), goal=False)
    report("duplicates_ms", *timed(duplicates, sample), goal=False)

    busiest = max(sample, key=lambda item: len(hint(item)))
    with CaptureQueriesContext(connection) as captured:
        hint(busiest)
    case, category = busiest
    out(
        f"nearby_plan point=({case.latitude},{case.longitude}) category={category.name!r} "
        f"found={len(hint(busiest))} statements={len(captured.captured_queries)}"
    )
    for query in captured.captured_queries:
        if "latitude" not in query["sql"]:
            continue
        out(f"-- {query['time']} s: {query['sql'][:700]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            for (line,) in cursor.fetchall():
                out(line)


def main() -> None:
    problem = complaints_db.reachable()
    if problem:
        out(f"nearby_ms skipped: {problem}")
        return
    complaints_db.prepare("nearby")
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    main()
