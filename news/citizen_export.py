"""The citizen's choice about news on LINE, in their own copy of their data (PDPA section 30).

Registered from ``NewsConfig.ready()`` as the export section "news_preferences". News has no
categories to choose from: the one choice is whether news items are pushed to LINE at all
(no stored row means the default, yes).
"""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import DataSummary, iso_date
from news.models import NewsIndexPage, NewsSubscriptionPreference


def export_news_preferences(user: User) -> dict[str, Any]:
    preference = NewsSubscriptionPreference.objects.filter(user=user).first()
    return {
        "receive_news_on_line": preference.receive_news if preference else True,
        "chosen_by_you": preference is not None,
        "updated_at": iso_date(preference.updated_at) if preference else None,
    }


def preferences_url() -> str:
    index = NewsIndexPage.objects.live().first()
    if index is None or not index.url:
        return ""
    return index.url + index.reverse_subpage("preferences")


def summarise_news_preferences(user: User) -> DataSummary:
    wants = NewsSubscriptionPreference.wants_news(user)
    return DataSummary(
        label=_("การรับข่าวสารทาง LINE"),
        value=_("รับข่าวสาร") if wants else _("ไม่รับข่าวสาร"),
        url=preferences_url(),
    )
