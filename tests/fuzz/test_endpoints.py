"""Every endpoint of the URLconf, enumerated from ``django.urls.get_resolver()``.

``test_every_endpoint_is_swept`` fails when an endpoint appears that this sweep does not know:
it must then get a dedicated fuzz test (``DEDICATED``) or be named in ``SWEPT_ONLY``. Wagtail's
own admin is left to Wagtail; our screens inside /admin/ are in.

``test_endpoint_sweep`` sends every endpoint hostile requests as anyone, a citizen, an officer
or an executive: any method, a path drawn from the route's own pattern (converters and
regexes included), a hostile query string and body. It must never answer 500, never show a
markup payload raw, and a refusal (4xx) must leave no row behind.
"""

from dataclasses import dataclass
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AccountClosureRequest, CitizenProfile, ConsentRecord, User
from accounts.roles import Role
from complaints.models import Complaint, EvidenceFile, SatisfactionRating, StateChange
from line_integration.models import LineAccount, OutboundMessage, WebhookEvent
from tests.accounts.factories import StaffFactory
from tests.complaints.factories import ComplaintFactory
from tests.fuzz.strategies import ENCODINGS, form_posts, hostile_text
from tests.fuzz.support import assert_unchanged, isolated, send, snapshot, urlencoded

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts.", "addresses.", "chat.", "cms.", "complaints.", "core.", "dashboard.")
OUR_APPS += ("alerts.", "home.")
OUR_APPS += ("line_integration.", "news.")
OUR_APPS += ("open311.", "opendata.")


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str
    module: str
    patterns: tuple

    @property
    def ours(self) -> bool:
        if not self.route.startswith("admin/"):
            return True
        return self.module.startswith(OUR_APPS) or self.name.startswith("complaints_complaint")


