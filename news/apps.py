from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_setup(sender, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from news.setup import ensure_news_setup

    for label in ("wagtailcore", "wagtailimages", "wagtaildocs"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    ensure_news_setup()


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "ข่าวสาร"

    def ready(self):
        from wagtail.signals import page_published

        from accounts.selectors import register_export_section
        from news import citizen_export, signals
        from news.models import NewsPage

        register_export_section(
            "news_preferences",
            citizen_export.export_news_preferences,
            summary=citizen_export.summarise_news_preferences,
        )

        page_published.connect(
            signals.on_page_published, sender=NewsPage, dispatch_uid="news-line-push"
        )
        post_migrate.connect(_ensure_setup, sender=self, dispatch_uid="news-setup")
