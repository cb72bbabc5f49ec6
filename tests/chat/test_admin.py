"""The officers' side of live chat in the Wagtail admin: who may open it, the inbox (oldest
waiting first), one conversation (history, pictures, the citizen's complaints, the actions)
and the JSON the open screens poll, which must stay a fixed handful of queries."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from chat import services
from chat.models import ChatMessage, Conversation, QuickReplyTemplate
from complaints.models import Agency, AgencyMember
from line_integration.models import LineAccount, OutboundMessage
from tests.accounts.factories import CitizenFactory, StaffFactory, UserFactory
from tests.complaints.factories import ComplaintFactory, first_category, jpeg_bytes

pytestmark = pytest.mark.django_db

INBOX = "/admin/chat/"
XHR = {"X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def officer():
    return StaffFactory(role=Role.CASE_OFFICER, first_name="วิไล", last_name="ตั้งใจ")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def line_conversation(name="สมหญิง รักไทย", *, user_id=None, ago_minutes=0):
    account = LineAccount.objects.create(
        line_user_id=user_id or f"U{abs(hash(name)) % 10**32:032d}",
        display_name=name,
        followed=True,
    )
    conversation, _ = services.conversation_start(channel="line", line_account=account)
    return conversation


def say(conversation, text, *, minutes_ago=0, **fields):
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    message, _ = services.citizen_message_receive(
        conversation=conversation, text=text, now=at, **fields
    )
    return message


def url(conversation) -> str:
    return f"{INBOX}{conversation.pk}/"


# Access --------------------------------------------------------------------------------------


def test_only_people_who_answer_chats_get_in(client, officer):
    conversation = line_conversation()
    pages = [INBOX, url(conversation), f"{INBOX}inbox.json", f"{url(conversation)}messages.json"]

    for page in pages:  # not logged in: the admin's log-in page
        assert re.search(r"/admin/login/", client.get(page)["Location"])

    citizen = CitizenFactory().user
    executive = StaffFactory(role=Role.EXECUTIVE)
    for outsider in (citizen, executive):  # no admin access at all
        client.force_login(outsider)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 302
            assert "/admin/login/" in response["Location"]
        assert client.get(pages[2], headers=XHR).status_code == 403

    editor = StaffFactory(role=Role.NEWS_EDITOR)  # in the admin, but not a chat officer
    client.force_login(editor)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 403
        assert "สำหรับเจ้าหน้าที่ที่ตอบแชท" in response.content.decode()
    response = client.post(url(conversation), {"action": "reply", "text": "สวัสดี"})
    assert response.status_code == 403
    assert not conversation.messages.filter(sender="officer").exists()

    for role in (Role.CASE_OFFICER, Role.SUPERVISOR):
        client.force_login(StaffFactory(role=role))
        assert client.get(INBOX).status_code == 200


def test_the_menu_shows_chats_and_how_many_citizens_wait_to_officers_only(client, officer):
    say(line_conversation("ก"), "สวัสดี")
    say(line_conversation("ข"), "สอบถาม")
    line_conversation("ค")  # opened, nothing asked yet

    client.force_login(officer)
    assert menu_labels(client).get("แชทกับประชาชน (2)") == INBOX

    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    assert not [label for label in menu_labels(client) if "แชท" in label]


def menu_labels(client) -> dict:
    """The admin sidebar's items (label: url), from the JSON Wagtail draws it with."""
    page = client.get("/admin/").content.decode()
    props = page.split('id="wagtail-sidebar-props" type="application/json">')[1]
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str) and "url" in node:
                found[node["label"]] = node["url"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(props.split("</script>")[0]))
    return found


# Inbox ---------------------------------------------------------------------------------------


