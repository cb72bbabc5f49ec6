from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_setup(sender, **kwargs):
    from open311.setup import grant_supervisors

    grant_supervisors()


class Open311Config(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "open311"
    verbose_name = "Open311 GeoReport v2"

    def ready(self):
        post_migrate.connect(_ensure_setup, sender=self, dispatch_uid="open311-setup")
