from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_setup(sender, **kwargs):
    from accounts.setup import ensure_privacy_notice, ensure_roles

    ensure_roles()
    ensure_privacy_notice()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "บัญชีผู้ใช้"

    def ready(self):
        post_migrate.connect(_ensure_setup, sender=self, dispatch_uid="accounts-setup")
