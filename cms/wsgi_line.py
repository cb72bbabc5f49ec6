"""WSGI for the gunicorn that answers LINE's webhook and nothing else.

LINE waits for the webhook's answer and redelivers what is slow to come; the view only checks
the signature, stores the events and sees that a task will handle them (views.py). In the site's
own gunicorn that answer would wait behind citizens' pages (a photo being checked, an export)
and go through middleware it does not need: sessions, the user, messages, the language, CSRF,
the page cache, log-in lockout. Here only the middleware named in
``LINE_WEBHOOK_MIDDLEWARE`` runs (in the site's order): deploy/gunicorn-line.conf.py serves it
and nginx sends /line/webhook/ there (deploy/nginx/ddc.conf). A middleware added to MIDDLEWARE
for the pages stays off this path unless it is named there too.
"""

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django

django.setup(set_prefix=False)


class LineWebhookHandler(WSGIHandler):
    def load_middleware(self, is_async=False):
        pages = settings.MIDDLEWARE
        settings.MIDDLEWARE = [m for m in pages if m in settings.LINE_WEBHOOK_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = pages


application = LineWebhookHandler()


def warm_up() -> None:
    """What LINE's first request in each worker would otherwise wait for, done at start: the
    URL patterns (the site's, with Wagtail's admin: about 100 ms of CPU, while the other
    requests of a burst queue behind it), the task the webhook queues and its statements.
    Nothing here opens a database connection."""
    from django.urls import resolve, reverse

    import line_integration.tasks  # noqa: F401
    from line_integration import webhook_sql

    resolve(reverse("line:webhook"))
    webhook_sql.prepare()


warm_up()
