"""What every process that starts pays for: cron's runs, management commands, task workers."""

import os
import subprocess
import sys

SCRIPT = """
import sys, django
django.setup()
print(sorted(m for m in ("linebot", "authlib") if m in sys.modules))
"""


def test_starting_django_loads_neither_the_line_sdk_nor_the_login_library():
    """The LINE SDK's models cost about a second of CPU to import and authlib a fifth: a cron
    run of line_outbox_flush with nothing due (every minute or two, beside citizens' requests)
    needs neither. They are loaded where a message is sent or a LINE sign-in starts."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip().splitlines()[-1:]) == (0, ["[]"]), done.stderr
