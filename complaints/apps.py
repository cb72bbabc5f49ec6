from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_setup(sender, **kwargs):
    from complaints.models import ComplaintCategory
    from complaints.setup import ensure_categories, ensure_complaint_consent

    ensure_categories(ComplaintCategory)
    ensure_complaint_consent()


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = "เรื่องร้องเรียน"

    def ready(self):
        from accounts.selectors import register_export_section
        from complaints import citizen_export

        post_migrate.connect(_ensure_setup, sender=self, dispatch_uid="complaints-setup")
        register_export_section(
            "complaints",
            citizen_export.export_complaints,
            summary=citizen_export.summarise_complaints,
        )
