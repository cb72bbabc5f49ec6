"""The seed's not-a-robot check ("คลิกที่ปุ่มยืนยันว่าไม่ใช้โปรแกรม"): one tap, on this site only.

With JavaScript the tap starts an ALTCHA proof of work (https://altcha.org/docs/v2/): the
ALTCHA widget (static/vendor/altcha) asks this site for a signed challenge, the phone finds its
secret counter with Web Crypto in a worker (about a second on a cheap phone) and the form posts
the answer. The ``altcha`` library checks the signature, the expiry and the answer, and each
challenge is accepted once (``UsedChallenge``, in the database every web process shares).
Nothing about the citizen goes anywhere: no other service, no cookie, no fingerprint.

Without JavaScript (scripts blocked, an old phone) the same box is a plain tick box whose value
is a signed, timestamped token from the page, accepted once from a few seconds after the page
was shown. That only costs a script time, not work, so it is weaker than the proof of work; it
is there so that nobody is shut out.

A form with the check mixes in ``RobotCheckedFormMixin``: the answer is used up only when the
rest of the form is valid, so a citizen who missed another box keeps the check they passed.
"""

import base64
import binascii
import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import altcha
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.models import UsedChallenge

WAIT_PREFIX = "wait:"
MAX_ANSWER_LENGTH = 4000  # a solved challenge is about 700 characters
WORKER = "vendor/altcha/workers/pbkdf2.js"
AGAIN = _("กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” อีกครั้ง")
VERIFIED = _("ยืนยันแล้วว่าไม่ใช่โปรแกรมอัตโนมัติ")


@dataclass(frozen=True)
class Answer:
    """A checked answer: what ``UsedChallenge`` keeps, and until when."""

    key: str
    expires_at: datetime


class Refused(Exception):
    """The answer is not accepted; ``code`` says why (the field's error message key)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- the proof of work --------------------------------------------------------------------


def challenge_create() -> dict:
    """A signed challenge for the widget: a secret counter between half of
    ``ALTCHA_MAX_NUMBER`` and ``ALTCHA_MAX_NUMBER``, so every phone does a similar amount of
    work (deterministic mode), expiring ``ALTCHA_EXPIRES`` from now."""
    top = settings.ALTCHA_MAX_NUMBER
    counter = top // 2 + secrets.randbelow(max(1, top - top // 2))
    challenge = altcha.create_challenge(
        settings.ALTCHA_ALGORITHM,
        settings.ALTCHA_COST,
        counter=counter,
        expires_at=int(time.time() + settings.ALTCHA_EXPIRES.total_seconds()),
        hmac_secret=settings.ALTCHA_HMAC_KEY,
    )
    return challenge.to_dict()


def _payload_check(value: str) -> Answer:
    result = altcha.verify_solution(value, settings.ALTCHA_HMAC_KEY)
    if result.expired:
        raise Refused("expired")
    if not result.verified:
        raise Refused("invalid")
    challenge = json.loads(base64.b64decode(value))["challenge"]
    expires_at = challenge["parameters"].get("expiresAt")
    if type(expires_at) is not int:  # every challenge of ours expires; the signature says so
        raise Refused("invalid")
    return Answer(key=challenge["signature"], expires_at=datetime.fromtimestamp(expires_at, UTC))


# --- the tick box without JavaScript --------------------------------------------------------


def _signer() -> signing.Signer:
    return signing.Signer(key=settings.ALTCHA_HMAC_KEY, salt="core.robot_check.wait")


def wait_token_create() -> str:
    """The value of the plain tick box: a random name and the time the page was made."""
    return WAIT_PREFIX + _signer().sign_object({"n": secrets.token_hex(12), "t": int(time.time())})


def _wait_token_check(value: str) -> Answer:
    try:
        data = _signer().unsign_object(value.removeprefix(WAIT_PREFIX))
    except (signing.BadSignature, ValueError, binascii.Error):
        raise Refused("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        raise Refused("invalid")
    issued = data.get("t")
    if type(issued) is not int:
        raise Refused("invalid")
    age = time.time() - issued
    if age > settings.ALTCHA_FALLBACK_EXPIRES.total_seconds():
        raise Refused("expired")
    if age < settings.ALTCHA_FALLBACK_MIN_WAIT.total_seconds():
        raise Refused("too_soon")
    expires_at = issued + settings.ALTCHA_FALLBACK_EXPIRES.total_seconds()
    return Answer(key=WAIT_PREFIX + data["n"], expires_at=datetime.fromtimestamp(expires_at, UTC))


# --- either answer ------------------------------------------------------------------------


def answer_check(value: str) -> Answer:
    """The posted answer if it is genuine, unexpired and not used yet; raises ``Refused``."""
    if not isinstance(value, str) or not value or len(value) > MAX_ANSWER_LENGTH:
        raise Refused("invalid")
    if value.startswith(WAIT_PREFIX):
        answer = _wait_token_check(value)
    else:
        answer = _payload_check(value)
    if UsedChallenge.objects.filter(key=answer.key).exists():
        raise Refused("used")
    return answer


def answer_claim(answer: Answer) -> bool:
    """Use the answer up; False when another request used it first (a replay)."""
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(key=answer.key, expires_at=answer.expires_at)
    except IntegrityError:
        return False
    return True


def used_challenges_clean() -> int:
    """Forget answers whose challenge has expired (refused as expired anyway)."""
    deleted, _ = UsedChallenge.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


# --- the form field -----------------------------------------------------------------------


class NotARobotWidget(forms.Widget):
    """The tick box that works without JavaScript; static/js/robot-check.js replaces it with
    the ALTCHA widget where the browser can solve the proof of work."""

    template_name = "core/robot_check_widget.html"
    label = ""
    keep_value = False  # show the posted answer again (it passed, or came too soon)
    passed = False  # a wizard already saw this citizen pass

    def _render(self, template_name, context, renderer=None):
        return mark_safe(render_to_string(template_name, context))

    def use_required_attribute(self, initial):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if self.keep_value and isinstance(value, str) else ""
        waiting = value.startswith(WAIT_PREFIX)
        context["widget"].update(
            label=self.label,
            verified=VERIFIED,
            passed=self.passed,
            solved=value if value and not waiting else "",
            wait_token=value if waiting else wait_token_create(),
            wait_checked=waiting,
            challenge_url=reverse("core:robot-check-challenge"),
            worker_url=static(WORKER),
            strings=json.dumps(widget_strings(self.label), ensure_ascii=False),
        )
        return context

    @property
    def media(self):
        return forms.Media(
            css={"all": ["vendor/altcha/altcha.css", "css/robot-check.css"]},
            js=[
                forms.Script("vendor/altcha/altcha.min.js", type="module"),
                forms.Script("js/robot-check.js", defer=True),
            ],
        )


def widget_strings(label: str) -> dict:
    """What the ALTCHA widget and its status line say, in the page's language."""
    return {
        "label": str(label),
        "verifying": str(_("กำลังตรวจสอบ…")),
        "verified": str(VERIFIED),
        "error": str(_("ตรวจสอบไม่สำเร็จ กรุณากดอีกครั้ง")),
        "expired": str(_("หมดเวลายืนยัน กรุณากดอีกครั้ง")),
        "waitAlert": str(_("กำลังตรวจสอบ กรุณารอสักครู่")),
        "verificationRequired": str(_("กรุณายืนยันว่าไม่ใช่โปรแกรมอัตโนมัติ")),
        "verify": str(_("ยืนยัน")),
        "loading": str(_("กำลังโหลด…")),
        "footer": "",
    }


