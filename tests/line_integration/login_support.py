"""The phone's side of LINE Login for Django-client tests: our site answers through the test
client, LINE's pages (the stand-in's) through real HTTP, as an in-app browser goes back and
forth between them."""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.urls import reverse

from line_integration.standin.login import SESSION_COOKIE


@dataclass
class Hop:
    """Where the browser ended up: our response, and the LINE page seen on the way (if any)."""

    response: object
    line_pages: list


def _site_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def to_line(client, next_path: str | None = None, *, query: str = "") -> str:
    """Open our LINE entry; returns LINE's authorization URL it sends the browser to."""
    url = reverse("line:login")
    if next_path is not None:
        url += "?" + requests.compat.urlencode({"next": next_path})
    elif query:
        url += "?" + query
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def line_answers(authorize_url: str, line_user_id: str | None, *, decide: str = "allow") -> tuple:
    """The in-app browser at LINE's authorization page, logged in to LINE as ``line_user_id``:
    returns (callback URL LINE sends back to, list of LINE pages shown)."""
    session = requests.Session()
    if line_user_id:
        host = urlsplit(authorize_url).hostname
        session.cookies.set(SESSION_COOKIE, line_user_id, domain=host, path="/")
    pages = []
    response = session.get(authorize_url, allow_redirects=False, timeout=5)
    while response.status_code == 200:
        pages.append(response.text)
        request_id = re.search(r'name="request" value="([^"]+)"', response.text)
        assert request_id, response.text
        data = {"request": request_id.group(1)}
        if 'name="step" value="login"' in response.text:
            data.update(step="login", user=line_user_id)
        else:
            data.update(step=decide, user=line_user_id)
        base = authorize_url.split("/oauth2/")[0]
        response = session.post(
            base + "/oauth2/v2.1/authorize", data=data, allow_redirects=False, timeout=5
        )
    assert response.status_code == 302, (response.status_code, response.text[:300])
    return response.headers["Location"], pages


def sign_in_with_line(client, line_user_id: str, next_path: str | None = "/complaints/new/"):
    """Tap a LINE link to our site while logged in to LINE: our response after the callback."""
    callback, pages = line_answers(to_line(client, next_path), line_user_id)
    return Hop(client.get(_site_path(callback)), pages)
