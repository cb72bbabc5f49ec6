"""ข่าวสารศูนย์ดำรงธรรม in LINE: the rich menu's "menu=news" and typed "ข่าว" / "ข่าวสาร" answer
with the latest five items as a carousel. Open to every follower, linked or not: news is public.
Imported by line_integration.handlers on the first webhook event."""

from core import menu
from line_integration import messages as msg
from line_integration.handlers import EventContext, register_postback, register_text
from news.line_messages import news_carousel_messages, page_url
from news.models import NewsIndexPage

NEWS_PURPOSE = "news.latest"
LATEST = 5


def latest_news_answer() -> list[dict]:
    index = NewsIndexPage.objects.live().first()
    if index is None:
        return news_carousel_messages([], index_url=msg.site_url("/"))
    pages = list(index.news()[:LATEST])
    return news_carousel_messages(pages, index_url=page_url(index))


@register_postback(menu.NEWS.postback, purpose=NEWS_PURPOSE)
def on_news_menu(ctx: EventContext):
    return latest_news_answer()


@register_text(r"(?:ดู)?ข่าว(?:สาร)?(?:ล่าสุด)?(?:ศูนย์ดำรงธรรม)?", purpose=NEWS_PURPOSE)
def on_news_text(ctx: EventContext):
    return latest_news_answer()