class NotARobotField(forms.Field):
    """ "ฉันไม่ใช่โปรแกรมอัตโนมัติ": cleans to an ``Answer`` (None once a wizard saw it pass)."""

    widget = NotARobotWidget
    default_error_messages = {
        "required": _("กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” ก่อนกดปุ่มด้านล่าง"),
        "invalid": _("ยืนยันว่าไม่ใช่โปรแกรมไม่สำเร็จ %(again)s"),
        "expired": _("การยืนยันหมดเวลาแล้ว %(again)s"),
        "used": _("การยืนยันนี้ใช้ไปแล้ว %(again)s"),
        "too_soon": _("ส่งเร็วเกินไป กรุณารอสักครู่แล้วกดปุ่มด้านล่างอีกครั้ง (ทำเครื่องหมายไว้ให้แล้ว)"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("ฉันไม่ใช่โปรแกรมอัตโนมัติ"))
        kwargs.setdefault(
            "help_text",
            _("กดช่องนี้ครั้งเดียวเพื่อยืนยันว่าท่านไม่ได้ใช้โปรแกรมกรอกแทน ไม่มีการส่งข้อมูลของท่านไปที่อื่น"),
        )
        super().__init__(**kwargs)
        self.widget.label = self.label

    def clean(self, value):
        self.widget.keep_value = False
        if not value:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            answer = answer_check(value)
        except Refused as refused:
            self.widget.keep_value = refused.code == "too_soon"
            raise ValidationError(
                self.error_messages[refused.code], code=refused.code, params={"again": AGAIN}
            ) from None
        self.widget.keep_value = True
        return answer

    def mark_passed(self) -> None:
        """Not asked again: this citizen passed it earlier in the same wizard."""
        self.required = False
        self.widget.passed = True


class RobotCheckedFormMixin:
    """Uses the check's answer up once the whole form is valid (a replay loses the race)."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self.errors:
            return
        for name, field in self.fields.items():
            answer = self.cleaned_data.get(name)
            if isinstance(field, NotARobotField) and answer and not answer_claim(answer):
                field.widget.keep_value = False
                self.add_error(
                    name,
                    ValidationError(
                        field.error_messages["used"], code="used", params={"again": AGAIN}
                    ),
                )


def robot_fields(form) -> list[str]:
    """The names of the form's not-a-robot fields."""
    return [name for name, field in form.fields.items() if isinstance(field, NotARobotField)]
