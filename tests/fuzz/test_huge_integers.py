"""Huge integers in every integer slot: a number too big for the database (SQLite refuses
anything past 2**63 - 1 with OverflowError; PostgreSQL's columns are 32 or 64 bits) is a 404
or a 400, never a 500.

- Paths: every route of the URLconf, Wagtail's admin included, with an ``<int:...>``, an
  ``<id:...>`` (core/ids.py) or an id-named ``<str:...>`` slot, and the routes of routable
  pages (news short links), each slot filled with a huge number; GET, and POST on our own
  routes.
- Query strings: every page of ours a person can open (as anyone, a citizen, an officer, an
  executive, an administrator; Wagtail's screens of our models included, its own screens are
  left to Wagtail as in test_endpoints.py) is read for the parameters its links and GET forms
  offer (filters, pagination, ordering); each is sent again with a huge number, one at a time
  and all at once, with the numeric parameters the pages' scripts send.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern

from accounts.roles import Role
from chat import services as chat_services
from chat.models import Conversation
from complaints.urls_tracking import TrackingNumberConverter
from core.ids import IdConverter
from tests.accounts.factories import StaffFactory
from tests.complaints.factories import ComplaintFactory
from tests.fuzz.report import count
from tests.fuzz.support import check_page
from tests.fuzz.test_endpoints import endpoints
from tests.news.support import make_news, news_index

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"  # 10**23 - 1, past every integer column
NEGATIVE = "-" + HUGE
ID_NAMES = re.compile(r"(^|_)(pk|id)$")


def walk(patterns, chain=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, (*chain, pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield (*chain, pattern.pattern), pattern


def fill_route(part: RoutePattern) -> tuple[str, bool]:
    """The route with its integer slots huge; (path, whether it had one)."""
    route, huge = str(part), False
    for name, converter in part.converters.items():
        if isinstance(converter, IntConverter | IdConverter) or (
            type(converter) is StringConverter and ID_NAMES.search(name)
        ):
            value, huge = HUGE, True
        elif isinstance(converter, UUIDConverter):
            value = "00000000-0000-0000-0000-000000000000"
        elif isinstance(converter, StringConverter | SlugConverter | PathConverter):
            value = "x"
        elif isinstance(converter, TrackingNumberConverter):
            value = "NSN-2569-000001"
        else:
            raise AssertionError(f"a converter this sweep does not know: {converter!r}")
        route = re.sub(rf"<(?:\w+:)?{name}>", value, route)
    return route, huge


def fill_regex(part: RegexPattern) -> tuple[str | None, bool]:
    """Wagtail's few regular-expression routes with digit groups: those huge, other groups
    "x"; (None, False) for the others (catch-alls, swept elsewhere)."""
    regex = part._regex.lstrip("^").rstrip("$")
    if "(" not in regex:
        return regex.replace("\\.", "."), False
    if r"\d" not in regex:
        return None, False
    huge = False

    def group(match):
        nonlocal huge
        if r"\d" in match.group(0) or (match.group(1) and ID_NAMES.search(match.group(1))):
            huge = True
            return HUGE
        return "x"

    path = re.sub(r"\((?:\?P<(\w+)>)?[^()]*\)", group, regex).replace("\\.", ".")
    assert not re.search(r"[\\^$()\[\]*+?]", path), f"cannot fill {part._regex!r}"
    return path, huge


def huge_paths() -> list[tuple[str, str]]:
    """(path, module of the view) of every route with an integer slot."""
    found = {}
    for chain, pattern in walk(get_resolver().url_patterns):
        bits, any_huge = [], False
        for part in chain:
            path, huge = fill_route(part) if isinstance(part, RoutePattern) else fill_regex(part)
            bits.append(path)
            any_huge |= huge
        if any_huge and None not in bits:
            callback = pattern.callback
            module = getattr(getattr(callback, "view_class", callback), "__module__", "")
            found.setdefault("/" + "".join(bits), module)
    return sorted(found.items())


OURS = ("accounts.", "addresses.", "chat.", "cms.", "complaints.", "core.", "dashboard.")
OURS += ("home.", "line_integration.", "news.")


@pytest.fixture
def admin_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(StaffFactory(is_superuser=True, role=Role.SUPERVISOR))
    return client


def checked(failures: list, response, what: str) -> None:
    """``check_page``, noting every failure so that one run lists them all."""
    try:
        check_page(response, what)
    except AssertionError as error:
        failures.append(str(error).splitlines()[0])


def test_huge_integers_in_every_path_slot(admin_client, citizen_client, officer_client):
    for client in (citizen_client, officer_client):
        client.raise_request_exception = False
    failures = []
    paths = huge_paths()
    anonymous = Client(raise_request_exception=False)
    assert len(paths) > 100, paths  # Wagtail's admin is in
    for path, module in paths:
        clients = [admin_client] if path.startswith("/admin/") else [citizen_client, anonymous]
        if module.startswith(OURS) and path.startswith("/admin/"):
            clients.append(officer_client)
        for client in clients:
            count("huge integer in the path")
            checked(failures, client.get(path), f"GET {path}")
            if module.startswith(OURS):
                checked(failures, client.post(path, {}), f"POST {path}")
    assert not failures, "\n".join(failures)


def test_huge_integers_in_routable_page_routes(citizen_client):
    index = news_index()
    make_news()
    for pattern in index.get_subpage_urls():
        path, huge = fill_route(pattern.pattern)
        if huge:
            url = index.url + path
            count("huge integer in the path")
            check_page(Client().get(url), f"GET {url}")
            check_page(citizen_client.get(url), f"GET {url}")


# --- query strings ----------------------------------------------------------------------------


class OfferedParameters(HTMLParser):
    """The query parameters a page offers: in its links to itself and its GET forms."""

    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.names: set[str] = set()
        self._get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            url = urlsplit(attrs["href"])
            if url.path in ("", self.path) and not url.netloc:
                self.names.update(name for name, _value in parse_qsl(url.query))
        elif tag == "form":
            self._get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select") and self._get_form and attrs.get("name"):
            if attrs.get("type") not in ("submit", "button", "hidden") or attrs.get("value"):
                self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._get_form = False


def offered(client, path: str) -> set[str]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    parser = OfferedParameters(path)
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.names | {"page", "p"}


def pages_to_read(citizen, officer) -> list[tuple[str, str]]:
    """(who, path): every page of the site without a slot in its path, as the person who uses
    it, with the list screens of the admin, and the pages with a slot that have filters."""
    complaint = ComplaintFactory(profile=citizen)
    conversation, _ = chat_services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=citizen.user, line_account=None
    )
    chat_services.citizen_message_receive(conversation=conversation, text="สวัสดีค่ะ")
    pages = []
    for endpoint in endpoints():  # ours, and Wagtail's screens of our models
        chain = endpoint.patterns
        if not all(isinstance(part, RoutePattern) and not part.converters for part in chain):
            continue
        path = "/" + endpoint.route
        if path == "/admin/failwhale/":
            continue  # Wagtail's page that fails on purpose, to test error reporting
        if path.startswith("/admin/"):
            pages.append(("admin", path))
        elif path.startswith("/dashboard/"):
            pages.append(("executive", path))
        elif not path.startswith(("/dev/", "/line/webhook", "/i18n/", "/captcha/")):
            pages.extend([("citizen", path), ("anonymous", path)])
    pages += [
        ("officer", "/admin/complaints/complaint/"),
        ("officer", f"/admin/complaints/complaint/inspect/{complaint.pk}/"),
        ("officer", f"/admin/chat/{conversation.pk}/"),
        ("citizen", f"/complaints/{complaint.tracking_number}/"),
        ("anonymous", "/news/"),
    ]
    return pages


# What the pages' scripts ask for (they are not links): the chat pollers and the inboxes.
SCRIPT_PARAMETERS = {
    "/chat/messages.json": {"after", "conversation"},
    "/admin/chat/inbox.json": {"after", "mine"},
}


def test_huge_integers_in_every_query_parameter(
    citizen, citizen_client, officer, officer_client, executive_client, admin_client
):
    for client in (citizen_client, officer_client, executive_client):
        client.raise_request_exception = False
    clients = {
        "anonymous": Client(raise_request_exception=False),
        "citizen": citizen_client,
        "officer": officer_client,
        "executive": executive_client,
        "admin": admin_client,
    }
    failures = []
    conversation_pages = []
    seen: dict[str, set[str]] = {}
    read = 0
    for who, path in pages_to_read(citizen, officer):
        client = clients[who]
        names = offered(client, path) | SCRIPT_PARAMETERS.get(path, set())
        seen.setdefault(path, set()).update(names)
        read += 1
        for value in (HUGE, NEGATIVE):
            for name in sorted(names):
                count("huge integer in the query")
                url = f"{path}?{urlencode({name: value})}"
                checked(failures, client.get(url), f"GET {url} as {who}")
            url = f"{path}?{urlencode(dict.fromkeys(sorted(names), value))}"
            checked(failures, client.get(url), f"GET {url} as {who}")
        conversation_pages.append(path)
    assert read > 30, conversation_pages
    # The officers' list offers its filters (the officer filter took 10**23 down on SQLite).
    assert {"officer", "p", "state__exact"} <= seen["/admin/complaints/complaint/"]
    conversation = Conversation.objects.get()
    for name in ("after", "seen"):
        url = f"/admin/chat/{conversation.pk}/messages.json?{name}={HUGE}"
        checked(failures, officer_client.get(url), f"GET {url}")
    assert not failures, "\n".join(failures)
