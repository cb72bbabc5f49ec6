"""A news item with "แจ้งเตือนทาง LINE" reaches LINE followers exactly once, automatically;
editors may resend deliberately, once per confirmation."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from line_integration.models import LineAccount, OutboundMessage
from news.models import NewsPush
from news.services import set_news_preference
from tests.accounts.factories import CitizenFactory, StaffFactory, UserFactory
from tests.line_integration.support import actions_of, message_texts
from tests.news.support import make_news

pytestmark = pytest.mark.django_db


def link(user, line_user_id: str, **fields) -> LineAccount:
    values = {"followed": True, "is_active": True, "linked_at": timezone.now(), **fields}
    return LineAccount.objects.create(line_user_id=line_user_id, user=user, **values)


@pytest.fixture
def audience():
    """Who should get news and who should not; returns the LINE IDs that should."""
    wanted = []
    for n in range(2):
        citizen = CitizenFactory()
        wanted.append(link(citizen.user, f"U{n:032d}").line_user_id)
    opted_out = CitizenFactory()
    link(opted_out.user, "U" + "o" * 32)
    set_news_preference(user=opted_out.user, receive_news=False)
    link(None, "U" + "n" * 32, is_active=False)  # a follower who never linked
    link(CitizenFactory().user, "U" + "b" * 32, followed=False)  # blocked the account
    link(CitizenFactory().user, "U" + "x" * 32, is_active=False)  # unlinked later
    link(StaffFactory(role=Role.CASE_OFFICER), "U" + "s" * 32)  # staff, not a citizen
    closed = CitizenFactory()
    closed.user.is_active = False
    closed.user.save()
    link(closed.user, "U" + "c" * 32)
    return wanted


def news_rows():
    return list(OutboundMessage.objects.filter(purpose="news.push").order_by("pk"))


def test_publishing_pushes_one_bubble_to_citizens_who_want_news(audience):
    editor = StaffFactory(role=Role.NEWS_EDITOR)
    page = make_news(
        "ประกาศวันหยุดสงกรานต์",
        summary="ปิดทำการ 13-15 เมษายน",
        cover=True,
        notify_line=True,
        user=editor,
    )

    [row] = news_rows()
    assert row.kind == OutboundMessage.Kind.MULTICAST
    assert sorted(row.recipients) == sorted(audience)
    assert row.dedupe_key == f"news-push:{page.pk}:0"
    [message] = row.messages
    assert message["type"] == "flex" and "ประกาศวันหยุดสงกรานต์" in message["altText"]
    bubble = message["contents"]
    assert bubble["type"] == "bubble"
    rendition = page.cover_image.get_rendition("fill-720x405|format-jpeg|jpegquality-80")
    assert bubble["hero"]["url"] == "http://testserver" + rendition.url
    assert "ปิดทำการ 13-15 เมษายน" in message_texts(bubble)
    [button] = [a for a in actions_of(bubble["footer"]) if a["type"] == "uri"]
    assert button == {"type": "uri", "label": "อ่านต่อ", "uri": "http://testserver" + page.url}
    [push] = NewsPush.objects.all()
    assert (push.page_id, push.recipients_count, push.sent_by, push.deliberate) == (
        page.pk,
        2,
        editor,
        False,
    )


def test_without_the_tick_nothing_is_sent(audience):
    make_news("ข่าวไม่แจ้ง LINE", notify_line=False)
    assert news_rows() == [] and not NewsPush.objects.exists()


def test_a_draft_is_not_sent(audience):
    make_news("ข่าวร่าง", notify_line=True, publish=False)
    assert news_rows() == []


def test_edits_republish_and_unpublish_publish_never_send_again(audience):
    page = make_news("ข่าวส่งครั้งเดียว", notify_line=True)

    page.summary = "แก้ไขสรุปข่าว"
    page.save_revision().publish()
    page.refresh_from_db()
    page.unpublish()
    page.refresh_from_db()
    page.save_revision().publish()

    assert len(news_rows()) == 1
    assert NewsPush.objects.filter(page=page).count() == 1


def test_ticking_later_sends_on_the_next_publish_only(audience):
    page = make_news("ข่าวติ๊กทีหลัง", notify_line=False)
    assert news_rows() == []

    page.notify_line = True
    page.save_revision().publish()
    page.refresh_from_db()
    page.save_revision().publish()

    assert len(news_rows()) == 1


def test_scheduled_news_is_sent_when_it_goes_live(audience):
    page = make_news("ข่าวตั้งเวลา", notify_line=True, publish=False)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live and news_rows() == []  # only scheduled

    # Two hours pass: the scheduled moment is now behind us.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    call_command("publish_scheduled")

    page.refresh_from_db()
    assert page.live
    [row] = news_rows()
    assert sorted(row.recipients) == sorted(audience)


def test_nobody_to_send_to_still_counts_as_sent(db):
    page = make_news("ข่าวไม่มีผู้รับ", notify_line=True)
    assert news_rows() == []
    [push] = NewsPush.objects.all()
    assert push.recipients_count == 0

    link(CitizenFactory().user, "U" + "l" * 32)
    page.save_revision().publish()
    assert news_rows() == []


def test_an_editor_resends_deliberately_after_confirming(client, audience):
    editor = StaffFactory(role=Role.NEWS_EDITOR)
    page = make_news("ข่าวส่งซ้ำ", notify_line=True)
    client.force_login(editor)
    url = reverse("news_resend_line", args=[page.pk])

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "ส่งข่าวนี้ทาง LINE แล้ว" in edit and url in edit
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "2 คน" in confirm.content.decode()
    assert len(news_rows()) == 1  # looking is not sending

    response = client.post(url, {"sequence": "1"})
    again = client.post(url, {"sequence": "1"})  # a double submit

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert again.status_code == 302
    rows = news_rows()
    assert len(rows) == 2
    assert rows[1].dedupe_key == f"news-push:{page.pk}:1:0"
    assert sorted(rows[1].recipients) == sorted(audience)
    pushes = list(NewsPush.objects.filter(page=page))
    assert [(p.deliberate, p.sent_by) for p in pushes] == [(False, None), (True, editor)]

    client.post(url, {"sequence": "2"})
    assert len(news_rows()) == 3


def test_resend_is_refused_to_people_who_cannot_publish_news(client, audience):
    page = make_news("ข่าวห้ามส่ง", notify_line=True)
    url = reverse("news_resend_line", args=[page.pk])

    client.force_login(UserFactory())
    client.post(url, {"sequence": "1"})
    client.force_login(StaffFactory(role=Role.CASE_OFFICER))
    client.post(url, {"sequence": "1"})

    assert len(news_rows()) == 1


def test_a_draft_cannot_be_resent(client, audience):
    page = make_news("ข่าวยังไม่เผยแพร่", notify_line=True, publish=False)
    client.force_login(StaffFactory(role=Role.NEWS_EDITOR))

    response = client.post(reverse("news_resend_line", args=[page.pk]), {"sequence": "1"})

    assert response.status_code == 302 and news_rows() == []


def test_a_very_long_thai_slug_gets_a_short_link_that_works(client, audience):
    page = make_news("ข่าวชื่อยาว", slug="ประกาศ" * 40, notify_line=True)

    [row] = news_rows()
    [button] = [a for a in actions_of(row.messages[0]["contents"]["footer"])]
    assert len("http://testserver" + page.url) > 1000
    assert button["uri"] == f"http://testserver/news/{page.pk}/"
    response = client.get(f"/news/{page.pk}/")
    assert response.status_code == 302 and response["Location"] == page.url
    assert client.get("/news/999999/").status_code == 404
