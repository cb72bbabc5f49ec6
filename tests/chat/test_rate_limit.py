"""A citizen's chat messages on the site are limited per account and per client address: a
script's flood waits, with a Thai message (429) and the text kept in the box."""

import html

import pytest
from django.urls import reverse

from chat.models import ChatMessage
from chat.views import MESSAGES_PER_ACCOUNT, MESSAGES_PER_CLIENT
from tests.accounts.factories import CitizenFactory

pytestmark = pytest.mark.django_db

CHAT = reverse("chat:conversation")
TOO_MANY = "ส่งข้อความถี่เกินไป กรุณารอสักครู่แล้วกดส่งอีกครั้ง"


@pytest.fixture(autouse=True)
def always_open(settings):
    settings.CHAT_SERVICE_DAYS = "0123456"
    settings.CHAT_SERVICE_START = "00:00"
    settings.CHAT_SERVICE_END = "24:00"


def send(client, text, ip="203.0.113.10"):
    return client.post(CHAT, {"text": text}, REMOTE_ADDR=ip)


def citizen_messages() -> list[str]:
    return list(
        ChatMessage.objects.filter(sender=ChatMessage.Sender.CITIZEN)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_a_flood_from_one_account_waits_with_a_thai_message(client):
    client.force_login(CitizenFactory().user)
    for number in range(MESSAGES_PER_ACCOUNT.limit):
        assert send(client, f"ข้อความที่ {number}").status_code == 302

    refused = send(client, "ข้อความที่เกิน", ip="198.51.100.20")

    assert refused.status_code == 429
    page = html.unescape(refused.content.decode())
    assert TOO_MANY in page
    assert "ข้อความที่เกิน</textarea>" in page  # the text is still in the box
    assert len(citizen_messages()) == MESSAGES_PER_ACCOUNT.limit
    assert "ข้อความที่เกิน" not in citizen_messages()


def test_a_flood_from_one_address_waits_across_accounts(client):
    sent = 0
    while sent < MESSAGES_PER_CLIENT.limit:
        client.force_login(CitizenFactory().user)
        for _ in range(min(MESSAGES_PER_ACCOUNT.limit, MESSAGES_PER_CLIENT.limit - sent)):
            assert send(client, "สวัสดีค่ะ").status_code == 302
            sent += 1
    client.force_login(CitizenFactory().user)

    assert send(client, "สวัสดีค่ะ").status_code == 429
    assert send(client, "สวัสดีค่ะ", ip="198.51.100.20").status_code == 302
