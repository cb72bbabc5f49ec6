from django.apps import AppConfig


class LineIntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "line_integration"
    verbose_name = "LINE Official Account"
