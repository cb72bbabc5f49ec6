"""Sign in with LINE (LINE Login v2.1 through Authlib) against the stand-in over real HTTP:
who gets signed in, who must register or prove their account, where they go afterwards, and
what is refused (state, nonce, signature, audience, PKCE, foreign `next`)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from joserfc.jwk import OctKey

from accounts.models import CitizenProfile
from accounts.roles import Role
from accounts.setup import ensure_privacy_notice
from line_integration import services
from line_integration.models import LineAccount, OutboundMessage
from line_integration.services import LinkOutcome
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory
from tests.line_integration.login_support import (
    _site_path,
    line_answers,
    sign_in_with_line,
    to_line,
)

pytestmark = pytest.mark.django_db

NEXT = "/complaints/new/"


@pytest.fixture
def line_user(line_standin):
    """A friend of the official account (the follow event has been recorded), not linked."""
    user = line_standin.state.add_user(display_name="มาลี", following=True)
    LineAccount.objects.create(line_user_id=user["userId"], followed=True)
    return user


def link(user, line_user_id: str) -> LineAccount:
    account, _created = LineAccount.objects.update_or_create(
        line_user_id=line_user_id, defaults={"user": user, "is_active": True, "followed": True}
    )
    return account


def signed_in_user(client):
    session_user = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=session_user) if session_user else None


# Linked citizens ------------------------------------------------------------------------------


def test_a_linked_citizen_is_signed_in_and_sent_where_they_were_going(client, line_user):
    citizen = CitizenFactory().user
    link(citizen, line_user["userId"])

    first = sign_in_with_line(client, line_user["userId"], NEXT)

    assert first.response.status_code == 302
    assert first.response["Location"] == NEXT
    assert signed_in_user(client) == citizen
    assert len(first.line_pages) == 1 and "ขออนุญาตเข้าถึงข้อมูล" in first.line_pages[0]

    client.logout()
    again = sign_in_with_line(client, line_user["userId"], "/complaints/")
    assert again.line_pages == []  # agreed once: LINE answers at once (auto-login)
    assert again.response["Location"] == "/complaints/"
    assert signed_in_user(client) == citizen


def test_the_request_uses_pkce_and_a_nonce_and_the_code_is_redeemed_with_the_verifier(
    client, line_standin, line_user
):
    link(CitizenFactory().user, line_user["userId"])
    authorize = urlsplit(to_line(client, NEXT))
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"][0] and query["state"][0]
    assert query["scope"] == ["profile openid"]
    callback, _pages = line_answers(authorize.geturl(), line_user["userId"])
    client.get(_site_path(callback))
    [token_request] = line_standin.state.requests("/oauth2/v2.1/token")
    assert token_request["status"] == 200
    assert token_request["body"]["code_verifier"] == "(given)"
    assert token_request["body"]["client_secret"] == "(given)"


@pytest.mark.parametrize(
    "next_path, lands",
    [
        ("/complaints/new/?draft=abc", "/complaints/new/?draft=abc"),
        ("https://evil.example/phish", "/accounts/profile/"),
        ("//evil.example/phish", "/accounts/profile/"),
        ("http://testserver.evil.example/", "/accounts/profile/"),
        ("javascript:alert(1)", "/accounts/profile/"),
        (None, "/accounts/profile/"),
    ],
)
def test_next_is_only_ever_a_path_of_this_site(client, line_user, next_path, lands):
    link(CitizenFactory().user, line_user["userId"])
    hop = sign_in_with_line(client, line_user["userId"], next_path)
    assert hop.response["Location"] == lands


def test_staff_are_never_signed_in_by_line(client, line_user):
    officer = StaffFactory(role=Role.CASE_OFFICER)
    link(officer, line_user["userId"])
    hop = sign_in_with_line(client, line_user["userId"], "/admin/")
    assert signed_in_user(client) is None
    assert hop.response["Location"] == reverse("accounts:login") + "?next=/admin/"


# Refusals ------------------------------------------------------------------------------------


def test_a_callback_whose_state_this_browser_did_not_start_is_refused(client, line_user):
    """Login CSRF: a code for someone else's session (or a failed auto-login) signs nobody
    in; the page offers to try again without auto-login."""
    link(CitizenFactory().user, line_user["userId"])
    attacker = type(client)()
    callback, _pages = line_answers(to_line(attacker, NEXT), line_user["userId"])
    to_line(client, NEXT)  # the victim's own, different, state
    response = client.get(_site_path(callback))
    assert response.status_code == 400
    assert signed_in_user(client) is None
    assert "เข้าสู่ระบบด้วย LINE ไม่สำเร็จ" in response.content.decode()
    assert "retry=1" in response.content.decode()
    retry = client.get(reverse("line:login") + "?next=/complaints/new/&retry=1")
    assert parse_qs(urlsplit(retry["Location"]).query)["disable_auto_login"] == ["true"]


def test_a_replayed_callback_signs_nobody_in(client, line_user):
    citizen = CitizenFactory().user
    link(citizen, line_user["userId"])
    callback, _pages = line_answers(to_line(client, NEXT), line_user["userId"])
    assert client.get(_site_path(callback)).status_code == 302
    client.logout()
    replay = client.get(_site_path(callback))
    assert replay.status_code == 400
    assert signed_in_user(client) is None


def _tamper(line_standin, **changes):
    """The next ID token the stand-in issues is wrong in one way."""
    channel = line_standin.login
    original = channel.id_token

    def id_token(grant, state):
        if "nonce" in changes:
            grant.nonce = changes["nonce"]
        if "aud" in changes:
            saved, channel.channel_id = channel.channel_id, changes["aud"]
            try:
                return original(grant, state)
            finally:
                channel.channel_id = saved
        if "key" in changes:
            channel.key = lambda: OctKey.import_key(changes["key"])
        return original(grant, state)

    channel.id_token = id_token


@pytest.mark.parametrize(
    "changes",
    [
        {"nonce": "not-the-nonce-we-sent"},
        {"aud": "1999999999"},
        {"key": "some-other-channel-secret-32-bytes!!"},
    ],
    ids=["nonce", "audience", "signature"],
)
def test_an_id_token_with_a_wrong_nonce_audience_or_signature_is_refused(
    client, line_standin, line_user, changes
):
    link(CitizenFactory().user, line_user["userId"])
    _tamper(line_standin, **changes)
    hop = sign_in_with_line(client, line_user["userId"], NEXT)
    assert hop.response.status_code == 400
    assert signed_in_user(client) is None


def test_cancelling_on_lines_consent_screen_signs_nobody_in(client, line_user):
    callback, _pages = line_answers(to_line(client, NEXT), line_user["userId"], decide="cancel")
    response = client.get(_site_path(callback))
    assert response.status_code == 400
    assert "ยกเลิกการเข้าสู่ระบบด้วย LINE แล้ว" in response.content.decode()
    assert signed_in_user(client) is None


# LINE users without an account ----------------------------------------------------------------


def test_an_unlinked_line_user_is_never_signed_in_to_anyone(client, line_user):
    CitizenFactory(first_name="มาลี")  # same name as the LINE user: irrelevant
    hop = sign_in_with_line(client, line_user["userId"], NEXT)
    assert hop.response["Location"] == reverse("line:register")
    assert signed_in_user(client) is None


def registration_data(client, **changes) -> dict:
    page = client.get(reverse("line:register"))
    assert page.status_code == 200
    revision = page.context["page"]["confirm"].live_revision_id
    data = {
        "account-national_id": "3-1006-00445-63-5",
        "account-username": page.context["page"]["account"].initial["username"],
        "person-title": "นางสาว",
        "person-first_name": "มาลี",
        "person-last_name": "ศรีสุข",
        "person-birth_date": "21/07/2533",
        "person-phone": "089-123-4567",
        "person-email": "malee@example.com",
        "address-province": "60",
        "address-district": "6003",
        "address-subdistrict": "600301",
        "confirm-accept_privacy_notice": "on",
        "confirm-notice_revision": str(revision),
    }
    data.update(changes)
    return data


def test_a_line_user_registers_once_and_the_account_is_linked_with_a_welcome_in_line(
    client, line_standin, line_user, django_capture_on_commit_callbacks
):
    ensure_privacy_notice()
    sign_in_with_line(client, line_user["userId"], NEXT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("line:register"), registration_data(client))
    assert response.status_code == 302
    assert response["Location"] == NEXT
    profile = CitizenProfile.objects.get(first_name="มาลี")
    assert profile.national_id == "3100600445635"
    assert signed_in_user(client) == profile.user
    assert not profile.user.has_usable_password()  # LINE is the way in; a password is optional
    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert (account.user, account.is_active, account.display_name) == (profile.user, True, "มาลี")
    welcome = OutboundMessage.objects.get(purpose="line.registered")
    assert welcome.recipients == [line_user["userId"]]
    assert "ลงทะเบียน" in welcome.messages[0]["text"]


def test_registration_from_line_still_checks_the_national_id_and_keeps_what_was_typed(
    client, line_user
):
    ensure_privacy_notice()
    sign_in_with_line(client, line_user["userId"], NEXT)
    data = registration_data(client, **{"account-national_id": "3100600445636"})
    response = client.post(reverse("line:register"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "เลขประจำตัวประชาชนไม่ถูกต้อง กรุณาตรวจสอบอีกครั้ง" in html
    assert 'value="ศรีสุข"' in html and 'value="malee@example.com"' in html
    assert not CitizenProfile.objects.exists()
    assert not LineAccount.objects.filter(is_active=True).exists()


def test_the_registration_page_has_every_seed_label(client, line_user):
    ensure_privacy_notice()
    sign_in_with_line(client, line_user["userId"], NEXT)
    html = client.get(reverse("line:register")).content.decode()
    for label in (
        "เลขประจำตัวประชาชน",
        "ชื่อผู้ใช้",
        "รหัสผ่าน",
        "ยืนยันรหัสผ่าน",
        "คำนำหน้าชื่อ",
        "ชื่อ",
        "นามสกุล",
        "วันเกิด",
        "โทรศัพท์",
        "อีเมล",
        "บ้านเลขที่",
        "หมู่ที่",
        "ซอย",
        "ถนน",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "ลงทะเบียน",
        "ลงทะเบียนอีกครั้ง",
    ):
        assert f">{label}<" in html, label


def test_a_stale_line_sign_in_asks_line_again_and_keeps_the_form(client, line_user, settings):
    ensure_privacy_notice()
    sign_in_with_line(client, line_user["userId"], NEXT)
    data = registration_data(client)
    session = client.session
    session["line_login_identity"]["at"] -= 2 * 60 * 60
    session.save()
    response = client.post(reverse("line:register"), data)
    assert urlsplit(response["Location"]).path == reverse("line:login")
    hop = sign_in_with_line(client, line_user["userId"], reverse("line:register"))
    assert hop.response["Location"] == reverse("line:register")
    page = client.get(reverse("line:register")).content.decode()
    assert 'value="ศรีสุข"' in page and 'value="malee@example.com"' in page
    assert "3-1006-00445-63-5" in page


def test_a_line_user_with_an_account_signs_in_with_its_password_to_link_it(
    client, line_user, django_capture_on_commit_callbacks
):
    citizen = CitizenFactory().user
    sign_in_with_line(client, line_user["userId"], NEXT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("line:login_account"),
            {"username": citizen.username, "password": DEFAULT_PASSWORD},
        )
    assert response["Location"] == NEXT
    assert signed_in_user(client) == citizen
    assert LineAccount.objects.get(line_user_id=line_user["userId"]).user == citizen


def test_a_wrong_password_links_nothing(client, line_user):
    citizen = CitizenFactory().user
    sign_in_with_line(client, line_user["userId"], NEXT)
    response = client.post(
        reverse("line:login_account"), {"username": citizen.username, "password": "wrong-pass1"}
    )
    assert response.status_code == 200
    assert signed_in_user(client) is None
    assert not LineAccount.objects.filter(is_active=True).exists()


def test_signed_in_on_the_site_an_unlinked_line_user_is_linked_only_when_confirmed(
    client, line_user
):
    citizen = CitizenFactory().user
    client.force_login(citizen)
    hop = sign_in_with_line(client, line_user["userId"], NEXT)
    assert hop.response["Location"] == reverse("line:link_account")
    assert not LineAccount.objects.filter(is_active=True).exists()
    response = client.post(reverse("line:link_account"))
    assert response["Location"] == NEXT
    assert LineAccount.objects.get(line_user_id=line_user["userId"]).user == citizen


# One LINE user, one account -------------------------------------------------------------------


def test_a_line_user_linked_to_one_account_cannot_be_linked_to_a_second(line_user):
    first, second = CitizenFactory().user, CitizenFactory().user
    assert (
        services.link_signed_in_line_user(user=first, line_user_id=line_user["userId"]).outcome
        == LinkOutcome.LINKED
    )
    result = services.link_signed_in_line_user(user=second, line_user_id=line_user["userId"])
    assert result.outcome == LinkOutcome.LINE_USER_TAKEN
    assert LineAccount.objects.get(line_user_id=line_user["userId"]).user == first


def test_an_account_linked_to_one_line_user_is_not_linked_to_a_second(line_standin):
    citizen = CitizenFactory().user
    one = line_standin.state.add_user(display_name="หนึ่ง")
    two = line_standin.state.add_user(display_name="สอง")
    services.link_signed_in_line_user(user=citizen, line_user_id=one["userId"])
    result = services.link_signed_in_line_user(user=citizen, line_user_id=two["userId"])
    assert result.outcome == LinkOutcome.ACCOUNT_TAKEN
    assert LineAccount.objects.get(user=citizen, is_active=True).line_user_id == one["userId"]


def test_a_line_user_linked_meanwhile_cannot_register_a_second_account(client, line_user):
    ensure_privacy_notice()
    sign_in_with_line(client, line_user["userId"], NEXT)
    data = registration_data(client)
    link(CitizenFactory().user, line_user["userId"])  # linked elsewhere since LINE said so
    response = client.post(reverse("line:register"), data)
    assert response.status_code == 400
    assert "เพิ่งเชื่อมต่อกับบัญชีอื่น" in response.content.decode()
    assert CitizenProfile.objects.count() == 1  # only the other account
    assert signed_in_user(client) is None


def test_a_citizen_registered_from_line_sets_a_password_for_the_web_later(client, line_user):
    ensure_privacy_notice()
    sign_in_with_line(client, line_user["userId"], NEXT)
    data = registration_data(client)
    client.post(reverse("line:register"), data)
    user = signed_in_user(client)
    assert not user.has_usable_password()
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert ">รหัสผ่านปัจจุบัน<" not in page  # nothing to know yet
    response = client.post(
        reverse("accounts:password_change"),
        {"new_password1": "Nakhon2569sawan", "new_password2": "Nakhon2569sawan"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nakhon2569sawan")
