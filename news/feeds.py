"""RSS 2.0 feed of the latest news at /news/feed/ (a route of the news index page)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone

from news.line_messages import page_url

FEED_ITEMS = 20


class NewsFeed(Feed):
    """Built per request with the index page, so links always follow the page tree."""

    def __init__(self, index):
        super().__init__()
        self.index = index

    def title(self):
        return self.index.title

    def description(self):
        return self.index.intro or self.index.title

    def link(self):
        return page_url(self.index)

    def feed_url(self):
        return page_url(self.index) + self.index.reverse_subpage("feed")

    def items(self):
        return list(self.index.news()[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return page_url(item)

    def item_pubdate(self, item):
        moment = datetime.datetime.combine(item.date, datetime.time(8, 0))
        return timezone.make_aware(moment)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_category_display()]
