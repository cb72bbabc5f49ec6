"""The Content-Security-Policy of every page (django-csp), with what depends on other settings.

``settings.CONTENT_SECURITY_POLICY`` is the citizens' policy: scripts, styles, fonts, frames and
requests only from this site, no inline script or style, no plug-ins, no framing, forms posting
only here. Two hosts come from other settings and are added here, at request time, so that a
change of those settings (or a test's) is a change of one place:

- ``MAP_TILE_URL`` may point the complaint form's map at another tile server (img-src);
- ``LINE_ACCESS_HOST``: confirming an account link posts to us and is redirected to LINE's
  account-link dialog, and browsers hold a form's redirects to form-action as well.

The Wagtail admin's screens get ``settings.CONTENT_SECURITY_POLICY_ADMIN`` on top, because
Wagtail's own widgets still write inline scripts and styles (README, "Content security
policy"). Its pages that anybody can open (log-in, password reset) keep the strict policy.
Wagtail renders a preview through the whole middleware stack with a stand-in request for the
page's own address; that inner answer gets the citizens' policy, framed by the editor only.
Responses that already carry a policy keep theirs (protected downloads, Wagtail's image and
document views), and so do views decorated with django-csp's decorators.
"""

from urllib.parse import urlsplit

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import NoReverseMatch, reverse

# Wagtail admin pages open to anybody: no widget with inline script on them.
PUBLIC_ADMIN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


def source_of(url: str) -> str | None:
    """The scheme and host of an absolute address, as a CSP source; None for a local path.
    A Leaflet subdomain placeholder (``https://{s}.tile.example``) becomes a wildcard."""
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def is_admin_screen(request) -> bool:
    """A Wagtail admin page that only a logged-in officer or editor can reach."""
    try:
        prefix = reverse("wagtailadmin_home")
    except NoReverseMatch:
        return False
    if not request.path_info.startswith(prefix):
        return False
    match = getattr(request, "resolver_match", None)
    return match is None or match.url_name not in PUBLIC_ADMIN_VIEWS


def _sources(value) -> list:
    return [value] if isinstance(value, str) else list(value or ())


def _merge(first: dict | None, second: dict) -> dict:
    merged = {key: _sources(value) for key, value in (first or {}).items()}
    for key, value in second.items():
        merged[key] = merged.get(key, []) + _sources(value)
    return merged


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the hosts above and the admin's exceptions."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts  # a view's own complete policy (django-csp's @csp) stands as it is
        additions: dict[str, list[str]] = {}
        tiles = source_of(settings.MAP_TILE_URL)
        if tiles:
            additions["img-src"] = [tiles]
        line = source_of(settings.LINE_ACCESS_HOST)
        if line:
            additions["form-action"] = [line]
        replace = {}
        if getattr(request, "is_dummy", False):  # Wagtail's preview, inside the editor
            replace["frame-ancestors"] = [SELF]
        elif is_admin_screen(request):
            admin = settings.CONTENT_SECURITY_POLICY_ADMIN
            replace.update(admin.get("REPLACE", {}))
            additions = _merge(additions, admin.get("UPDATE", {}))
        parts.replace = {**replace, **(parts.replace or {})}
        parts.update = _merge(parts.update, additions)
        return parts
