"""While the database is down a citizen reads a Thai "try again" page (503), never a stack
trace; other errors get the Thai 500 page. The load and fault runs (loadtest/) check the same
against a real PostgreSQL restart under load."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.http import HttpResponse
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]
TRY_AGAIN = "กรุณาลองใหม่อีกครั้งในอีกสักครู่"


def lost_connection(request):
    raise OperationalError("server closed the connection unexpectedly")


def closed_connection(request):
    raise InterfaceError("connection already closed")


def broken(request):
    raise ValueError("a bug")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("lost/", lost_connection),
    path("closed/", closed_connection),
    path("broken/", broken),
    path("fine/", fine),
]


def test_pages_answer_in_thai_when_the_database_cannot_be_reached():
    """A real unreachable database (nothing listens on port 1), in a fresh process: the home
    page, the registration form and a log-in attempt all say "try again" in Thai."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "c = Client(HTTP_HOST='localhost', raise_request_exception=False);"
        "rs = [c.get('/'), c.get('/accounts/register/'),"
        " c.post('/accounts/login/', {'username': 'somchai01', 'password': 'demo1234'})];"
        "print(json.dumps([{'status': r.status_code, 'text': r.content.decode(),"
        " 'retry_after': r.get('Retry-After'), 'cache': r.get('Cache-Control')} for r in rs]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert [a["status"] for a in answers] == [503, 503, 503]
    for answer in answers:
        assert "ระบบขัดข้องชั่วคราว" in answer["text"]
        assert TRY_AGAIN in answer["text"]
        assert "Traceback" not in answer["text"]
        assert "OperationalError" not in answer["text"]
        assert answer["retry_after"] == "10"
        assert "no-store" in answer["cache"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/lost/", "/closed/"])
def test_database_errors_give_the_thai_try_again_page(client, url):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 503
    page = response.content.decode()
    assert TRY_AGAIN in page
    assert f'href="{url}"' in page  # "ลองใหม่อีกครั้ง" reloads the same page
    assert "server closed" not in page and "already closed" not in page


@pytest.mark.urls(__name__)
def test_a_form_sent_while_the_database_is_down_is_asked_to_be_sent_again(client):
    client.raise_request_exception = False
    response = client.post("/lost/", {"details": "ไฟถนนดับ"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "กรุณากดย้อนกลับแล้วกดส่งอีกครั้ง" in page
    assert "ลองใหม่อีกครั้ง</a>" not in page  # a link cannot send the form again


@pytest.mark.urls(__name__)
def test_other_errors_give_the_thai_error_page(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "ระบบเกิดข้อผิดพลาด" in page
    assert "a bug" not in page and "Traceback" not in page


class SessionSaveFails:
    """Stands where SessionMiddleware saves the session after the view (a real database
    that drops the connection at that moment is not reproducible in a test)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("terminating connection due to administrator command")


@pytest.mark.urls(__name__)
def test_a_database_error_after_the_view_also_gives_the_try_again_page(client, settings):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("core.middleware_db.DatabaseUnavailableMiddleware") + 1,
        f"{__name__}.SessionSaveFails",
    )
    settings.MIDDLEWARE = middleware
    client.raise_request_exception = False
    response = client.get("/fine/")
    assert response.status_code == 503
    assert TRY_AGAIN in response.content.decode()


def remember(request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse("ok")


def remember_then_lose_the_database(request):
    """The session is read while the database answers; then the connection is gone (as when
    PostgreSQL restarts) before SessionMiddleware saves the session."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    connections["default"].connection.close()
    return HttpResponse("ok")


def remember_after_logging_out_elsewhere(request):
    """The session's row is deleted by another request (a log-out in another tab)."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    Session.objects.all().delete()
    return HttpResponse("ok")


urlpatterns += [
    path("remember/", remember),
    path("remember-lost/", remember_then_lose_the_database),
    path("remember-elsewhere/", remember_after_logging_out_elsewhere),
]


@pytest.fixture
def database_that_outlives_its_connection():
    """SQLite's in-memory test database exists only while a connection to it is open: the
    test holds a second one while Django's is lost, so the database is still there when Django
    connects again (a PostgreSQL database or an SQLite file simply stays)."""
    db = connections["default"]
    keeper = None
    if db.vendor == "sqlite" and db.is_in_memory_db():
        keeper = sqlite3.connect(db.settings_dict["NAME"], uri=True)
    yield
    if keeper is not None:
        keeper.close()


def connect_again() -> None:
    """At the end of a request Django drops a connection that failed (the test client leaves
    that out); the next request connects again. Django never closes an in-memory SQLite
    database's connection itself (that would delete the database), so there it is opened anew
    by hand."""
    close_old_connections()
    db = connections["default"]
    if db.vendor == "sqlite" and db.is_in_memory_db():
        db.connect()


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_session_the_lost_database_could_not_save_gives_the_try_again_page(
    client, database_that_outlives_its_connection
):
    """Django answers 400 ("session interrupted") when saving a session fails; when the
    database is gone, that is a 503 in Thai like any other page."""
    client.raise_request_exception = False
    assert client.get("/remember/").status_code == 200
    response = client.get("/remember-lost/")
    assert response.status_code == 503
    assert TRY_AGAIN in response.content.decode()
    connect_again()
    assert client.get("/remember/").status_code == 200


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_session_ended_elsewhere_is_still_a_bad_request(client):
    client.raise_request_exception = False
    assert client.get("/remember/").status_code == 200
    assert client.get("/remember-elsewhere/").status_code == 400
