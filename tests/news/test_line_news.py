"""ข่าวสาร in LINE: the rich menu item and typed words answer with the latest five items,
through the real webhook, the real SDK and the LINE stand-in."""

import json
from urllib.parse import urlsplit

import pytest

from line_integration.models import LineAccount
from tests.line_integration.support import actions_of, bot_messages, message_texts
from tests.news.support import make_news

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(line_standin):
    """Anyone who follows the account: news is public, no linked account needed."""
    user = line_standin.state.add_user(display_name="มาลี")
    LineAccount.objects.create(line_user_id=user["userId"], followed=True)
    return user["userId"]


def only_answer(line_standin, user_id) -> dict:
    [answer] = bot_messages(line_standin.state, user_id)
    assert answer["via"] == "reply"
    return answer["message"]


def test_menu_news_answers_a_carousel_of_the_latest_five_and_a_link_to_all(
    send, line_standin, follower
):
    pages = [make_news(f"ข่าวศูนย์ฯ ลำดับ{n}", days_ago=n, cover=(n < 2)) for n in range(7)]

    send("postback", follower, data="menu=news")

    message = only_answer(line_standin, follower)
    carousel = message["contents"]
    assert carousel["type"] == "carousel"
    assert len(carousel["contents"]) == 6  # five items and "all news"
    texts = [message_texts(bubble) for bubble in carousel["contents"][:5]]
    assert [f"ข่าวศูนย์ฯ ลำดับ{n}" in text for n, text in enumerate(texts)] == [True] * 5
    read_more = [
        urlsplit(a["uri"]).path
        for a in actions_of(carousel)
        if a["type"] == "uri" and a["label"] == "อ่านต่อ"
    ]
    assert list(dict.fromkeys(read_more)) == [page.url for page in pages[:5]]
    assert len(read_more) == 5 + 2  # the two with a cover also open from the picture
    assert "hero" in carousel["contents"][0] and "hero" not in carousel["contents"][2]
    all_news = [a["uri"] for a in actions_of(message) if a["label"] == "ดูข่าวทั้งหมด"]
    assert all_news == ["http://testserver/news/"] * 2  # last bubble and quick reply
    assert "ข่าวสารศูนย์ดำรงธรรมล่าสุด 5 เรื่อง" in message["altText"]
    assert len(json.dumps(carousel, ensure_ascii=False).encode()) < 50_000


@pytest.mark.parametrize("typed", ["ข่าว", "ข่าวสาร", "ข่าวล่าสุด"])
def test_typing_news_answers_the_same(send, line_standin, follower, typed):
    make_news("ข่าวเดียว")

    send("message", follower, text=typed)

    message = only_answer(line_standin, follower)
    assert message["contents"]["type"] == "carousel"
    assert "ข่าวเดียว" in message_texts(message)


def test_no_news_yet_says_so_with_a_link(send, line_standin, follower):
    make_news("ข่าวร่าง", publish=False)

    send("postback", follower, data="menu=news")

    message = only_answer(line_standin, follower)
    assert message["type"] == "text" and "ยังไม่มีข่าวสาร" in message["text"]
    assert "ข่าวร่าง" not in message_texts(message)
    assert [a["uri"] for a in actions_of(message)] == ["http://testserver/news/"]
