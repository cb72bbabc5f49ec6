"""Delete evidence files left by complaint wizards that were never submitted.

Run daily, from cron (`manage.py cleanup_wizard_uploads`) or by enqueueing
complaints.tasks.cleanup_wizard_uploads_task for the worker.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from complaints.evidence import cleanup_stale_uploads


class Command(BaseCommand):
    help = "ลบไฟล์หลักฐานที่แนบค้างไว้ในแบบฟอร์มร้องเรียนที่ไม่ได้ยื่น (เก่ากว่าที่กำหนด)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=24, help="delete files older than this (default 24)"
        )

    def handle(self, *args, hours: int, **options):
        deleted = cleanup_stale_uploads(older_than=timedelta(hours=hours))
        self.stdout.write(f"deleted {deleted} file(s)")
