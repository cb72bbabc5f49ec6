"""What the official account answers: a registry that domain apps extend, and the built-ins.

Dependencies point one way: line_integration never imports complaints, news and so on. Those
apps put their handlers in ``<app>/line_handlers.py`` (imported on the first event) and use::

    from line_integration.handlers import register_postback, register_text

    @register_postback("menu=track", purpose="complaints.track")
    def track(ctx):            # ctx: EventContext
        return [messages.text("...")]   # replied with the event's reply token

A handler returns the messages to reply with (or None when it replied or pushed itself).
Each postback, event type, text pattern and interceptor is registered once: a second
registration raises ``AlreadyRegistered`` unless it passes ``override=True``. Tests register
inside ``temporary_handlers()``, which undoes them.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl

import urllib3
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from linebot.v3.messaging.exceptions import ApiException

from core import centre, menu
from core.registry import Registry
from line_integration import messages as msg
from line_integration import selectors, services
from line_integration.client import messaging_api

Handler = Callable[["EventContext"], list[dict] | None]


@dataclass
class EventContext:
    """One webhook event, with what handlers usually need from it."""

    event: dict
    record: object | None = None
    match: re.Match | None = None
    answers: list[tuple[list[dict], str]] = field(default_factory=list, repr=False)

    @property
    def type(self) -> str:
        return str(self.event.get("type") or "")

    def _part(self, name: str) -> dict:
        """A sub-object of the event; anything malformed reads as empty, never an error."""
        value = self.event.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def source(self) -> dict:
        return self._part("source")

    @property
    def line_user_id(self) -> str | None:
        return self.source.get("userId")

    @property
    def is_from_user(self) -> bool:
        """Only one-to-one chats get answers; the account does not talk in groups."""
        return self.source.get("type") == "user" and bool(self.line_user_id)

    @property
    def message(self) -> dict:
        return self._part("message")

    @property
    def text(self) -> str:
        return str(self.message.get("text") or "") if self.message.get("type") == "text" else ""

    @property
    def postback_data(self) -> str:
        return str(self._part("postback").get("data") or "")

    @property
    def postback_params(self) -> dict:
        return dict(parse_qsl(self.postback_data, keep_blank_values=True))

    @cached_property
    def account(self):
        return selectors.line_account(self.line_user_id) if self.line_user_id else None

    @cached_property
    def user(self):
        """The linked site user, or None for a follower who has not linked an account."""
        account = self.account
        if account is None or not account.is_active or account.user is None:
            return None
        return account.user if account.user.is_active else None

    @property
    def reply_token(self) -> str | None:
        token = self.event.get("replyToken")
        return token if isinstance(token, str) and token else None

    def reply(self, messages: list[dict], *, purpose: str) -> None:
        """Answer the event. The first answer goes with the event's reply token once the
        handler is done (line_integration.webhook); a later one is pushed after it, as is the
        first when LINE will not take the reply (a token works once, for about a minute)."""
        msg.validate(messages)
        self.answers.append((messages, purpose))


@dataclass(frozen=True)
class Route:
    handler: Handler
    purpose: str


_event_routes: Registry[Route] = Registry("LINE event type")
_postback_routes: Registry[Route] = Registry("LINE postback")
_text_routes: Registry[tuple[re.Pattern, Route]] = Registry("LINE text pattern")
_message_interceptors: Registry[Route] = Registry("LINE message interceptor")


def _purpose(handler: Handler, purpose: str | None) -> str:
    return (purpose or f"line.reply.{handler.__module__}.{handler.__name__}")[:100]


def register_event(event_type: str, *, purpose: str | None = None, override: bool = False):
    """Handle an event type ("beacon") or a message type ("message.image")."""

    def decorator(handler: Handler) -> Handler:
        route = Route(handler, _purpose(handler, purpose))
        _event_routes.register(event_type, route, override=override)
        return handler

    return decorator


def register_postback(key: str, *, purpose: str | None = None, override: bool = False):
    """Handle postbacks whose data has the pair ``key`` ("menu=track"), or a bare key name."""

    def decorator(handler: Handler) -> Handler:
        route = Route(handler, _purpose(handler, purpose))
        _postback_routes.register(key, route, override=override)
        return handler

    return decorator


def register_text(pattern: str | re.Pattern, *, purpose: str | None = None, override: bool = False):
    """Handle text messages that fully match ``pattern`` (stripped; ctx.match holds groups).
    Patterns are tried in registration order."""
    compiled = re.compile(pattern, re.IGNORECASE) if isinstance(pattern, str) else pattern

    def decorator(handler: Handler) -> Handler:
        route = Route(handler, _purpose(handler, purpose))
        key = (compiled.pattern, compiled.flags)
        _text_routes.register(key, (compiled, route), override=override)
        return handler

    return decorator


def register_message_interceptor(*, purpose: str | None = None, override: bool = False):
    """See a user's message before the bot does: a handler that returns None lets the bot
    answer as usual; anything else (a list, possibly empty) means the message was taken care
    of (live chat takes every message while a conversation is open)."""

    def decorator(handler: Handler) -> Handler:
        route = Route(handler, _purpose(handler, purpose))
        key = f"{handler.__module__}.{handler.__qualname__}"
        _message_interceptors.register(key, route, override=override)
        return handler

    return decorator


@contextmanager
def temporary_handlers() -> Iterator[None]:
    """For tests: handlers registered (or overridden) inside the block are gone after it. The
    domain apps' own handlers are loaded first, so they stay."""
    _autodiscover()
    with ExitStack() as stack:
        for registry in (_event_routes, _postback_routes, _text_routes, _message_interceptors):
            stack.enter_context(registry.temporarily())
        yield


