from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_setup(sender, app_config=None, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from wagtail.snippets.models import create_extra_permissions

    from accounts.setup import ensure_privacy_notice, ensure_roles

    # post_migrate runs per app; make sure the permissions the roles need exist already.
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    create_extra_permissions(apps.get_app_config("wagtailsnippets"), using=using)  # publish_*
    ensure_roles()
    ensure_privacy_notice()


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "บัญชีผู้ใช้"

    def ready(self):
        from django.core import checks

        from accounts.hashers import check_argon2_cost

        checks.register(check_argon2_cost, checks.Tags.security, deploy=True)
        post_migrate.connect(_ensure_setup, sender=self, dispatch_uid="accounts-setup")
