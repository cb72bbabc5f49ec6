"""The officers' admin is Thai: every page a case officer, supervisor, news editor or agency
member opens reads in Thai, screen-reader labels, tooltips, dialogs (the keyboard
shortcuts one) and the window title included. What Wagtail 8's Thai catalogue lacks is in
locale/th; the title ends with the centre's name (templates/wagtailadmin/admin_base.html).

Left as they are: names and numbers (tracking numbers, e-mail addresses), file types and the
names of keys and programs people know them by (CSV, Excel, PDF, Ctrl, JavaScript), the
English language's own name in the language choice, and the world's time zone names."""

import re
from html.parser import HTMLParser

import pytest

from accounts.roles import Role
from tests.accounts.factories import StaffFactory
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

LABELS = ("aria-label", "title", "placeholder", "alt", "data-w-tooltip-content-value")
NAMES = re.compile(
    r"[\w.+-]+@[\w.-]+"  # e-mail addresses
    r"|\b[A-Z]{2,5}-\d{4}-\d{6}\b"  # tracking numbers
    r"|\bx-xxxx-xxxxx-\d\d-\d\b"  # a national ID shown masked
    r"|\b(?:CSV|Excel|PDF|JPEG|PNG|HEIC|MB|JavaScript|LINE|Wagtail|English)\b"
    r"|\b(?:Ctrl|Alt|Shift|Esc|Cmd|Enter|Tab)\b"
)
ENGLISH = re.compile(r"[A-Za-z]{3,}")


class _Text(HTMLParser):
    """What a person sees or hears: text and labels, not scripts, styles, what is hidden or
    time zone names."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._open: list[tuple[str, bool]] = []  # tag, and whether what is inside is left out

    @property
    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self._skipping and "hidden" not in attrs:
            self.found += [attrs[name] for name in LABELS if attrs.get(name)]
        if tag not in self.VOID:
            skip = tag in ("script", "style") or "hidden" in attrs
            skip = skip or attrs.get("name") == "locale-current_time_zone"
            self._open.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.found.append(" ".join(data.split()))


def english_on(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return sorted({text for text in parser.found if ENGLISH.search(NAMES.sub("", text))})


ADMIN_PAGES = (
    "/admin/",
    "/admin/complaints/complaint/",
    "/admin/complaints/complaint/inspect/{case}/",
    "/admin/account/",
    "/admin/pages/",
    "/admin/snippets/",
)


# Executives read their dashboard outside the admin, which lets them in no further than its log-in.
ADMIN_ROLES = [role for role in Role if role is not Role.EXECUTIVE]


@pytest.mark.parametrize("role", ADMIN_ROLES, ids=lambda role: role.name.lower())
def test_every_admin_page_an_officer_opens_is_thai(client, role):
    case = ComplaintFactory()
    client.force_login(StaffFactory(role=role))

    english = {}
    for address in ADMIN_PAGES:
        response = client.get(address.format(case=case.pk), follow=True)
        if response.status_code == 200 and response.request["PATH_INFO"].startswith("/admin/"):
            english[response.request["PATH_INFO"]] = english_on(response.content.decode())

    assert english, "no admin page opened"
    assert not {page: left for page, left in english.items() if left}, english


def test_the_admin_window_title_names_the_centre(client):
    client.force_login(StaffFactory(role=Role.SUPERVISOR))

    html = client.get("/admin/complaints/complaint/").content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.split() == ["เรื่องร้องเรียน", "-", "ศูนย์ดำรงธรรมจังหวัดนครสวรรค์"]
