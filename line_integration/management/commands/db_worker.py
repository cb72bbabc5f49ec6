"""`manage.py db_worker`: django-tasks-db's task worker, which first loads what a LINE event's
task needs, as cms/wsgi_line.py does for the webhook's gunicorn.

Otherwise the worker's first event task loads it in the middle of LINE's first burst: the LINE
SDK and aiohttp (line_integration.event_worker), every app's LINE handlers, and the site's URL
patterns with Wagtail's admin (the handlers' links). That took about 1.3 s of CPU (measured in
a fresh process), on a two-core machine, from the webhook's answers to that burst. Nothing here
opens a database connection. Every option is django-tasks-db's own.
"""

from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


def warm_up() -> None:
    import linebot.v3.messaging  # noqa: F401 (the outbox's pushes: imported where it sends)

    import line_integration.tasks  # noqa: F401
    from line_integration import event_worker, handlers, outbox  # noqa: F401

    handlers._autodiscover()  # every app's line_handlers
    reverse("line:webhook")  # the URL patterns


class Command(DatabaseWorker):
    def handle(self, *args, **options):
        warm_up()
        return super().handle(*args, **options)
