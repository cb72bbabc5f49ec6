"""The client's address: one rule for the log-in lockout (django-axes), the personal-data access
log, consent records and rate limits."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address of whoever sent the request, trusting exactly ``settings.PROXY_COUNT``
    reverse proxies in front of the site.

    Each proxy appends the address it was connected from to X-Forwarded-For (nginx's
    ``$proxy_add_x_forwarded_for``), so with N proxies the N-th entry from the right is the
    one the outermost proxy saw. Entries further left were written by the client and may say
    anything: they are never read. Without proxies (N = 0), or when the header is shorter than
    the proxies would have made it (the request went around them), it is the connection's own
    address.
    """
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


def _address(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value or "").strip()))
    except ValueError:
        return None
