"""Publishing a news item (now, or by the scheduled-publishing command) may push it to LINE."""

from news.services import push_news_on_publish


def on_page_published(sender, instance, revision=None, **kwargs):
    # Wagtail also sends page_published when it only schedules a revision; act when live.
    if instance.live and instance.notify_line:
        push_news_on_publish(page=instance, by=getattr(revision, "user", None))
