from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo people, news, complaints and chats for development (``manage.py load_demo_data``).
    It sits above every other app and may import any of them; nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "ข้อมูลตัวอย่าง"
