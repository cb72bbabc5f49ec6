"""What the deployment tests share: real child processes (gunicorn, db_worker) run with the
production settings against the test database, which must be PostgreSQL: several machines
cannot share one SQLite file, and the in-memory SQLite test database is not even visible to
another process."""

import http.client
import os
import secrets
import socket
import ssl
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import connection

from bench.common import PYTHON, Processes, wait_for
from bench.phone import FormFields

ROOT = Path(__file__).resolve().parents[2]
SITE_HOST = "ddc.example.go.th"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several machines share one PostgreSQL database; SQLite cannot be shared "
    "(run with DATABASE_URL=postgres://..., as make test does in CI)",
)

# One production configuration for every process of a test, as an operator's env file would be.
SECRET_KEY = secrets.token_urlsafe(64)
FIELD_ENCRYPTION_KEY = secrets.token_urlsafe(32)
ALTCHA_HMAC_KEY = secrets.token_urlsafe(32)


_given: set[int] = set()


def free_port() -> int:
    """A free loopback port, never the same twice in one run: one the system picks, or one
    from TEST_PORT_RANGE ("19000-19999") when that is set."""
    low, high = (int(n) for n in os.environ.get("TEST_PORT_RANGE", "0-0").split("-"))
    candidates = [0] * 50
    if low:
        # pytest-xdist workers each take their own slice of the range.
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
        size = (high - low + 1) // workers
        candidates = range(low + index * size, low + (index + 1) * size)
    for port in candidates:
        if port in _given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = sock.getsockname()[1]
        if port not in _given:
            _given.add(port)
            return port
    raise RuntimeError("no free port left")


def child_database_url() -> str:
    """The database this test runs on (test_<name>), for the child processes."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


def production_env(workdir: Path, **extra: str) -> dict[str, str]:
    """Production settings (tests/deploy/node_settings.py) as deploy/env.example sets them
    up, on loopback."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "LINE_", "S3_", "AWS_", "PYTEST_"))
        and k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.deploy.node_settings",
        SECRET_KEY=SECRET_KEY,
        FIELD_ENCRYPTION_KEY=FIELD_ENCRYPTION_KEY,
        ALTCHA_HMAC_KEY=ALTCHA_HMAC_KEY,
        DATABASE_URL=child_database_url(),
        ALLOWED_HOSTS=SITE_HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{SITE_HOST}",
        SITE_URL=f"https://{SITE_HOST}",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private_media"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def start_gunicorn(procs: Processes, name: str, port: int, env: dict[str, str]) -> str:
    """One web node with deploy/gunicorn.conf.py (2 workers here); its base URL once healthy."""
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    argv = [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    procs.start(name, argv, env)
    url = f"http://127.0.0.1:{port}"
    if not wait_for(lambda: _healthy(url), timeout=60, interval=0.2):
        procs.check_alive()
        raise RuntimeError(f"{name} did not answer /healthz/:\n{procs.tail(name)}")
    return url


def _healthy(url: str) -> bool:
    try:
        return Browser().request(url, "GET", "/healthz/").status == 200
    except OSError:
        return False


def start_db_worker(procs: Processes, name: str, env: dict[str, str], *, queues: str) -> None:
    """`manage.py db_worker` as deploy/systemd/ddc-worker@.service runs it."""
    argv = [PYTHON, "manage.py", "db_worker", "--queue-name", queues, "--no-reload"]
    argv += ["--no-startup-delay", "--interval", "0.2", "--worker-id", name]
    procs.start(name, argv, env)


def wait_until_started(procs: Processes, *names: str) -> None:
    for name in names:
        if not wait_for(lambda name=name: "Starting worker" in procs.tail(name, 200), timeout=60):
            procs.check_alive()
            raise RuntimeError(f"{name} did not start:\n{procs.tail(name)}")


# --- a phone's browser, its requests passed on by nginx ---------------------------------------


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers["Location"])._replace(scheme="", netloc="").geturl()


class Browser:
    """Cookies and forms like a browser; each request carries what deploy/nginx/ddc.conf adds
    (Host, X-Forwarded-Proto: https), so the nodes run the real production settings (secure
    cookies, CSRF origin checks, HTTPS redirect). Which node answers is the caller's choice,
    as the load balancer's would be. ``source``: the loopback address the phone connects from
    (127.0.0.2, 127.0.0.3, ...), so that nginx sees two phones as two clients."""

    def __init__(self, source: str | None = None):
        self.cookies: dict[str, str] = {}
        self.source_address = (source, 0) if source else None

    def request(self, node, method, path, *, body=b"", content_type=None, headers=None) -> Page:
        headers = {
            "Host": SITE_HOST,
            "X-Forwarded-Proto": "https",
            "User-Agent": "tests.deploy",
            **(headers or {}),
        }
        if method == "POST":
            headers.update(Origin=f"https://{SITE_HOST}", Referer=f"https://{SITE_HOST}{path}")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        parts = urlsplit(node)
        if parts.scheme == "https":  # nginx with a self-signed certificate
            conn = http.client.HTTPSConnection(
                parts.hostname,
                parts.port,
                timeout=60,
                context=ssl._create_unverified_context(),
                source_address=self.source_address,
            )
        else:
            conn = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=60, source_address=self.source_address
            )
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            page = Page(response.status, response.headers, response.read())
        finally:
            conn.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return page

    def get(self, node, path) -> Page:
        return self.request(node, "GET", path)

    def post(self, node, path, fields: dict, files=(), headers=None) -> Page:
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(
            node, "POST", path, body=body, content_type=content_type, headers=headers
        )


def multipart(fields: dict[str, str], files) -> tuple[bytes, str]:
    """files: (field name, file name, content type, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, content_type, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# The page's default form fields and <select> options: the parser the load test shares.
Form = FormFields
