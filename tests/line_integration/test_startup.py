"""What every process that starts pays for: cron's runs, management commands, task workers."""

from tests.line_integration.support import in_fresh_process

SCRIPT = """
import sys, django
django.setup()
print(sorted(m for m in ("linebot", "authlib") if m in sys.modules))
"""


def test_starting_django_loads_neither_the_line_sdk_nor_the_login_library():
    """The LINE SDK's models cost about a second of CPU to import and authlib a fifth: a cron
    run of line_outbox_flush with nothing due (every minute or two, beside citizens' requests)
    needs neither. They are loaded where a message is sent or a LINE sign-in starts."""
    done = in_fresh_process(SCRIPT)
    assert (done.returncode, done.stdout.strip().splitlines()[-1:]) == (0, ["[]"]), done.stderr


WORKER_SCRIPT = """
import sys, django
django.setup()
from django.core.management import load_command_class, get_commands
from django.db import connections
command = load_command_class(get_commands()["db_worker"], "db_worker")
before = [m for m in WANTED if m in sys.modules]
sys.modules[type(command).__module__].warm_up()
print(before, sorted(m for m in WANTED if m not in sys.modules))
print(connections["default"].connection is None)
"""
WANTED = ("linebot.v3.messaging", "line_integration.event_worker", "cms.urls", "wagtail.admin.urls")


def test_the_task_worker_loads_what_lines_events_need_before_its_first_task():
    """`manage.py db_worker` (as make run and production start it) loads the SDK, the event
    worker and the URL patterns before it takes a task, not while LINE's first burst waits
    for the machine's CPU; no database connection is opened for it."""
    done = in_fresh_process(f"WANTED = {WANTED!r}\n" + WORKER_SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-2:] == ["[] []", "True"]
