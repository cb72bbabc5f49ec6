"""Bad input on the accounts pages: registration (every step), log-in, password reset and
change, profile edit and the account-closure request."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import (
    AccountClosureRequest,
    CitizenProfile,
    ConsentRecord,
    PrivacyNotice,
    User,
)
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.fuzz.strategies import form_posts, hostile_text
from tests.fuzz.support import (
    isolated,
    new_rows,
    path_segment,
    redirected_to,
    send,
    snapshot,
    submit,
)

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")
PROFILE = reverse("accounts:profile")
MANAGEMENT = "registration_wizard-current_step"
PASSWORD = "Nakhon2569x"
STEPS = {
    "account": {
        "national_id": "1-1017-00230-70-8",
        "username": "fuzzer01",
        "password1": PASSWORD,
        "password2": PASSWORD,
    },
    "person": {
        "title": "นาย",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "birth_date": "15/03/2528",
        "phone": "081-234-5678",
        "email": "fuzzer@example.com",
    },
    "address": {
        "house_number": "99/1",
        "moo": "3",
        "soi": "",
        "road": "สวรรค์วิถี",
        "province": "60",
        "district": "6001",
        "subdistrict": "600102",
        "_refresh_address": "1",
    },
    "confirm": {"accept_privacy_notice": "on", "notice_revision": None},
}
REGISTRATION_ROWS = (User, CitizenProfile, ConsentRecord)


@pytest.fixture
def registering(notice) -> Client:
    """A visitor at the last step of the registration wizard, every earlier step valid."""
    client = Client()
    client.get(REGISTER)
    for step in ("account", "person", "address"):
        fields = {k: v for k, v in STEPS[step].items() if k != "_refresh_address"}
        data = {MANAGEMENT: step, **{f"{step}-{k}": v for k, v in fields.items()}}
        assert client.post(REGISTER, data).status_code == 200
    return client


@st.composite
def registration_posts(draw, robot_answer: str):
    step = draw(st.sampled_from(list(STEPS)))
    fixed = dict(STEPS[step])
    if step == "confirm":
        fixed["notice_revision"] = str(PrivacyNotice.current().live_revision_id)
        fixed["robot"] = robot_answer
    extra = {MANAGEMENT: draw(st.one_of(st.just(step), st.just(step), hostile_text()))}
    if draw(st.integers(0, 5)) == 0:
        extra["wizard_goto_step"] = draw(st.one_of(st.sampled_from(list(STEPS)), hostile_text()))
    form = draw(form_posts(list(fixed), fixed=fixed, prefix=f"{step}-", extra=extra))
    return step, form


@given(data=st.data())
def test_registration_steps(registering, robot_answer, data):
    step, form = data.draw(registration_posts(robot_answer))
    with isolated(registering):
        response, before = submit(
            registering,
            f"accounts:register/{step}",
            REGISTER,
            form,
            models=REGISTRATION_ROWS,
            accepted=lambda r: redirected_to(r, PROFILE),
        )
        if redirected_to(response, PROFILE):
            after = snapshot(*REGISTRATION_ROWS)
            assert len(new_rows(before, after, User)) == 1
            assert len(new_rows(before, after, CitizenProfile)) == 1
            assert len(new_rows(before, after, ConsentRecord)) == 1


@given(
    form=form_posts(["username", "password", "next"], fixed={"password": DEFAULT_PASSWORD}),
    real_user=st.booleans(),
)
def test_login(citizen, form, real_user):
    data, encoding, raw = form
    if real_user:
        data = {**data, "username": citizen.user.username}
    client = Client()
    with isolated(client):
        response, _ = submit(
            client, "accounts:login", reverse("accounts:login"), (data, encoding, raw)
        )
        location = response.get("Location", "")
        assert not urlsplit(location).netloc, f"log-in redirected off the site: {location!r}"


@given(form=form_posts(["email"], fixed={"email": "citizen@example.com"}))
def test_password_reset(citizen, form):
    client = Client()
    citizen.user.email = "citizen@example.com"
    citizen.user.save(update_fields=["email"])
    mail.outbox.clear()
    with isolated(client):
        submit(client, "accounts:password_reset", reverse("accounts:password_reset"), form)
        url = reverse("wagtailadmin_password_reset")
        submit(client, "wagtailadmin_password_reset", url, form)
        for message in mail.outbox:
            assert message.to == ["citizen@example.com"]
    mail.outbox.clear()


@given(
    uid=st.one_of(st.none(), hostile_text(oversized=False)),
    token=st.one_of(st.none(), hostile_text(oversized=False)),
    form=form_posts(["new_password1", "new_password2"]),
    method=st.sampled_from(["GET", "POST"]),
)
def test_password_reset_confirm(citizen, uid, token, form, method):
    user = citizen.user
    real_uid = urlsafe_base64_encode(force_bytes(user.pk))
    real_token = default_token_generator.make_token(user)
    path = "/accounts/password-reset/{}/{}/".format(
        real_uid if uid is None else path_segment(uid) or "x",
        real_token if token is None else path_segment(token) or "x",
    )
    client = Client()
    with isolated(client):
        response = send(client, "accounts:password_reset_confirm", "GET", path, follow=False)
        if response.status_code == 302:  # a real link: Django moves the token to the session
            path = response["Location"]
        submit(
            client,
            "accounts:password_reset_confirm",
            path,
            form,
            models=(User,),
            accepted=lambda r: r.status_code == 302,
            method=method,
        )


@given(form=form_posts(["old_password", "new_password1", "new_password2"]))
def test_password_change(citizen_client, form):
    with isolated(citizen_client):
        submit(
            citizen_client,
            "accounts:password_change",
            reverse("accounts:password_change"),
            form,
            models=(User,),
            accepted=lambda r: redirected_to(r, PROFILE),
        )


PROFILE_FIELDS = {
    "phone": "0812345678",
    "email": "somchai@example.com",
    "house_number": "1",
    "moo": "2",
    "soi": "",
    "road": "",
    "province": "60",
    "district": "6001",
    "subdistrict": "600102",
    "_refresh_address": "1",
}


@given(form=form_posts(list(PROFILE_FIELDS), fixed=PROFILE_FIELDS))
def test_profile_edit(citizen_client, form):
    with isolated(citizen_client):
        submit(
            citizen_client,
            "accounts:profile_edit",
            reverse("accounts:profile_edit"),
            form,
            models=(CitizenProfile, User),
            accepted=lambda r: redirected_to(r, PROFILE),
        )


@given(form=form_posts(["reason", "confirm"], fixed={"confirm": "on"}))
def test_close_account(citizen_client, form):
    with isolated(citizen_client):
        response, before = submit(
            citizen_client,
            "accounts:close_account",
            reverse("accounts:close_account"),
            form,
            models=(AccountClosureRequest,),
            accepted=lambda r: redirected_to(r, PROFILE),
        )
        if redirected_to(response, PROFILE):
            after = snapshot(AccountClosureRequest)
            assert len(new_rows(before, after, AccountClosureRequest)) == 1
