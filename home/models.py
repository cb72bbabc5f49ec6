from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.page_cache import CachedForAnonymousMixin


class HomePage(CachedForAnonymousMixin, Page):
    """The site root: the six services of the LINE rich menu as tiles."""

    intro = models.TextField(
        _("ข้อความต้อนรับ"),
        blank=True,
        default="ร้องเรียนร้องทุกข์ ติดตามเรื่อง และติดต่อเจ้าหน้าที่ได้ทุกที่ผ่านโทรศัพท์มือถือ",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("หน้าแรก")

    def get_context(self, request, *args, **kwargs):
        from core.menu import SERVICES

        context = super().get_context(request, *args, **kwargs)
        context["services"] = SERVICES
        context["latest_news"] = self.latest_news()
        return context

    def latest_news(self, count: int = 3) -> list:
        """The newest news items for the home page (news is its own app, imported lazily)."""
        from news.models import NewsIndexPage

        index = NewsIndexPage.objects.live().descendant_of(self).first()
        return list(index.news()[:count]) if index else []
