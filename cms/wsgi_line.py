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