def walk(patterns, route="", namespace="", chain=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(
                pattern.url_patterns, route + str(pattern.pattern), ns, (*chain, pattern.pattern)
            )
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            module = getattr(callback, "__module__", "") or ""
            if hasattr(callback, "view_class"):
                module = callback.view_class.__module__
            yield Endpoint(
                route=route + str(pattern.pattern),
                name=namespace + (pattern.name or ""),
                module=module,
                patterns=(*chain, pattern.pattern),
            )


def endpoints() -> list[Endpoint]:
    found = {}
    for endpoint in walk(get_resolver().url_patterns):
        if endpoint.ours:
            found.setdefault((endpoint.route, endpoint.name), endpoint)
    return sorted(found.values(), key=lambda e: (e.name, e.route))


# Endpoints that take input and have a test of their own, deeper than the sweep below.
DEDICATED = {
    "accounts:register": "test_accounts.py::test_registration_steps",
    "accounts:login": "test_accounts.py::test_login",
    "accounts:password_reset": "test_accounts.py::test_password_reset",
    "wagtailadmin_password_reset": "test_accounts.py::test_password_reset",
    "accounts:password_reset_confirm": "test_accounts.py::test_password_reset_confirm",
    "accounts:password_change": "test_accounts.py::test_password_change",
    "accounts:profile_edit": "test_accounts.py::test_profile_edit",
    "accounts:close_account": "test_accounts.py::test_close_account",
    "addresses:districts": "test_public.py::test_address_selects",
    "addresses:subdistricts": "test_public.py::test_address_selects",
    "complaints:new": "test_complaints.py::test_consent_page",
    "complaints:wizard": "test_complaints.py::test_complaint_wizard_steps",
    "complaints:done": "test_complaints.py::test_done_page",
    "complaints:evidence_download": "test_complaints.py::test_evidence_download",
    "complaints:mine": "test_complaints.py::test_my_complaints",
    "complaints:detail": "test_complaints.py::test_tracking_detail_query",
    "complaints:rate": "test_complaints.py::test_rating",
    "complaints:reopen": "test_complaints.py::test_reopen",
    "line:webhook": "test_line.py::test_webhook",
    "line:link": "test_line.py::test_link",
    "line:unlink": "test_line.py::test_unlink",
    "dashboard:index": "test_staff.py::test_dashboard_filters",
    "dashboard:export_xlsx": "test_staff.py::test_dashboard_filters",
    "dashboard:export_pdf": "test_staff.py::test_dashboard_pdf_export",
    "complaints_complaint_modeladmin_index": "test_staff.py::test_admin_complaint_list",
    "complaints_complaint_modeladmin_inspect": "test_staff.py::test_admin_case_actions",
    "complaints_admin:history_attachment": "test_staff.py::test_admin_case_page_and_history…",
    "set_language": "test_public.py::test_language_switch",
    "core:robot-check-challenge": "test_public.py::test_robot_check_challenge",
    "wagtail_serve": "test_public.py::test_wagtail_pages (news list, feed, preferences too)",
    "wagtaildocs_serve": "test_public.py::test_wagtail_documents",
    "wagtaildocs_authenticate_with_password": "test_public.py::test_wagtail_private_page_logins",
    "wagtailcore_authenticate_with_password": "test_public.py::test_wagtail_private_page_logins",
    "wagtailcore_login": "test_public.py::test_wagtail_private_page_logins",
    "chat:conversation": "test_chat.py::test_citizen_chat_message",
    "chat:messages": "test_chat.py::test_citizen_chat_polling",
    "chat:end": "test_chat.py::test_citizen_chat_actions",
    "chat:start": "test_chat.py::test_citizen_chat_actions",
    "chat:rate": "test_chat.py::test_citizen_chat_actions",
    "chat:image": "test_chat.py::test_chat_images",
    "chat_admin:inbox": "test_chat.py::test_officer_chat_pages",
    "chat_admin:inbox_json": "test_chat.py::test_officer_chat_pages",
    "chat_admin:conversation": "test_chat.py::test_officer_chat_reply",
    "chat_admin:messages_json": "test_chat.py::test_officer_chat_pages",
    "chat_admin:image": "test_chat.py::test_chat_images",
    "complaints:nearby": "tests/complaints/test_nearby.py::test_the_hint_page_refuses_bad_numbers…",
    "complaints:follow": "tests/complaints/test_nearby.py::test_only_what_the_hint_offers_can_be…",
    "complaints:unfollow": "tests/complaints/test_nearby.py::test_a_follower_may_stop_following",
    "complaints_admin:bulk": "tests/complaints/test_bulk.py (stale versions, permissions, reasons)",
    "alerts:preferences": "tests/alerts/test_alerts.py::test_staff_turn_alerts_off_on_their…",
    "open311:requests": "test_open311.py::test_open311_post, test_open311_reads",
    "open311_keys:add": "tests/open311/test_admin.py (supervisors only, key shown once)",
    "open311_keys:revoke": "tests/open311/test_admin.py (supervisors only)",
}
# Endpoints whose only input is the method, the query string and the path: the sweep covers
# them (reason given).
SWEPT_ONLY = {
    "healthz": "no input",
    "line:login": "next (only our paths) and retry; sends the browser to LINE",
    "line:login_callback": "LINE's answer: Authlib refuses an unknown state, code or token",
    "line:link_account": "needs a LINE user verified in this session, else back to LINE",
    "line:login_account": "the seed's log-in form (as accounts:login), after LINE",
    "line:register": "the registration forms (as accounts:register), after LINE",
    "accounts:logout": "POST only, no fields",
    "wagtailadmin_logout": "POST only, no fields",
    "accounts:profile": "the citizen's own page, no input",
    "accounts:my_data": "no input",
    "accounts:my_data_download": "no input",
    "accounts:password_reset_done": "no input",
    "accounts:password_reset_complete": "no input",
    "complaints:track": "a redirect",
    "complaints:following": "the citizen's own list of joined cases, no input",
    "news_resend_line": "an editor's button, the page id only",
    "wagtailadmin_login": "Wagtail's log-in form (lockout: tests/accounts/test_admin_login.py)",
    "open311:discovery": "no input",
    "open311:root": "no input (the services list)",
    "open311:services": "jurisdiction_id only",
    "open311:service": "the service code in the path",
    "open311:request": "the tracking number in the path",
    "opendata:index": "no input",
    "opendata:monthly_csv": "the fiscal year in the path, header=th",
    "opendata:monthly_json": "the fiscal year in the path",
}
ADMIN_PREFIXES = ("complaints_complaint_modeladmin_", "wagtailsnippets_", "line_outbox:")
ADMIN_PREFIXES += ("wagtailsnippetchoosers_", "open311_keys:")


def unknown(names) -> list[str]:
    return sorted(
        name
        for name in names
        if name not in DEDICATED and name not in SWEPT_ONLY and not name.startswith(ADMIN_PREFIXES)
    )


def test_every_endpoint_is_swept():
    found = endpoints()
    assert len(found) > 40, [e.route for e in found]
    missing = unknown({endpoint.name for endpoint in found})
    assert not missing, f"endpoints the bad-input sweep does not know: {missing}"


# --- the sweep --------------------------------------------------------------------------------


def path_strategy(endpoint: Endpoint):
    """A path this endpoint resolves: each level drawn from its own regular expression."""
    parts = [st.from_regex(pattern.regex, fullmatch=True) for pattern in endpoint.patterns]
    return st.tuples(*parts).map(
        lambda bits: "/" + quote_from_bytes("".join(bits).encode("utf-8"), safe=b"/")
    )


ROWS = (
    User,
    CitizenProfile,
    ConsentRecord,
    AccountClosureRequest,
    Complaint,
    EvidenceFile,
    StateChange,
    SatisfactionRating,
    LineAccount,
    OutboundMessage,
    WebhookEvent,
)
METHODS = ("GET", "GET", "POST", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS")


@pytest.fixture
def people(citizen, officer):
    ComplaintFactory(profile=citizen)
    clients = {"anonymous": Client()}
    for role, user in (
        ("citizen", citizen.user),
        ("officer", officer),
        ("executive", StaffFactory(role=Role.EXECUTIVE)),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


SWEEP_EXAMPLES = max(3, settings().max_examples // 3)


@pytest.mark.parametrize("endpoint", endpoints(), ids=lambda e: e.name or e.route)
@settings(max_examples=SWEEP_EXAMPLES)
@given(data=st.data())
def test_endpoint_sweep(people, endpoint, data):
    who = data.draw(st.sampled_from(sorted(people)), label="who")
    method = data.draw(st.sampled_from(METHODS), label="method")
    path = data.draw(path_strategy(endpoint), label="path")
    query = data.draw(
        st.dictionaries(hostile_text(oversized=False), hostile_text(), max_size=3), label="query"
    )
    form = data.draw(form_posts(["name", "id", "next", "q", "page"]), label="body")
    client = people[who]
    with isolated(client):
        before = snapshot(*ROWS)
        if method == "GET":
            response = send(client, endpoint.name or endpoint.route, "GET", path, query)
        else:
            body, encoding, raw = form
            response = send(
                client,
                endpoint.name or endpoint.route,
                method,
                path,
                body,
                encoding=encoding if encoding in ENCODINGS else "multipart",
                raw=raw,
                query=urlencoded(query) if query else None,
            )
        if 400 <= response.status_code < 500:
            assert_unchanged(before, ROWS, f"{method} {path} as {who}")
