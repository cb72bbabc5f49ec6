"""News in the admin: the resend confirmation view and a "ส่งแจ้งเตือน LINE อีกครั้ง" item in the
page's header menu (the LINE panel of the edit form links to it too)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from news.admin_views import ResendView
from news.models import NewsPage


@hooks.register("register_admin_urls")
def news_admin_urls():
    return [
        path("news/<id:page_id>/resend-line/", ResendView.as_view(), name="news_resend_line"),
    ]


@hooks.register("register_page_header_buttons")
def resend_line_button(page, user, view_name=None, next_url=None):
    is_news = page.specific_class is not None and issubclass(page.specific_class, NewsPage)
    if is_news and page.live and page.permissions_for_user(user).can_publish():
        yield Button(
            _("ส่งแจ้งเตือน LINE อีกครั้ง"),
            reverse("news_resend_line", args=[page.pk]),
            icon_name="mail",
            priority=60,
        )
