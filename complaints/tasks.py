"""Background work for complaints: run by `manage.py db_worker` (immediately in tests)."""

from django_tasks import task


@task()
def cleanup_wizard_uploads_task() -> int:
    """Daily: delete files abandoned wizards left in temporary storage (older than a day)."""
    from complaints.evidence import cleanup_stale_uploads

    return cleanup_stale_uploads()
