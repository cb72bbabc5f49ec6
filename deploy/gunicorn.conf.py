"""gunicorn settings for one web node: `gunicorn -c deploy/gunicorn.conf.py` from the project
folder (deploy/systemd/ddc-web.service does this). nginx sits in front (deploy/nginx/ddc.conf):
it buffers slow phones' uploads and downloads, so plain sync workers are right here.

Overridable from the environment (deploy/env.example): GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS. Django's own settings come from the same environment.
"""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Several workers: one slow request (an export, a 25 MB upload being checked) never blocks
# the others. gunicorn's rule of thumb, 2 x cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Evidence checks re-encode phone photos (up to five per request): allow them time.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows for weeks. Not often: a new worker
# spends about 4 s of CPU loading the site (Django, Wagtail, the URL patterns, core/warmup.py),
# which at 2,000 requests a worker was about 2 ms of CPU on every request (about 50 ms of a
# citizen's filing journey), in bursts that left the other workers a core short. The load test
# (loadtest/site.py) runs with these two figures.
max_requests = 20000
max_requests_jitter = 2000
# nginx on the same machine; set to its address when it runs elsewhere.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Workers' heartbeat files on a RAM disk, as gunicorn advises: a slow disk can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
# %(D)s: microseconds inside the worker; X-Forwarded-For is the phone's address from nginx.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
capture_output = True