def test_inbox_lists_open_chats_oldest_waiting_first_with_what_officers_need(
    officer_client, officer
):
    answered = line_conversation("ตอบแล้ว")
    say(answered, "ขอบคุณครับ", minutes_ago=30)
    services.officer_reply(conversation=answered, officer=officer, text="ยินดีครับ")
    recent = line_conversation("รอไม่นาน")
    say(recent, "มีเรื่องสอบถาม", minutes_ago=3)
    oldest = line_conversation("รอนานสุด")
    say(oldest, "ถนนหน้าบ้านชำรุดมานานแล้ว", minutes_ago=12)
    say(oldest, "ช่วยด้วยครับ", minutes_ago=1)
    say(oldest, "", kind="sticker", sticker_package_id="446", sticker_id="1988")

    page = officer_client.get(INBOX).content.decode()
    rows = re.findall(r'<tr data-conversation-id="(\d+)"', page.split('id="chat-closed"')[0])
    assert rows == [str(oldest.pk), str(recent.pk), str(answered.pk)]
    oldest_row = page.split(f'data-conversation-id="{oldest.pk}"')[1].split("</tr>")[0]
    assert "รอนานสุด" in oldest_row
    assert "LINE" in oldest_row
    assert ">3</span>" in oldest_row  # three unread messages
    assert "รอ 12 นาที" in oldest_row
    assert "ยังไม่มีผู้รับ" in oldest_row
    assert "[สติกเกอร์]" in oldest_row  # the last message's preview
    answered_row = page.split(f'data-conversation-id="{answered.pk}"')[1].split("</tr>")[0]
    assert "วิไล ตั้งใจ" in answered_row
    assert "เจ้าหน้าที่: ยินดีครับ" in answered_row

    data = officer_client.get(f"{INBOX}inbox.json").json()
    assert [row["id"] for row in data["rows"]] == [oldest.pk, recent.pk, answered.pk]
    assert data["rows"][0]["waiting"] == "รอ 12 นาที"
    assert data["rows"][0]["unread"] == 3


def test_mine_shows_only_chats_i_have_and_closed_ones_stay_findable_for_a_week(
    officer_client, officer
):
    mine = line_conversation("ของฉัน")
    services.conversation_take(conversation=mine, officer=officer)
    other = line_conversation("ของคนอื่น")
    services.conversation_take(conversation=other, officer=StaffFactory())
    closed = line_conversation("ปิดเมื่อวาน")
    say(closed, "ขอบคุณมากครับ")
    services.conversation_close(conversation=closed, by=officer)
    old = line_conversation("ปิดนานแล้ว")
    services.conversation_close(conversation=old, by=officer)
    Conversation.objects.filter(pk=old.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=8)
    )

    page = officer_client.get(f"{INBOX}?mine=1").content.decode()
    open_part, closed_part = page.split('id="chat-closed"')
    assert "ของฉัน</a>" in open_part and "ของคนอื่น" not in open_part
    assert "ปิดเมื่อวาน" in closed_part and "ปิดนานแล้ว" not in closed_part
    ids = [row["id"] for row in officer_client.get(f"{INBOX}inbox.json?mine=1").json()["rows"]]
    assert ids == [mine.pk]


# One conversation ----------------------------------------------------------------------------


def test_the_conversation_shows_history_stickers_as_a_label_and_picture_states(
    officer_client, settings
):
    conversation = line_conversation()
    say(conversation, "สวัสดีครับ ขอคำปรึกษาเรื่องที่ดิน")
    say(conversation, "", kind="sticker", sticker_package_id="446", sticker_id="1988")
    ready = say(conversation, "", kind="image", image_status="pending", line_message_id="m1")
    services.store_image(message=ready, content=jpeg_bytes())
    say(conversation, "", kind="image", image_status="pending", line_message_id="m2")
    refused = say(conversation, "", kind="image", image_status="pending", line_message_id="m3")
    services.store_image(message=refused, content=b"not a picture at all")
    failed = say(conversation, "", kind="image", image_status="pending", line_message_id="m4")
    ChatMessage.objects.filter(pk=failed.pk).update(image_status="failed")

    response = officer_client.get(url(conversation))
    page = response.content.decode()
    assert response.status_code == 200
    assert "สมหญิง รักไทย" in page
    assert "สวัสดีครับ ขอคำปรึกษาเรื่องที่ดิน" in page
    assert "[สติกเกอร์]" in page
    assert "stickershop" not in page and "line-scdn" not in page  # nothing from LINE's servers
    assert f'src="/admin/chat/image/{ready.pk}/"' in page
    assert "กำลังรับรูปภาพ…" in page
    assert "รูปภาพไม่ผ่านการตรวจสอบความปลอดภัย" in page
    assert "รับรูปภาพจาก LINE ไม่สำเร็จ" in page
    conversation.refresh_from_db()
    assert conversation.unread_count == 0  # opening it is reading it


