from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel every app stands on: Thai dates, editorial texts, wizards, the client address,
    private files and their checks, the page cache. It imports no other app of the project."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "แกนกลางของระบบ"

    def ready(self):
        from core import centre, ids, page_cache, province  # noqa: F401 (<id:...>, checks)

        page_cache.connect(self)  # first: its table exists before the home page is saved
        centre.connect()
