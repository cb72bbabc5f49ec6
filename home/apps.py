from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_base_content(sender, using="default", **kwargs):
    """After migrate and after a test flush: the areas and the home page are always there."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page, Site

    from addresses.loader import load_areas
    from addresses.models import District, Province, Subdistrict
    from home.content import create_home_page
    from home.models import HomePage

    if not Subdistrict.objects.using(using).exists():
        load_areas(Province, District, Subdistrict)
    create_home_page(
        Page=Page, HomePage=HomePage, Site=Site, ContentType=ContentType, Locale=Locale
    )


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "หน้าแรก"

    def ready(self):
        post_migrate.connect(_ensure_base_content, sender=self, dispatch_uid="home-base-content")
