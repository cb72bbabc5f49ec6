"""ติดตามเรื่อง in LINE: the menu item and typed requests answered through the real webhook, the
real SDK and the LINE stand-in, for linked and unlinked followers."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint, State
from complaints.workflow import complaint_change_state
from line_integration.models import LineAccount
from tests.accounts.factories import CitizenFactory
from tests.complaints.factories import ComplaintFactory
from tests.complaints.workflow_support import grant_case_permissions, officer
from tests.line_integration.support import (
    actions_of,
    bot_messages,
    message_texts,
    signed_in_target,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return CitizenFactory()


@pytest.fixture
def line_id(line_standin, citizen):
    """A LINE follower linked to the citizen's account."""
    user = line_standin.state.add_user(display_name="สมชาย ใจดี")
    LineAccount.objects.create(
        line_user_id=user["userId"],
        user=citizen.user,
        followed=True,
        is_active=True,
        linked_at=timezone.now(),
    )
    return user["userId"]


def file_complaints(citizen, count: int) -> list[Complaint]:
    """``count`` complaints filed a day apart, returned newest first."""
    made = []
    for days_ago in range(count):
        complaint = ComplaintFactory(profile=citizen)
        moment = timezone.now() - datetime.timedelta(days=days_ago)
        Complaint.objects.filter(pk=complaint.pk).update(submitted_at=moment)
        made.append(complaint)
    return made


def only_answer(line_standin, line_id) -> dict:
    [answer] = bot_messages(line_standin.state, line_id)
    assert answer["via"] == "reply"
    return answer["message"]


def detail_paths(message) -> list[str]:
    return [
        signed_in_target(action["uri"])
        for action in actions_of(message)
        if action["type"] == "uri" and action["label"] == "ดูรายละเอียด"
    ]


def test_menu_track_lists_the_latest_five_of_seven_in_a_carousel(
    send, line_standin, line_id, citizen
):
    complaints = file_complaints(citizen, 7)

    send("postback", line_id, data="menu=track")

    message = only_answer(line_standin, line_id)
    assert message["type"] == "flex"
    carousel = message["contents"]
    assert carousel["type"] == "carousel"
    assert len(carousel["contents"]) == 5
    assert all(bubble["type"] == "bubble" for bubble in carousel["contents"])
    titles = [bubble["header"]["contents"][0]["text"] for bubble in carousel["contents"]]
    assert titles == [c.tracking_number for c in complaints[:5]]
    assert detail_paths(message) == [f"/complaints/{c.tracking_number}/" for c in complaints[:5]]
    assert "5 เรื่องล่าสุด จากทั้งหมด 7 เรื่อง" in message["altText"]
    first = message_texts(carousel["contents"][0])
    assert f"ประเภท: {complaints[0].category.name}" in first
    assert "สถานะ: อยู่ระหว่างการตรวจสอบ" in first
    assert "วันที่ยื่น:" in first and "กำหนดแจ้งผล: เหลือ 15 วัน" in first
    assert "/complaints/" in [
        signed_in_target(a["uri"]) for a in actions_of(message) if a["type"] == "uri"
    ]


def test_typed_track_with_one_complaint_answers_one_bubble(send, line_standin, line_id, citizen):
    [complaint] = file_complaints(citizen, 1)

    send("message", line_id, text="ติดตาม")

    message = only_answer(line_standin, line_id)
    assert message["contents"]["type"] == "carousel"
    assert len(message["contents"]["contents"]) == 1
    assert detail_paths(message) == [f"/complaints/{complaint.tracking_number}/"]


def test_no_complaints_yet_offers_to_file_one(send, line_standin, line_id):
    ComplaintFactory()  # someone else's

    send("postback", line_id, data="menu=track")

    message = only_answer(line_standin, line_id)
    assert "ยังไม่มีเรื่องร้องเรียน" in message_texts(message)
    [button] = [a for a in actions_of(message) if a["type"] == "uri"]
    assert signed_in_target(button["uri"]) == "/complaints/new/"


@pytest.mark.parametrize(
    "typed",
    [
        "ติดตาม {number}",
        "{number}",
        "ติดตามเรื่อง {lower}",
        "{thai}",
    ],
)
def test_a_tracking_number_answers_that_complaints_status(
    send, line_standin, line_id, citizen, typed
):
    grant_case_permissions()
    complaint, _older = file_complaints(citizen, 2)
    complaint_change_state(
        complaint=complaint, to=State.COMPLETED, by=officer(), public_note="ซ่อมไฟถนนเรียบร้อยแล้ว"
    )
    number = complaint.tracking_number
    thai = number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))

    send("message", line_id, text=typed.format(number=number, lower=number.lower(), thai=thai))

    message = only_answer(line_standin, line_id)
    assert message["contents"]["type"] == "bubble"
    text = message_texts(message)
    assert number in text
    assert "สถานะ: ดำเนินการเสร็จสิ้น" in text
    assert "ซ่อมไฟถนนเรียบร้อยแล้ว" in text
    paths = [signed_in_target(a["uri"]) for a in actions_of(message) if a["type"] == "uri"]
    assert paths == [f"/complaints/{number}/", f"/complaints/{number}/rate/"]


def test_someone_elses_tracking_number_is_not_found(send, line_standin, line_id, citizen):
    file_complaints(citizen, 1)
    theirs = ComplaintFactory()

    send("message", line_id, text=f"ติดตาม {theirs.tracking_number}")

    message = only_answer(line_standin, line_id)
    assert message["type"] == "text"
    assert "ไม่พบเรื่องร้องเรียนหมายเลขนี้ในบัญชีของท่าน" in message["text"]
    assert theirs.category.name not in message_texts(message)


def test_an_unlinked_follower_is_asked_to_link_first(send, line_standin):
    ComplaintFactory()
    follower = line_standin.state.add_user()
    LineAccount.objects.create(line_user_id=follower["userId"], followed=True)

    send("postback", follower["userId"], data="menu=track")

    message = only_answer(line_standin, follower["userId"])
    assert "เชื่อมต่อบัญชี" in message_texts(message)
    assert {
        "type": "postback",
        "label": "เชื่อมต่อบัญชี",
        "data": "action=link",
        "displayText": "เชื่อมต่อบัญชี",
    } in actions_of(message)
    assert "NSN-" not in message_texts(message)


def test_an_unlinked_follower_typing_a_number_learns_nothing_about_it(send, line_standin):
    complaint = ComplaintFactory()
    follower = line_standin.state.add_user()

    send("message", follower["userId"], text=complaint.tracking_number)

    message = only_answer(line_standin, follower["userId"])
    assert complaint.category.name not in message_texts(message)
    assert "action=link" in [a.get("data") for a in actions_of(message)]


def test_a_link_that_was_undone_counts_as_unlinked(send, line_standin, line_id, citizen):
    file_complaints(citizen, 2)
    LineAccount.objects.filter(line_user_id=line_id).update(is_active=False)

    send("message", line_id, text="ติดตาม")

    message = only_answer(line_standin, line_id)
    assert "action=link" in [a.get("data") for a in actions_of(message)]
    assert "NSN-" not in message_texts(message)
