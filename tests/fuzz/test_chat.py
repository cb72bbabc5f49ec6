"""Bad input on live chat, the citizen's /chat/ and the officers' /admin/chat/:
messages with hostile text and pictures, the polls, the actions, the pictures.

Live chat was being written while this sweep was; the module skips itself when it is absent.
"""

import json

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from chat import services
from chat.models import ChatMessage, Conversation
from complaints.models import ComplaintDraft
from line_integration.models import OutboundMessage
from tests.fuzz.strategies import NUMBERS, form_posts, hostile_text, uploads
from tests.fuzz.support import (
    isolated,
    raw_markup,
    redirected_to,
    send,
    snapshot,
    submit,
)

CHAT = reverse("chat:conversation")
INBOX = reverse("chat_admin:inbox")

pytestmark = pytest.mark.django_db

CHAT_ROWS = (Conversation, ChatMessage, ComplaintDraft, OutboundMessage)
ids = st.one_of(
    hostile_text(oversized=False),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(NUMBERS),
)


@pytest.fixture
def chatting(citizen):
    """The citizen's open web conversation, with one message from them."""
    conversation, _ = services.conversation_start(
        channel=Conversation.Channel.WEB, citizen=citizen.user, line_account=None
    )
    services.citizen_message_receive(conversation=conversation, text="สวัสดีค่ะ")
    return conversation


def assert_fragments_escaped(response) -> None:
    """The polls return HTML fragments the page inserts as they are."""
    if "json" not in response.get("Content-Type", "") or response.status_code != 200:
        return
    for message in json.loads(response.content).get("messages") or []:
        html = message.get("html") or message.get("text_html") or ""
        assert not raw_markup(html), f"markup shown raw in a chat message: {html[:200]!r}"


@given(
    form=form_posts(["text", "end"], fixed={"text": "ขอสอบถามเรื่องน้ำประปา"}),
    files=uploads(max_files=1),
)
def test_citizen_chat_message(citizen_client, officer_client, chatting, form, files):
    with isolated(citizen_client, officer_client):
        response, before = submit(
            citizen_client,
            "chat:conversation",
            CHAT,
            form,
            models=CHAT_ROWS,
            accepted=lambda r: redirected_to(r, CHAT),
            files=[("image", upload) for upload in files],
        )
        if redirected_to(response, CHAT):
            assert_fragments_escaped(
                send(citizen_client, "chat:messages", "GET", CHAT + "messages/")
            )
            page = f"{INBOX}{chatting.pk}/"
            send(officer_client, "chat_admin:conversation", "GET", page)
            polled = send(officer_client, "chat_admin:messages_json", "GET", f"{page}messages.json")
            assert_fragments_escaped(polled)
            assert len(snapshot(ChatMessage)["chat.ChatMessage"]) >= len(before["chat.ChatMessage"])


@given(query=st.fixed_dictionaries({}, optional={"after": ids, "conversation": ids}))
def test_citizen_chat_polling(citizen_client, chatting, query):
    with isolated(citizen_client):
        response = send(citizen_client, "chat:messages", "GET", CHAT + "messages/", query)
        assert_fragments_escaped(response)


@given(
    action=st.sampled_from(["end/", "start/", "rate/"]),
    form=form_posts(["conversation", "score"], fixed={"score": "5"}),
)
def test_citizen_chat_actions(citizen_client, chatting, action, form):
    with isolated(citizen_client):
        data, encoding, raw = form
        if "conversation" not in data:
            data = {**data, "conversation": str(chatting.pk)}
        submit(
            citizen_client,
            f"chat:{action.strip('/')}",
            CHAT + action,
            (data, encoding, raw),
            models=CHAT_ROWS,
            accepted=lambda r: r.status_code == 302,
        )


@given(number=st.integers(min_value=0, max_value=2**70))
def test_chat_images(citizen_client, officer_client, number):
    with isolated(citizen_client, officer_client):
        send(citizen_client, "chat:image", "GET", f"{CHAT}images/{number}/")
        send(officer_client, "chat_admin:image", "GET", f"{INBOX}image/{number}/")


@given(
    path=st.sampled_from(["", "inbox.json", "{pk}/messages.json", "{pk}/"]),
    query=st.fixed_dictionaries({}, optional={"mine": ids, "after": ids, "seen": ids}),
)
def test_officer_chat_pages(officer_client, chatting, path, query):
    with isolated(officer_client):
        url = INBOX + path.format(pk=chatting.pk)
        response = send(officer_client, "chat_admin:pages", "GET", url, query)
        assert_fragments_escaped(response)


REPLY_FIELDS = {
    "action": "reply",
    "text": "เจ้าหน้าที่รับเรื่องแล้วค่ะ",
    "to": "",
    "category": "",
    "details": "ร่างเรื่อง",
}


@given(
    form=form_posts(list(REPLY_FIELDS), fixed=REPLY_FIELDS),
    action=st.sampled_from(["reply", "take", "transfer", "close", "draft"]),
    xhr=st.booleans(),
)
def test_officer_chat_reply(officer_client, citizen_client, chatting, form, action, xhr):
    data, encoding, raw = form
    if data.get("action") == "reply":
        data = {**data, "action": action}
    page = f"{INBOX}{chatting.pk}/"
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    with isolated(officer_client, citizen_client):
        before = snapshot(*CHAT_ROWS)
        response = send(
            officer_client,
            f"chat_admin:conversation/{action}",
            "POST",
            page,
            data,
            encoding=encoding,
            raw=raw,
            headers=headers,
        )
        if 400 <= response.status_code < 500:
            assert snapshot(*CHAT_ROWS) == before, "a refused chat action saved rows"
        assert_fragments_escaped(response)
        send(citizen_client, "chat:conversation", "GET", CHAT)
