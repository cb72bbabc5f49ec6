from django.apps import AppConfig


class LineIntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "line_integration"
    verbose_name = "LINE Official Account"

    def ready(self):
        from accounts.selectors import register_export_section
        from accounts.services import register_closure_step
        from line_integration import citizen_data

        register_export_section(
            "line", citizen_data.export_line, summary=citizen_data.summarise_line
        )
        register_closure_step("line", citizen_data.close_account, order=citizen_data.CLOSURE_ORDER)
