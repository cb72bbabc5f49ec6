from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from complaints.models import ComplaintCategory, ComplaintConsent


class ComplaintConsentViewSet(SnippetViewSet):
    model = ComplaintConsent
    icon = "doc-full"
    menu_label = _("ข้อตกลงการให้ความยินยอม")
    add_to_admin_menu = False
    list_display = ["title", "live"]


class ComplaintCategoryViewSet(SnippetViewSet):
    model = ComplaintCategory
    icon = "list-ul"
    menu_label = _("ประเภทเรื่องร้องเรียน")
    list_display = ["name", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


register_snippet(ComplaintConsentViewSet)
register_snippet(ComplaintCategoryViewSet)
