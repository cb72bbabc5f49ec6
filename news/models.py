"""ข่าวสารศูนย์ดำรงธรรม: news pages edited in Wagtail, their LINE pushes and citizens' opt-out.

The single NewsIndexPage lives at /news/ (created after every migrate, ``news.setup``) and also
serves the RSS feed and the citizen's news preference page as routes, so the whole news section
is one subtree editors and caches reason about.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core import ids  # noqa: F401 (registers <id:...>, used by a route below)
from core.page_cache import CachedForAnonymousMixin

PER_PAGE = 10
SUMMARY_MAX = 300
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "image", "document-link"]


class Category(models.TextChoices):
    PUBLIC_RELATIONS = "pr", _("ประชาสัมพันธ์")
    ACTIVITY = "activity", _("กิจกรรม")
    ANNOUNCEMENT = "announcement", _("ประกาศ")


def today():
    return timezone.localdate()


class NewsIndexPage(CachedForAnonymousMixin, RoutablePageMixin, Page):
    """ข่าวสารศูนย์ดำรงธรรม: the list, newest first, ten to a page, filterable by category."""

    intro = models.TextField(_("คำอธิบาย"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("หน้ารวมข่าวสาร")

    def news(self, category: str = ""):
        items = (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("cover_image")
            .order_by("-date", "-first_published_at", "-pk")
        )
        return items.filter(category=category) if category else items

    @path("")
    def index_route(self, request):
        category = request.GET.get("category", "")
        if category not in Category.values:
            category = ""
        paginator = Paginator(self.news(category), PER_PAGE)
        try:
            news_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            news_page = paginator.page(1)
        except EmptyPage:
            news_page = paginator.page(paginator.num_pages)
        return self.render(
            request,
            context_overrides={
                "news_page": news_page,
                "category": category,
                "categories": Category.choices,
            },
        )

    @path("feed/", name="feed")
    def feed_route(self, request):
        from news.feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("<id:page_id>/", name="short")
    def short_route(self, request, page_id: int):
        """A short link to an item, for places with a length limit (LINE buttons: 1,000)."""
        from django.shortcuts import get_object_or_404

        item = get_object_or_404(self.news(), pk=page_id)
        return redirect(item.url)

    @path("preferences/", name="preferences")
    def preferences_route(self, request):
        """รับข่าวสารทาง LINE: a logged-in citizen turns news pushes off or on again."""
        from news.forms import NewsPreferenceForm
        from news.services import set_news_preference

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        current = NewsSubscriptionPreference.wants_news(request.user)
        data = request.POST if request.method == "POST" else None
        form = NewsPreferenceForm(data, initial={"receive_news": current})
        if form.is_bound and form.is_valid():
            set_news_preference(user=request.user, receive_news=form.cleaned_data["receive_news"])
            from django.contrib import messages

            messages.success(request, _("บันทึกการตั้งค่าการรับข่าวสารแล้ว"))
            return redirect(self.url + self.reverse_subpage("preferences"))
        return TemplateResponse(
            request, "news/preferences.html", {"page": self, "form": form, "current": current}
        )


class NewsPage(CachedForAnonymousMixin, Page):
    """One news item. With ``notify_line`` it goes to LINE once, when it first goes live."""

    date = models.DateField(_("วันที่ข่าว"), default=today)
    summary = models.CharField(
        _("สรุปข่าว"),
        max_length=SUMMARY_MAX,
        help_text=_("ไม่เกิน 300 ตัวอักษร แสดงในรายการข่าวและในข้อความ LINE"),
    )
    body = RichTextField(_("เนื้อหา"), blank=True, features=BODY_FEATURES)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ภาพปก"),
        help_text=_("แนะนำภาพแนวนอน 16:9 ใช้ในรายการข่าวและในข้อความ LINE"),
    )
    category = models.CharField(
        _("หมวดหมู่"), max_length=20, choices=Category.choices, default=Category.PUBLIC_RELATIONS
    )
    notify_line = models.BooleanField(
        _("แจ้งเตือนทาง LINE"),
        default=False,
        help_text=_("ส่งข่าวนี้ถึงประชาชนที่เชื่อมต่อ LINE เมื่อเผยแพร่ครั้งแรก (ส่งครั้งเดียว)"),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("category"),
                FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 3})),
            ],
            heading=_("ข้อมูลข่าว"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("notify_line"),
                HelpPanel(template="news/admin/line_push_panel.html"),
            ],
            heading=_("แจ้งเตือนทาง LINE"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("ข่าว")
        verbose_name_plural = _("ข่าว")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["index"] = self.get_parent().specific
        return context


class NewsPush(models.Model):
    """A news item sent to LINE. The automatic push exists at most once per page (the partial
    unique constraint); each deliberate resend by an editor adds a row."""

    page = models.ForeignKey(
        NewsPage, on_delete=models.CASCADE, related_name="line_pushes", verbose_name=_("ข่าว")
    )
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), default=timezone.now)
    recipients_count = models.PositiveIntegerField(_("จำนวนผู้รับ"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้สั่งส่ง"),
    )
    deliberate = models.BooleanField(_("ส่งซ้ำโดยเจ้าหน้าที่"), default=False)
    dedupe_key = models.CharField(max_length=190, unique=True)

    class Meta:
        verbose_name = _("การแจ้งข่าวทาง LINE")
        verbose_name_plural = _("การแจ้งข่าวทาง LINE")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page"], condition=Q(deliberate=False), name="news_push_once_per_page"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} @ {self.sent_at:%Y-%m-%d %H:%M}"


class NewsSubscriptionPreference(models.Model):
    """A citizen who said "no news on LINE, please". No row means they receive news."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_preference"
    )
    receive_news = models.BooleanField(_("รับข่าวสารทาง LINE"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("การรับข่าวสารทาง LINE")
        verbose_name_plural = _("การรับข่าวสารทาง LINE")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.receive_news}"

    @classmethod
    def wants_news(cls, user) -> bool:
        found = cls.objects.filter(user=user).values_list("receive_news", flat=True).first()
        return True if found is None else found
