"""One client-address rule for the lockout, the access log, consent records and rate limits:
exactly PROXY_COUNT trusted proxies, never an address the client wrote itself. (The same
through the real nginx: tests/deploy/test_nginx.py.)"""

import pytest
from django.test import RequestFactory

from core.http import client_ip

NGINX = "127.0.0.1"


def request(remote=NGINX, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy: the connection's address; a header the client sent is its own invention.
        (0, "203.0.113.5", None, "203.0.113.5"),
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),
        # nginx in front: the entry nginx appended, whatever the client put before it.
        (1, NGINX, "203.0.113.5", "203.0.113.5"),
        (1, NGINX, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (1, NGINX, "198.51.100.1,203.0.113.5", "203.0.113.5"),
        (1, NGINX, "2001:db8::7", "2001:db8::7"),
        # A load balancer, then nginx: the second entry from the right.
        (2, NGINX, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # Shorter than the proxies make it, or not an address: the connection's address.
        (1, NGINX, None, NGINX),
        (1, NGINX, "", NGINX),
        (2, NGINX, "203.0.113.5", NGINX),
        (1, NGINX, "198.51.100.1, not-an-address", NGINX),
    ],
)
def test_the_client_address_trusts_exactly_the_configured_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    assert client_ip(request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_the_lockout_counts_each_client_behind_the_proxy(client, settings):
    """Five failures from one phone behind nginx lock that phone, however it dresses its
    header; another phone behind the same nginx still logs in."""
    from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

    settings.PROXY_COUNT = 1
    user = UserFactory()
    for attempt in range(5):
        client.post(
            "/accounts/login/",
            {"username": f"nobody{attempt}", "password": "Wrong2569x"},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.5",
        )
    guesser = client.post(
        "/accounts/login/",
        {"username": user.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert guesser.status_code == 429

    neighbour = client.post(
        "/accounts/login/",
        {"username": user.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert neighbour.status_code == 302
