from django.http import Http404
from django.shortcuts import render

from home.services import SERVICES_BY_KEY


def coming_soon(request, service: str):
    """A real page for a service whose feature is still being built: no dead links."""
    try:
        found = SERVICES_BY_KEY[service]
    except KeyError as exc:
        raise Http404 from exc
    return render(request, "home/coming_soon.html", {"service": found})
