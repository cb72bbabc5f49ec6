"""deploy/nginx/ddc.conf for real: nginx (Debian's) runs the file as shipped, with only its
ports, certificate and folders pointed at this test's, in front of one gunicorn node with the
production settings and PRIVATE_FILES_X_ACCEL_REDIRECT=1. What a phone would notice: HTTPS
only, static files, evidence downloads sent by nginx after Django's permission check (with the
same safety headers), no way around that check, the upload limit answered with a Thai page,
and a Thai page while the application is down."""

import hashlib
import http.client
import os
import re
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.files.base import ContentFile

from bench.common import Processes, wait_for
from complaints.evidence import MAX_FILES
from complaints.models import EvidenceFile
from core.uploads import MAX_FILE_BYTES
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory
from tests.complaints import files as evidence_files
from tests.complaints.factories import ComplaintFactory
from tests.deploy.support import (
    FIELD_ENCRYPTION_KEY,
    ROOT,
    SITE_HOST,
    Browser,
    Form,
    free_port,
    postgres_only,
    production_env,
    start_gunicorn,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    postgres_only,
    pytest.mark.skipif(
        not os.access(NGINX, os.X_OK),
        reason="nginx is not installed (apt-get install nginx; .ci/run installs it)",
    ),
    pytest.mark.django_db(transaction=True),
]
CONF = ROOT / "deploy" / "nginx" / "ddc.conf"


def render_site(tmp: Path, *, http_port, https_port, upstream_port, media, private) -> str:
    """deploy/nginx/ddc.conf with this test's ports, certificate and folders."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", f"/CN={SITE_HOST}", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True,
        capture_output=True,
    )
    text = CONF.read_text()
    for old, new in {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{upstream_port} ",
        f"/etc/letsencrypt/live/{SITE_HOST}/fullchain.pem": str(tmp / "cert.pem"),
        f"/etc/letsencrypt/live/{SITE_HOST}/privkey.pem": str(tmp / "key.pem"),
        # The project's static sources stand in for collectstatic's output.
        "/srv/ddc/app/staticfiles/": f"{ROOT}/static/",
        "/srv/ddc/app/": f"{ROOT}/",
        "/srv/ddc/media/": f"{media}/",
        "/srv/ddc/private_media/": f"{private}/",
    }.items():
        assert old in text, f"{old!r} is no longer in {CONF.name}"
        text = text.replace(old, new)
    (tmp / "ddc.conf").write_text(text)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the test's folders
    (tmp / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/ddc.conf;
}}
"""
    )
    return str(tmp / "nginx.conf")


@pytest.fixture(scope="module")
def running_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """nginx on loopback in front of one node, for the whole module (starting them costs more
    than the tests); yields (https URL, http URL, processes, node folder)."""
    tmp = tmp_path_factory.mktemp("nginx")
    node = tmp / "node"
    with django_db_blocker.unblock():
        env = production_env(node, PRIVATE_FILES_X_ACCEL_REDIRECT="1", PROXY_COUNT="1")
    procs = Processes(tmp)
    upstream, http_port, https_port = free_port(), free_port(), free_port()
    try:
        start_gunicorn(procs, "gunicorn", upstream, env)
        conf = render_site(
            tmp,
            http_port=http_port,
            https_port=https_port,
            upstream_port=upstream,
            media=node / "media",
            private=node / "private_media",
        )
        procs.start("nginx", [NGINX, "-p", str(tmp), "-c", conf], env)
        url = f"https://127.0.0.1:{https_port}"
        if not wait_for(lambda: _answers(url), timeout=20, interval=0.1):
            procs.check_alive()
            raise RuntimeError((tmp / "nginx-error.log").read_text())
        yield url, f"http://127.0.0.1:{http_port}", procs, node
    except BaseException:
        for name in list(procs.running):
            print(f"--- {name} ---\n{procs.tail(name)}")  # noqa: T201
        raise
    finally:
        procs.stop_all()


@pytest.fixture
def site(running_site, settings):
    url, plain, procs, node = running_site
    settings.PRIVATE_MEDIA_ROOT = node / "private_media"  # this process writes the evidence
    settings.FIELD_ENCRYPTION_KEY = FIELD_ENCRYPTION_KEY  # and the nodes read the citizen's ID
    return url, plain, procs


def _answers(url: str) -> bool:
    try:
        return Browser().get(url, "/healthz/").status == 200
    except OSError:
        return False


def logged_in_citizen(url):
    profile = CitizenFactory()
    profile.user.password = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, salt="deploytestsalt")
    profile.user.save(update_fields=["password"])
    browser = Browser()
    fields = Form(browser.get(url, "/accounts/login/").text).fields
    fields.update(username=profile.user.username, password=DEFAULT_PASSWORD)
    page = browser.post(url, "/accounts/login/", fields)
    assert page.status == 302, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', page.text)
    return profile, browser


def stored_photo(profile) -> EvidenceFile:
    photo = evidence_files.jpeg((64, 48))
    evidence = EvidenceFile(
        complaint=ComplaintFactory(profile=profile),
        original_name="ถนนหน้าบ้าน.jpg",
        kind="image",
        content_type="image/jpeg",
        size=len(photo),
        sha256=hashlib.sha256(photo).hexdigest(),
    )
    evidence.file.save("evidence.jpg", ContentFile(photo))
    return evidence


def test_http_is_sent_to_https(site):
    _url, plain, _procs = site
    page = Browser().get(plain, "/complaints/new/?x=1")
    assert page.status == 301
    assert page.headers["Location"] == f"https://{SITE_HOST}/complaints/new/?x=1"


