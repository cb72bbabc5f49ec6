"""The files in deploy/ are checked by the tools that will read them (deploy/check.sh:
gunicorn --check-config, nginx -t, systemd-analyze verify; a missing tool is skipped there),
and nginx's upload limit stays above what the app accepts, so the app, not nginx, explains."""

import base64
import hashlib
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


def _location(conf: str, opening: str) -> str:
    """The text of the nginx block that starts with ``opening`` (up to its closing brace)."""
    start = conf.index(opening)
    depth = 0
    for end in range(start, len(conf)):
        depth += {"{": 1, "}": -1}.get(conf[end], 0)
        if conf[end] == "}" and depth == 0:
            return conf[start : end + 1]
    raise AssertionError(f"{opening!r} is not closed")


def test_nginxs_own_error_pages_may_apply_their_styles_and_nothing_else():
    """The pages carry their CSS inline (nginx serves them while the app is down); the policy
    allows exactly those <style> blocks by hash, so editing one without its hash shows here."""
    conf = (DEPLOY / "nginx" / "ddc.conf").read_text()
    hashes = set()
    for name in ("413.html", "50x.html"):
        page = (DEPLOY / "nginx" / "errors" / name).read_text()
        assert "<script" not in page and "style=" not in page
        for css in re.findall(r"<style>(.*?)</style>", page, re.S):
            digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    for name in ("413.html", "50x.html"):
        block = _location(conf, f"location = /{name} {{")
        policy = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', block)
        assert policy, f"{name} has no Content-Security-Policy"
        directives = dict(part.strip().split(" ", 1) for part in policy[1].split(";"))
        assert directives["default-src"] == "'none'"
        assert set(directives["style-src"].split()) == hashes
        assert "script-src" not in directives and "unsafe" not in policy[1]


def test_nginx_leaves_the_policy_of_the_applications_pages_to_the_application():
    """add_header at server level would reach `location /` (which has none of its own) and
    send a second policy beside Django's; browsers would then enforce both."""
    conf = (DEPLOY / "nginx" / "ddc.conf").read_text()
    assert "add_header" not in _location(conf, "location / {\n        proxy_pass")
    depth = 0
    for line in _location(conf, "server {\n    listen 443").splitlines():
        directive = line.split("#", 1)[0]
        assert not (depth == 1 and "add_header" in directive), line  # the server block's own
        depth += line.count("{") - line.count("}")
