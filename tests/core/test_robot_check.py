"""The not-a-robot check's server side: challenges, answers, replays and the form field.

Answers are made the way a phone makes them (a real challenge, really solved with the altcha
library's solver, the test settings' small ALTCHA_MAX_NUMBER) and then bent the way a script
would bend them.
"""

import base64
import datetime
import io
import json
import re
import time

import altcha
import pytest
from django import forms
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import UsedChallenge
from core.robot_check import (
    NotARobotField,
    Refused,
    RobotCheckedFormMixin,
    answer_check,
    answer_claim,
    challenge_create,
    used_challenges_clean,
    wait_token_create,
)
from tests.core.robot import solve, solved_answer

pytestmark = pytest.mark.django_db


def decoded(answer: str) -> dict:
    return json.loads(base64.b64decode(answer))


def encoded(data: dict) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def refusal(value) -> str:
    with pytest.raises(Refused) as refused:
        answer_check(value)
    return refused.value.code


# --- the proof of work ----------------------------------------------------------------------


def test_a_solved_challenge_is_accepted_once():
    answer = answer_check(solved_answer())
    assert answer.expires_at > timezone.now()
    assert answer_claim(answer) is True
    assert answer_claim(answer) is False  # a second request with the same answer loses
    assert UsedChallenge.objects.count() == 1


def test_a_replayed_answer_is_refused():
    value = solved_answer()
    assert answer_claim(answer_check(value))
    assert refusal(value) == "used"


def test_the_counter_lies_in_the_upper_half_of_max_number(settings):
    settings.ALTCHA_MAX_NUMBER = 40
    counters = {decoded(solved_answer())["solution"]["counter"] for _ in range(8)}
    assert all(20 <= counter < 40 for counter in counters), counters


def test_an_expired_challenge_is_refused(settings):
    settings.ALTCHA_EXPIRES = datetime.timedelta(seconds=-1)
    assert refusal(solved_answer()) == "expired"


def test_a_challenge_signed_with_another_key_is_refused(settings):
    value = solved_answer()
    settings.ALTCHA_HMAC_KEY = "another-key-another-key-another-key"
    assert refusal(value) == "invalid"


@pytest.mark.parametrize(
    "bend",
    [
        pytest.param(
            lambda d: d["solution"].update(counter=d["solution"]["counter"] + 1), id="number"
        ),
        pytest.param(lambda d: d["solution"].update(derivedKey="00" * 32), id="derived-key"),
        pytest.param(lambda d: d["challenge"].update(signature="ab" * 32), id="signature"),
        pytest.param(lambda d: d["challenge"].pop("signature"), id="no-signature"),
        pytest.param(lambda d: d["challenge"]["parameters"].update(cost=1), id="easier-cost"),
        pytest.param(
            lambda d: d["challenge"]["parameters"].update(expiresAt=int(time.time()) + 86400),
            id="longer-expiry",
        ),
    ],
)
def test_a_tampered_answer_is_refused(bend):
    data = decoded(solved_answer())
    bend(data)
    assert refusal(encoded(data)) == "invalid"


def test_an_unsigned_challenge_solved_by_a_script_is_refused():
    challenge = altcha.create_challenge("PBKDF2/SHA-256", 1, counter=1, expires_at=2**31 - 1)
    assert refusal(solve(challenge.to_dict())) == "invalid"


@pytest.mark.parametrize(
    "value",
    ["", "x", "not base64 {}", encoded({}), encoded({"challenge": [], "solution": 1}), "A" * 5000],
)
def test_garbage_is_refused_without_an_error(value):
    assert refusal(value) == "invalid"


# --- the tick box without JavaScript ------------------------------------------------------


def test_the_tick_box_counts_only_after_a_moment(settings):
    token = wait_token_create()
    assert refusal(token) == "too_soon"
    settings.ALTCHA_FALLBACK_MIN_WAIT = datetime.timedelta(0)
    assert answer_claim(answer_check(token))
    assert refusal(token) == "used"


def test_an_old_or_forged_tick_box_token_is_refused(settings):
    settings.ALTCHA_FALLBACK_MIN_WAIT = datetime.timedelta(0)
    token = wait_token_create()
    assert refusal(token[:-2] + "xx") == "invalid"
    assert refusal("wait:" + base64.b64encode(b'{"n":"a","t":1}').decode()) == "invalid"
    settings.ALTCHA_FALLBACK_EXPIRES = datetime.timedelta(seconds=-1)
    assert refusal(token) == "expired"


# --- what the site keeps ------------------------------------------------------------------


