"""gunicorn for LINE's webhook alone (cms/wsgi_line.py): `gunicorn -c deploy/gunicorn-line.conf.py`
(deploy/systemd/ddc-line-webhook.service); nginx sends /line/webhook/ here (deploy/nginx/ddc.conf).

Why a gunicorn of its own: LINE waits for this answer (and redelivers slow ones), while the
site's workers may be busy with a citizen's photos for tens of milliseconds; here nothing waits
behind a page, and the pages' middleware does not run. Why sync workers, two: each request is
a few milliseconds of CPU and one short commit, with nothing slow to overlap, so threads only
add switching under the GIL (bench/README.md has the figures), and two processes keep one
answering while the other commits or restarts. nginx buffers the request, so a slow client never
holds a worker.

Overridable from the environment: LINE_WEBHOOK_BIND, LINE_WEBHOOK_CONCURRENCY.
"""

import os

wsgi_app = "cms.wsgi_line:application"
bind = os.environ.get("LINE_WEBHOOK_BIND", "127.0.0.1:8002")
workers = int(os.environ.get("LINE_WEBHOOK_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 20000
max_requests_jitter = 2000
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
capture_output = True
