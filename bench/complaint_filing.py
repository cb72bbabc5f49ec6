"""Server time for one whole complaint filing, as a phone makes it, on SQLite and PostgreSQL.

The goal: all requests of one filing with two 1 MB photos take under 400 ms of server time
in total, upload transfer excluded; median over 50 filings. Here the site runs under gunicorn
(2 workers, DEBUG=0, argon2 passwords, database sessions) against a throwaway database; 50
citizens each file one complaint, one after the other, with a plain HTTP client (cookie jar,
CSRF token and wizard fields read from the HTML as a browser would send them):

    GET login, POST login, GET consent, GET a not-a-robot challenge (the tap), POST consent
    (the solved challenge checked and used up), GET step 1, POST step 1, POST step 2, POST
    step 3 (two photos, multipart), POST confirm, GET the receipt page.

Each request is timed on the client (connect to last byte, loopback) and inside gunicorn (the
access log's %(D)s, matched by an X-Bench-Step header). The phone's proof of work is done by
this process between two requests and is not counted: it is the phone's time, not the
server's (bench.altcha_solve measures it in a browser); bench.complaint_settings makes it
small so that it does not slow the run, which leaves the server's share (one key derivation to
check the answer) as in production. Upload
transfer is measured separately: the same multipart body posted to a plain socket reader in this
process. Static files (CSS/JS) are not requested: WhiteNoise or the proxy serves them.

    .venv/bin/python -m bench.complaint_filing     (part of `make bench`)

SQLite always; PostgreSQL at DATABASE_URL when it names PostgreSQL, else BENCH_POSTGRES_URL
(postgresql://ddc:ddc@127.0.0.1:5432/ddc), skipped with a note when it does not answer. Each
database runs in its own child process (Django is set up once per process).
Knobs (environment): BENCH_FILINGS (50), BENCH_GUNICORN_WORKERS (2), BENCH_PHOTO_SIZE
(2592x1944: 5 MP, about 1 MB as a phone saves it), BENCH_PHOTO_BYTES (1000000),
BENCH_WARMUP (2 untimed filings first), DB_CONN_MAX_AGE (the site's own setting, 0).
"""

import http.client
import os
import re
import socket
import sys
import threading
import time

from bench.common import (
    Bench,
    free_port,
    out,
    percentile,
    run_each_database,
)
from bench.phone import (
    ACCESS_LOG_FORMAT,
    FILING_STEPS,
    FilingError,
    Phone,
    attachments,
    file_complaint,
    log_in,
    multipart,
    phone_photo,
)

FILINGS = int(os.environ.get("BENCH_FILINGS", "50"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
PHOTO_SIZE = tuple(int(n) for n in os.environ.get("BENCH_PHOTO_SIZE", "2592x1944").split("x"))
PHOTO_BYTES = int(os.environ.get("BENCH_PHOTO_BYTES", "1000000"))
SETTINGS = "bench.complaint_settings"
GOAL_MS = 400
STEPS = FILING_STEPS
ACCESS_LINE = re.compile(r"^(\d+):(\w+) (\d{3}) (\d+)$")


def file_one(port: int, filing: int, username: str, area: dict, photos: list[bytes]) -> dict:
    """The whole flow for one citizen; returns milliseconds per step."""
    from tests.accounts.factories import DEFAULT_PASSWORD

    phone = Phone(port, filing)
    phone.user_agent = "bench.complaint_filing"
    file_complaint(phone, log_in(phone, username, DEFAULT_PASSWORD), area, photos)
    return phone.times


# --- upload transfer on loopback -----------------------------------------------------------


def _sink(listener: socket.socket) -> None:
    """Reads one HTTP request per connection (headers, then Content-Length bytes), answers 204."""
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            data = bytearray()
            while b"\r\n\r\n" not in data and (chunk := conn.recv(65536)):
                data += chunk
            head, _, body = bytes(data).partition(b"\r\n\r\n")
            left = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1)) - len(body)
            while left > 0 and (chunk := conn.recv(1 << 20)):
                left -= len(chunk)
            conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")


def transfer_ms(photos: list[bytes], tries: int = 20) -> tuple[int, list[float]]:
    """Posting step 3's multipart body to a reader that does nothing with it: the loopback
    share of the upload (a phone on a mobile network needs seconds for the same bytes)."""
    body, content_type = multipart(
        {"csrfmiddlewaretoken": "x" * 64, "evidence-identity": "conceal"},
        attachments(photos),
    )
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    threading.Thread(target=_sink, args=(listener,), daemon=True).start()
    times = []
    try:
        for _ in range(tries):
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/", body=body, headers={"Content-Type": content_type})
            conn.getresponse().read()
            conn.close()
            times.append((time.perf_counter() - started) * 1000)
    finally:
        listener.close()
    return len(body), times


# --- one database ---------------------------------------------------------------------------


def start_site(bench: Bench, port: int) -> None:
    bench.start_gunicorn(
        port,
        workers=GUNICORN_WORKERS,
        access_format=ACCESS_LOG_FORMAT,
        warm_path="/accounts/login/",
    )


def server_times(bench: Bench) -> dict[int, dict[str, float]]:
    """Milliseconds inside gunicorn per filing and step, from the access log."""
    found: dict[int, dict[str, float]] = {}
    for line in (bench.workdir / "access.log").read_text().splitlines():
        match = ACCESS_LINE.match(line.strip())
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = int(match[4]) / 1000
    return found


