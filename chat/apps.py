from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chat"
    verbose_name = _("แชทกับประชาชน")

    def ready(self):
        from accounts.selectors import register_export_section
        from accounts.services import register_closure_step
        from chat import citizen_export, services

        register_export_section(
            "chat", citizen_export.export_chat, summary=citizen_export.summarise_chat
        )
        register_closure_step(
            "chat", lambda user: services.conversations_close_for_closed_account(user=user)
        )
