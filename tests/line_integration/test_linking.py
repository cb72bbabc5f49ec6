"""Linking a LINE user to a site account: LINE's account-link flow end to end."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from line_integration import messages as msg
from line_integration.models import LineAccount, LinkNonce, OutboundMessage
from line_integration.outbox import enqueue_to_user
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory
from tests.line_integration.support import actions_of, bot_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def line_user(line_standin, send):
    user = line_standin.state.add_user(display_name="ชาวนครสวรรค์")
    send("follow", user["userId"])
    return user


def link_page_from_chat(send, state, user_id: str) -> str:
    """Tap "เชื่อมต่อบัญชี" in the chat; returns the path+query of the button's page."""
    send("postback", user_id, data="action=link")
    answer = bot_messages(state, user_id)[-1]
    [button] = [a for a in actions_of(answer["message"]) if a["type"] == "uri"]
    url = urlsplit(button["uri"])
    return f"{url.path}?{url.query}"


def confirm_and_get_nonce(client, link_path: str, line_standin) -> tuple[str, str]:
    """Confirm on our page; LINE's dialog URL comes back with the linkToken and our nonce."""
    response = client.post(
        reverse("line:link"),
        {
            "linkToken": parse_qs(urlsplit(link_path).query)["linkToken"][0],
        },
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}" == line_standin.url
    assert target.path == "/dialog/bot/accountLink"
    query = parse_qs(target.query)
    return query["linkToken"][0], query["nonce"][0]


def line_dialog(send, state, link_token: str, nonce: str) -> None:
    """What LINE's accountLink dialog does: checks the link token, then sends the event."""
    user_id, valid = state.use_link_token(link_token)
    assert valid
    send("accountLink", user_id, result="ok", nonce=nonce)


def test_citizen_links_line_by_logging_in_and_confirming(client, send, line_standin, line_user):
    citizen = CitizenFactory().user
    link_path = link_page_from_chat(send, line_standin.state, line_user["userId"])

    response = client.get(link_path)
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == reverse("accounts:login")
    assert parse_qs(login.query)["next"] == [link_path]

    response = client.post(
        f"{reverse('accounts:login')}?{login.query}",
        {"username": citizen.username, "password": DEFAULT_PASSWORD, "next": link_path},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"เชื่อมต่อบัญชี LINE กับบัญชี {citizen.username}?" in page
    assert 'method="post"' in page

    link_token, nonce = confirm_and_get_nonce(client, link_path, line_standin)
    assert len(nonce) >= 43  # 32 random bytes, URL-safe base64
    line_dialog(send, line_standin.state, link_token, nonce)

    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert account.user == citizen
    assert account.is_active is True
    assert account.linked_at is not None
    assert LinkNonce.objects.get(nonce=nonce).used_at is not None
    confirmation = bot_messages(line_standin.state, line_user["userId"])[-1]
    assert "เรียบร้อยแล้ว" in confirmation["message"]["text"]
    assert citizen.username in confirmation["message"]["text"]
    assert enqueue_to_user(user=citizen, messages=[msg.text("ทดสอบ")], purpose="t") is not None


def test_a_nonce_works_only_once(client, send, line_standin, line_user):
    citizen = CitizenFactory().user
    client.force_login(citizen)
    link_path = link_page_from_chat(send, line_standin.state, line_user["userId"])
    link_token, nonce = confirm_and_get_nonce(client, link_path, line_standin)
    line_dialog(send, line_standin.state, link_token, nonce)
    client.post(reverse("line:unlink"))

    send("accountLink", line_user["userId"], result="ok", nonce=nonce)  # replayed

    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert account.is_active is False
    answer = bot_messages(line_standin.state, line_user["userId"])[-1]
    assert "หมดอายุหรือถูกใช้ไปแล้ว" in answer["message"]["text"]


def test_a_nonce_older_than_ten_minutes_is_refused(client, send, line_standin, line_user):
    client.force_login(CitizenFactory().user)
    link_path = link_page_from_chat(send, line_standin.state, line_user["userId"])
    link_token, nonce = confirm_and_get_nonce(client, link_path, line_standin)
    LinkNonce.objects.filter(nonce=nonce).update(
        created_at=timezone.now() - timedelta(minutes=10, seconds=1)
    )

    line_dialog(send, line_standin.state, link_token, nonce)

    assert LineAccount.objects.get(line_user_id=line_user["userId"]).is_active is False
    assert "หมดอายุ" in bot_messages(line_standin.state, line_user["userId"])[-1]["message"]["text"]


def test_unknown_nonce_and_failed_result_link_nothing(send, line_standin, line_user):
    send("accountLink", line_user["userId"], result="ok", nonce="made-up-nonce")
    send("accountLink", line_user["userId"], result="failed")

    assert LineAccount.objects.get(line_user_id=line_user["userId"]).is_active is False
    answers = bot_messages(line_standin.state, line_user["userId"])[-2:]
    texts = [m["message"]["text"] for m in answers]
    assert "หมดอายุหรือถูกใช้ไปแล้ว" in texts[-2]
    assert "ไม่สำเร็จ" in texts[-1]


def test_a_line_user_links_to_at_most_one_account(client, send, line_standin, line_user):
    first, second = CitizenFactory().user, CitizenFactory().user
    client.force_login(first)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)

    client.force_login(second)
    nonce = LinkNonce.objects.create(nonce="second-account-nonce", user=second).nonce
    send("accountLink", line_user["userId"], result="ok", nonce=nonce)

    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert account.user == first
    assert (
        "เชื่อมต่อกับบัญชีอื่นอยู่แล้ว"
        in (bot_messages(line_standin.state, line_user["userId"])[-1]["message"]["text"])
    )
    assert enqueue_to_user(user=second, messages=[msg.text("x")], purpose="t") is None


