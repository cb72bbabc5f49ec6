"""django-tasks-db's task worker, with what it loaded at start taken out of the cyclic garbage
collector's sight before it takes its first task (core.warmup.freeze_loaded_objects), as the
web workers do: a full collection otherwise walks all of Django and Wagtail in the middle of a
burst of LINE events. core comes before django_tasks_db in INSTALLED_APPS, so `manage.py
db_worker` is this command; its options are django-tasks-db's."""

from django_tasks_db.management.commands.db_worker import Command as TaskWorkerCommand

from core.warmup import freeze_loaded_objects


class Command(TaskWorkerCommand):
    def handle(self, *args, **options):
        freeze_loaded_objects()
        return super().handle(*args, **options)