def make_citizens() -> tuple[list[str], dict[str, str]]:
    """Citizens (timed ones first, then the warm-up ones) and the area every complaint names."""
    from addresses.models import Subdistrict
    from core import province
    from tests.accounts.factories import CitizenFactory

    citizens = [CitizenFactory().user.username for _ in range(FILINGS + WARMUP)]
    # The provincial capital's first subdistrict (its city centre).
    area = (
        Subdistrict.objects.select_related("district")
        .filter(district__province_id=province.code())
        .order_by("code")
        .first()
    )
    return citizens, {
        "details-province": province.code(),
        "details-district": area.district_id,
        "details-subdistrict": area.pk,
    }


def stored(usernames: list[str]) -> str:
    """What the timed filings left: complaints, files on disk, staged uploads not cleaned up."""
    from complaints.models import Complaint, EvidenceFile
    from core.storage import private_storage, wizard_upload_storage

    complaints = Complaint.objects.filter(citizen__username__in=usernames)
    files = EvidenceFile.objects.filter(complaint__in=complaints)
    on_disk = sum(1 for item in files if private_storage.exists(item.file.name))
    try:
        staged_left = len(wizard_upload_storage.listdir("")[1])
    except FileNotFoundError:
        staged_left = 0
    citizens = complaints.values("citizen").distinct().count()
    return (
        f"complaints={complaints.count()} citizens={citizens} files={files.count()} "
        f"files_on_disk={on_disk} images={files.filter(kind='image').count()} "
        f"staged_left={staged_left}"
    )


def figures(values: list[float]) -> str:
    return f"median={percentile(values, 50):.0f} p95={percentile(values, 95):.0f}"


def report(kind: str, client: dict[int, dict], server: dict[int, dict[str, float]], errors: int):
    """Totals per filing (client and gunicorn), then each step's median."""
    totals = [sum(times.values()) for times in client.values()]
    inside = [sum(server.get(i, {}).values()) for i in client]
    n = len(client)
    if not n:
        out(f"filing_ms db={kind} n=0 errors={errors}")
        return
    verdict = "met" if percentile(inside, 50) < GOAL_MS else "MISSED"
    out(
        f"filing_ms db={kind} {figures(totals)} n={n} errors={errors} "
        f"(client wall time, {len(STEPS)} requests, loopback)"
    )
    out(
        f"filing_server_ms db={kind} {figures(inside)} max={max(inside):.0f} n={n} "
        f"goal<{GOAL_MS} {verdict} (inside gunicorn, %(D)s)"
    )
    signed_in = [
        sum(v for k, v in server.get(i, {}).items() if not k.startswith("login")) for i in client
    ]
    out(
        f"filing_server_ms_signed_in db={kind} {figures(signed_in)} n={n} "
        f"(the same without login_get/login_post: a citizen whose session is still open)"
    )
    for label, source in (
        ("client", list(client.values())),
        ("server", [server.get(i, {}) for i in client]),
    ):
        parts = [f"{step}={percentile([t.get(step, 0) for t in source], 50):.1f}" for step in STEPS]
        out(f"filing_steps_median_ms db={kind} {label} " + " ".join(parts))


def run_database() -> None:
    """In a child process: one database, migrated and seeded, then the filings."""
    bench = Bench("filing", standin_port=free_port())
    bench.env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    with bench:
        migrate_s = bench.migrate()
        started = time.monotonic()
        usernames, area = make_citizens()
        seed_s = time.monotonic() - started
        photos = [phone_photo(PHOTO_SIZE, seed, PHOTO_BYTES) for seed in (1, 2)]
        port = free_port()
        start_site(bench, port)
        out(
            f"filing_setup db={bench.db.kind} nproc={os.cpu_count()} "
            f"load1={os.getloadavg()[0]:.1f} migrate_s={migrate_s:.1f} "
            f"citizens_s={seed_s:.1f} gunicorn_workers={GUNICORN_WORKERS} "
            f"photos={PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} "
            f"photo_bytes={','.join(str(len(p)) for p in photos)} warmup={WARMUP} "
            f"db_conn_max_age={os.environ.get('DB_CONN_MAX_AGE', '0')} "
            f"robot_check=real(challenge and check timed; the phone's solving not)"
        )
        for index in range(WARMUP):
            file_one(port, FILINGS + index + 1000, usernames[FILINGS + index], area, photos)
        client, errors, first_error = {}, 0, ""
        for index in range(FILINGS):
            try:
                client[index] = file_one(port, index, usernames[index], area, photos)
            except (FilingError, OSError) as error:
                errors += 1
                first_error = first_error or str(error)
        bench.procs.check_alive()
        report(bench.db.kind, client, server_times(bench), errors)
        if first_error:
            out(f"filing_first_error db={bench.db.kind} {first_error}")
        out(f"filing_load db={bench.db.kind} load1={os.getloadavg()[0]:.1f} (after the filings)")
        size, times = transfer_ms(photos)
        out(
            f"filing_upload_transfer_ms db={bench.db.kind} body_bytes={size} {figures(times)} "
            f"(step 3's body to a plain socket reader on loopback, not part of the goal)"
        )
        out(f"filing_check db={bench.db.kind} {stored(usernames[:FILINGS])}")


# --- both databases -------------------------------------------------------------------------


def run() -> None:
    run_each_database("bench.complaint_filing", ["sqlite", "postgresql"], label="filing_ms")


if __name__ == "__main__":
    if sys.argv[1:] == ["--one-database"]:
        run_database()
    else:
        run()
