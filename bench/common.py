"""What both LINE benchmarks share: a throwaway database, child processes, waiting, figures.

Everything runs on loopback. The benchmark's own process sets up Django against the throwaway
database (to migrate, seed and watch rows) and hosts the LINE stand-in in a thread, so it can
read the stand-in's records directly; the site and the task workers are real child processes,
each in its own process group so that stopping them also stops their children.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://ddc:ddc@127.0.0.1:5432/ddc")
ACCESS_TOKEN = "bench-standin-access-token"
CHANNEL_SECRET = "bench-standin-channel-secret"


def out(line: str) -> None:
    """One figure line, flushed at once so `make bench` shows progress."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct % of values at or below."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def wait_for(check: Callable[[], object], *, timeout: float, interval: float = 0.05):
    """check()'s first truthy answer, or None once timeout seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        answer = check()
        if answer or time.monotonic() >= deadline:
            return answer
        time.sleep(interval)


def postgres_url() -> str:
    """PostgreSQL for a benchmark: DATABASE_URL when it names PostgreSQL, else
    BENCH_POSTGRES_URL (the CI role's database)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme.startswith("postgres") else POSTGRES_URL


def unreachable(url: str) -> str:
    """Why PostgreSQL cannot be used, or "" when it answers."""
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except ImportError as error:
        return str(error)
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return ""


def shown(url: str) -> str:
    """A database address without its password."""
    parts = urlsplit(url)
    return parts._replace(netloc=f"{parts.hostname}:{parts.port or 5432}").geturl()


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _python_work() -> int:
    """Dictionaries, strings and calls: what the site's own CPU is mostly spent on."""
    counts: dict[str, int] = {}
    total = 0
    for number in range(60_000):
        key = f"k{number % 997}"
        counts[key] = counts.get(key, 0) + number
        total += len(key)
    return total


def speed_index() -> str:
    """How fast this machine is at the moment, as two fixed pieces of work (the median of
    several): one Argon2 hash with the site's default parameters (19 MiB, 2 passes; fixed here,
    not read from ARGON2_* settings, so that the index means the same on every day) and a loop
    of plain Python. A shared 2-core machine is 1.5 times slower on some days than on others, so
    figures from different days are compared with these beside them."""
    import statistics

    import argon2

    hasher = argon2.PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)

    def timed(work: Callable[[], object], times: int) -> float:
        spent = []
        for _ in range(times):
            started = time.process_time()
            work()
            spent.append(1000 * (time.process_time() - started))
        return statistics.median(spent)

    return (
        f"speed_argon2_ms={timed(lambda: hasher.hash('correct horse battery'), 15):.1f} "
        f"speed_python_ms={timed(_python_work, 15):.1f}"
    )


def cpu_seconds_by_group() -> dict[int, float]:
    """CPU seconds used so far by the processes of each process group on this machine (a
    child started by Processes leads its own group, gunicorn's workers included)."""
    totals: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = int(fields[2])
        totals[group] = totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def postgres_cpu_seconds() -> float:
    """CPU seconds used so far by the local PostgreSQL server's processes (0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                name, fields = stat.read().split("(", 1)[1].rsplit(")", 1)
        except OSError:
            continue
        if name == "postgres":
            fields = fields.split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run_each_database(module: str, kinds: list[str], *, label: str) -> None:
    """``python -m <module> --one-database`` once per database kind ("sqlite", "postgresql"),
    each in a child process with its own DATABASE_URL; a PostgreSQL that does not answer is
    noted and skipped. Exits 1 when a child failed."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    failed = False
    for kind in kinds:
        url = postgres_url() if kind == "postgresql" else ""
        problem = url and unreachable(url)
        if problem:
            out(f"{label} db={kind} skipped: {shown(url)} not reachable ({problem})")
            continue
        child_env = {**env, "DATABASE_URL": url} if url else env
        done = subprocess.run(
            [PYTHON, "-m", module, "--one-database"], cwd=ROOT, env=child_env, timeout=1800
        )
        failed = failed or done.returncode != 0
    sys.exit(1 if failed else 0)