def test_static_files_come_from_nginx(site):
    url, _plain, _procs = site
    page = Browser().get(url, "/static/css/site.css")
    assert page.status == 200
    assert page.body == (ROOT / "static" / "css" / "site.css").read_bytes()
    assert page.headers["Content-Type"] == "text/css"
    assert "default-src 'self'" in the_policy(page)


def the_policy(page) -> str:
    """The one Content-Security-Policy of an answer: two would both be enforced."""
    policies = page.headers.get_all("Content-Security-Policy") or []
    assert len(policies) == 1, policies
    return policies[0]


def test_the_applications_pages_keep_the_applications_policy(site):
    """nginx adds no policy of its own to what Django answers, so the app's is the only one."""
    url, _plain, _procs = site
    page = Browser().get(url, "/accounts/login/")
    assert page.status == 200
    policy = the_policy(page)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_evidence_is_sent_by_nginx_after_djangos_check(site):
    url, _plain, procs = site
    profile, browser = logged_in_citizen(url)
    evidence = stored_photo(profile)

    page = browser.get(url, f"/complaints/files/{evidence.pk}/")

    assert page.status == 200
    assert hashlib.sha256(page.body).hexdigest() == evidence.sha256
    assert page.headers["Content-Disposition"].startswith("attachment;")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert the_policy(page) == "default-src 'none'; sandbox"
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "X-Accel-Redirect" not in page.headers

    # gunicorn answered with no body: the bytes came from nginx. (gunicorn writes its access
    # line after the answer has left, so wait for it.)
    def downloads():
        log = procs.tail("gunicorn", 200).splitlines()
        return [line for line in log if "/complaints/files/" in line]

    wait_for(downloads, timeout=10)
    download = downloads()
    assert download and '" 200 0 ' in download[-1], download

    # Anyone else: Django says no, and nginx's internal location cannot be asked directly.
    _stranger, other = logged_in_citizen(url)
    assert other.get(url, f"/complaints/files/{evidence.pk}/").status == 404
    assert other.get(url, f"/protected/{evidence.file.name}").status == 404
    assert Browser().get(url, f"/protected/{evidence.file.name}").status == 404


def test_uploads_up_to_the_apps_limits_reach_the_app_and_bigger_get_a_thai_page(site):
    url, _plain, _procs = site
    largest_accepted = MAX_FILES * MAX_FILE_BYTES + 1024 * 1024  # five full files and the form
    assert post_of_size(url, largest_accepted)[0] != 413

    status, body, headers = post_of_size(url, 61 * 1024 * 1024)
    assert status == 413
    assert "ไฟล์ที่แนบมีขนาดใหญ่เกินไป" in body
    assert headers.get_all("Content-Security-Policy")[0].startswith("default-src 'none';")
    assert len(headers.get_all("Content-Security-Policy")) == 1


def post_of_size(url: str, size: int) -> tuple[int, str, http.client.HTTPMessage]:
    """A multipart-looking POST of ``size`` bytes to the evidence step, as a phone sends it."""
    host, port = url.removeprefix("https://").split(":")
    conn = http.client.HTTPSConnection(
        host, int(port), timeout=60, context=ssl._create_unverified_context()
    )
    try:
        conn.putrequest("POST", "/complaints/new/steps/", skip_host=True)
        conn.putheader("Host", SITE_HOST)
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        chunk = b"\0" * (1024 * 1024)
        try:
            for start in range(0, size, len(chunk)):
                conn.send(chunk[: min(len(chunk), size - start)])
        except (BrokenPipeError, ConnectionResetError):
            pass  # nginx answered 413 before the body ended
        response = conn.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, body, response.headers
    finally:
        conn.close()


def log_in(browser, url, username, password, *, spoofed_address=None):
    fields = Form(browser.get(url, "/accounts/login/").text).fields
    fields.update(username=username, password=password)
    headers = {"X-Forwarded-For": spoofed_address} if spoofed_address else None
    return browser.post(url, "/accounts/login/", fields, headers=headers)


def test_log_in_lockout_counts_each_phone_not_nginx(site):
    """Behind nginx (PROXY_COUNT=1) five bad log-ins lock the phone that sent them, however it
    dresses its X-Forwarded-For; another phone, whose requests nginx passes on from the same
    127.0.0.1, still logs in."""
    url, _plain, _procs = site
    guesser = Browser(source="127.0.0.2")
    for attempt in range(5):
        spoofed = f"198.51.100.{attempt}"
        log_in(guesser, url, f"nobody{attempt}", "Wrong2569x", spoofed_address=spoofed)
    profile = CitizenFactory()
    profile.user.password = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, salt="deploytestsalt")
    profile.user.save(update_fields=["password"])

    page = log_in(
        guesser, url, profile.user.username, DEFAULT_PASSWORD, spoofed_address="203.0.113.9"
    )
    assert page.status == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page.text

    neighbour = Browser(source="127.0.0.3")
    assert log_in(neighbour, url, profile.user.username, DEFAULT_PASSWORD).status == 302
    # The lockout records name the guessing phone, never nginx or a spoofed address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}


# Last: it stops the application.
def test_while_the_application_is_down_people_see_a_thai_page(site):
    url, _plain, procs = site
    procs.stop("gunicorn")

    page = Browser().get(url, "/complaints/new/")

    assert page.status == 502
    assert "ระบบกำลังปรับปรุงชั่วคราว" in page.text
    assert "1567" in page.text
    assert the_policy(page).startswith("default-src 'none'; style-src 'sha256-")
