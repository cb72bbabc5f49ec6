"""The site under load: a PostgreSQL cluster of its own, gunicorn, task workers kept running by a
supervisor, cron's outbox flush, and the LINE stand-in in this process (so its records can be
read directly).

Everything listens on 127.0.0.1. The cluster is created with ``pg_createcluster`` on a port of
its own (so restarting it never disturbs the machine's main cluster) and dropped at the end.
Without root or the Debian PostgreSQL tools, a throwaway database beside DATABASE_URL (else
BENCH_POSTGRES_URL) is used instead, and nothing restarts it.
"""

import os
import queue
import runpy
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import (
    ACCESS_TOKEN,
    CHANNEL_SECRET,
    PYTHON,
    ROOT,
    Bench,
    BenchDatabase,
    free_port,
    http_ok,
    wait_for,
)
from bench.phone import ACCESS_LOG_FORMAT

SETTINGS = "bench.complaint_settings"  # development settings, DEBUG=0, small proof of work
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://ddc:ddc@127.0.0.1:5432/ddc")
_taken: set[int] = set()


def port() -> int:
    """A free loopback port: the first free one of LOADTEST_PORTS ("21000-21999") when set."""
    span = os.environ.get("LOADTEST_PORTS", "")
    if not span:
        return free_port()
    low, high = (int(n) for n in span.split("-"))
    for candidate in range(low, high + 1):
        if candidate in _taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        _taken.add(candidate)
        return candidate
    raise RuntimeError(f"no free port in LOADTEST_PORTS={span}")


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    usage: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        usage[int(entry.name)] = sum(int(n) for n in fields[11:15])  # with reaped children
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += usage.get(current, 0)
        todo += children.get(current, [])
    return total / ticks


def run_quiet(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{shlex.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


class Cluster:
    """A PostgreSQL cluster used for one run, with BenchDatabase's interface."""

    kind = "postgresql"

    def __init__(self, port: int):
        self.version = sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]
        self.cluster = f"loadtest{os.getpid()}"
        self.port = port
        self.name = "loadtest"
        self.url = f"postgres://loadtest:loadtest@127.0.0.1:{port}/loadtest"

    @staticmethod
    def unavailable() -> str:
        """Why a cluster of our own cannot be made here, or ""."""
        if not shutil.which("pg_createcluster") or not Path("/usr/lib/postgresql").is_dir():
            return "no pg_createcluster (Debian's postgresql package)"
        if os.geteuid() != 0:
            return "pg_createcluster needs root"
        return ""

    def as_postgres(self, *argv: str) -> str:
        return run_quiet(["su", "postgres", "-c", shlex.join(argv)])

    def create(self) -> None:
        try:
            run_quiet(
                ["pg_createcluster", self.version, self.cluster, "-p", str(self.port), "--start"]
                + ["-o", "max_connections=200"]  # listens on localhost only, the default
            )
            role = "CREATE ROLE loadtest LOGIN PASSWORD 'loadtest'"
            self.as_postgres("psql", "-p", str(self.port), "-qc", role)
            self.as_postgres("createdb", "-p", str(self.port), "-O", "loadtest", "loadtest")
        except BaseException:
            self.drop()
            raise

    def postmaster_pid(self) -> int | None:
        try:
            pid_file = Path(f"/var/lib/postgresql/{self.version}/{self.cluster}/postmaster.pid")
            return int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def restart(self) -> float:
        """pg_ctlcluster restart (fast shutdown: open connections are cut); seconds taken."""
        started = time.monotonic()
        self.as_postgres("pg_ctlcluster", self.version, self.cluster, "restart")
        return time.monotonic() - started

    def drop(self) -> None:
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.cluster],
            capture_output=True,
            timeout=120,
        )


