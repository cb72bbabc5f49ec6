"""The webhook's own WSGI application (cms/wsgi_line.py): LINE's request goes through none of
the pages' middleware and costs three statements, whatever the number of events."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from line_integration.models import WebhookEvent
from line_integration.standin.events import build_event, new_user_id, sign, webhook_body
from tests.line_integration.support import DESTINATION, in_fresh_process

pytestmark = pytest.mark.django_db


def call(app, body: bytes, signature: str) -> tuple[str, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/line/webhook/",
        "CONTENT_TYPE": "application/json; charset=utf-8",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_LINE_SIGNATURE": signature,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    # As Django's test client does: the request's end must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(app(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], content


def test_webhook_app_stores_events_with_three_statements_and_no_page_middleware(settings):
    from cms.wsgi_line import application

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    settings.ALLOWED_HOSTS = ["testserver"]
    events = [build_event("message", user_id=new_user_id(), text=f"ข้อความ {n}") for n in range(5)]
    body = webhook_body(events, destination=DESTINATION)

    with CaptureQueriesContext(connection) as queries:
        status, headers, content = call(application, body, sign(body, settings.LINE_CHANNEL_SECRET))

    assert (status, content) == ("200 OK", b"OK")
    assert WebhookEvent.objects.count() == 5
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 3, statements  # the events, the look for a waiting task, one task
    # The pages' middleware did not run: no language, no Vary on the cookie, no cookies.
    assert "Content-Language" not in headers
    assert "Vary" not in headers
    assert "Set-Cookie" not in headers


def test_webhook_app_refuses_a_bad_signature(settings):
    from cms.wsgi_line import application

    settings.ALLOWED_HOSTS = ["testserver"]
    body = webhook_body([build_event("message", user_id=new_user_id())], destination=DESTINATION)

    status, _headers, _content = call(application, body, "bm90IHRoZSByaWdodCBzaWduYXR1cmU=")

    assert status.startswith("400")
    assert WebhookEvent.objects.count() == 0


def test_a_webhook_worker_loads_the_url_patterns_at_start_not_in_lines_first_request():
    """The site's URL patterns (Wagtail's admin among them) cost about 100 ms to import; in a
    worker's first webhook the other requests of a burst would queue behind that. Loaded in a
    fresh process as gunicorn loads the app, with no database connection opened."""
    script = (
        "import sys, cms.wsgi_line\n"
        "from django.db import connections\n"
        "print(sorted(m for m in ('cms.urls', 'line_integration.tasks', 'wagtail.admin.urls')"
        " if m not in sys.modules))\n"
        "print(connections['default'].connection is None)\n"
    )
    done = in_fresh_process(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "True"]
