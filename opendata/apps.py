from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opendata"
    verbose_name = "ข้อมูลเปิด"
