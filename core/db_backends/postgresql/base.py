"""Django's PostgreSQL backend, with a health check that needs no round trip when the
connection is plainly alive (DATABASES' ENGINE "core.db_backends.postgresql", cms/settings).

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django checks a connection
before each request first uses it by sending ``SELECT 1`` and waiting for the answer: a round
trip on every request that touches the database: 62 µs of the web process's CPU and 130 µs of
waiting on a quiet machine, against 2 µs for the look at the socket below (in-process, 5,000
checks), and longer when PostgreSQL waits for a core. For LINE's webhook it was one of its
three round trips (about 9% of its gunicorn workers' samples in py-spy during a 4,000-request
burst of bench/line_webhook.py), and every page paid it too.

A connection the server has ended (PostgreSQL restarted, failed over, or an administrator
ended the session) gets a message or the end of the stream on its socket, so while nothing is
being asked the socket has something to read. A connection that is idle, in no transaction,
with nothing to read, is taken as alive without asking. When there is something to read
(the end, or a notice such as a NOTIFY the site does not use) or the connection is not idle,
Django's ``SELECT 1`` decides, as before. What neither can notice at once is a server that
vanished without closing the connection (a cable pulled): ``SELECT 1`` then waited for the
network's time-out, and the request's first statement now does; the Thai "try again" page
(core/middleware_db.py) answers either way, and the next request starts on a new connection.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import ConnStatus, TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self.quietly_idle() and not self.is_usable():
            self.close()
        self.health_check_done = True

    def quietly_idle(self) -> bool:
        """Open, idle outside any transaction, and nothing from the server waiting to be read
        (one poll of the socket, no round trip)."""
        connection = self.connection
        if connection is None or connection.closed:
            return False
        info = connection.info
        if info.status != ConnStatus.OK or info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, base.Database.Error):
            return False