def test_an_account_links_to_at_most_one_line_user(client, send, line_standin, line_user):
    citizen = CitizenFactory().user
    client.force_login(citizen)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)
    other = line_standin.state.add_user(display_name="อีกเครื่อง")
    send("follow", other["userId"])

    link_path = link_page_from_chat(send, line_standin.state, other["userId"])
    warning = client.get(link_path).content.decode()
    assert "บัญชีนี้เชื่อมต่อกับ ชาวนครสวรรค์ อยู่แล้ว" in warning
    link_token, nonce = confirm_and_get_nonce(client, link_path, line_standin)
    line_dialog(send, line_standin.state, link_token, nonce)

    assert LineAccount.objects.get(line_user_id=other["userId"]).is_active is False
    assert LineAccount.objects.get(is_active=True, user=citizen).line_user_id == line_user["userId"]
    refusal = bot_messages(line_standin.state, other["userId"])[-1]["message"]["text"]
    assert f"บัญชี {citizen.username} เชื่อมต่อกับ LINE อื่นอยู่แล้ว" in refusal


def test_link_postback_from_a_linked_user_says_so_instead_of_a_new_link(
    client, send, line_standin, line_user
):
    citizen = CitizenFactory().user
    client.force_login(citizen)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)
    tokens_before = len(line_standin.state.requests("/v2/bot/user/"))

    send("postback", line_user["userId"], data="action=link")

    assert len(line_standin.state.requests("/v2/bot/user/")) == tokens_before
    answer = bot_messages(line_standin.state, line_user["userId"])[-1]["message"]["text"]
    assert f"เชื่อมต่อกับบัญชี {citizen.username} อยู่แล้ว" in answer


def test_link_page_without_link_token_is_a_thai_400(client):
    client.force_login(CitizenFactory().user)

    response = client.get(reverse("line:link"))

    assert response.status_code == 400
    assert "ลิงก์เชื่อมต่อบัญชีไม่ถูกต้อง" in response.content.decode()


def test_link_confirmation_needs_login_and_post(client):
    response = client.post(reverse("line:link"), {"linkToken": "abc"})

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("accounts:login")
    assert LinkNonce.objects.count() == 0


def test_unlink_from_profile_stops_line_messages(client, send, line_standin, line_user):
    citizen = CitizenFactory().user
    client.force_login(citizen)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)

    assert client.get(reverse("line:unlink")).status_code == 405
    response = client.post(reverse("line:unlink"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "ยกเลิกการเชื่อมต่อบัญชี LINE แล้ว" in response.content.decode()
    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert account.is_active is False
    assert account.user is None
    assert account.unlinked_at is not None
    assert enqueue_to_user(user=citizen, messages=[msg.text("x")], purpose="t") is None
    farewell = OutboundMessage.objects.get(purpose="line.unlinked")
    assert farewell.recipients == [line_user["userId"]]


def test_staff_get_their_rich_menu_when_linked_and_lose_it_when_unlinked(
    client, send, line_standin, line_user, django_capture_on_commit_callbacks
):
    from line_integration.richmenu import sync_rich_menus

    menus = sync_rich_menus()
    officer = StaffFactory(role=Role.CASE_OFFICER)
    client.force_login(officer)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)

    assert line_standin.state.user_rich_menus[line_user["userId"]] == menus["officer"]
    assert LineAccount.objects.get(line_user_id=line_user["userId"]).rich_menu_role == "officer"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("line:unlink"))

    assert line_user["userId"] not in line_standin.state.user_rich_menus


def test_staff_link_works_when_rich_menus_are_not_set_up(client, send, line_standin, line_user):
    executive = StaffFactory(role=Role.EXECUTIVE)
    client.force_login(executive)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)

    account = LineAccount.objects.get(line_user_id=line_user["userId"])
    assert account.user == executive
    assert account.rich_menu_role == ""
    assert line_user["userId"] not in line_standin.state.user_rich_menus


def test_profile_section_shows_link_status_and_unlink_button(client, send, line_standin, line_user):
    citizen = CitizenFactory().user
    request = RequestFactory().get("/")
    request.user = citizen

    html = render_to_string(
        "line_integration/profile_link.html", {"user": citizen}, request=request
    )
    assert "ยังไม่ได้เชื่อมต่อ LINE" in html
    assert reverse("line:unlink") not in html

    client.force_login(citizen)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)

    html = render_to_string(
        "line_integration/profile_link.html", {"user": citizen}, request=request
    )
    assert "เชื่อมต่อกับ ชาวนครสวรรค์ แล้ว" in html
    assert f'action="{reverse("line:unlink")}"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_closed_account_frees_its_line_user_to_link_again(client, send, line_standin, line_user):
    closed, new = CitizenFactory().user, CitizenFactory().user
    client.force_login(closed)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)
    closed.is_active = False
    closed.save()
    assert enqueue_to_user(user=closed, messages=[msg.text("x")], purpose="t") is None

    client.force_login(new)
    link_token, nonce = confirm_and_get_nonce(
        client, link_page_from_chat(send, line_standin.state, line_user["userId"]), line_standin
    )
    line_dialog(send, line_standin.state, link_token, nonce)

    assert LineAccount.objects.get(line_user_id=line_user["userId"]).user == new
