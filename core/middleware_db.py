"""A Thai "try again in a moment" page (503) when the database cannot be reached.

While PostgreSQL restarts or fails over, whatever touches the database raises OperationalError
or InterfaceError: a view, or a middleware (saving the session after the view). Django answers
those with its 500 page (a failed session save with 400); a citizen should instead read, in
Thai, that the service is briefly unavailable and that trying again is safe (a complaint
already filed is never filed twice).

Django logs the error with its traceback and sends ``got_request_exception`` before it builds
the 500 answer; the receiver below marks the request, and the middleware, outside every other
layer that may touch the database, swaps that answer for the 503 page. The page is rendered
without the request's context processors, so drawing it needs no database (no session, no
user), and it shows nothing of the error. Persistent connections are health-checked before
reuse (CONN_HEALTH_CHECKS, cms/settings/base.py; on PostgreSQL by a look at the socket first,
core/db_backends/postgresql/base.py), so the site recovers by itself once the database answers
again. With DEBUG on, developers keep Django's debug page.
"""

import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

RETRY_AFTER_SECONDS = 10
UNAVAILABLE = "_database_unavailable"


@receiver(got_request_exception)
def note_database_error(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        setattr(request, UNAVAILABLE, True)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG:
            return response  # developers keep Django's debug page
        if response.status_code == 500 and getattr(request, UNAVAILABLE, False):
            return unavailable_response(request)
        if response.status_code == 400 and session_not_saved(request):
            return unavailable_response(request)
        return response


def session_not_saved(request) -> bool:
    """Django answers 400 ("session interrupted") when saving a changed session fails, for
    whatever reason; when the database does not answer either, the reason was the database."""
    session = getattr(request, "session", None)
    if session is None or not session.modified:
        return False
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False


def unavailable_response(request) -> HttpResponse:
    retry_path = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    response = HttpResponse(render_to_string("503.html", {"retry_path": retry_path}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
