from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Staff alerts in LINE: deadlines, the supervisors' morning digest and the executives'
    weekly summary. It stands above complaints, live chat (the holiday list) and the dashboard
    (the seven figures), which know nothing of it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("การแจ้งเตือนเจ้าหน้าที่ทาง LINE")