def test_clean_up_forgets_only_expired_answers():
    now = timezone.now()
    UsedChallenge.objects.create(key="old", expires_at=now - datetime.timedelta(minutes=1))
    UsedChallenge.objects.create(key="open", expires_at=now + datetime.timedelta(minutes=1))
    assert used_challenges_clean() == 1
    assert list(UsedChallenge.objects.values_list("key", flat=True)) == ["open"]
    out = io.StringIO()
    call_command("robot_check_clean", stdout=out)
    assert "Forgot 0" in out.getvalue()


def test_the_challenge_address_gives_a_fresh_uncached_challenge(client):
    url = reverse("core:robot-check-challenge")
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert "no-store" in first["Cache-Control"]
    body = first.json()
    assert body["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert body["parameters"]["expiresAt"] > time.time()
    assert body["signature"] != second.json()["signature"]
    assert client.post(url).status_code == 405


def test_challenges_are_cheap_to_make():
    started = time.perf_counter()
    for _ in range(20):
        challenge_create()
    assert (time.perf_counter() - started) / 20 < 0.05


# --- the form field -----------------------------------------------------------------------


class RobotForm(RobotCheckedFormMixin, forms.Form):
    name = forms.CharField(error_messages={"required": "กรุณากรอกชื่อ"})
    robot = NotARobotField()


def robot_errors(form) -> list[str]:
    return list(form.errors.get("robot", []))


def test_the_field_asks_in_thai_and_keeps_what_was_typed():
    form = RobotForm({"name": "สมชาย"})
    assert not form.is_valid()
    assert robot_errors(form) == ["กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” ก่อนกดปุ่มด้านล่าง"]
    html = str(form["name"]) + str(form["robot"])
    assert 'value="สมชาย"' in html
    assert 'aria-invalid="true"' in html and "id_robot_error" in html


def test_a_passed_check_stays_passed_while_another_field_is_fixed():
    answer = solved_answer()
    form = RobotForm({"robot": answer})
    assert not form.is_valid()
    assert robot_errors(form) == []
    assert UsedChallenge.objects.count() == 0  # not used up by a form that failed elsewhere
    html = str(form["robot"])
    assert f'type="hidden" name="robot" value="{answer}"' in html
    assert "ยืนยันแล้ว" in html
    form = RobotForm({"name": "สมชาย", "robot": answer})
    assert form.is_valid()
    assert UsedChallenge.objects.count() == 1


def test_the_field_says_why_an_answer_is_refused(settings):
    used = solved_answer()
    assert RobotForm({"name": "ก", "robot": used}).is_valid()
    messages = {
        "used": (used, "การยืนยันนี้ใช้ไปแล้ว กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” อีกครั้ง"),
        "invalid": ("forged", "ยืนยันว่าไม่ใช่โปรแกรมไม่สำเร็จ กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” อีกครั้ง"),
    }
    for value, message in messages.values():
        form = RobotForm({"name": "ก", "robot": value})
        assert robot_errors(form) == [message]
        # A refused answer is not shown again: the box is offered afresh.
        assert re.search(r'type="checkbox" name="robot" value="wait:', str(form["robot"]))
    settings.ALTCHA_EXPIRES = datetime.timedelta(seconds=-1)
    form = RobotForm({"name": "ก", "robot": solved_answer()})
    assert robot_errors(form) == ["การยืนยันหมดเวลาแล้ว กรุณากดช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” อีกครั้ง"]


def test_two_requests_racing_with_one_answer_let_one_through():
    """Both check the answer before either uses it up; the database lets only one claim it."""
    value = solved_answer()
    first, second = answer_check(value), answer_check(value)
    assert answer_claim(first) is True
    assert answer_claim(second) is False


class RacedForm(RobotForm):
    def clean(self):
        cleaned = super().clean()
        answer_claim(cleaned["robot"])  # another request uses the same answer meanwhile
        return cleaned


def test_a_form_that_loses_the_race_says_so_beside_the_box():
    form = RacedForm({"name": "ก", "robot": solved_answer()})
    assert not form.is_valid()
    assert robot_errors(form)[0].startswith("การยืนยันนี้ใช้ไปแล้ว")
    assert re.search(r'type="checkbox" name="robot" value="wait:', str(form["robot"]))


def test_the_widget_brings_the_vendored_widget_and_our_script():
    media = str(RobotForm().media)
    assert 'src="/static/vendor/altcha/altcha.min.js" type="module"' in media
    assert 'src="/static/js/robot-check.js" defer' in media
    assert "/static/vendor/altcha/altcha.css" in media and "/static/css/robot-check.css" in media
    html = str(RobotForm()["robot"])
    assert 'data-worker-url="/static/vendor/altcha/workers/pbkdf2.js"' in html
    assert (
        "ฉันไม่ใช่โปรแกรมอัตโนมัติ"
        in json.loads(re.search(r'data-strings="([^"]+)"', html).group(1).replace("&quot;", '"'))[
            "label"
        ]
    )
