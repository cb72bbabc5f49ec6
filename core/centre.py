"""Who the centre is, as every page, email and LINE message names it: the site settings an
editor fills in the admin (Settings → ข้อมูลศูนย์, core.models.CentreSettings), with the
configured province's usual values where a field is blank (core/province.py).

Pages get it as ``centre`` in their context (``context_processor``); code without a request
(LINE handlers, tasks, emails) calls ``identity()``. A database that does not answer gives the
province's values rather than an error: error pages must still draw.
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.utils import translation
from django.utils.functional import SimpleLazyObject, lazy

from core import province

NATIONAL_HOTLINE = "1567"  # ศูนย์ดำรงธรรม's one number across the country


class Centre:
    """The identity, in the language of the moment (read at each use)."""

    def __init__(self, stored=None):
        self.stored = stored
        self.province = province.current()

    def _field(self, name: str) -> str:
        return (getattr(self.stored, name, "") or "").strip()

    @staticmethod
    def _english() -> bool:
        return (translation.get_language() or "th").startswith("en")

    @property
    def name(self) -> str:
        if self._english():
            return self._field("name_en") or self.province.centre_name("en")
        return self._field("name") or self.province.centre_name("th")

    @property
    def name_th(self) -> str:
        """Thai whatever the page's language: LINE messages are always Thai."""
        return self._field("name") or self.province.centre_name("th")

    @property
    def address(self) -> str:
        if self._english():
            return self._field("address_en") or (
                "Bangkok City Hall"
                if self.province.is_bangkok
                else f"{self.province.name_en} Provincial Hall"
            )
        return self._field("address") or self.province.city_hall_th

    @property
    def address_th(self) -> str:
        return self._field("address") or self.province.city_hall_th

    @property
    def hotline(self) -> str:
        return self._field("hotline") or NATIONAL_HOTLINE

    @property
    def line_oa_id(self) -> str:
        return self._field("line_oa_id")

    @property
    def line_add_friend_url(self) -> str:
        """LINE's "add friend" link for the account, or "" without an ID."""
        oa_id = self.line_oa_id
        if not oa_id:
            return ""
        return f"https://line.me/R/ti/p/{quote(oa_id if oa_id.startswith('@') else '@' + oa_id)}"

    @property
    def logo(self):
        return getattr(self.stored, "logo", None) if self.stored is not None else None


# What each process read, by the host asked for (None: the default site), with when it read
# it. Every page and every LINE answer names the centre, and the two queries behind it (the
# site, its settings) were a tenth of a citizen's page; the settings change a few times a year.
# A save or delete in this process forgets at once (``forget``, connected in CoreConfig.ready);
# other processes and nodes read it again within ``CENTRE_CACHE_SECONDS``.
_read: dict[tuple | None, tuple[float, "Centre"]] = {}


def identity(request=None) -> Centre:
    """The centre of ``request``'s site, or of the default site without one. Only reads (never
    Wagtail's ``for_site``, which creates the row: no write on a page view), at most once per
    ``CENTRE_CACHE_SECONDS`` in a process for each host."""
    found = getattr(request, "_centre_identity", None)
    if found is not None:
        return found
    key = _host_of(request) if request is not None else None
    kept = _read.get(key)
    if kept is not None and time.monotonic() - kept[0] < settings.CENTRE_CACHE_SECONDS:
        found = kept[1]
    else:
        read_at = time.monotonic()
        found = _from_database(request)
        if found is None:
            return Centre(None)  # the database did not answer: nothing kept
        if key != "unknown":
            _read[key] = (read_at, found)
    if request is not None:
        request._centre_identity = found
    return found


def _host_of(request) -> tuple | str:
    try:
        return (request.get_host().lower(), request.get_port())
    except DisallowedHost:  # read for this request, never kept
        return "unknown"


def _from_database(request) -> Centre | None:
    from wagtail.models import Site

    from core.models import CentreSettings

    try:
        if request is not None:
            site = Site.find_for_request(request)
        else:
            site = Site.objects.filter(is_default_site=True).first()
        stored = (
            CentreSettings.objects.filter(site=site).select_related("logo").first()
            if site is not None
            else None
        )
    except DatabaseError:
        return None
    return Centre(stored)


def forget(*args, **kwargs) -> None:
    """Read the centre again at its next use (a signal receiver, and for tests)."""
    _read.clear()


def connect() -> None:
    """Called from CoreConfig.ready(): this process forgets what it read when the settings,
    a site or an image (the logo) change."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from core.models import CentreSettings

    for model in (CentreSettings, Site, get_image_model()):
        for signal in (post_save, post_delete):
            signal.connect(forget, sender=model, dispatch_uid=f"core-centre-{model.__name__}")


def defaults() -> Centre:
    """The province's values alone, without the database (error pages)."""
    return Centre(None)


def context_processor(request) -> dict:
    """``centre`` in every page's context; asked of the database only when a page uses it."""
    return {"centre": SimpleLazyObject(lambda: identity(request))}


def texts(request=None) -> dict[str, str]:
    """What messages put in their %(name)s, %(address)s and %(hotline)s: the centre's, in the
    language of the moment (LINE messages are written under Thai)."""
    found = identity(request)
    return {"name": found.name, "address": found.address, "hotline": found.hotline}


def filled(message) -> str:
    """``message`` (a lazy text with %(name)s, %(address)s or %(hotline)s) filled in only when
    it is read: for texts defined once at import, which are read in many requests."""
    return lazy(lambda: str(message) % texts(), str)()


def seed_texts() -> dict[str, str]:
    """``{centre}`` and ``{hotline}`` for the texts seeded at migrate (privacy notice, consent,
    the home page's title): the province's usual values; editors change the texts afterwards."""
    return {"centre": province.current().centre_name("th"), "hotline": NATIONAL_HOTLINE}
