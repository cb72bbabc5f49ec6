"""Writes of the news section: LINE pushes of news items and citizens' news preference.

A news item reaches LINE automatically exactly once: the first time it is live with
"แจ้งเตือนทาง LINE" ticked (published now, or when its scheduled time comes). Later edits,
republishing or unpublishing and publishing again never send it again; only an editor's
deliberate resend does, each resend once (the confirmation form carries its sequence number, so
a double submit cannot send twice).
"""

from django.db import IntegrityError, transaction

from line_integration import outbox
from line_integration.models import LineAccount
from news.line_messages import news_push_messages
from news.models import NewsPage, NewsPush, NewsSubscriptionPreference

PURPOSE = "news.push"


def news_recipients() -> list[str]:
    """LINE users of linked, followed, active citizens who have not turned news off."""
    return list(
        LineAccount.objects.filter(
            is_active=True,
            followed=True,
            user__is_active=True,
            user__citizen_profile__isnull=False,
        )
        .exclude(user__news_preference__receive_news=False)
        .order_by("pk")
        .values_list("line_user_id", flat=True)
    )


def _push(*, page: NewsPage, by, deliberate: bool, dedupe_key: str) -> NewsPush:
    messages = news_push_messages(page)
    recipients = news_recipients()
    push = NewsPush.objects.create(
        page=page,
        recipients_count=len(recipients),
        sent_by=by,
        deliberate=deliberate,
        dedupe_key=dedupe_key,
    )
    if recipients:
        outbox.enqueue_multicast(
            to=recipients, messages=messages, purpose=PURPOSE, dedupe_key=dedupe_key
        )
    return push


def push_news_on_publish(*, page: NewsPage, by=None) -> NewsPush | None:
    """The automatic push (from the page_published signal); None when it is not due."""
    if not (page.live and page.notify_line):
        return None
    if NewsPush.objects.filter(page=page, deliberate=False).exists():
        return None
    try:
        with transaction.atomic():
            return _push(page=page, by=by, deliberate=False, dedupe_key=f"news-push:{page.pk}")
    except IntegrityError:
        return None  # a concurrent publish pushed it first


def next_resend_sequence(page: NewsPage) -> int:
    return NewsPush.objects.filter(page=page, deliberate=True).count() + 1


def resend_news(*, page: NewsPage, by, sequence: int) -> tuple[NewsPush, bool]:
    """An editor's deliberate resend number ``sequence``; (push, created). A repeated request
    with the same sequence returns the earlier push instead of sending again."""
    if not page.live:
        raise ValueError("only a live news item can be sent")
    key = f"news-push:{page.pk}:{sequence}"
    existing = NewsPush.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return _push(page=page, by=by, deliberate=True, dedupe_key=key), True
    except IntegrityError:
        return NewsPush.objects.get(dedupe_key=key), False


@transaction.atomic
def set_news_preference(*, user, receive_news: bool) -> NewsSubscriptionPreference:
    preference, _created = NewsSubscriptionPreference.objects.update_or_create(
        user=user, defaults={"receive_news": receive_news}
    )
    return preference