_discovered = False


def _autodiscover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("line_handlers")


def dispatch(event: dict, *, record=None, ctx: EventContext | None = None) -> str:
    """Run the handler for one event; unknown event types are ignored, never an error.
    What it answers is in ``ctx.answers`` (pass ``ctx`` to read them).

    Events in "standby" mode belong to another channel's module (LINE chat, etc.) and are
    stored but not answered.
    """
    _autodiscover()
    if event.get("mode") == "standby":
        return "standby"
    ctx = ctx or EventContext(event=event, record=record)
    message_type = ctx.message.get("type")
    if ctx.type == "message" and ctx.is_from_user:
        for interceptor in _message_interceptors.values():
            answer = interceptor.handler(ctx)
            if answer is not None:
                if answer:
                    ctx.reply(answer, purpose=interceptor.purpose)
                return "intercepted"
    route = None
    if ctx.type == "message" and message_type:
        route = _event_routes.get(f"message.{message_type}")
    route = route or _event_routes.get(ctx.type)
    if route is None:
        return "ignored"
    return run(route, ctx)


def run(route: Route, ctx: EventContext) -> str:
    answer = route.handler(ctx)
    if answer:
        ctx.reply(answer, purpose=route.purpose)
    return "handled"


def postback_route(data: str) -> Route | None:
    """The route for postback data: the whole string, then each "k=v" pair, then each key."""
    pairs = parse_qsl(data, keep_blank_values=True)
    candidates = [data, *(f"{k}={v}" for k, v in pairs), *(k for k, _v in pairs)]
    for candidate in candidates:
        if candidate in _postback_routes:
            return _postback_routes.get(candidate)
    return None


# Standard answers ---------------------------------------------------------------------------


def service_action(service: menu.Service) -> dict:
    """A service of the menu as a LINE action: its postback, or its page through LINE Login."""
    label = _(service.line_label)
    if service.postback:
        return msg.postback_action(label, service.postback)
    return msg.uri_action(label, msg.signed_in_url(service.url))


def menu_actions(*, linked: bool) -> list[dict]:
    """The citizens' items of the rich menu as quick replies, for phones that hide the menu."""
    actions = [service_action(service) for service in menu.CITIZEN_SERVICES]
    if not linked:
        actions.append(msg.postback_action(_("เชื่อมต่อบัญชี"), "action=link"))
    return actions


def help_messages(ctx: EventContext) -> list[dict]:
    return [
        msg.text(
            _(
                "%(name)sยินดีให้บริการ กรุณาเลือกเมนูด้านล่าง "
                "เพื่อแจ้งเรื่องร้องเรียน ติดตามเรื่อง หรืออ่านข่าวประชาสัมพันธ์ "
                "สอบถามเพิ่มเติมโทรสายด่วน %(hotline)s"
            )
            % centre.texts(),
            quick_replies=menu_actions(linked=ctx.user is not None),
        )
    ]


