"""The Content-Security-Policy header (core/csp.py, settings.CONTENT_SECURITY_POLICY) on what the
site answers: every citizen page, the dashboard and the chat refuse inline scripts and styles;
the admin's staff screens get only what Wagtail needs; answers with a policy of their own keep
it. The browser tests (tests/e2e) check that the pages work under it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts.roles import Role
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.admin_support import case, grant_officer_screen_permissions
from tests.news.support import make_news

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} answered without a policy"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response) -> dict[str, list[str]]:
    """The citizens' policy: this site only, nothing inline, nothing evaluated, no framing."""
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert response["Content-Type"].startswith("text/html")
    found = policy(response)
    assert found["default-src"] == ["'self'"]
    assert found["script-src"] == ["'self'"]
    assert found["style-src"] == ["'self'"]
    assert found["connect-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"]
    assert found["base-uri"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["form-action"][0] == "'self'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    return found


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_pages_refuse_inline_scripts_and_styles():
    news = make_news("ข่าวทดสอบนโยบาย")
    visitor = Client()
    for url in (
        "/",
        "/news/",
        news.url,
        reverse("accounts:login"),
        reverse("accounts:register"),
        reverse("accounts:password_reset"),
    ):
        assert_strict(visitor.get(url))


def test_a_citizens_own_pages_refuse_inline_scripts_and_styles():
    profile = CitizenFactory()
    complaint = case(citizen=profile.user, days_left=5)
    citizen = logged_in(profile.user)
    for url in (
        reverse("accounts:profile"),
        reverse("accounts:profile_edit"),
        reverse("accounts:my_data"),
        reverse("complaints:new"),
        reverse("complaints:mine"),
        reverse("complaints:detail", args=[complaint.tracking_number]),
        reverse("chat:conversation"),
        "/news/preferences/",
    ):
        assert_strict(citizen.get(url))


def test_the_dashboard_refuses_inline_scripts_and_styles():
    executive = logged_in(StaffFactory(role=Role.EXECUTIVE))
    assert_strict(executive.get(reverse("dashboard:index")))


def test_a_page_from_the_anonymous_page_cache_carries_the_policy_too():
    visitor = Client()
    visitor.get("/")
    again = visitor.get("/")
    assert again["X-Page-Cache"] == "hit"
    assert_strict(again)


def test_error_pages_carry_the_policy():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert policy(response)["script-src"] == ["'self'"]


def test_the_map_tile_host_and_lines_account_link_host_come_from_their_settings(settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.LINE_ACCESS_HOST = "https://access.line.me"
    found = assert_strict(Client().get(reverse("accounts:login")))
    assert found["img-src"] == ["'self'", "data:", "https://*.tiles.example.org"]
    assert found["form-action"] == ["'self'", "https://access.line.me"]

    settings.MAP_TILE_URL = "/maptiles/{z}/{x}/{y}.png"  # this site (the default)
    assert assert_strict(Client().get(reverse("accounts:login")))["img-src"] == ["'self'", "data:"]


def test_the_admins_staff_screens_allow_only_what_wagtail_needs():
    grant_officer_screen_permissions()
    officer = logged_in(StaffFactory(role=Role.CASE_OFFICER))
    for url in ("/admin/", "/admin/complaints/complaint/", "/admin/chat/"):
        response = officer.get(url)
        assert response.status_code == 200, url
        found = policy(response)
        assert found["script-src"] == ["'self'", "'unsafe-inline'"]
        assert found["style-src"] == ["'self'", "'unsafe-inline'"]
        assert found["img-src"] == ["'self'", "data:", "blob:"]
        assert found["connect-src"] == ["'self'"]
        assert found["object-src"] == ["'none'"]
        assert found["frame-ancestors"] == ["'self'"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_admins_pages_open_to_anybody_keep_the_strict_policy():
    visitor = Client()
    assert_strict(visitor.get(reverse("wagtailadmin_login")))
    assert_strict(visitor.get(reverse("wagtailadmin_password_reset")))


def test_a_preview_in_the_editor_gets_the_citizens_policy_framed_by_the_editor_only():
    """Wagtail renders the preview with a stand-in request for the page's own address."""
    news = make_news("ข่าวก่อนเผยแพร่")
    editor = logged_in(StaffFactory(role=Role.NEWS_EDITOR))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[news.pk])
    form = {
        "title": "ข่าวก่อนเผยแพร่",
        "slug": news.slug,
        "date": "2026-03-15",
        "category": "activity",
        "summary": "สรุปข่าว",
        "body": rich_text("<p>เนื้อหาข่าว</p>"),
        "comments": inline_formset([]),
    }
    assert editor.post(url, nested_form_data(form)).json()["is_valid"]

    response = editor.get(url)

    assert "ข่าวก่อนเผยแพร่" in response.text
    found = policy(response)
    assert found["script-src"] == ["'self'"] and found["style-src"] == ["'self'"]
    assert found["frame-ancestors"] == ["'self'"]
    assert len(response.headers.get("Content-Security-Policy").split("frame-ancestors")) == 2


# Where a page could still carry something the policy refuses: every template of the project and
# every script of ours. (Scripts inside <script type="application/json"> are data, not code.)
TEMPLATES = sorted(
    path
    for path in ROOT.glob("**/templates/**/*.html")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)
SCRIPTS = sorted(
    path
    for path in (ROOT / "static").glob("**/*.js")
    if "vendor" not in path.relative_to(ROOT).parts
)
INLINE_IN_TEMPLATES = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>"),
    "event-handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
}
INLINE_IN_SCRIPTS = {
    "eval": re.compile(r"\beval\s*\(|new\s+Function\s*\(|set(?:Timeout|Interval)\s*\(\s*['\"]"),
    "style attribute": re.compile(r"setAttribute\(\s*['\"]style['\"]|style=|cssText"),
    "event-handler attribute": re.compile(r"setAttribute\(\s*['\"]on[a-z]+['\"]|\son[a-z]+="),
}


def offenders(paths, patterns) -> list[str]:
    found = []
    for path in paths:
        text = path.read_text()
        name = path.relative_to(ROOT)
        found += [f"{what} in {name}" for what, pattern in patterns.items() if pattern.search(text)]
    return found


def test_no_template_writes_what_the_policy_refuses():
    assert len(TEMPLATES) > 50 and ROOT / "templates" / "base.html" in TEMPLATES
    assert offenders(TEMPLATES, INLINE_IN_TEMPLATES) == []


def test_no_script_of_ours_does_what_the_policy_refuses():
    assert ROOT / "static" / "js" / "complaint-location.js" in SCRIPTS
    assert offenders(SCRIPTS, INLINE_IN_SCRIPTS) == []


@pytest.mark.parametrize(
    ("patterns", "sample"),
    [
        (INLINE_IN_TEMPLATES, "<script>alert(1)</script>"),
        (INLINE_IN_TEMPLATES, '<script type="module">go()</script>'),
        (INLINE_IN_TEMPLATES, '<button type="button" onclick="go()">'),
        (INLINE_IN_TEMPLATES, '<svg viewBox="0 0 8 8" style="fill: red">'),
        (INLINE_IN_TEMPLATES, "<style>p { color: red }</style>"),
        (INLINE_IN_TEMPLATES, '<a href="javascript:go()">'),
        (INLINE_IN_SCRIPTS, 'setTimeout("go()", 10);'),
        (INLINE_IN_SCRIPTS, "new Function('return 1')"),
        (INLINE_IN_SCRIPTS, 'node.setAttribute("style", "color: red");'),
        (INLINE_IN_SCRIPTS, "box.innerHTML = '<p style=\"color: red\">';"),
    ],
)
def test_the_scan_finds_what_it_looks_for(patterns, sample):
    assert any(pattern.search(sample) for pattern in patterns.values())


def test_the_scan_lets_data_blocks_and_scripts_from_files_through():
    for sample in (
        '<script src="/static/js/char-counter.js" defer></script>',
        '<script id="chat-strings" type="application/json">{"a": 1}</script>',
        '<button type="button" data-action="send">',
    ):
        assert not any(pattern.search(sample) for pattern in INLINE_IN_TEMPLATES.values())
