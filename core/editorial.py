"""Texts that editors keep in Wagtail with revisions and that citizens accept (PDPA section 19):
the privacy notice at registration and the consent before each complaint. Only the live text
is shown, and each acceptance records the revision that was live."""

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import class_prepared, post_delete, post_save
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
    def current(cls):
        """The live text (None when there is none), from the shared cache.

        Every registration and complaint step checks it, so the database is read only after a
        change: saving or deleting a text (publishing, unpublishing, a scheduled publication)
        forgets it in the shared cache, for every process and node. A read that raced with a
        publication could keep the text it read; that lasts CURRENT_CACHE_SECONDS at most, and
        the revision a citizen accepts is always the one shown to them.
        """
        key = _cache_key(cls)
        found = cache.get(key, _UNREAD)
        if found is _UNREAD:
            found = cls.objects.filter(live=True).order_by("-pk").first()
            cache.set(key, found, CURRENT_CACHE_SECONDS)
        return found


CURRENT_CACHE_SECONDS = 60
_UNREAD = object()


def _cache_key(model) -> str:
    return f"editorial-current:{model._meta.label_lower}"


def forget_current(sender, **kwargs) -> None:
    """Read ``sender``'s live text again at its next use (a signal receiver, and for tests)."""
    cache.delete(_cache_key(sender))


def _watch_saves(sender, **kwargs) -> None:
    if issubclass(sender, EditorialText) and not sender._meta.abstract:
        uid = f"editorial-current-{sender._meta.label_lower}"
        post_save.connect(forget_current, sender=sender, dispatch_uid=uid)
        post_delete.connect(forget_current, sender=sender, dispatch_uid=uid)


class_prepared.connect(_watch_saves, dispatch_uid="editorial-current")


@transaction.atomic
def ensure_published_text(model: type[EditorialText], *, title: str, body: str) -> None:
    """A first published revision, so there is always a text to accept (after each migrate)."""
    if model.objects.exists():
        return
    text = model(title=title, body=body.strip(), live=False)
    text.save()
    text.save_revision().publish()