def welcome_messages(ctx: EventContext, display_name: str) -> list[dict]:
    greeting = _("สวัสดีคุณ%(name)s") % {"name": display_name} if display_name else _("สวัสดี")
    if ctx.user is not None:
        lines = [
            greeting,
            _("บัญชี LINE นี้เชื่อมต่อกับบัญชี %(username)s แล้ว ท่านจะได้รับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE")
            % {"username": ctx.user.username},
        ]
        buttons = []
    else:
        lines = [
            greeting,
            _("ท่านแจ้งเรื่องร้องเรียนร้องทุกข์และติดตามความคืบหน้าได้ทาง LINE"),
            _(
                "ยังไม่มีบัญชี? กด “สมัครสมาชิก” ลงทะเบียนครั้งเดียว บัญชีจะเชื่อมต่อกับ LINE นี้ทันที "
                "และท่านจะได้รับแจ้งความคืบหน้าทาง LINE"
            ),
        ]
        buttons = [
            msg.uri_action(_("สมัครสมาชิก"), msg.signed_in_url(reverse("accounts:profile"))),
            msg.postback_action(_("เชื่อมต่อบัญชี"), "action=link"),
        ]
    return [
        msg.bubble(
            title=_("ยินดีต้อนรับสู่%(name)s") % centre.texts(),
            lines=lines,
            buttons=buttons,
            quick_replies=menu_actions(linked=ctx.user is not None),
        )
    ]


def fetch_display_name(line_user_id: str) -> str:
    """The LINE profile name; empty when LINE does not answer (the follow still counts)."""
    try:
        with messaging_api() as api:
            profile = api.get_profile(line_user_id, _request_timeout=settings.LINE_HTTP_TIMEOUT)
    except (ApiException, urllib3.exceptions.HTTPError, ValueError):
        return ""
    return profile.display_name or ""


# Built-in handlers --------------------------------------------------------------------------


@register_event("follow", purpose="line.welcome")
def on_follow(ctx: EventContext):
    if not ctx.is_from_user:
        return None
    display_name = fetch_display_name(ctx.line_user_id)
    account = services.record_follow(line_user_id=ctx.line_user_id, display_name=display_name)
    ctx.account = account
    return welcome_messages(ctx, display_name or account.display_name)


@register_event("unfollow")
def on_unfollow(ctx: EventContext):
    if ctx.line_user_id:
        services.record_unfollow(line_user_id=ctx.line_user_id)
    return None  # a blocked user cannot be answered


@register_event("message", purpose="line.help")
def on_message(ctx: EventContext):
    """Any message we have no handler for (stickers, photos...) gets the menu."""
    return help_messages(ctx) if ctx.is_from_user else None


@register_event("message.text", purpose="line.help")
def on_text(ctx: EventContext):
    if not ctx.is_from_user:
        return None
    text = ctx.text.strip()
    for pattern, route in _text_routes.values():
        match = pattern.fullmatch(text)
        if match:
            ctx.match = match
            run(route, ctx)
            return None
    return help_messages(ctx)


@register_event("postback", purpose="line.help")
def on_postback(ctx: EventContext):
    if not ctx.is_from_user:
        return None
    route = postback_route(ctx.postback_data)
    if route is None:
        return help_messages(ctx)
    run(route, ctx)
    return None


@register_event("accountLink", purpose="line.account_link")
def on_account_link(ctx: EventContext):
    from line_integration.linking import handle_account_link

    return handle_account_link(ctx) if ctx.line_user_id else None


@register_postback("action=link", purpose="line.link_start")
def on_link_request(ctx: EventContext):
    from line_integration.linking import start_link

    return start_link(ctx)


@register_postback(menu.CHAT.postback, purpose="line.contact")
def on_help_request(ctx: EventContext):
    """The help item gives the hotline, unless an app that answers it (live chat) overrides
    this route."""
    return [
        msg.text(
            _("ติดต่อขอความช่วยเหลือได้ที่%(name)s %(address)s หรือโทรสายด่วน %(hotline)s") % centre.texts(),
            quick_replies=menu_actions(linked=ctx.user is not None),
        )
    ]
