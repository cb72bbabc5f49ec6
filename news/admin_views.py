"""ส่งแจ้งเตือน LINE อีกครั้ง: an editor deliberately resends a news item, after confirming."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from news import services
from news.models import NewsPage


class ResendView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("ส่งแจ้งเตือน LINE อีกครั้ง")
    header_icon = "mail"
    template_name = "news/admin/resend_confirm.html"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(NewsPage, pk=page_id)
        if not self.page.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        self.edit_url = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        if not self.page.live:
            messages.error(request, _("ส่งแจ้งเตือนได้เฉพาะข่าวที่เผยแพร่แล้ว"))
            return redirect(self.edit_url)
        return super().dispatch(request, page_id=page_id)

    def get_page_subtitle(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.edit_url, "label": self.page.title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.page,
            edit_url=self.edit_url,
            pushes=self.page.line_pushes.select_related("sent_by"),
            recipients_count=len(services.news_recipients()),
            sequence=services.next_resend_sequence(self.page),
            **kwargs,
        )

    def post(self, request, page_id):
        try:
            sequence = int(request.POST.get("sequence", ""))
        except ValueError:
            sequence = 0
        if sequence < 1:
            messages.error(request, _("คำขอไม่ถูกต้อง กรุณาลองอีกครั้ง"))
            return redirect(request.path)
        push, created = services.resend_news(page=self.page, by=request.user, sequence=sequence)
        if created:
            messages.success(
                request,
                _("ส่งแจ้งเตือน LINE ถึงผู้รับ %(count)d คนแล้ว") % {"count": push.recipients_count},
            )
        else:
            messages.warning(request, _("คำขอนี้ส่งไปแล้ว ไม่ได้ส่งซ้ำ"))
        return redirect(self.edit_url)