def test_a_picture_is_served_inline_from_private_storage_to_officers_only(
    client, officer, settings
):
    conversation = line_conversation()
    message = say(conversation, "", kind="image", image_status="pending", line_message_id="p1")
    services.store_image(message=message, content=jpeg_bytes())
    message.refresh_from_db()
    assert str(settings.PRIVATE_MEDIA_ROOT) in message.image.path
    image_url = f"{INBOX}image/{message.pk}/"

    client.force_login(officer)
    response = client.get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"

    pending = say(conversation, "", kind="image", image_status="pending", line_message_id="p2")
    assert client.get(f"{INBOX}image/{pending.pk}/").status_code == 404

    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))
    assert client.get(image_url).status_code == 403
    client.force_login(CitizenFactory().user)
    assert client.get(image_url, headers=XHR).status_code == 403
    assert "/admin/login/" in client.get(image_url)["Location"]


def test_the_citizens_complaints_are_linked_but_never_a_concealed_one(client):
    profile = CitizenFactory()
    conversation, _ = services.conversation_start(channel="web", citizen=profile.user)
    agency = Agency.objects.create(name="เทศบาลทดสอบ", kind=Agency.Kind.LOCAL_GOVERNMENT)
    open_case = ComplaintFactory(profile=profile, agency=agency)
    concealed = ComplaintFactory(profile=profile, agency=agency, conceal_identity=True)
    elsewhere = ComplaintFactory(profile=profile)
    ComplaintFactory()  # someone else's

    officer = StaffFactory(role=Role.CASE_OFFICER)
    client.force_login(officer)
    page = client.get(url(conversation)).content.decode()
    for case in (open_case, concealed, elsewhere):  # centre officers see them all
        assert f'href="/admin/complaints/complaint/inspect/{case.pk}/"' in page
    assert profile.full_name in page

    member = UserFactory()  # an agency's staff who also answers chats
    member.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "answer_conversation", "view_complaint"]
        )
    )
    AgencyMember.objects.create(user=member, agency=agency)
    client.force_login(member)
    page = client.get(url(conversation)).content.decode()
    assert open_case.tracking_number in page
    assert concealed.tracking_number not in page
    assert elsewhere.tracking_number not in page


def test_an_answer_without_javascript_is_saved_pushed_through_the_outbox_and_shown(
    officer_client, officer
):
    conversation = line_conversation(user_id="U" + "a" * 32)
    say(conversation, "ถามเรื่องบัตรประชาชน")

    response = officer_client.post(
        url(conversation), {"action": "reply", "text": "  ไปที่อำเภอได้เลยครับ  "}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url(conversation))
    page = officer_client.get(url(conversation)).content.decode()
    assert "ไปที่อำเภอได้เลยครับ" in page
    assert "วิไล ตั้งใจ" in page  # who answered, and now has it
    [push] = OutboundMessage.objects.filter(purpose="chat.reply")
    assert push.recipients == ["U" + "a" * 32]
    assert push.messages[0]["text"] == "เจ้าหน้าที่: ไปที่อำเภอได้เลยครับ"
    conversation.refresh_from_db()
    assert conversation.waiting_since is None and conversation.assigned_to == officer


