"""The HTTP side: a ThreadingHTTPServer that serves api.py (with LINE's token check, injected
faults, latency and a request log) and control.py, in a thread or as its own process."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import api, control, login
from .api import Answer, Request, error
from .state import StandInState, now_ms

DEFAULT_ACCESS_TOKEN = "local-standin-access-token"
DEFAULT_CHANNEL_SECRET = "local-standin-channel-secret"
DEFAULT_LOGIN_CHANNEL_ID = "1000000001"
DEFAULT_LOGIN_CHANNEL_SECRET = "local-standin-login-channel-secret"
AUTH_FAILED = {
    "message": "Authentication failed. Confirm that the access token in the authorization "
    "header is valid."
}
FAULT_BODIES = {
    429: {"message": "Too Many Requests"},
    500: {"message": "Internal Server Error"},
    502: {"message": "Bad Gateway"},
    503: {"message": "Service Unavailable"},
}
HEADERS_OF_INTEREST = ("x-line-retry-key", "content-type", "content-length", "user-agent")


class Handler(BaseHTTPRequestHandler):
    server_version = "LineStandIn/1.0"
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def state(self) -> StandInState:
        return self.server.state

    def read_request(self) -> Request:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        req = Request(self.command, parts.path, dict(parse_qsl(parts.query)), headers, raw)
        if raw and "json" in headers.get("content-type", ""):
            try:
                req.json = json.loads(raw)
            except ValueError as exc:
                req.json = exc
        return req

    def handle_any(self) -> None:
        req = self.read_request()
        if login.handles(req.path):
            self.write(login.answer(self.server.login, self.state, req), str(uuid.uuid4()))
            return
        if req.path.startswith(("/__standin/", "/dialog/")):
            handler, req.params = control.route(req.method, req.path)
            if handler is None:
                answer = error(404, {"message": "Not found"})
            elif isinstance(req.json, ValueError):
                answer = error(400, {"message": "invalid JSON"})
            else:
                answer = handler(self.state, req)
            self.write(answer, str(uuid.uuid4()))
            return
        self.handle_api(req)

    def handle_api(self, req: Request) -> None:
        request_id = str(uuid.uuid4())
        started = time.monotonic()
        entry = {
            "requestId": request_id,
            "time": now_ms(),
            "method": req.method,
            "path": req.path,
            "query": req.query,
            "retryKey": req.headers.get("x-line-retry-key"),
            "headers": {k: req.headers[k] for k in HEADERS_OF_INTEREST if k in req.headers},
            "authorized": req.headers.get("authorization") == f"Bearer {self.state.access_token}",
            "body": _loggable(req),
            "status": None,
            "answered": False,
            "fault": None,
        }
        fault = self.state.take_fault(req.method, req.path)
        if fault and fault.timeout:
            entry["fault"] = "timeout"
            self.state.log_request(entry)
            self.state.pause(self.state.hang_seconds)
            self.close_connection = True
            return
        if fault and fault.status:
            entry["fault"] = f"status {fault.status}"
            answer = error(fault.status, FAULT_BODIES.get(fault.status, {"message": "Error"}))
            if fault.retry_after:
                answer.headers["Retry-After"] = str(fault.retry_after)
        else:
            answer = self.answer_api(req, request_id, entry["authorized"])
        entry["status"] = answer.status
        entry["response"] = answer.json if answer.raw is None else {"bytes": len(answer.raw)}
        if fault and fault.accept_then_timeout:
            entry["fault"] = "accept_then_timeout"
            self.state.log_request(entry)
            self.state.pause(self.state.hang_seconds)
            self.close_connection = True
            return
        self.state.pause(self.state.latency_ms / 1000)
        entry["answered"] = True
        entry["ms"] = round((time.monotonic() - started) * 1000)
        self.state.log_request(entry)
        self.write(answer, request_id)

    def answer_api(self, req: Request, request_id: str, authorized: bool) -> Answer:
        if not authorized:
            return error(401, AUTH_FAILED)
        handler, req.params = api.route(req.method, req.path)
        if handler is None:
            return error(404, {"message": "Not found"})
        if handler == "method":
            return error(405, {"message": "Method Not Allowed"})
        if isinstance(req.json, ValueError):
            exc = req.json
            return error(
                400,
                {
                    "message": "The request body could not be parsed as JSON "
                    f"(line: {exc.lineno}, column: {exc.colno})"
                },
            )
        if "x-line-retry-key" in req.headers and req.path not in api.RETRY_KEY_PATHS:
            return error(400, {"message": "X-Line-Retry-Key is not supported for this API"})
        return handler(self.state, req, request_id)

    def write(self, answer: Answer, request_id: str) -> None:
        if answer.raw is not None:
            payload, content_type = answer.raw, answer.content_type
        else:
            payload = json.dumps(answer.json, ensure_ascii=False).encode()
            content_type = "application/json; charset=utf-8"
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-line-request-id", request_id)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); LINE would not notice either


def _loggable(req: Request):
    if isinstance(req.json, ValueError):
        return {"invalidJson": req.raw[:500].decode(errors="replace")}
    if req.json is not None:
        return req.json
    if req.raw:
        return {"bytes": len(req.raw), "contentType": req.headers.get("content-type")}
    return None


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state: StandInState, verbose: bool, login_channel):
        self.state = state
        self.login = login_channel
        self.verbose = verbose
        super().__init__(address, Handler)


class StandInServer:
    """A running stand-in: .url, .state, .stop()."""

    def __init__(self, httpd: _HTTPServer, thread: threading.Thread):
        self._httpd = httpd
        self._thread = thread
        host, port = httpd.server_address[:2]
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}"

    @property
    def state(self) -> StandInState:
        return self._httpd.state

    @property
    def login(self) -> login.LoginChannel:
        """The LINE Login channel this stand-in plays (standin/login.py)."""
        return self._httpd.login

    def stop(self) -> None:
        self.state.stop_event.set()  # release requests hanging in a timeout fault
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def wait(self) -> None:
        """Block until stopped (the management command's foreground)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_standin(
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    access_token: str = DEFAULT_ACCESS_TOKEN,
    channel_secret: str = DEFAULT_CHANNEL_SECRET,
    webhook_url: str | None = None,
    simulator_url: str | None = None,
    verbose: bool = False,
    login_channel_id: str = DEFAULT_LOGIN_CHANNEL_ID,
    login_channel_secret: str = DEFAULT_LOGIN_CHANNEL_SECRET,
) -> StandInServer:
    """Start the stand-in in a background thread; port 0 picks a free port."""
    state = StandInState(
        access_token=access_token,
        channel_secret=channel_secret,
        webhook_url=webhook_url,
        simulator_url=simulator_url,
    )
    channel = login.LoginChannel(channel_id=login_channel_id, channel_secret=login_channel_secret)
    httpd = _HTTPServer((host, port), state, verbose, channel)
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.2},
        name=f"line-standin-{httpd.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return StandInServer(httpd, thread)