def database(workdir_hint: str = "") -> tuple[object, str]:
    """The database for this run and a note on where it is."""
    problem = Cluster.unavailable()
    if not problem:
        cluster = Cluster(port())
        return cluster, f"cluster={cluster.version}/{cluster.cluster}:{cluster.port}"
    base = os.environ.get("DATABASE_URL", "")
    if not urlsplit(base).scheme.startswith("postgres"):
        os.environ["DATABASE_URL"] = POSTGRES_URL
    db = BenchDatabase(Path(workdir_hint or "/tmp"))
    return db, f"database={db.name} (no cluster of its own: {problem}; no restart test)"


class Site(Bench):
    """Bench's scaffolding plus the stand-in, gunicorn, supervised workers, cron and LINE links.

    Use as a context manager, like Bench.
    """

    def __init__(self, label: str, *, gunicorn_workers: int, task_workers: int, cron_s: float):
        from line_integration.standin import start_standin, state

        state.MAX_LOGGED_REQUESTS = 10**6  # the checks read every request of the run
        self.standin = start_standin(
            port=port(), access_token=ACCESS_TOKEN, channel_secret=CHANNEL_SECRET
        )
        db, self.db_note = database()
        super().__init__(label, standin_port=self.standin.port, db=db)
        self.env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            DB_CONN_MAX_AGE=os.environ.get("DB_CONN_MAX_AGE", "60"),  # as in production
        )
        # The shared cache production has (README, "More than one machine"): sessions, Wagtail's
        # routing and the page cache in Redis, when redis-server is installed.
        wanted = os.environ.get("LOADTEST_REDIS", "1") != "0"
        self.redis_port = port() if wanted and shutil.which("redis-server") else None
        if self.redis_port:
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        self.cache_note = f"redis=127.0.0.1:{self.redis_port}" if self.redis_port else "redis=none"
        self.port = port()
        self.gunicorn_workers = gunicorn_workers
        self.task_workers = task_workers
        self.cron_s = cron_s
        self.worker_restarts = 0
        self.cron_runs: list[str] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.links: queue.Queue = queue.Queue()
        self.link_errors = 0

    # --- starting --------------------------------------------------------------------------

    def _start_redis(self) -> None:
        argv = ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        self.procs.start("redis", argv, self.env)

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    return conn.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        if not wait_for(answers, timeout=30):
            raise RuntimeError("redis-server did not answer:\n" + self.procs.tail("redis"))

    def __enter__(self):
        try:
            if self.redis_port:
                self._start_redis()
            return super().__enter__()
        except BaseException:  # __exit__ will not run: undo what there is
            self.procs.stop_all()
            self.db.drop()
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.standin.stop()
            raise

    def __exit__(self, exc_type, exc, tb):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        keep = os.environ.get("LOADTEST_LOGS")  # a folder to keep the logs in
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            for log in self.workdir.glob("*.log"):
                shutil.copy(log, Path(keep) / f"{self.label}-{log.name}")
        try:
            return super().__exit__(exc_type, exc, tb)
        finally:
            self.standin.stop()

    def start(self) -> None:
        """gunicorn, the task workers, their supervisor, cron and the LINE linker."""
        argv = [PYTHON, "-m", "gunicorn", "cms.wsgi", "-w", str(self.gunicorn_workers)]
        argv += ["-c", str(ROOT / "loadtest" / "gunicorn_hooks.py")]  # CPU per step
        argv += ["-b", f"127.0.0.1:{self.port}", "--backlog", "2048", "--timeout", "120"]
        argv += ["--access-logfile", str(self.access_log)]
        argv += ["--access-logformat", ACCESS_LOG_FORMAT]
        deployed = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))  # workers recycled
        argv += ["--max-requests", str(deployed["max_requests"])]
        argv += ["--max-requests-jitter", str(deployed["max_requests_jitter"])]
        self.procs.start("gunicorn", argv, {**self.env, "LOADTEST_CPU_LOG": str(self.cpu_log)})
        # Generous: on a busy shared machine each worker takes a minute or more to import.
        if not wait_for(lambda: http_ok(f"http://127.0.0.1:{self.port}/healthz/"), timeout=300):
            self.procs.check_alive()
            raise RuntimeError("gunicorn did not answer /healthz/:\n" + self.procs.tail("gunicorn"))
        for _ in range(4 * self.gunicorn_workers):
            http_ok(f"http://127.0.0.1:{self.port}/accounts/login/")
        self.start_workers(self.task_workers, interval=0.5)
        for target in (self._supervise, self._cron, self._link_accounts):
            thread = threading.Thread(target=target, name=target.__name__, daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def access_log(self) -> Path:
        return self.workdir / "access.log"

    @property
    def cpu_log(self) -> Path:
        """What each request cost its gunicorn worker in CPU (loadtest/gunicorn_hooks.py)."""
        return self.workdir / "cpu.log"

    def worker_names(self) -> list[str]:
        return [f"db_worker{i + 1}" for i in range(self.task_workers)]

    def _worker_argv(self, name: str) -> list[str]:
        argv = [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        return argv + ["--queue-name", "*", "--interval", "0.5", "--worker-id", f"load-{name}"]

    def _supervise(self) -> None:
        """What systemd's Restart=always does for the task workers: start again what exited."""
        while not self._stop.wait(1.0):
            for name in self.worker_names():
                proc = self.procs.running.get(name)
                if proc is not None and proc.poll() is not None:
                    log = self.procs.log(name)
                    log.rename(log.with_suffix(f".{self.worker_restarts}.log"))
                    self.worker_restarts += 1
                    self.procs.start(name, self._worker_argv(name), self.env)

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds so far of gunicorn, the task workers (those running now) and
        PostgreSQL (when the cluster is this run's own)."""
        found = {"site": tree_cpu_s(self.procs.running["gunicorn"].pid)}
        found["task_worker"] = sum(
            tree_cpu_s(self.procs.running[name].pid)
            for name in self.worker_names()
            if name in self.procs.running
        )
        postmaster = getattr(self.db, "postmaster_pid", lambda: None)()
        if postmaster:
            found["postgres"] = tree_cpu_s(postmaster)
        return found

    def kill_worker(self, name: str) -> int:
        """SIGKILL a task worker's whole process group (the supervisor starts it again)."""
        proc = self.procs.running[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        return proc.pid

    def _cron(self) -> None:
        """`manage.py line_outbox_flush` every cron_s seconds, as the README asks of cron."""
        while not self._stop.wait(self.cron_s):
            done = subprocess.run(
                [PYTHON, "manage.py", "line_outbox_flush"],
                cwd=ROOT,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            lines = (done.stdout + done.stderr).strip().splitlines()
            self.cron_runs.append(lines[-1] if lines else f"exit {done.returncode}")

    # --- LINE ------------------------------------------------------------------------------

    def link_line(self, username: str, timeout: float = 60) -> str | None:
        """The citizen follows the LINE account and links it to the site account (through the
        services the accountLink webhook uses); returns the LINE user ID once linked."""
        answer: queue.Queue = queue.Queue(maxsize=1)
        self.links.put((username, answer))
        try:
            return answer.get(timeout=timeout)
        except queue.Empty:
            return None

    def _link_accounts(self) -> None:
        """One thread does every link, so the harness holds one database connection."""
        from django.db import DatabaseError, close_old_connections, connection

        from accounts.models import User
        from line_integration.services import (
            complete_account_link,
            create_link_nonce,
            record_follow,
        )

        while not self._stop.is_set():
            try:
                username, answer = self.links.get(timeout=0.5)
            except queue.Empty:
                continue
            line_id = "U" + secrets.token_hex(16)
            self.standin.state.add_user(user_id=line_id, display_name=username)
            for _ in range(60):
                try:
                    close_old_connections()
                    user = User.objects.get(username=username)
                    record_follow(line_user_id=line_id, display_name=username)
                    nonce = create_link_nonce(user=user)
                    complete_account_link(line_user_id=line_id, nonce=nonce.nonce)
                    break
                except DatabaseError:
                    self.link_errors += 1
                    connection.close()
                    time.sleep(1)
            else:
                line_id = None
            answer.put(line_id)
