"""Texts that editors keep in Wagtail with revisions and that citizens accept (PDPA section 19):
the privacy notice at registration and the consent before each complaint. Only the live text
is shown, and each acceptance records the revision that was live."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin


class EditorialText(DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    title = models.CharField(_("หัวข้อ"), max_length=255)
    body = RichTextField(_("เนื้อหา"))

    panels = [FieldPanel("title"), FieldPanel("body"), PublishingPanel()]
    preview_template = "core/editorial_text_preview.html"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def get_preview_template(self, request, mode_name):
        return self.preview_template

    @classmethod
    def current(cls, *, with_text: bool = True):
        """The live text; ``with_text=False`` leaves the body out, for checks on every wizard
        request that only compare revision ids."""
        texts = cls.objects.filter(live=True).order_by("-pk")
        if not with_text:
            texts = texts.only("pk", "live", "live_revision_id")
        return texts.first()


@transaction.atomic
def ensure_published_text(model: type[EditorialText], *, title: str, body: str) -> None:
    """A first published revision, so there is always a text to accept (after each migrate)."""
    if model.objects.exists():
        return
    text = model(title=title, body=body.strip(), live=False)
    text.save()
    text.save_revision().publish()