class BenchDatabase:
    """A database used for one run and then removed.

    SQLite (a temporary file) unless DATABASE_URL names PostgreSQL; then a database named
    <that name>_bench_<pid> is created next to it and dropped at the end, so the real one is
    never touched.
    """

    def __init__(self, workdir: Path):
        self.base_url = os.environ.get("DATABASE_URL", "")
        self.postgres = urlsplit(self.base_url).scheme.startswith("postgres")
        if self.postgres:
            parts = urlsplit(self.base_url)
            self.name = f"{parts.path.lstrip('/') or 'postgres'}_bench_{os.getpid()}"[:63]
            self.url = urlunsplit(parts._replace(path="/" + self.name))
            self.kind = "postgresql"
        else:
            self.name = str(workdir / "bench.sqlite3")
            self.url = f"sqlite:///{self.name}"
            self.kind = "sqlite"

    def _admin(self):
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(self.base_url)
        return psycopg.connect(
            dbname=config["NAME"] or "postgres",
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            autocommit=True,
        )

    def create(self) -> None:
        if self.postgres:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.postgres:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Processes:
    """Child processes with their logs in the work folder; stop_all() ends every group."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.running: dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        with open(self.log(name), "wb") as log:
            proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running[name] = proc
        return proc

    def check_alive(self) -> None:
        for name, proc in self.running.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}):\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        try:
            text = self.log(name).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, name: str) -> None:
        proc = self.running.pop(name, None)
        if proc is None:
            return
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


class Bench:
    """The scaffolding of one benchmark run: work folder, database, Django, child processes.

    Use as a context manager; on the way out every child is stopped, the database dropped and
    the work folder removed (its logs are printed first if the run failed).
    """

    def __init__(self, label: str, *, standin_port: int, db=None):
        self.label = label
        self.workdir = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
        # Any object with BenchDatabase's url, kind, create() and drop() may stand in.
        self.db = db or BenchDatabase(self.workdir)
        self.procs = Processes(self.workdir)
        self.standin_port = standin_port
        self.env = self._env()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINE_")}
        standin = f"http://127.0.0.1:{self.standin_port}"
        env.update(
            DATABASE_URL=self.db.url,
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
            MEDIA_ROOT=str(self.workdir / "media"),
            PRIVATE_MEDIA_ROOT=str(self.workdir / "private_media"),
            LINE_API_HOST=standin,
            LINE_API_DATA_HOST=standin,
            LINE_ACCESS_HOST=standin,
            LINE_STANDIN_PORT=str(self.standin_port),
            LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
            LINE_CHANNEL_SECRET=CHANNEL_SECRET,
            PYTHONUNBUFFERED="1",
        )
        return env

    def __enter__(self):
        self.db.create()
        os.environ.update(self.env)
        import django

        django.setup()
        return self

    def migrate(self) -> float:
        from django.core.management import call_command

        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        return time.monotonic() - started

    def start_gunicorn(
        self,
        port: int,
        *,
        app: str = "cms.wsgi",
        workers: int = 2,
        args: tuple[str, ...] = (),
        access_format: str | None = None,
        env: dict[str, str] | None = None,
        warm_path: str | None = None,
        timeout: float = 300,
    ) -> None:
        """gunicorn serving ``app`` on loopback ``port`` (access log ``access.log`` in the work
        folder when ``access_format`` is given), returned once it answers /healthz/; with
        ``warm_path``, every worker has served that page once too."""
        argv = [PYTHON, "-m", "gunicorn", app, "-w", str(workers), *args]
        argv += ["-b", f"127.0.0.1:{port}"]
        if access_format:
            argv += ["--access-logfile", str(self.workdir / "access.log")]
            argv += ["--access-logformat", access_format]
        self.procs.start("gunicorn", argv, env or self.env)
        if not wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/healthz/"), timeout=timeout):
            self.procs.check_alive()
            raise RuntimeError("gunicorn did not answer /healthz/:\n" + self.procs.tail("gunicorn"))
        if warm_path:
            for _ in range(4 * workers):
                http_ok(f"http://127.0.0.1:{port}{warm_path}")

    def start_workers(self, count: int, *, interval: float, nice: int = 0) -> list[str]:
        """`manage.py db_worker` processes, returned once each has logged that it started;
        ``nice``: at that lower CPU priority (as deploy/systemd/ddc-worker@.service's Nice=)."""
        names = []
        for index in range(count):
            name = f"db_worker{index + 1}"
            argv = ["nice", "-n", str(nice)] if nice else []
            argv += [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            argv += ["--queue-name", "*"]
            argv += ["--interval", str(interval), "--worker-id", f"bench-{index + 1}"]
            self.procs.start(name, argv, self.env)
            names.append(name)
        for name in names:
            started = wait_for(
                lambda name=name: "Starting worker" in self.procs.tail(name, 200), timeout=300
            )
            if not started:
                self.procs.check_alive()
                raise RuntimeError(f"{name} did not start:\n{self.procs.tail(name)}")
        return names

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is not None:
                for name in list(self.procs.running):
                    sys.stderr.write(f"--- {name} log (tail) ---\n{self.procs.tail(name)}\n")
            self.procs.stop_all()
            from django.db import connections

            connections.close_all()
            self.db.drop()
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)
        return False
