"""Anonymous visitors' copies of the public pages: home, the news list and each news item.

Most people who open the home page or a news item from LINE are not logged in, and they all
see the same page. The first such visit stores the page; the next ones are answered from the
cache before any session, user or page is read from the database. Any change to a page (a
publish, an unpublish, a draft saved, a move, a delete), to a picture or to page privacy
throws every stored copy away at once, so nobody sees yesterday's news once an editor has
pressed publish: the news list and the home page show the newest items.

What is stored, and for whom (never with DEBUG on, so that template edits show at once):

- only pages that opt in (``CachedForAnonymousMixin``), answered 200 to a GET from a visitor
  without a session and without pending messages: without a session nothing on a page can be
  personal. Logged-in citizens, the wizards and every form page are never cached;
- once per language (the header's switch) and per full address, query string included;
- the header's forms (language switch) carry a CSRF token: it is taken out before the page is
  stored and each visitor's own token is put back when it is served, with its cookie, so no
  visitor ever gets another visitor's token.

Copies live in the "pages" cache (settings.CACHES), which every web process and node must
share, or a publish would purge only the copies of the process that handled it. A stored copy
belongs to the generation of the cache it was rendered in; a purge starts a new generation, both
at once and again when the editor's transaction commits, so a page rendered from the old content
in between is never served.
"""

import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

ALIAS = "pages"
GENERATION = "generation"
HEADER = "X-Page-Cache"
TOKEN_PLACEHOLDER = b"@@page-cache-csrf-token@@"
TOKEN_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage


class CachedForAnonymousMixin:
    """A page type whose live pages anonymous visitors may get from the page cache."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions():
            response.cache_for_anonymous = True
        return response


def _cache():
    return caches[ALIAS]


def _key(request) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{request.LANGUAGE_CODE}:{digest}"


def _is_page_address(request) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve"


def _may_use_cache(request) -> bool:
    return (
        not settings.DEBUG  # development: a template edit shows at once
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and _is_page_address(request)
    )


def _current_generation(cache) -> str:
    generation = cache.get(GENERATION)
    if generation is None:
        cache.add(GENERATION, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION)
    return generation


class AnonymousPageCacheMiddleware:
    """Serves and stores the copies. Sits after CsrfViewMiddleware (which sets the visitor's
    CSRF cookie on the way out) and before AuthenticationMiddleware (a hit reads no user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _key(request)
        try:
            found = _cache().get_many([GENERATION, key])
            generation = found.get(GENERATION) or _current_generation(_cache())
        except Exception:  # a cache that is down must not take the site down
            logger.exception("Page cache unavailable; serving without it.")
            return self.get_response(request)
        stored = found.get(key)
        if stored is not None and stored["generation"] == generation:
            return self._serve(request, stored)
        response = self.get_response(request)
        if self._may_store(request, response):
            self._store(key, generation, response)
        return response

    @staticmethod
    def _serve(request, stored: dict) -> HttpResponse:
        content = stored["content"].replace(TOKEN_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in stored["headers"].items():
            response[name] = value
        response[HEADER] = "hit"
        return response

    @staticmethod
    def _may_store(request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            getattr(response, "cache_for_anonymous", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies  # e.g. a message queued for the next page
            and not request.user.is_authenticated
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def _store(key: str, generation: str, response) -> None:
        content = TOKEN_VALUE.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", response.content)
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "set-cookie", "vary")
        }
        entry = {"generation": generation, "content": content, "headers": headers}
        try:
            _cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache unavailable; page not stored.")
            return
        response[HEADER] = "miss"


def purge() -> None:
    """Throw away every stored page: now, and again once the current transaction commits."""

    def new_generation():
        # In a savepoint: on PostgreSQL a failed statement (the table not made yet, during
        # migrate) would otherwise abort the caller's whole transaction.
        try:
            with transaction.atomic():
                _cache().set(GENERATION, uuid.uuid4().hex, None)
        except Exception:
            logger.exception("Page cache could not be purged.")

    new_generation()
    transaction.on_commit(new_generation)


def purge_on_change(sender, instance=None, **kwargs) -> None:
    """post_save / post_delete of anything a cached page shows; post_page_move."""
    if isinstance(instance, _shown_kinds()):
        purge()


def create_table(sender, using="default", **kwargs) -> None:
    """After migrate (and after a test flush): the database cache's table exists and is empty."""
    call_command("createcachetable", database=using, verbosity=0)
    purge()


def connect(app_config) -> None:
    """Called from CoreConfig.ready()."""
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.signals import post_page_move

    post_migrate.connect(create_table, sender=app_config, dispatch_uid="core-page-cache-table")
    # Each model a page shows, not every sender: a post_delete receiver for every model made
    # Django read each row before deleting it (no fast delete), whatever was deleted, e.g.
    # django-axes' records at every log-in.
    for model in shown_models():
        for signal in (post_save, post_delete):
            uid = f"core-page-cache-purge-{model._meta.label_lower}"
            signal.connect(purge_on_change, sender=model, dispatch_uid=uid)
    post_page_move.connect(purge_on_change, dispatch_uid="core-page-cache-purge")


def shown_models() -> list:
    """The models whose rows a cached page may show (every page type and image model)."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, _shown_kinds())]


def _shown_kinds() -> tuple:
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page, PageViewRestriction

    from core.models import CentreSettings  # every page's header and footer

    return (Page, AbstractImage, PageViewRestriction, CentreSettings)