def test_an_empty_or_too_long_answer_is_refused_next_to_the_box_keeping_the_text(
    officer_client,
):
    conversation = line_conversation()
    response = officer_client.post(url(conversation), {"action": "reply", "text": "   "})
    assert response.status_code == 400
    assert "กรุณาพิมพ์ข้อความตอบกลับ" in response.content.decode()

    long_text = "ก" * 2001
    response = officer_client.post(url(conversation), {"action": "reply", "text": long_text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ข้อความยาวเกิน 2000 ตัวอักษร" in page or "ข้อความยาวเกิน 2,000 ตัวอักษร" in page
    assert long_text in page
    assert not conversation.messages.filter(sender="officer").exists()

    response = officer_client.post(url(conversation), {"action": "reply", "text": ""}, headers=XHR)
    assert response.status_code == 400
    assert response.json()["errors"]["text"][0]["message"] == "กรุณาพิมพ์ข้อความตอบกลับ"


def test_an_answer_with_javascript_comes_back_as_the_message_to_append(officer_client):
    conversation = line_conversation()
    response = officer_client.post(
        url(conversation), {"action": "reply", "text": "รับทราบครับ"}, headers=XHR
    )
    assert response.status_code == 201
    message = response.json()["message"]
    assert (message["sender"], message["text"], message["who"]) == (
        "officer",
        "รับทราบครับ",
        "วิไล ตั้งใจ",
    )


def test_take_transfer_and_close(officer_client, officer):
    conversation = line_conversation(user_id="U" + "b" * 32)
    colleague = StaffFactory(role=Role.SUPERVISOR, first_name="สมศักดิ์", last_name="ขยัน")
    citizen = CitizenFactory().user

    page = officer_client.get(url(conversation)).content.decode()
    assert "ยังไม่มีผู้รับ" in page
    transfer_select = page.split('name="to"')[1].split("</select>")[0]
    assert "สมศักดิ์ ขยัน" in transfer_select
    assert citizen.username not in transfer_select

    officer_client.post(url(conversation), {"action": "take"})
    conversation.refresh_from_db()
    assert conversation.assigned_to == officer
    assert "วิไล ตั้งใจ รับเรื่องสนทนานี้" in officer_client.get(url(conversation)).content.decode()

    response = officer_client.post(url(conversation), {"action": "transfer", "to": citizen.pk})
    assert response.status_code == 400
    assert "เจ้าหน้าที่ที่เลือกรับโอนไม่ได้" in response.content.decode()

    response = officer_client.post(url(conversation), {"action": "transfer", "to": colleague.pk})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assigned_to == colleague
    state = officer_client.get(f"{url(conversation)}messages.json").json()["conversation"]
    assert state["assigned"] == "สมศักดิ์ ขยัน"

    response = officer_client.post(url(conversation), {"action": "close"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    [closing] = OutboundMessage.objects.filter(dedupe_key=f"chat:closed:{conversation.pk}")
    assert "ให้คะแนน" in closing.messages[0]["text"]
    page = officer_client.get(url(conversation)).content.decode()
    assert "การสนทนานี้ปิดแล้ว" in page
    assert 'id="chat-reply" class="chat-reply" novalidate data-open-only hidden' in page

    response = officer_client.post(url(conversation), {"action": "reply", "text": "ยังอยู่ไหม"})
    assert response.status_code == 400
    assert "การสนทนานี้ปิดแล้ว" in response.content.decode()


def test_quick_replies_are_offered_in_the_reply_box(officer_client):
    QuickReplyTemplate.objects.create(title="ทักทาย", body="สวัสดีครับ ยินดีให้บริการ")
    QuickReplyTemplate.objects.create(title="เลิกใช้", body="ข้อความเก่า", is_active=False)
    page = officer_client.get(url(line_conversation())).content.decode()
    assert 'data-quick-reply="สวัสดีครับ ยินดีให้บริการ">ทักทาย</button>' in page
    assert "เลิกใช้" not in page


def test_officers_keep_quick_replies_and_supervisors_keep_holidays(client, officer):
    client.force_login(officer)
    assert client.get("/admin/snippets/chat/quickreplytemplate/add/").status_code == 200
    assert client.get("/admin/snippets/chat/serviceholiday/").status_code == 200
    assert client.get("/admin/snippets/chat/serviceholiday/add/").status_code == 302  # refused
    client.force_login(StaffFactory(role=Role.SUPERVISOR))
    assert client.get("/admin/snippets/chat/serviceholiday/add/").status_code == 200


def test_the_draft_form_starts_from_what_the_citizen_typed_and_says_what_is_missing(
    officer_client,
):
    profile = CitizenFactory()
    conversation, _ = services.conversation_start(channel="web", citizen=profile.user)
    say(conversation, "ไฟถนนดับทั้งซอย")
    say(conversation, "", kind="sticker", sticker_package_id="446", sticker_id="1988")
    say(conversation, "ซอยสวรรค์วิถี 5")

    page = officer_client.get(url(conversation)).content.decode()
    assert "ไฟถนนดับทั้งซอย\nซอยสวรรค์วิถี 5</textarea>" in page

    response = officer_client.post(
        url(conversation), {"action": "draft", "category": "", "details": "ไฟถนนดับ ซอย 5"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "กรุณาเลือกประเภทเรื่อง" in page
    assert "ไฟถนนดับ ซอย 5</textarea>" in page


def test_a_draft_is_made_through_chat_drafts(officer_client):
    pytest.importorskip("chat.drafts")
    profile = CitizenFactory()
    conversation, _ = services.conversation_start(channel="web", citizen=profile.user)
    say(conversation, "ไฟถนนดับทั้งซอย")
    response = officer_client.post(
        url(conversation),
        {"action": "draft", "category": first_category().pk, "details": "ไฟถนนดับทั้งซอย"},
    )
    assert response.status_code == 302
    page = officer_client.get(url(conversation)).content.decode()
    assert "สร้างร่างเรื่องร้องเรียนแล้ว" in page


# What the open screens poll --------------------------------------------------------------------


def test_the_poll_returns_only_new_messages_and_marks_them_read_when_seen(officer_client):
    conversation = line_conversation()
    first = say(conversation, "ข้อความแรก")
    poll = f"{url(conversation)}messages.json"

    data = officer_client.get(poll, {"after": first.pk}).json()
    assert data["messages"] == []
    assert data["conversation"]["is_open"] is True

    second = say(conversation, "ข้อความที่สอง")
    sticker = say(conversation, "", kind="sticker", sticker_package_id="1", sticker_id="2")
    data = officer_client.get(poll, {"after": first.pk}).json()
    assert [m["id"] for m in data["messages"]] == [second.pk, sticker.pk]
    assert data["messages"][1]["sticker"] == "[สติกเกอร์]"
    conversation.refresh_from_db()
    assert conversation.unread_count == 3  # polled by a hidden tab: not read

    officer_client.get(poll, {"after": sticker.pk, "seen": "1"})
    conversation.refresh_from_db()
    assert conversation.unread_count == 0


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_polling_costs_the_same_few_queries_however_long_the_history(officer_client):
    """What lets one server carry many open officer screens (bench/chat_latency.py)."""
    short = line_conversation("สั้น")
    for index in range(3):
        say(short, f"ข้อความ {index}")
    long = line_conversation("ยาว")
    for index in range(300):
        say(long, f"ข้อความ {index}")
    officer_client.get(INBOX)  # the session is warm, as on an open screen

    short_poll = _queries(officer_client, f"{url(short)}messages.json?after=0")
    long_poll = _queries(officer_client, f"{url(long)}messages.json?after=0")
    latest = long.messages.order_by("-id").first().pk
    long_idle = _queries(officer_client, f"{url(long)}messages.json?after={latest}")
    # session, user, two for permissions, Wagtail's admin profile; then ours: two
    assert short_poll == long_poll == long_idle <= 7

    inbox_few = _queries(officer_client, f"{INBOX}inbox.json")
    for index in range(30):
        say(line_conversation(f"ผู้ติดต่อ {index}"), "สวัสดี")
    inbox_many = _queries(officer_client, f"{INBOX}inbox.json")
    assert inbox_few == inbox_many <= 6  # the same five, then ours: one
