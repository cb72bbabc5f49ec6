"""The files in deploy/ are checked by the tools that will read them (deploy/check.sh:
gunicorn --check-config, nginx -t, systemd-analyze verify; a missing tool is skipped there),
and nginx's upload limit stays above what the app accepts, so the app, not nginx, explains."""

import os
import re
import subprocess
import sys

from django.conf import settings

from complaints.evidence import MAX_FILES
from core.uploads import MAX_FILE_BYTES
from tests.deploy.support import ROOT

DEPLOY = ROOT / "deploy"


def test_deploy_check_passes():
    result = subprocess.run(
        ["bash", str(DEPLOY / "check.sh")],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deploy/ check: ok" in result.stdout


def test_nginx_lets_through_every_upload_the_app_explains_itself():
    conf = (DEPLOY / "nginx" / "ddc.conf").read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", conf)
    assert limit, "client_max_body_size is missing"
    assert int(limit[1]) * 1024 * 1024 > MAX_FILES * MAX_FILE_BYTES
    error_page = (DEPLOY / "nginx" / "errors" / "413.html").read_text()
    assert f"{MAX_FILE_BYTES // (1024 * 1024)} MB" in error_page


def test_a_worker_unit_serves_every_task_queue():
    readme = (ROOT / "README.md").read_text()
    for queue in settings.TASK_QUEUES:
        assert f"ddc-worker@{queue}" in readme, queue
    unit = (DEPLOY / "systemd" / "ddc-worker@.service").read_text()
    assert "db_worker --queue-name %i" in unit
