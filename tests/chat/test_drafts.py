"""A conversation turned into a complaint draft: the officer prepares it, the citizen
gets the link in LINE and in their conversation on the site, and finishes the complaint."""

import html
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from chat import services
from chat.drafts import conversation_to_complaint_draft
from chat.models import ChatMessage, Conversation
from complaints.models import ComplaintCategory, ComplaintConsent, ComplaintDraft
from complaints.setup import ensure_complaint_consent
from line_integration.models import LineAccount, OutboundMessage
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.complaints.test_wizard import accept_consent, post
from tests.line_integration.support import actions_of, signed_in_target

pytestmark = pytest.mark.django_db

DETAILS = "ไฟถนนหน้าโรงเรียนบ้านหนองปลิงดับทั้งซอยมาหนึ่งเดือน ขอให้ซ่อม"
NOTE = "เจ้าหน้าที่เตรียมร่างเรื่องร้องเรียนจากการสนทนาไว้ให้แล้ว กรุณาตรวจสอบและกรอกข้อมูลให้ครบ"


@pytest.fixture(autouse=True)
def always_open(settings):
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"
    settings.SITE_URL = "https://ddc.example.go.th"


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


@pytest.fixture
def category():
    return ComplaintCategory.objects.create(name="ไฟฟ้าสาธารณะทดสอบ", sort_order=1)


def line_account(user=None, *, followed=True) -> LineAccount:
    return LineAccount.objects.create(
        line_user_id="U" + "e" * 32, user=user, followed=followed, is_active=user is not None
    )


def open_chat(*, citizen=None, account=None, channel=Conversation.Channel.LINE) -> Conversation:
    conversation, _ = services.conversation_start(
        channel=channel, citizen=citizen, line_account=account
    )
    services.citizen_message_receive(conversation=conversation, text="ไฟถนนดับค่ะ")
    return conversation


def make(conversation, officer, category, details=DETAILS) -> ComplaintDraft:
    return conversation_to_complaint_draft(
        conversation=conversation, officer=officer, category=category, details=details
    )


def test_a_linked_line_citizen_gets_the_draft_link_once(citizen, officer, category):
    account = line_account(citizen.user)
    conversation = open_chat(citizen=citizen.user, account=account)

    draft = make(conversation, officer, category)

    assert (draft.citizen, draft.category, draft.details) == (citizen.user, category, DETAILS)
    assert (draft.created_by, draft.source, draft.used_at) == (officer, "chat", None)
    link = f"https://ddc.example.go.th/complaints/new/?draft={draft.token}"
    line = ChatMessage.objects.filter(conversation=conversation).latest("id")
    assert line.sender == ChatMessage.Sender.SYSTEM
    assert line.text == f"เจ้าหน้าที่สร้างร่างเรื่องร้องเรียนให้แล้ว\n{link}"
    [row] = OutboundMessage.objects.filter(dedupe_key=f"chat:draft:{draft.pk}")
    assert row.recipients == [account.line_user_id]
    buttons = [a for a in actions_of(row.messages[0]) if a["type"] == "uri"]
    assert [b["label"] for b in buttons] == ["กรอกเรื่องร้องเรียนต่อ"]
    assert signed_in_target(buttons[0]["uri"]) == f"/complaints/new/?draft={draft.token}"
    assert "ไฟฟ้าสาธารณะทดสอบ" in json.dumps(row.messages, ensure_ascii=False)
    assert DETAILS not in json.dumps(row.messages, ensure_ascii=False)  # details stay on the site


@pytest.mark.parametrize("followed", [True, False])
def test_no_line_message_without_a_followed_line_account(citizen, officer, category, followed):
    if followed:
        conversation = open_chat(citizen=citizen.user, channel=Conversation.Channel.WEB)
    else:
        account = line_account(citizen.user, followed=False)
        conversation = open_chat(citizen=citizen.user, account=account)
    make(conversation, officer, category)
    assert not OutboundMessage.objects.filter(purpose="chat.complaint_draft").exists()
    assert ComplaintDraft.objects.count() == 1


def test_only_officers_who_answer_chats_make_drafts(citizen, category):
    conversation = open_chat(citizen=citizen.user, channel=Conversation.Channel.WEB)
    for someone in (citizen.user, StaffFactory(role=Role.NEWS_EDITOR)):
        with pytest.raises(PermissionDenied):
            make(conversation, someone, category)
    assert not ComplaintDraft.objects.exists()
    assert not ChatMessage.objects.filter(text__startswith="เจ้าหน้าที่สร้างร่าง").exists()


@pytest.mark.parametrize(
    "details,message", [("  \n ", "กรุณากรอกรายละเอียด"), ("ก" * 4001, "4,000 ตัวอักษร")]
)
def test_details_are_required_and_at_most_4000_characters(
    citizen, officer, category, details, message
):
    conversation = open_chat(citizen=citizen.user, account=line_account(citizen.user))
    with pytest.raises(ValidationError) as refused:
        make(conversation, officer, category, details=details)
    assert message in " ".join(refused.value.messages)
    assert not ComplaintDraft.objects.exists()
    assert not OutboundMessage.objects.filter(purpose="chat.complaint_draft").exists()
    make(conversation, officer, None, details="ข" * 4000)  # the limit itself, no category
    assert ComplaintDraft.objects.get().category is None


def test_the_web_citizen_sees_the_line_with_a_link_and_finishes_the_complaint(
    client, citizen, officer, category
):
    ensure_complaint_consent()
    client.force_login(citizen.user)
    client.post(reverse("chat:conversation"), {"text": "ไฟถนนดับค่ะ"})
    conversation = Conversation.objects.get()
    draft = make(conversation, officer, category)

    page = html.unescape(client.get(reverse("chat:conversation")).content.decode())
    assert "เจ้าหน้าที่สร้างร่างเรื่องร้องเรียนให้แล้ว" in page
    path = f"/complaints/new/?draft={draft.token}"
    assert f'<a class="button chat-link" href="{path}">กรอกเรื่องร้องเรียนต่อ</a>' in page
    assert "https://ddc.example.go.th" not in page  # the link, not the raw text
    data = client.get(reverse("chat:messages"), {"after": 0}).json()
    assert any(path in m["html"] for m in data["messages"])

    assert client.get(path).status_code == 200  # the consent page
    accept_consent(client, ComplaintConsent.current())
    assert NOTE in html.unescape(client.get(reverse("complaints:wizard")).content.decode())
    step = post(client, "complainant", {"phone": "081-234-5678", "email": "a@example.com"})
    assert f"\n{DETAILS}</textarea>" in html.unescape(step.content.decode())


def test_a_line_user_without_a_site_account_gets_an_open_draft(officer, category):
    account = line_account(None)
    conversation = open_chat(account=account)
    draft = make(conversation, officer, category)
    assert draft.citizen is None  # the first citizen to open the link will own it
    assert OutboundMessage.objects.filter(dedupe_key=f"chat:draft:{draft.pk}").exists()
