"""Account closure: the citizen's request and the supervisor's decision in the Wagtail admin;
after it nothing reaches the person (LINE link released, open chats closed quietly)."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from accounts.models import AccountClosureRequest, CitizenProfile, PrivacyNotice
from accounts.roles import Role
from accounts.services import closure_request_complete, closure_request_create
from accounts.services.profile import CLOSURE_STEPS, register_closure_step
from chat import services as chat_services
from chat.drafts import conversation_to_complaint_draft
from chat.models import Conversation
from core.registry import AlreadyRegistered
from line_integration import messages as msg
from line_integration.models import LineAccount, OutboundMessage
from line_integration.outbox import enqueue_multicast, enqueue_to_user
from line_integration.standin.events import new_user_id
from tests.accounts.factories import DEFAULT_PASSWORD, CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

CLOSE = reverse("accounts:close_account")
ADMIN_LIST = reverse("wagtailsnippets_accounts_accountclosurerequest:list")


def handle_url(closure):
    return reverse("wagtailsnippets_accounts_accountclosurerequest:edit", args=[closure.pk])


def sessions_of(user):
    return [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


@pytest.fixture
def citizen_client(client):
    profile = CitizenFactory(national_id="1101700230708")
    client.force_login(profile.user)
    client.profile = profile
    return client


@pytest.fixture
def supervisor_client():
    client = Client()
    client.force_login(StaffFactory(role=Role.SUPERVISOR))
    return client


def test_page_explains_that_complaints_stay(citizen_client):
    html = citizen_client.get(CLOSE).content.decode()
    assert "เรื่องร้องเรียนที่ยื่นไว้แล้วยังคงเก็บไว้เป็นเอกสารราชการ" in html
    assert 'name="confirm"' in html


def test_confirmation_is_required_and_reason_kept(citizen_client):
    response = citizen_client.post(CLOSE, {"reason": "ไม่ใช้งานแล้ว"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "กรุณาทำเครื่องหมายยืนยันก่อนส่งคำขอ" in html
    assert "ไม่ใช้งานแล้ว" in html
    assert not AccountClosureRequest.objects.exists()


def test_request_is_created_and_a_second_one_refused(citizen_client):
    user = citizen_client.profile.user
    response = citizen_client.post(CLOSE, {"reason": "ไม่ใช้งานแล้ว", "confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "ส่งคำขอปิดบัญชีแล้ว" in response.content.decode()
    closure = AccountClosureRequest.objects.get()
    assert (closure.user, closure.username, closure.reason, closure.status) == (
        user,
        user.username,
        "ไม่ใช้งานแล้ว",
        AccountClosureRequest.Status.PENDING,
    )

    again = citizen_client.post(CLOSE, {"reason": "", "confirm": "on"})
    assert again.status_code == 200
    assert "ท่านได้ส่งคำขอปิดบัญชีไว้แล้ว" in again.content.decode()
    assert AccountClosureRequest.objects.count() == 1
    with pytest.raises(ValidationError):
        closure_request_create(user=user, reason="")


def test_supervisor_completes_a_request(citizen_client, supervisor_client):
    profile = citizen_client.profile
    user = profile.user
    closure = closure_request_create(user=user, reason="ย้ายไปต่างประเทศ")
    assert sessions_of(user)

    listing = supervisor_client.get(ADMIN_LIST)
    assert listing.status_code == 200
    assert user.username in listing.content.decode()
    page = supervisor_client.get(handle_url(closure))
    assert page.status_code == 200
    assert "ย้ายไปต่างประเทศ" in page.content.decode()

    response = supervisor_client.post(
        handle_url(closure), {"action": "complete", "note": "ยืนยันทางโทรศัพท์แล้ว"}
    )
    assert response.status_code == 302

    closure.refresh_from_db()
    assert closure.status == AccountClosureRequest.Status.DONE
    assert closure.handled_by.has_perm("accounts.change_accountclosurerequest")
    assert closure.handled_at is not None and closure.note == "ยืนยันทางโทรศัพท์แล้ว"
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and user.email == ""
    assert sessions_of(user) == []
    assert citizen_client.get(reverse("accounts:profile")).status_code == 302
    assert not Client().login(
        request=HttpRequest(), username=user.username, password=DEFAULT_PASSWORD
    )
    kept = CitizenProfile.objects.get(pk=profile.pk)
    assert (kept.first_name, kept.last_name, kept.national_id) == (
        profile.first_name,
        profile.last_name,
        "1101700230708",
    )
    assert (kept.phone, kept.house_number, kept.moo, kept.road) == ("", "", "", "")


def test_closure_ends_the_line_link_and_open_chats_without_messaging_the_person(citizen_client):
    user = citizen_client.profile.user
    account = LineAccount.objects.create(
        line_user_id=new_user_id(), user=user, followed=True, is_active=True
    )
    web_chat, _created = chat_services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=user
    )
    chat_services.citizen_message_receive(conversation=web_chat, text="ยังรอคำตอบอยู่")
    # begun in LINE before the site account was used: reached only through the link
    line_chat, _created = chat_services.conversation_start(
        channel=Conversation.Channel.LINE, line_account=account
    )
    closure = closure_request_create(user=user, reason="ไม่ใช้งานแล้ว")
    queued_before = set(OutboundMessage.objects.values_list("pk", flat=True))

    closure_request_complete(request_obj=closure, by=StaffFactory(role=Role.SUPERVISOR))

    account.refresh_from_db()
    assert not account.is_active and account.user is None and account.unlinked_at is not None
    for conversation in (web_chat, line_chat):
        conversation.refresh_from_db()
        assert conversation.status == Conversation.Status.CLOSED and conversation.closed_at
        assert conversation.messages.last().text == "การสนทนาสิ้นสุดเนื่องจากบัญชีผู้ใช้ถูกปิด"
    queued = OutboundMessage.objects.exclude(pk__in=queued_before)
    assert [row.recipients for row in queued] == []
    user.refresh_from_db()
    assert enqueue_to_user(user=user, messages=[msg.text("ทดสอบ")], purpose="test") is None
    # An officer who later makes a complaint draft from either chat sends nothing to LINE.
    officer = StaffFactory(role=Role.CASE_OFFICER)
    for conversation in (web_chat, line_chat):
        conversation_to_complaint_draft(
            conversation=conversation, officer=officer, category=None, details="ถนนชำรุด"
        )
    assert not OutboundMessage.objects.exclude(pk__in=queued_before).exists()


def test_messages_still_waiting_for_a_closed_account_are_not_sent(citizen_client):
    user = citizen_client.profile.user
    account = LineAccount.objects.create(
        line_user_id=new_user_id(), user=user, followed=True, is_active=True
    )
    neighbour = new_user_id()
    update = enqueue_to_user(user=user, messages=[msg.text("เรื่องของท่านคืบหน้า")], purpose="t")
    [news] = enqueue_multicast(
        to=[account.line_user_id, neighbour], messages=[msg.text("ข่าว")], purpose="t"
    )
    closure = closure_request_create(user=user, reason="ไม่ใช้งานแล้ว")

    closure_request_complete(request_obj=closure, by=StaffFactory(role=Role.SUPERVISOR))

    update.refresh_from_db()
    news.refresh_from_db()
    assert update.status == OutboundMessage.Status.FAILED
    assert update.last_error == "ไม่ได้ส่ง: ผู้รับปิดบัญชีผู้ใช้แล้ว"
    assert news.status == OutboundMessage.Status.PENDING and news.recipients == [neighbour]


def test_reject_needs_a_note_and_keeps_the_account(citizen_client, supervisor_client):
    user = citizen_client.profile.user
    closure = closure_request_create(user=user, reason="")
    response = supervisor_client.post(handle_url(closure), {"action": "reject", "note": ""})
    assert response.status_code == 200
    assert "กรุณาระบุเหตุผลที่ไม่อนุมัติ" in response.content.decode()
    closure.refresh_from_db()
    assert closure.status == AccountClosureRequest.Status.PENDING

    supervisor_client.post(handle_url(closure), {"action": "reject", "note": "ไม่ใช่เจ้าของบัญชี"})
    closure.refresh_from_db()
    user.refresh_from_db()
    assert closure.status == AccountClosureRequest.Status.REJECTED
    assert user.is_active and user.check_password(DEFAULT_PASSWORD)


def test_a_handled_request_cannot_be_handled_again(citizen_client):
    closure = closure_request_create(user=citizen_client.profile.user, reason="")
    supervisor = StaffFactory(role=Role.SUPERVISOR)
    closure_request_complete(request_obj=closure, by=supervisor)
    with pytest.raises(ValidationError, match="ดำเนินการไปแล้ว"):
        closure_request_complete(request_obj=closure, by=supervisor)


@pytest.mark.parametrize("role", [None, Role.CASE_OFFICER, Role.NEWS_EDITOR])
def test_only_supervisors_reach_the_closure_admin(citizen_client, role):
    closure = closure_request_create(user=citizen_client.profile.user, reason="")
    intruder = Client()
    intruder.force_login(CitizenFactory().user if role is None else StaffFactory(role=role))
    for url in (ADMIN_LIST, handle_url(closure)):
        response = intruder.get(url)
        assert response.status_code in (302, 403), url
        assert closure.username not in response.content.decode()
    intruder.post(handle_url(closure), {"action": "complete", "note": ""})
    closure.refresh_from_db()
    assert closure.status == AccountClosureRequest.Status.PENDING
    assert citizen_client.get(reverse("accounts:profile")).status_code == 200


def test_news_editors_manage_the_privacy_notice():
    editor = Client()
    editor.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    response = editor.get(reverse("wagtailsnippets_accounts_privacynotice:list"))
    assert response.status_code == 200
    assert "ประกาศความเป็นส่วนตัว" in response.content.decode()


def test_news_editor_publishes_a_new_privacy_notice_revision():
    editor = Client()
    editor.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    notice = PrivacyNotice.current()
    old_revision = notice.live_revision_id
    body = {
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "text": "ข้อความฉบับใหม่",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    url = reverse("wagtailsnippets_accounts_privacynotice:edit", args=[notice.pk])
    response = editor.post(
        url, {"title": notice.title, "body": json.dumps(body), "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice.refresh_from_db()
    assert notice.live_revision_id != old_revision
    assert "ข้อความฉบับใหม่" in notice.body


def test_closure_steps_run_by_order_and_a_name_registers_once(citizen_client):
    user = citizen_client.profile.user
    ran = []
    with CLOSURE_STEPS.temporarily():
        register_closure_step("late", lambda user: ran.append("late"), order=1000)
        register_closure_step("early", lambda user: ran.append("early"), order=1)
        with pytest.raises(AlreadyRegistered, match="chat"):
            register_closure_step("chat", lambda user: ran.append("again"))
        closure = closure_request_create(user=user, reason="ย้ายไปต่างประเทศ")
        supervisor = StaffFactory(role=Role.SUPERVISOR)
        closure_request_complete(request_obj=closure, by=supervisor, note="ยืนยันแล้ว")

    assert ran == ["early", "late"]
    assert "late" not in CLOSURE_STEPS
