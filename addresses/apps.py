from django.apps import AppConfig


class AddressesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "addresses"
    verbose_name = "ที่อยู่ (จังหวัด/อำเภอ/ตำบล)"
