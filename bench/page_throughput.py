"""Throughput and latency of the citizen pages, each as a ratio to a bare Django view.

Issue 9: the news list, a news page and the home page as anonymous visitors get them (from the
page cache, core/page_cache.py), and a logged-in citizen's tracking page, side by side in one
run with a view that answers a fixed string through the same middleware on the same server
(bench.urls, which only bench.page_settings uses). The bare view is the most any page could
do on this machine; the ratio says how much of it each page keeps.

The site runs under gunicorn (BENCH_GUNICORN_WORKERS sync workers, DEBUG=0, persistent
database connections as in production: DB_CONN_MAX_AGE=60) against a throwaway database with
the demo data. The load comes from wrk (Debian's package: `apt-get install -y wrk`) with
BENCH_CONNECTIONS connections for BENCH_DURATION seconds per address; without wrk, from a
plain threaded Python client (which competes with gunicorn for the same CPUs: compare ratios,
not absolute figures). Every request of an anonymous visitor comes without cookies (a first
visit: the answer carries a new CSRF cookie); the tracking page carries somchai01's session.

Each round measures every address once, in turn; there are BENCH_ROUNDS rounds (2), each with
its own ratios. Then the site is started again without the page cache and the anonymous pages
are measured once more (BENCH_UNCACHED=0 skips this), to show what the cache brings.

    .venv/bin/python -m bench.page_throughput     (part of `make bench`)

Output lines: `throughput_setup` (CPUs, load, the tool), then per round and address
`throughput` with requests per second, median and p95 in ms, errors, and the ratios to the bare
view of the same round (rps, and median latency). The machine may be shared: look at load1.
Knobs: BENCH_DURATION (10), BENCH_CONNECTIONS (4), BENCH_ROUNDS (2), BENCH_GUNICORN_WORKERS
(2), BENCH_UNCACHED (1), BENCH_PORT (a free port), DATABASE_URL (SQLite unless PostgreSQL).
"""

import http.client
import io
import os
import shutil
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

from bench.common import Bench, free_port, out, percentile

DURATION = float(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
UNCACHED = os.environ.get("BENCH_UNCACHED", "1") != "0"
SETTINGS = "bench.page_settings"
CITIZEN = "somchai01"
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status + e.connect + e.read + e.write
    + e.timeout))
end
"""


def wrk(url: str, headers: dict[str, str], script: str) -> dict:
    argv = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION:g}s", "-s", script]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run(argv + [url], capture_output=True, text=True, timeout=DURATION + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk said:\n{done.stdout}\n{done.stderr}")
    requests, duration_us, p50_us, p95_us, errors = (int(n) for n in line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50": p50_us / 1000,
        "p95": p95_us / 1000,
        "errors": errors,
        "requests": requests,
    }


def python_client(url: str, headers: dict[str, str]) -> dict:
    """Without wrk: CONNECTIONS threads, each one request after another for DURATION s."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + DURATION
    lock = threading.Lock()

    def loop():
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    raise OSError(response.status)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=loop) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) if latencies else 0,
        "p95": percentile(latencies, 95) if latencies else 0,
        "errors": errors[0],
        "requests": len(latencies),
    }


def targets(origin: str) -> list[tuple[str, str, dict[str, str]]]:
    """(name, URL, headers): the bare view first, the yardstick of each round."""
    from django.test import Client

    from accounts.backends import ACCOUNT_BACKEND
    from accounts.models import User
    from complaints.models import Complaint
    from news.models import NewsPage

    news = NewsPage.objects.live().order_by("-date").first()
    citizen = User.objects.get(username=CITIZEN)
    complaint = Complaint.objects.filter(citizen=citizen).order_by("-pk").first()
    client = Client()
    client.force_login(citizen, backend=ACCOUNT_BACKEND)
    session = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    return [
        ("bare view", f"{origin}/bench/bare/", {}),
        ("home (anonymous)", f"{origin}/", {}),
        ("news index (anonymous)", f"{origin}/news/", {}),
        ("news page (anonymous)", f"{origin}{urlsplit(news.url).path}", {}),
        ("tracking page (somchai01)", f"{origin}/complaints/{complaint.tracking_number}/", session),
    ]


def check(url: str, headers: dict[str, str]) -> str:
    """One request: 200, and for an anonymous page whether it came from the cache."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}")
    return f"{response.getheader('X-Page-Cache') or '-'} {len(body)}B"


def start_site(bench: Bench, port: int, *, page_cache: bool) -> None:
    bench.procs.stop("gunicorn")
    env = {**bench.env, "BENCH_PAGE_CACHE": "1" if page_cache else "0"}
    bench.start_gunicorn(port, workers=WORKERS, env=env)


def measure(label: str, chosen: list, load) -> None:
    """Each address once, in turn; ratios to the bare view of this round."""
    results = {}
    for name, url, headers in chosen:
        for _ in range(2 * WORKERS):  # every worker has rendered (and cached) it once
            check(url, headers)
        served = check(url, headers)
        results[name] = {**load(url, headers), "served": served}
    bare = results["bare view"]
    for name, found in results.items():
        out(
            f"throughput {label} page={name!r} rps={found['rps']:.0f} "
            f"median_ms={found['p50']:.1f} p95_ms={found['p95']:.1f} "
            f"rps_ratio={found['rps'] / bare['rps']:.2f} "
            f"median_ratio={found['p50'] / bare['p50']:.2f} requests={found['requests']} "
            f"errors={found['errors']} cache/bytes={found['served']} "
            f"load1={os.getloadavg()[0]:.1f}"
        )


def run() -> None:
    port = int(os.environ.get("BENCH_PORT") or free_port())
    bench = Bench("throughput", standin_port=free_port())
    bench.env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        BENCH_STATIC_ROOT=str(bench.workdir / "static"),
        DB_CONN_MAX_AGE=os.environ.get("DB_CONN_MAX_AGE", "60"),
    )
    script = bench.workdir / "report.lua"
    script.write_text(WRK_REPORT)
    tool = "wrk" if shutil.which("wrk") else "python"
    if tool == "wrk":

        def load(url, headers):
            return wrk(url, headers, str(script))
    else:
        load = python_client
    with bench:
        from django.core.management import call_command

        started = time.monotonic()
        bench.migrate()
        call_command("load_demo_data", allow_production=True, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0)
        prepare_s = time.monotonic() - started
        start_site(bench, port, page_cache=True)
        origin = f"http://127.0.0.1:{port}"
        chosen = targets(origin)
        out(
            f"throughput_setup db={bench.db.kind} nproc={os.cpu_count()} "
            f"load1={os.getloadavg()[0]:.1f} prepare_s={prepare_s:.1f} tool={tool} "
            f"connections={CONNECTIONS} duration_s={DURATION:g} gunicorn_workers={WORKERS} "
            f"db_conn_max_age={bench.env['DB_CONN_MAX_AGE']} "
            f"page_cache={'redis' if bench.env.get('REDIS_URL') else 'database'}"
            + ("" if tool == "wrk" else " (no wrk: apt-get install -y wrk)")
        )
        for number in range(1, ROUNDS + 1):
            measure(f"round={number} page_cache=on", chosen, load)
        if UNCACHED:
            start_site(bench, port, page_cache=False)
            anonymous = [target for target in chosen if "anonymous" in target[0]]
            measure("round=1 page_cache=off", [chosen[0], *anonymous], load)
        bench.procs.check_alive()


if __name__ == "__main__":
    sys.exit(run())
